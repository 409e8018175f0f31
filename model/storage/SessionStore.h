#pragma once

#include "domain/Entities.h"

#include <QList>
#include <optional>

namespace authrealm {

class Database;

// Sign-in sessions and their refresh-token chains. One session is one
// "family": every refresh token descended from one login belongs to it, so
// revoking the family is revoking the session.
class SessionStore
{
public:
    explicit SessionStore(const Database &db) : m_db(db) {}

    void createSession(const Session &session, const QString &refreshHash, qint64 refreshExpiresAt) const;

    enum class RotationOutcome { Rotated, Invalid, ReuseDetected };
    struct Rotation
    {
        RotationOutcome outcome = RotationOutcome::Invalid;
        Session session; // filled for Rotated and ReuseDetected
    };
    // Atomically marks the presented token used and stores its successor. A token
    // that was already used (including by a concurrent request that won the
    // race) revokes its whole session, and the caller gets ReuseDetected.
    // Where the refresh came from, recorded on the session.
    struct ClientSeen
    {
        QString ip;
        QString userAgent;
    };
    // A session idle (not refreshed) for more than idleTimeoutMs is treated
    // like an expired token (Invalid); 0 disables the check.
    [[nodiscard]] Rotation rotate(const QString &realmId, const QString &presentedHash, const QString &nextHash,
                                  qint64 now, qint64 nextExpiresAt, qint64 idleTimeoutMs, const ClientSeen &seen) const;

    // Looks the token up without consuming it (logout). Invalid for unknown,
    // expired or revoked ones; ReuseDetected (and the session revoked) for a rotated one.
    [[nodiscard]] Rotation identify(const QString &realmId, const QString &presentedHash, qint64 now) const;

    [[nodiscard]] std::optional<Session> session(const QString &sessionId) const;
    // The live session of an unused, unexpired refresh token, without
    // touching it (introspection, revocation): no rotation, no reuse verdict.
    [[nodiscard]] std::optional<Session> liveByRefreshToken(const QString &realmId, const QString &presentedHash, qint64 now) const;
    // Ends every session begun from a browser (SSO) session; returns their ids.
    [[nodiscard]] QStringList revokeBrowserSessions(const QString &browserSession, const QString &reason, qint64 now) const;
    // Returns whether the session was active before.
    [[nodiscard]] bool revokeSession(const QString &sessionId, const QString &reason, qint64 now) const;
    // Returns the ids of the sessions it ended.
    // Returns the ids of the sessions it ended; exceptSessionId (if any) stays.
    [[nodiscard]] QStringList revokeUserSessions(const QString &realmId, const QString &userId, const QString &reason, qint64 now,
                                   const QString &exceptSessionId = {}) const;
    [[nodiscard]] QList<Session> activeSessions(const QString &userId, qint64 now) const;
    // One keyset page of a user's active sessions, oldest first; afterKey is a cursorKey() or empty.
    [[nodiscard]] QList<Session> activePage(const QString &realmId, const QString &userId, qint64 now, const QString &afterKey,
                                            int limit) const;
    [[nodiscard]] static QString cursorKey(const Session &session);
    // Step-up: records a fresh second-factor proof on a live session and gives
    // it a new refresh token (the unused old ones expire). False if the session ended.
    [[nodiscard]] bool reissue(const QString &sessionId, const QStringList &amr, qint64 mfaAt, const QString &nextHash, qint64 now,
                               qint64 nextExpiresAt) const;

    struct SessionRow
    {
        Session session;
        QString email; // of the session's user
    };
    // Where a page of realmSessions() ended: resume strictly after it.
    struct SessionCursor
    {
        qint64 lastUsedAt = 0;
        QString id; // empty: start at the most recently used
    };
    // Active (not revoked, not expired) sessions of a realm, most recently
    // used first, after `after`; at most `limit` rows. Keyset pagination over
    // (realm_id, last_used_at, id): each page is an index seek, never an OFFSET.
    [[nodiscard]] QList<SessionRow> realmSessions(const QString &realmId, qint64 now, const SessionCursor &after, int limit) const;

    struct Revoked
    {
        QString sessionId;
        qint64 revokedAt;
    };
    // Sessions revoked at or after `since`, for the in-memory revocation list.
    [[nodiscard]] QList<Revoked> revokedSince(qint64 since) const;

private:
    [[nodiscard]] Rotation lookup(const QString &realmId, const QString &presentedHash, qint64 now, bool consume,
                                  const QString &nextHash, qint64 nextExpiresAt, qint64 idleTimeoutMs, const ClientSeen &seen) const;
    const Database &m_db;
};

} // namespace authrealm
