#pragma once

#include "oidc/OAuthClient.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <variant>

namespace authrealm {

// The validated parameters of an authorization request (OIDC Core §3.1.2.1,
// RFC 6749 §4.1.1, RFC 7636), as the provider keeps them between the pages.
struct AuthorizationParams
{
    QString clientId;
    QString redirectUri;
    QStringList scopes;
    QString state;
    QString nonce;
    QString codeChallenge;   // S256 only; empty when the (confidential) client sent none
    QStringList prompt;      // none, login, consent, select_account
    qint64 maxAge = -1;      // seconds; -1: not given
    QString loginHint;
    QString uiLocales;
    QStringList acrValues;
    QString idTokenHint;

    [[nodiscard]] QJsonObject toJson() const;
    [[nodiscard]] static AuthorizationParams fromJson(const QJsonObject &json);
    [[nodiscard]] bool prompts(const char *value) const { return prompt.contains(QLatin1String(value)); }
};

// How validation ended. Before the redirect URI is known to be the client's,
// an error is a page (never a redirect, RFC 9700 §4.1.1); after, it goes back
// to the client as a redirect with error, state and iss.
struct AuthorizationErrorPage
{
    QString title;   // English source text (HostedPages translates)
    QString message;
};
struct AuthorizationErrorRedirect
{
    QString redirectUri;
    QString state;
    QString error;   // RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6 code
    QString description;
};
using AuthorizationValidation = std::variant<AuthorizationParams, AuthorizationErrorPage, AuthorizationErrorRedirect>;

using QueryItems = QList<QPair<QString, QString>>;

// Validates the request's parameters (from the query of a GET or the form of
// a POST) against the client it names. `findClient` looks a client_id up in
// the realm. Unknown parameters are ignored; a parameter given twice is an error.
[[nodiscard]] AuthorizationValidation validateAuthorization(const QueryItems &items,
                                                            const std::function<std::optional<OAuthClient>(const QString &)> &findClient);

// A PKCE code_verifier or S256 code_challenge: 43-128 unreserved characters (RFC 7636 §4.1).
[[nodiscard]] bool isPkceValue(const QString &value);

// The user-facing OAuth scopes the provider knows besides product scopes.
[[nodiscard]] const QStringList &standardScopes();

// redirect_uri + the parameters (query component; an existing query is kept).
[[nodiscard]] QString redirectWith(const QString &redirectUri, const QueryItems &parameters);

} // namespace authrealm
