#include "oidc/AuthorizationRequest.h"

#include "oidc/RedirectUris.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace authrealm {

namespace {
constexpr qsizetype kMaxValue = 2048;

QJsonArray array(const QStringList &list) { return QJsonArray::fromStringList(list); }
QStringList list(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

// The one value of a parameter; "" when absent. Sets `repeated` if it occurs twice.
QString single(const QueryItems &items, const char *name, bool &repeated)
{
    QString value;
    int seen = 0;
    for (const auto &[key, v] : items) {
        if (key == QLatin1String(name)) {
            value = v;
            ++seen;
        }
    }
    if (seen > 1)
        repeated = true;
    return value;
}

} // namespace

bool isPkceValue(const QString &value)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._~-]{43,128}$"));
    return re.match(value).hasMatch();
}

const QStringList &standardScopes()
{
    static const QStringList scopes{QStringLiteral("openid"), QStringLiteral("profile"), QStringLiteral("email"),
                                    QStringLiteral("offline_access")};
    return scopes;
}

QJsonObject AuthorizationParams::toJson() const
{
    return QJsonObject{
        {QStringLiteral("client_id"), clientId},       {QStringLiteral("redirect_uri"), redirectUri},
        {QStringLiteral("scope"), array(scopes)},      {QStringLiteral("state"), state},
        {QStringLiteral("nonce"), nonce},              {QStringLiteral("code_challenge"), codeChallenge},
        {QStringLiteral("prompt"), array(prompt)},     {QStringLiteral("max_age"), maxAge},
        {QStringLiteral("login_hint"), loginHint},     {QStringLiteral("ui_locales"), uiLocales},
        {QStringLiteral("acr_values"), array(acrValues)}, {QStringLiteral("id_token_hint"), idTokenHint},
    };
}

AuthorizationParams AuthorizationParams::fromJson(const QJsonObject &json)
{
    AuthorizationParams p;
    p.clientId = json.value(QStringLiteral("client_id")).toString();
    p.redirectUri = json.value(QStringLiteral("redirect_uri")).toString();
    p.scopes = list(json.value(QStringLiteral("scope")));
    p.state = json.value(QStringLiteral("state")).toString();
    p.nonce = json.value(QStringLiteral("nonce")).toString();
    p.codeChallenge = json.value(QStringLiteral("code_challenge")).toString();
    p.prompt = list(json.value(QStringLiteral("prompt")));
    p.maxAge = json.value(QStringLiteral("max_age")).toInteger(-1);
    p.loginHint = json.value(QStringLiteral("login_hint")).toString();
    p.uiLocales = json.value(QStringLiteral("ui_locales")).toString();
    p.acrValues = list(json.value(QStringLiteral("acr_values")));
    p.idTokenHint = json.value(QStringLiteral("id_token_hint")).toString();
    return p;
}

QString redirectWith(const QString &redirectUri, const QueryItems &parameters)
{
    QUrl url(redirectUri);
    QUrlQuery query(url);
    for (const auto &[key, value] : parameters) {
        if (!value.isEmpty())
            query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url.toString(QUrl::FullyEncoded);
}

AuthorizationValidation validateAuthorization(const QueryItems &items,
                                              const std::function<std::optional<OAuthClient>(const QString &)> &findClient)
{
    bool repeated = false;
    const auto get = [&](const char *name) { return single(items, name, repeated); };
    AuthorizationParams p;
    p.clientId = get("client_id");
    p.redirectUri = get("redirect_uri");
    const std::optional<OAuthClient> client = p.clientId.isEmpty() || p.clientId.size() > 128 ? std::nullopt : findClient(p.clientId);
    if (!client)
        return AuthorizationErrorPage{QStringLiteral("Unknown application"), QStringLiteral("The application is not registered here.")};
    if (repeated || p.redirectUri.isEmpty() || p.redirectUri.size() > kMaxValue || !RedirectUris::matches(client->redirectUris, p.redirectUri))
        return AuthorizationErrorPage{QStringLiteral("Invalid redirect address"),
                                      QStringLiteral("The application sent an address that is not registered for it.")};
    // From here on the redirect URI is the client's own: errors go back to it.
    p.state = get("state");
    const auto fail = [&](const char *error, const QString &description) -> AuthorizationValidation {
        return AuthorizationErrorRedirect{p.redirectUri, p.state.left(kMaxValue), QLatin1String(error), description};
    };
    if (repeated)
        return fail("invalid_request", QStringLiteral("A parameter was given more than once"));
    const QString responseType = get("response_type");
    const QString responseMode = get("response_mode");
    const QString scope = get("scope");
    p.nonce = get("nonce");
    p.codeChallenge = get("code_challenge");
    const QString challengeMethod = get("code_challenge_method");
    const QString prompt = get("prompt");
    const QString maxAge = get("max_age");
    p.loginHint = get("login_hint");
    p.uiLocales = get("ui_locales");
    p.acrValues = get("acr_values").split(u' ', Qt::SkipEmptyParts);
    p.idTokenHint = get("id_token_hint");
    if (repeated)
        return fail("invalid_request", QStringLiteral("A parameter was given more than once"));
    for (const QString *value : std::initializer_list<const QString *>{&p.state, &p.nonce, &p.loginHint, &p.uiLocales, &scope, &prompt, &p.idTokenHint}) {
        if (value->size() > (value == &p.idTokenHint ? 16384 : kMaxValue))
            return fail("invalid_request", QStringLiteral("A parameter is too long"));
    }
    if (!get("request").isEmpty())
        return fail("request_not_supported", QStringLiteral("Request objects are not supported"));
    if (!get("request_uri").isEmpty())
        return fail("request_uri_not_supported", QStringLiteral("request_uri is not supported"));
    if (responseType.isEmpty())
        return fail("invalid_request", QStringLiteral("response_type is required"));
    if (responseType != u"code")
        return fail("unsupported_response_type", QStringLiteral("Only the authorization code flow (response_type=code) is supported"));
    if (!responseMode.isEmpty() && responseMode != u"query")
        return fail("invalid_request", QStringLiteral("Only response_mode=query is supported"));
    if (!client->allowsGrant(QStringLiteral("authorization_code")))
        return fail("unauthorized_client", QStringLiteral("This client may not use the authorization code flow"));
    p.scopes = scope.split(u' ', Qt::SkipEmptyParts);
    p.scopes.removeDuplicates();
    if (p.scopes.isEmpty())
        return fail("invalid_scope", QStringLiteral("scope is required"));
    for (const QString &s : std::as_const(p.scopes)) {
        if (!client->allowedScopes.contains(s))
            return fail("invalid_scope", QStringLiteral("The scope %1 is not allowed for this client").arg(s.left(64)));
    }
    if (p.codeChallenge.isEmpty() && !challengeMethod.isEmpty())
        return fail("invalid_request", QStringLiteral("code_challenge_method without code_challenge"));
    if (!p.codeChallenge.isEmpty()) {
        // A missing method means "plain" (RFC 7636 §4.3), which is refused.
        if (challengeMethod != u"S256")
            return fail("invalid_request", QStringLiteral("code_challenge_method must be S256"));
        if (!isPkceValue(p.codeChallenge))
            return fail("invalid_request", QStringLiteral("code_challenge is malformed"));
    } else if (!client->confidential) {
        return fail("invalid_request", QStringLiteral("PKCE (code_challenge with S256) is required for this client"));
    }
    static const QStringList knownPrompts{QStringLiteral("none"), QStringLiteral("login"), QStringLiteral("consent"),
                                          QStringLiteral("select_account")};
    p.prompt = prompt.split(u' ', Qt::SkipEmptyParts);
    for (const QString &value : std::as_const(p.prompt)) {
        if (!knownPrompts.contains(value))
            return fail("invalid_request", QStringLiteral("Unknown prompt value"));
    }
    if (p.prompts("none") && p.prompt.size() > 1)
        return fail("invalid_request", QStringLiteral("prompt=none cannot be combined with other values"));
    if (!maxAge.isEmpty()) {
        bool ok = false;
        p.maxAge = maxAge.toLongLong(&ok);
        if (!ok || p.maxAge < 0)
            return fail("invalid_request", QStringLiteral("max_age must be a non-negative number of seconds"));
    }
    return p;
}

} // namespace authrealm
