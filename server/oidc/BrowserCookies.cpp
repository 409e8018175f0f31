#include "oidc/BrowserCookies.h"

#include "oidc/FormBody.h"
#include "JsonBody.h"

namespace authrealm {

QString BrowserCookies::ssoName(const QString &realmId) const
{
    return (m_https ? QStringLiteral("__Host-authrealm_sso_") : QStringLiteral("authrealm_sso_")) + realmId;
}

QString BrowserCookies::bindingName() const
{
    return m_https ? QStringLiteral("__Host-authrealm_req") : QStringLiteral("authrealm_req");
}

BrowserState BrowserCookies::read(const ApiRequest &request) const
{
    BrowserState state;
    state.ssoSecret = cookie(request, ssoName(request.realmId));
    state.bindingSecret = cookie(request, bindingName());
    state.client = clientOf(request);
    return state;
}

QByteArray BrowserCookies::setCookie(const QString &name, const QString &value, qint64 maxAgeSeconds) const
{
    QByteArray header = name.toLatin1() + '=' + value.toLatin1() + "; Path=/; HttpOnly; SameSite=Lax";
    if (m_https)
        header += "; Secure";
    if (maxAgeSeconds >= 0)
        header += "; Max-Age=" + QByteArray::number(maxAgeSeconds);
    return header;
}

QByteArray BrowserCookies::clearSso(const QString &realmId) const { return setCookie(ssoName(realmId), {}, 0); }

void BrowserCookies::apply(const AuthorizationStep &step, const QString &realmId, ApiResponse &response) const
{
    if (!step.setSsoSecret.isEmpty())
        response.headers.append(qMakePair(QByteArray("Set-Cookie"), QByteArray(setCookie(ssoName(realmId), step.setSsoSecret, step.ssoMaxAgeSeconds))));
    else if (step.clearSso)
        response.headers.append(qMakePair(QByteArray("Set-Cookie"), QByteArray(clearSso(realmId))));
    if (!step.setBindingSecret.isEmpty())
        response.headers.append(qMakePair(QByteArray("Set-Cookie"), QByteArray(setCookie(bindingName(), step.setBindingSecret, -1))));
}

} // namespace authrealm
