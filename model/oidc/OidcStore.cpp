#include "oidc/OidcStore.h"

#include "storage/Sql.h"

#include <QJsonDocument>

namespace authrealm {

namespace {
QString joined(const QStringList &list) { return list.join(u' '); }
QStringList words(const QVariant &value) { return value.toString().split(u' ', Qt::SkipEmptyParts); }
qint64 orZero(const QVariant &value) { return value.isNull() ? 0 : value.toLongLong(); }
} // namespace

void OidcStore::createRequest(const PendingRequest &request, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("INSERT INTO oauth_auth_requests (id_hash, realm_id, client_id, params, binding_hash, csrf_hash, "
                                  "created_at, expires_at) VALUES (:h, :r, :c, :p, :b, :x, :now, :e)"))
        .bind(QStringLiteral(":h"), request.idHash)
        .bind(QStringLiteral(":r"), request.realmId)
        .bind(QStringLiteral(":c"), request.clientId)
        .bind(QStringLiteral(":p"), QString::fromUtf8(QJsonDocument(request.params).toJson(QJsonDocument::Compact)))
        .bind(QStringLiteral(":b"), request.bindingHash)
        .bind(QStringLiteral(":x"), request.csrfHash)
        .bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":e"), request.expiresAt)
        .exec();
}

std::optional<OidcStore::PendingRequest> OidcStore::request(const QString &realmId, const QString &idHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT client_id, params, binding_hash, csrf_hash, user_id, amr, browser_session, auth_time, "
                                    "app_id, expires_at, completed_at FROM oauth_auth_requests "
                                    "WHERE id_hash = :h AND realm_id = :r AND expires_at > :now"));
    q.bind(QStringLiteral(":h"), idHash).bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":now"), now).exec();
    if (!q.next())
        return std::nullopt;
    PendingRequest r;
    r.idHash = idHash;
    r.realmId = realmId;
    r.clientId = q.value(0).toString();
    r.params = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
    r.bindingHash = q.value(2).toString();
    r.csrfHash = q.value(3).toString();
    r.userId = q.value(4).toString();
    r.amr = words(q.value(5));
    r.browserSession = q.value(6).toString();
    r.authTime = orZero(q.value(7));
    r.appId = q.value(8).toString();
    r.expiresAt = q.value(9).toLongLong();
    r.completedAt = orZero(q.value(10));
    return r;
}

void OidcStore::setRequestUser(const QString &idHash, const QString &userId, const QStringList &amr) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE oauth_auth_requests SET user_id = :u, amr = :a WHERE id_hash = :h"))
        .bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":a"), joined(amr)).bind(QStringLiteral(":h"), idHash).exec();
}

void OidcStore::setRequestSignedIn(const QString &idHash, const QString &browserSession, const QStringList &amr, qint64 authTime) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE oauth_auth_requests SET browser_session = :b, amr = :a, auth_time = :t WHERE id_hash = :h"))
        .bind(QStringLiteral(":b"), browserSession).bind(QStringLiteral(":a"), joined(amr)).bind(QStringLiteral(":t"), authTime)
        .bind(QStringLiteral(":h"), idHash).exec();
}

void OidcStore::setRequestApp(const QString &idHash, const QString &appId) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE oauth_auth_requests SET app_id = :a WHERE id_hash = :h"))
        .bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":h"), idHash).exec();
}

void OidcStore::setRequestParams(const QString &idHash, const QJsonObject &params) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE oauth_auth_requests SET params = :p WHERE id_hash = :h"))
        .bind(QStringLiteral(":p"), QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)))
        .bind(QStringLiteral(":h"), idHash).exec();
}

bool OidcStore::completeRequest(const QString &idHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE oauth_auth_requests SET completed_at = :now WHERE id_hash = :h AND completed_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":h"), idHash).exec();
    return q.rowsAffected() == 1;
}

void OidcStore::createCode(const Code &code, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("INSERT INTO oauth_codes (code_hash, realm_id, client_id, user_id, app_id, redirect_uri, scope, nonce, "
                                  "code_challenge, browser_session, auth_time, amr, acr, created_at, expires_at) "
                                  "VALUES (:h, :r, :c, :u, :a, :ru, :s, :n, :cc, :b, :t, :amr, :acr, :now, :e)"))
        .bind(QStringLiteral(":h"), code.codeHash)
        .bind(QStringLiteral(":r"), code.realmId)
        .bind(QStringLiteral(":c"), code.clientId)
        .bind(QStringLiteral(":u"), code.userId)
        .bind(QStringLiteral(":a"), code.appId)
        .bind(QStringLiteral(":ru"), code.redirectUri)
        .bind(QStringLiteral(":s"), code.scope)
        .bind(QStringLiteral(":n"), code.nonce)
        .bind(QStringLiteral(":cc"), code.codeChallenge)
        .bind(QStringLiteral(":b"), code.browserSession)
        .bind(QStringLiteral(":t"), code.authTime)
        .bind(QStringLiteral(":amr"), joined(code.amr))
        .bind(QStringLiteral(":acr"), code.acr)
        .bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":e"), code.expiresAt)
        .exec();
}

std::optional<OidcStore::Code> OidcStore::code(const QString &realmId, const QString &codeHash) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT client_id, user_id, app_id, redirect_uri, scope, nonce, code_challenge, browser_session, "
                                    "auth_time, amr, acr, expires_at, used_at, session_id FROM oauth_codes "
                                    "WHERE code_hash = :h AND realm_id = :r"));
    q.bind(QStringLiteral(":h"), codeHash).bind(QStringLiteral(":r"), realmId).exec();
    if (!q.next())
        return std::nullopt;
    Code c;
    c.codeHash = codeHash;
    c.realmId = realmId;
    c.clientId = q.value(0).toString();
    c.userId = q.value(1).toString();
    c.appId = q.value(2).toString();
    c.redirectUri = q.value(3).toString();
    c.scope = q.value(4).toString();
    c.nonce = q.value(5).toString();
    c.codeChallenge = q.value(6).toString();
    c.browserSession = q.value(7).toString();
    c.authTime = q.value(8).toLongLong();
    c.amr = words(q.value(9));
    c.acr = q.value(10).toString();
    c.expiresAt = q.value(11).toLongLong();
    c.usedAt = orZero(q.value(12));
    c.sessionId = q.value(13).toString();
    return c;
}

bool OidcStore::consumeCode(const QString &codeHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE oauth_codes SET used_at = :now WHERE code_hash = :h AND used_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":h"), codeHash).exec();
    return q.rowsAffected() == 1;
}

void OidcStore::setCodeSession(const QString &codeHash, const QString &sessionId) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE oauth_codes SET session_id = :s WHERE code_hash = :h"))
        .bind(QStringLiteral(":s"), sessionId).bind(QStringLiteral(":h"), codeHash).exec();
}

void OidcStore::createBrowserSession(const BrowserSession &session, const QString &secretHash, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("INSERT INTO browser_sessions (id, secret_hash, realm_id, user_id, auth_time, amr, created_at, "
                                  "last_seen_at, expires_at) VALUES (:id, :h, :r, :u, :t, :a, :now, :now2, :e)"))
        .bind(QStringLiteral(":id"), session.id)
        .bind(QStringLiteral(":h"), secretHash)
        .bind(QStringLiteral(":r"), session.realmId)
        .bind(QStringLiteral(":u"), session.userId)
        .bind(QStringLiteral(":t"), session.authTime)
        .bind(QStringLiteral(":a"), joined(session.amr))
        .bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":now2"), now)
        .bind(QStringLiteral(":e"), session.expiresAt)
        .exec();
}

std::optional<OidcStore::BrowserSession> OidcStore::browserSession(const QString &realmId, const QString &secretHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT b.id, b.user_id, b.auth_time, b.amr, b.expires_at FROM browser_sessions b "
                                    "JOIN users u ON u.id = b.user_id WHERE b.secret_hash = :h AND b.realm_id = :r "
                                    "AND b.ended_at IS NULL AND b.expires_at > :now AND u.status = 'active'"));
    q.bind(QStringLiteral(":h"), secretHash).bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":now"), now).exec();
    if (!q.next())
        return std::nullopt;
    return BrowserSession{q.value(0).toString(), realmId, q.value(1).toString(), q.value(2).toLongLong(), words(q.value(3)),
                          q.value(4).toLongLong()};
}

bool OidcStore::endBrowserSession(const QString &id, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE browser_sessions SET ended_at = :now WHERE id = :id AND ended_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), id).exec();
    return q.rowsAffected() == 1;
}

QStringList OidcStore::consentedScopes(const QString &userId, const QString &clientId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT scope FROM oauth_consents WHERE user_id = :u AND client_id = :c"));
    q.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":c"), clientId).exec();
    return q.next() ? words(q.value(0)) : QStringList{};
}

void OidcStore::recordConsent(const QString &realmId, const QString &userId, const QString &clientId, const QStringList &scopes,
                              qint64 now) const
{
    Transaction tx(m_db);
    QStringList all = consentedScopes(userId, clientId);
    for (const QString &scope : scopes) {
        if (!all.contains(scope))
            all.append(scope);
    }
    SqlQuery(m_db, QStringLiteral("DELETE FROM oauth_consents WHERE user_id = :u AND client_id = :c"))
        .bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":c"), clientId).exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO oauth_consents (user_id, client_id, realm_id, scope, granted_at) VALUES (:u, :c, :r, :s, :now)"))
        .bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":c"), clientId).bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":s"), joined(all)).bind(QStringLiteral(":now"), now).exec();
    tx.commit();
}

void OidcStore::prune(qint64 before) const
{
    Transaction tx(m_db);
    SqlQuery(m_db, QStringLiteral("DELETE FROM oauth_auth_requests WHERE expires_at < :b")).bind(QStringLiteral(":b"), before).exec();
    SqlQuery(m_db, QStringLiteral("DELETE FROM oauth_codes WHERE expires_at < :b")).bind(QStringLiteral(":b"), before).exec();
    SqlQuery(m_db, QStringLiteral("DELETE FROM browser_sessions WHERE expires_at < :b")).bind(QStringLiteral(":b"), before).exec();
    tx.commit();
}

} // namespace authrealm
