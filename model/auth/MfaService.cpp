#include "auth/MfaService.h"

#include "auth/AuthService.h"
#include "auth/RevocationList.h"
#include "auth/SignInThrottle.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "crypto/TokenHasher.h"
#include "crypto/Totp.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/SessionStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

namespace authrealm {

namespace {
const QString kChallengePrefix = QStringLiteral("mfa_");

QByteArray associatedData(const QString &userId)
{
    // Binds the sealed secret to its row: it cannot be copied to another user.
    return QByteArrayLiteral("totp:") + userId.toUtf8();
}

// Codes are typed by people: ignore spaces and dashes, any letter case.
QString normalized(const QString &code)
{
    QString out;
    for (const QChar c : code) {
        if (c != u' ' && c != u'-')
            out.append(c.toUpper());
    }
    return out;
}

bool isTotpShaped(const QString &code)
{
    if (code.size() != Totp::kDigits)
        return false;
    for (const QChar c : code) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

bool isBackupShaped(const QString &code)
{
    if (code.size() != 10)
        return false;
    for (const QChar c : code) {
        if (!((c >= u'A' && c <= u'Z') || (c >= u'2' && c <= u'7')))
            return false;
    }
    return true;
}

[[noreturn]] void wrongCode()
{
    throw DomainError(ErrorCode::InvalidOtp, QStringLiteral("The code is wrong, expired or was already used"));
}
[[noreturn]] void deadChallenge()
{
    throw DomainError(ErrorCode::InvalidMfaChallenge,
                      QStringLiteral("The sign-in challenge is unknown, expired or used up: sign in with your password again"));
}
} // namespace

void MfaService::audit(const QString &realmId, const QString &kind, const QString &userId, const ClientInfo &client,
                       const QString &outcome, const QString &summary) const
{
    d.audit.record(AuditEvent::of(realmId, kind, QStringLiteral("user:") + userId, outcome)
                       .target(QStringLiteral("user"), userId).from(client.ip, client.userAgent).says(summary));
}

User MfaService::requireUser(const Principal &caller) const
{
    caller.requireInteractiveSession();
    const std::optional<User> user = d.users.user(caller.realmId, caller.userId);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    return *user;
}

QByteArray MfaService::secretOf(const MfaStore::TotpCredential &credential) const
{
    const std::optional<QByteArray> secret = d.keyEncryptionKey.open(credential.sealedSecret, associatedData(credential.userId));
    if (!secret)
        throw DomainError(ErrorCode::Internal, QStringLiteral("A TOTP secret could not be unsealed (wrong key-encryption key?)"));
    return *secret;
}

qint64 MfaService::matchingStep(const QByteArray &secret, const QString &code) const
{
    // ±1 step tolerates a phone clock up to 30 s off (RFC 6238 §5.2).
    const qint64 now = Totp::stepAt(d.clock.nowSeconds());
    qint64 match = -1;
    for (qint64 step = now - 1; step <= now + 1; ++step) {
        if (step >= 0 && constantTimeEquals(Totp::code(secret, step).toLatin1(), code.toLatin1()))
            match = step;
    }
    return match;
}

bool MfaService::enabled(const QString &userId) const
{
    const auto credential = d.store.totp(userId);
    return credential && credential->active();
}

MfaService::Enrolment MfaService::enroll(const Principal &caller, const ClientInfo &client) const
{
    return enrollUser(requireUser(caller), client);
}

MfaService::Enrolment MfaService::enrollUser(const User &user, const ClientInfo &client) const
{
    const QByteArray secret = Totp::newSecret();
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    if (!d.store.savePending(user.realmId, user.id, d.keyEncryptionKey.seal(secret, associatedData(user.id)), now))
        throw DomainError(ErrorCode::Conflict, QStringLiteral("Two-step sign-in is already on; disable it first to enrol a new authenticator"));
    audit(user.realmId, QStringLiteral("mfa.totp.enrolment_started"), user.id, client, QStringLiteral("success"),
          QStringLiteral("TOTP secret issued, pending confirmation"));
    tx.commit();
    const std::optional<Realm> realm = d.realms.realm(user.realmId);
    const QString issuer = realm && !realm->displayName.isEmpty() ? realm->displayName : user.realmId;
    const QString account = user.email.isEmpty() ? user.username : user.email;
    const QString b32 = Totp::base32Encode(secret);
    return Enrolment{b32, Totp::provisioningUri(issuer, account, b32)};
}

QStringList MfaService::confirm(const Principal &caller, const QString &code, const ClientInfo &client) const
{
    return confirmUser(requireUser(caller), code, client, caller.sessionId, true);
}

QStringList MfaService::confirmUser(const User &user, const QString &code, const ClientInfo &client, const QString &keepSessionId,
                                    bool throttled) const
{
    const std::optional<MfaStore::TotpCredential> credential = d.store.totp(user.id);
    if (!credential)
        throw DomainError(ErrorCode::MfaNotEnabled, QStringLiteral("No enrolment is pending: start with POST /authRealm/totp/enroll"));
    if (credential->active())
        throw DomainError(ErrorCode::Conflict, QStringLiteral("Two-step sign-in is already on"));
    // An admin enrolling someone at their desk has seen the secret: nothing to guess, no charge on the user's account.
    const std::optional<SignInThrottle::Attempt> attempt =
        throttled ? std::optional(d.throttle.admit(user.realmId, user.email, client.ip)) : std::nullopt;
    const QString typed = normalized(code);
    const qint64 step = isTotpShaped(typed) ? matchingStep(secretOf(*credential), typed) : -1;
    const qint64 now = d.clock.nowMs();

    QStringList codes;
    QStringList hashes;
    for (int i = 0; i < kBackupCodeCount; ++i) {
        const QString raw = Totp::base32Encode(randomBytes(7)).left(10); // 50 bits each
        codes.append(raw.left(5) + u'-' + raw.mid(5));
        hashes.append(d.tokenHasher.hashHex((QStringLiteral("backup:") + user.id + u':' + raw).toUtf8()));
    }
    Transaction tx(d.db);
    if (step < 0 || !d.store.activate(user.id, step, now)) {
        tx.commit();
        if (attempt)
            d.throttle.failed(*attempt, client, user.id);
        audit(user.realmId, QStringLiteral("mfa.code_rejected"), user.id, client, QStringLiteral("failure"),
              QStringLiteral("wrong code confirming TOTP enrolment"));
        wrongCode();
    }
    d.store.replaceBackupCodes(user.id, hashes, now);
    const QStringList ended = d.sessions.revokeUserSessions(user.realmId, user.id, QStringLiteral("mfa_enabled"), now, keepSessionId);
    audit(user.realmId, QStringLiteral("mfa.totp.enabled"), user.id, client, QStringLiteral("success"),
          QStringLiteral("TOTP confirmed, %1 backup codes issued, %2 other session(s) ended").arg(kBackupCodeCount).arg(ended.size()));
    tx.commit();
    for (const QString &sid : ended)
        d.revocations.markRevoked(sid);
    if (attempt)
        d.throttle.succeeded(*attempt);
    return codes;
}

MfaService::Proof MfaService::verify(const User &user, const QString &code, const ClientInfo &client, const QString &purpose) const
{
    const std::optional<MfaStore::TotpCredential> credential = d.store.totp(user.id);
    if (!credential || !credential->active())
        throw DomainError(ErrorCode::MfaNotEnabled, QStringLiteral("Two-step sign-in is not on for this account"));
    const SignInThrottle::Attempt attempt = d.throttle.admit(user.realmId, user.email, client.ip);
    const QString typed = normalized(code);
    std::optional<Proof> proof;
    if (isTotpShaped(typed)) {
        const qint64 step = matchingStep(secretOf(*credential), typed);
        // claimStep refuses a step already used: a code works once, never twice.
        if (step >= 0 && d.store.claimStep(user.id, step))
            proof = Proof::Totp;
    } else if (isBackupShaped(typed)) {
        const QString hash = d.tokenHasher.hashHex((QStringLiteral("backup:") + user.id + u':' + typed).toUtf8());
        if (d.store.useBackupCode(user.id, hash, d.clock.nowMs()))
            proof = Proof::BackupCode;
    }
    if (!proof) {
        d.throttle.failed(attempt, client, user.id);
        audit(user.realmId, QStringLiteral("mfa.code_rejected"), user.id, client, QStringLiteral("failure"),
              QStringLiteral("wrong or reused code (%1)").arg(purpose));
        wrongCode();
    }
    d.throttle.succeeded(attempt);
    if (*proof == Proof::BackupCode) {
        audit(user.realmId, QStringLiteral("mfa.backup_code_used"), user.id, client, QStringLiteral("success"),
              QStringLiteral("backup code used (%1); %2 left").arg(purpose).arg(d.store.unusedBackupCodes(user.id)));
    }
    return *proof;
}

void MfaService::disable(const Principal &caller, const QString &code, const ClientInfo &client) const
{
    const User user = requireUser(caller);
    (void)verify(user, code, client, QStringLiteral("disable"));
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    // Nothing removed: a concurrent disable (or admin reset) won; do not audit a second one.
    if (!d.store.remove(user.id))
        throw DomainError(ErrorCode::MfaNotEnabled, QStringLiteral("Two-step sign-in is not on for this account"));
    const QStringList ended = d.sessions.revokeUserSessions(caller.realmId, caller.userId, QStringLiteral("mfa_disabled"), now, caller.sessionId);
    audit(user.realmId, QStringLiteral("mfa.totp.disabled"), user.id, client, QStringLiteral("success"),
          QStringLiteral("TOTP and backup codes removed, %1 other session(s) ended").arg(ended.size()));
    tx.commit();
    for (const QString &sid : ended)
        d.revocations.markRevoked(sid);
}

QString MfaService::startChallenge(const User &user, const QString &appId, const QStringList &amr) const
{
    const QString id = kChallengePrefix + randomToken(32);
    const qint64 now = d.clock.nowMs();
    d.store.createChallenge(d.tokenHasher.hashHex(id.toUtf8()),
                            MfaStore::Challenge{user.realmId, user.id, appId, amr, now + kChallengeLifetimeSeconds * 1000}, now);
    return id;
}

MfaStore::Challenge MfaService::completeChallenge(const QString &realmId, const QString &challengeId, const QString &code,
                                                  const ClientInfo &client) const
{
    if (!challengeId.startsWith(kChallengePrefix) || challengeId.size() > 100)
        deadChallenge();
    const QString hash = d.tokenHasher.hashHex(challengeId.toUtf8());
    const qint64 now = d.clock.nowMs();
    // The attempt is charged before the code is checked, so parallel guesses
    // cannot get more than kChallengeMaxAttempts tries out of one challenge.
    const std::optional<MfaStore::Challenge> challenge = d.store.chargeChallenge(hash, kChallengeMaxAttempts, now);
    if (!challenge || challenge->realmId != realmId)
        deadChallenge();
    const std::optional<User> user = d.users.user(realmId, challenge->userId);
    if (!user || user->status != UserStatus::Active)
        deadChallenge();
    (void)verify(*user, code, client, QStringLiteral("sign-in"));
    if (!d.store.consumeChallenge(hash, d.clock.nowMs()))
        deadChallenge();
    return *challenge;
}

bool MfaService::reset(const QString &userId) const
{
    return d.store.remove(userId);
}

} // namespace authrealm
