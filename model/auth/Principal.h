#pragma once

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
};

} // namespace authrealm
