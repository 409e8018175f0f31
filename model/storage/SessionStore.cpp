#include "storage/SessionStore.h"

#include "core/DomainError.h"
#include "storage/Sql.h"

namespace authrealm {

namespace {
const QString kSessionColumns = QStringLiteral(
    "s.id, s.realm_id, s.user_id, s.app_id, s.created_at, s.last_used_at, s.expires_at, s.ip, s.user_agent, s.revoked_at, s.amr, s.mfa_at, "
    "s.client_id, s.browser_session, s.scope, s.auth_time");

Session readSession(SqlQuery &q, int offset = 0)
{
    Session s;
    s.id = q.value(offset + 0).toString();
    s.realmId = q.value(offset + 1).toString();
    s.userId = q.value(offset + 2).toString();
    s.appId = q.value(offset + 3).toString();
    s.createdAt = q.value(offset + 4).toLongLong();
    s.lastUsedAt = q.value(offset + 5).toLongLong();
    s.expiresAt = q.value(offset + 6).toLongLong();
    s.ip = q.value(offset + 7).toString();
    s.userAgent = q.value(offset + 8).toString();
    s.revokedAt = q.value(offset + 9).isNull() ? 0 : q.value(offset + 9).toLongLong();
    s.amr = q.value(offset + 10).toString().split(u' ', Qt::SkipEmptyParts);
    s.mfaAt = q.value(offset + 11).toLongLong();
    s.clientId = q.value(offset + 12).toString();
    s.browserSession = q.value(offset + 13).toString();
    s.scope = q.value(offset + 14).toString();
    s.authTime = q.value(offset + 15).toLongLong();
    return s;
}
} // namespace

void SessionStore::createSession(const Session &session, const QString &refreshHash, qint64 refreshExpiresAt) const
{
    Transaction tx(m_db);
    SqlQuery(m_db, QStringLiteral("INSERT INTO sessions (id, realm_id, user_id, app_id, created_at, last_used_at, expires_at, ip, user_agent, "
                                  "amr, mfa_at, client_id, browser_session, scope, auth_time) "
                                  "VALUES (:id, :r, :u, :a, :c, :l, :e, :ip, :ua, :amr, :mfa, :cl, :bs, :sc, :at)"))
        .bind(QStringLiteral(":id"), session.id)
        .bind(QStringLiteral(":r"), session.realmId)
        .bind(QStringLiteral(":u"), session.userId)
        .bind(QStringLiteral(":a"), session.appId)
        .bind(QStringLiteral(":c"), session.createdAt)
        .bind(QStringLiteral(":l"), session.lastUsedAt)
        .bind(QStringLiteral(":e"), session.expiresAt)
        .bind(QStringLiteral(":ip"), session.ip)
        .bind(QStringLiteral(":ua"), session.userAgent)
        .bind(QStringLiteral(":amr"), session.amr.join(u' '))
        .bind(QStringLiteral(":mfa"), session.mfaAt)
        .bind(QStringLiteral(":cl"), session.clientId)
        .bind(QStringLiteral(":bs"), session.browserSession)
        .bind(QStringLiteral(":sc"), session.scope)
        .bind(QStringLiteral(":at"), session.authTime)
        .exec();
    // A client without the refresh_token grant gets a session without a refresh token.
    if (!refreshHash.isEmpty()) {
        SqlQuery(m_db, QStringLiteral("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (:h, :s, :c, :e)"))
            .bind(QStringLiteral(":h"), refreshHash)
            .bind(QStringLiteral(":s"), session.id)
            .bind(QStringLiteral(":c"), session.createdAt)
            .bind(QStringLiteral(":e"), refreshExpiresAt)
            .exec();
    }
    tx.commit();
}

SessionStore::Rotation SessionStore::rotate(const QString &realmId, const QString &presentedHash, const QString &nextHash,
                                            qint64 now, qint64 nextExpiresAt, qint64 idleTimeoutMs, const ClientSeen &seen) const
{
    return lookup(realmId, presentedHash, now, true, nextHash, nextExpiresAt, idleTimeoutMs, seen);
}

SessionStore::Rotation SessionStore::identify(const QString &realmId, const QString &presentedHash, qint64 now) const
{
    return lookup(realmId, presentedHash, now, false, {}, 0, 0, {});
}

SessionStore::Rotation SessionStore::lookup(const QString &realmId, const QString &presentedHash, qint64 now, bool consume,
                                            const QString &nextHash, qint64 nextExpiresAt, qint64 idleTimeoutMs,
                                            const ClientSeen &seen) const
{
    Transaction tx(m_db);
    SqlQuery q(m_db, QStringLiteral("SELECT t.used_at, t.expires_at, %1 FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id "
                                    "WHERE t.token_hash = :h").arg(kSessionColumns));
    q.bind(QStringLiteral(":h"), presentedHash).exec();
    if (!q.next())
        return {};
    const bool alreadyUsed = !q.value(0).isNull();
    const qint64 tokenExpiresAt = q.value(1).toLongLong();
    const Session session = readSession(q, 2);
    q.raw().finish();

    // Another realm's token is simply unknown here: nothing crosses realms.
    if (session.realmId != realmId || session.revokedAt != 0 || session.expiresAt <= now)
        return {};

    bool reuse = alreadyUsed;
    if (!reuse && tokenExpiresAt <= now)
        return {};
    // Idle timeout: a session nobody refreshed for too long is over, even if
    // its latest refresh token has not expired yet (the setting may have shrunk).
    if (!reuse && idleTimeoutMs > 0 && now - session.lastUsedAt > idleTimeoutMs)
        return {};
    if (!reuse && consume) {
        // The guard on used_at makes the claim atomic: of several concurrent
        // rotations exactly one updates the row; the others see reuse.
        SqlQuery claim(m_db, QStringLiteral("UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :h AND used_at IS NULL"));
        claim.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":h"), presentedHash).exec();
        reuse = claim.rowsAffected() != 1;
    }
    if (reuse) {
        SqlQuery(m_db, QStringLiteral("UPDATE sessions SET revoked_at = :now, revoke_reason = 'refresh_token_reuse' "
                                      "WHERE id = :id AND revoked_at IS NULL"))
            .bind(QStringLiteral(":now"), now)
            .bind(QStringLiteral(":id"), session.id)
            .exec();
        tx.commit();
        Rotation r{RotationOutcome::ReuseDetected, session};
        r.session.revokedAt = now;
        return r;
    }
    if (consume) {
        SqlQuery(m_db, QStringLiteral("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (:h, :s, :c, :e)"))
            .bind(QStringLiteral(":h"), nextHash)
            .bind(QStringLiteral(":s"), session.id)
            .bind(QStringLiteral(":c"), now)
            .bind(QStringLiteral(":e"), std::min(nextExpiresAt, session.expiresAt))
            .exec();
        SqlQuery(m_db, QStringLiteral("UPDATE sessions SET last_used_at = :now, ip = :ip, user_agent = :ua WHERE id = :id"))
            .bind(QStringLiteral(":now"), now)
            .bind(QStringLiteral(":ip"), seen.ip)
            .bind(QStringLiteral(":ua"), seen.userAgent.left(256))
            .bind(QStringLiteral(":id"), session.id)
            .exec();
    }
    tx.commit();
    Rotation r{RotationOutcome::Rotated, session};
    if (consume) {
        r.session.lastUsedAt = now;
        r.session.ip = seen.ip;
        r.session.userAgent = seen.userAgent.left(256);
    }
    return r;
}

std::optional<Session> SessionStore::liveByRefreshToken(const QString &realmId, const QString &presentedHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id "
                                    "WHERE t.token_hash = :h AND t.used_at IS NULL AND t.expires_at > :now AND s.realm_id = :r "
                                    "AND s.revoked_at IS NULL AND s.expires_at > :now2").arg(kSessionColumns));
    q.bind(QStringLiteral(":h"), presentedHash).bind(QStringLiteral(":now"), now).bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":now2"), now).exec();
    if (!q.next())
        return std::nullopt;
    return readSession(q);
}

QStringList SessionStore::revokeBrowserSessions(const QString &browserSession, const QString &reason, qint64 now) const
{
    Transaction tx(m_db);
    SqlQuery q(m_db, QStringLiteral("SELECT id FROM sessions WHERE browser_session = :b AND revoked_at IS NULL"));
    q.bind(QStringLiteral(":b"), browserSession).exec();
    QStringList ids;
    while (q.next())
        ids.append(q.value(0).toString());
    q.raw().finish();
    for (const QString &id : std::as_const(ids)) {
        SqlQuery(m_db, QStringLiteral("UPDATE sessions SET revoked_at = :now, revoke_reason = :why WHERE id = :id AND revoked_at IS NULL"))
            .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":why"), reason).bind(QStringLiteral(":id"), id).exec();
    }
    tx.commit();
    return ids;
}

std::optional<Session> SessionStore::session(const QString &sessionId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM sessions s WHERE s.id = :id").arg(kSessionColumns));
    q.bind(QStringLiteral(":id"), sessionId).exec();
    if (!q.next())
        return std::nullopt;
    return readSession(q);
}

bool SessionStore::revokeSession(const QString &sessionId, const QString &reason, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE sessions SET revoked_at = :now, revoke_reason = :why WHERE id = :id AND revoked_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":why"), reason).bind(QStringLiteral(":id"), sessionId).exec();
    return q.rowsAffected() > 0;
}

QStringList SessionStore::revokeUserSessions(const QString &realmId, const QString &userId, const QString &reason, qint64 now,
                                             const QString &exceptSessionId) const
{
    Transaction tx(m_db);
    SqlQuery q(m_db, QStringLiteral("SELECT id FROM sessions WHERE realm_id = :r AND user_id = :u AND revoked_at IS NULL AND id <> :keep"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":keep"), exceptSessionId).exec();
    QStringList ids;
    while (q.next())
        ids.append(q.value(0).toString());
    q.raw().finish();
    SqlQuery(m_db, QStringLiteral("UPDATE sessions SET revoked_at = :now, revoke_reason = :why "
                                  "WHERE realm_id = :r AND user_id = :u AND revoked_at IS NULL AND id <> :keep"))
        .bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":why"), reason)
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":u"), userId)
        .bind(QStringLiteral(":keep"), exceptSessionId)
        .exec();
    tx.commit();
    return ids;
}

QList<Session> SessionStore::activeSessions(const QString &userId, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM sessions s WHERE s.user_id = :u AND s.revoked_at IS NULL AND s.expires_at > :now "
                                    "ORDER BY s.created_at").arg(kSessionColumns));
    q.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":now"), now).exec();
    QList<Session> out;
    while (q.next())
        out.append(readSession(q));
    return out;
}

QList<SessionStore::SessionRow> SessionStore::realmSessions(const QString &realmId, qint64 now, const SessionCursor &after,
                                                            int limit) const
{
    QString sql = QStringLiteral("SELECT %1, u.email FROM sessions s JOIN users u ON u.id = s.user_id "
                                 "WHERE s.realm_id = :r AND s.revoked_at IS NULL AND s.expires_at > :now").arg(kSessionColumns);
    if (!after.id.isEmpty())
        sql += QStringLiteral(" AND (s.last_used_at, s.id) < (:l, :id)"); // a row comparison: one index seek on both backends
    sql += QStringLiteral(" ORDER BY s.last_used_at DESC, s.id DESC LIMIT :n");
    SqlQuery q(m_db, sql);
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":now"), now).bind(QStringLiteral(":n"), limit);
    if (!after.id.isEmpty())
        q.bind(QStringLiteral(":l"), after.lastUsedAt).bind(QStringLiteral(":id"), after.id);
    q.exec();
    QList<SessionRow> rows;
    while (q.next())
        rows.append(SessionRow{readSession(q), q.value(16).toString()});
    return rows;
}

QList<Session> SessionStore::activePage(const QString &realmId, const QString &userId, qint64 now, const QString &afterKey,
                                        int limit) const
{
    // Keyset order (created_at, id); the cursor key is "<created_at>/<id>".
    qint64 afterCreated = -1;
    QString afterId;
    if (!afterKey.isEmpty()) {
        const qsizetype slash = afterKey.indexOf(u'/');
        bool ok = false;
        afterCreated = slash > 0 ? afterKey.left(slash).toLongLong(&ok) : -1;
        if (!ok)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"cursor\" is not a cursor this server issued"));
        afterId = afterKey.mid(slash + 1);
    }
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM sessions s WHERE s.realm_id = :r AND s.user_id = :u AND s.revoked_at IS NULL "
                                    "AND s.expires_at > :now AND (s.created_at > :ac OR (s.created_at = :ac2 AND s.id > :aid)) "
                                    "ORDER BY s.created_at, s.id LIMIT :lim").arg(kSessionColumns));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":ac"), afterCreated).bind(QStringLiteral(":ac2"), afterCreated).bind(QStringLiteral(":aid"), afterId)
        .bind(QStringLiteral(":lim"), limit).exec();
    QList<Session> out;
    while (q.next())
        out.append(readSession(q));
    return out;
}

QString SessionStore::cursorKey(const Session &session)
{
    return QString::number(session.createdAt) + u'/' + session.id;
}

bool SessionStore::reissue(const QString &sessionId, const QStringList &amr, qint64 mfaAt, const QString &nextHash, qint64 now,
                           qint64 nextExpiresAt) const
{
    Transaction tx(m_db);
    SqlQuery upd(m_db, QStringLiteral("UPDATE sessions SET amr = :amr, mfa_at = :mfa, last_used_at = :now "
                                      "WHERE id = :id AND revoked_at IS NULL AND expires_at > :now2"));
    upd.bind(QStringLiteral(":amr"), amr.join(u' ')).bind(QStringLiteral(":mfa"), mfaAt).bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":id"), sessionId).bind(QStringLiteral(":now2"), now).exec();
    if (upd.rowsAffected() != 1)
        return false;
    // The session's unused refresh tokens expire (not "used": presenting one
    // later is an ordinary invalid token, not a theft signal).
    SqlQuery(m_db, QStringLiteral("UPDATE refresh_tokens SET expires_at = :now WHERE session_id = :id AND used_at IS NULL AND expires_at > :now2"))
        .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), sessionId).bind(QStringLiteral(":now2"), now).exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) "
                                  "SELECT :h, id, :c, CASE WHEN expires_at < :e THEN expires_at ELSE :e2 END FROM sessions WHERE id = :id"))
        .bind(QStringLiteral(":h"), nextHash).bind(QStringLiteral(":c"), now).bind(QStringLiteral(":e"), nextExpiresAt)
        .bind(QStringLiteral(":e2"), nextExpiresAt).bind(QStringLiteral(":id"), sessionId).exec();
    tx.commit();
    return true;
}

QList<SessionStore::Revoked> SessionStore::revokedSince(qint64 since) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT id, revoked_at FROM sessions WHERE revoked_at >= :since ORDER BY revoked_at"));
    q.bind(QStringLiteral(":since"), since).exec();
    QList<Revoked> out;
    while (q.next())
        out.append(Revoked{q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

} // namespace authrealm
