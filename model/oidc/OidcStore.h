#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace authrealm {

class Database;

// The OpenID provider's rows: authorization requests in progress, codes,
// browser (SSO) sessions and consents. Every secret (request id, CSRF token,
// code, SSO cookie) is stored as its TokenHasher hash, never as the value.
class OidcStore
{
public:
    explicit OidcStore(const Database &db) : m_db(db) {}

    struct PendingRequest
    {
        QString idHash;
        QString realmId;
        QString clientId;
        QJsonObject params;     // AuthorizationParams::toJson()
        QString bindingHash;    // hash of the browser's request cookie
        QString csrfHash;
        QString userId;         // set once a first factor passed
        QStringList amr;
        QString browserSession; // set once sign-in completed
        qint64 authTime = 0;    // seconds
        QString appId;          // the chosen product
        qint64 expiresAt = 0;
        qint64 completedAt = 0;
    };
    void createRequest(const PendingRequest &request, qint64 now) const;
    [[nodiscard]] std::optional<PendingRequest> request(const QString &realmId, const QString &idHash, qint64 now) const;
    void setRequestUser(const QString &idHash, const QString &userId, const QStringList &amr) const;
    void setRequestSignedIn(const QString &idHash, const QString &browserSession, const QStringList &amr, qint64 authTime) const;
    void setRequestApp(const QString &idHash, const QString &appId) const;
    void setRequestParams(const QString &idHash, const QJsonObject &params) const;
    // Marks it used; false if it was already (a second tab, a double submit).
    [[nodiscard]] bool completeRequest(const QString &idHash, qint64 now) const;

    struct Code
    {
        QString codeHash;
        QString realmId;
        QString clientId;
        QString userId;
        QString appId;
        QString redirectUri;
        QString scope;
        QString nonce;
        QString codeChallenge;
        QString browserSession;
        qint64 authTime = 0; // seconds
        QStringList amr;
        QString acr;
        qint64 expiresAt = 0;
        qint64 usedAt = 0;
        QString sessionId;   // the session its redemption started
    };
    void createCode(const Code &code, qint64 now) const;
    [[nodiscard]] std::optional<Code> code(const QString &realmId, const QString &codeHash) const;
    // Atomic single use: true for exactly one caller.
    [[nodiscard]] bool consumeCode(const QString &codeHash, qint64 now) const;
    void setCodeSession(const QString &codeHash, const QString &sessionId) const;

    struct BrowserSession
    {
        QString id;        // public: the ID token's sid
        QString realmId;
        QString userId;
        qint64 authTime = 0; // seconds
        QStringList amr;
        qint64 expiresAt = 0;
    };
    void createBrowserSession(const BrowserSession &session, const QString &secretHash, qint64 now) const;
    // The live session with that secret hash in the realm.
    [[nodiscard]] std::optional<BrowserSession> browserSession(const QString &realmId, const QString &secretHash, qint64 now) const;
    // Ends it; returns whether it was live.
    [[nodiscard]] bool endBrowserSession(const QString &id, qint64 now) const;

    [[nodiscard]] QStringList consentedScopes(const QString &userId, const QString &clientId) const;
    void recordConsent(const QString &realmId, const QString &userId, const QString &clientId, const QStringList &scopes, qint64 now) const;

    // Deletes requests and codes expired before `before` (maintenance).
    void prune(qint64 before) const;

private:
    const Database &m_db;
};

} // namespace authrealm
