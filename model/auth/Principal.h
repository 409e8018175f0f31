#pragma once

#include "core/DomainError.h"

#include <QString>
#include <QStringList>

namespace authrealm {

// Who is calling a protected route, after their bearer token was checked.
struct Principal
{
    enum class Kind { AccessToken, PersonalAccessToken };
    Kind kind = Kind::AccessToken;
    QString realmId;
    QString userId;
    QString appId;
    QString sessionId; // access tokens only
    QString tokenId;   // PAT id, for PATs
    QStringList roles;
    QStringList scopes; // effective now: features switched off are already removed
    QStringList amr;    // access tokens: how the session signed in ("pwd", "otp")
    qint64 mfaAt = 0;   // access tokens: seconds of the last second-factor proof, 0 if none

    [[nodiscard]] bool hasScope(const QString &scope) const { return scopes.contains(scope); }

    // The one rule for account management: tokens, sessions and credentials
    // (PAT list/create/rotate/revoke, sessions, password, second factor,
    // email verification, step-up) are seen and managed only with a
    // signed-in access token. A PAT is a long-lived credential for
    // automation; one that leaks must not list or mint others, end sessions
    // or change how the person signs in. Every such service method calls
    // this first, so every PAT gets the same 403 forbidden.
    void requireInteractiveSession() const
    {
        if (kind != Kind::AccessToken)
            throw DomainError(ErrorCode::Forbidden, QStringLiteral("A personal access token cannot see or manage tokens, sessions or "
                                                                   "credentials; use an access token from a sign-in"));
    }
};

} // namespace authrealm
