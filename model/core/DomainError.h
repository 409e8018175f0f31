#pragma once

#include <QString>
#include <exception>

namespace authrealm {

// The one error type services raise. It names *what* went wrong; the server's
// error boundary (server/ErrorMapping) alone decides the HTTP status and body.
enum class ErrorCode {
    InvalidRequest,      // malformed or missing input
    InvalidJson,
    InvalidCredentials,  // wrong email/password, unknown user, locked or suspended user: one answer for all
    InvalidRefreshToken, // unknown, expired, rotated or revoked refresh token
    InvalidToken,        // bearer token missing, forged, expired or revoked
    TenantRequired,      // user belongs to several apps and gave no tenantId
    TenantForbidden,     // tenantId unknown or not one of the user's apps (indistinguishable)
    Forbidden,
    RealmNotFound,
    NotFound,
    Conflict,
    RoleInUse,
    ScopeNotHeld,        // asked for scopes beyond what the caller holds
    WeakPassword,
    WrongCurrentPassword, // change password: the current password given is wrong
    InvalidAccountToken, // email-verification or reset token unknown, used or expired (one answer for all)
    RegistrationDisabled, // the realm does not allow self-registration
    FeatureDisabled,     // an account flow the realm switched off (forgot password, email code sign-in)
    SetupNotPending,
    InvalidSetupCode,
    PayloadTooLarge,
    RequestTimeout,      // the request did not arrive completely within the server's read timeout
    UnsupportedMediaType,
    MethodNotAllowed,
    TooManyAttempts,     // sign-in throttled (account or source locked out): retryAfterSeconds says how long
    InvalidOtp,          // wrong, replayed or malformed one-time code
    InvalidMfaChallenge, // unknown, expired, used or exhausted MFA challenge
    MfaNotEnabled,       // the operation needs an active second factor the user does not have
    Overloaded,          // bounded work queue is full: retry later
    StorageUnavailable,  // database down or busy beyond the timeout
    // OAuth 2.0 / OpenID Connect (RFC 6749 §5.2, OIDC Core §3.1.2.6); the
    // server writes these as {"error", "error_description", "message"}.
    InvalidClient,        // client authentication failed: 401 with WWW-Authenticate
    InvalidGrant,         // code or refresh token invalid, expired, used or of another client
    InvalidScope,
    UnauthorizedClient,   // the client may not use this grant
    UnsupportedGrantType,
    Internal,
};

class DomainError : public std::exception
{
public:
    DomainError(ErrorCode code, QString message) : m_code(code), m_message(std::move(message)) {}
    // For TooManyAttempts: becomes the Retry-After header.
    DomainError(ErrorCode code, QString message, qint64 retryAfterSeconds)
        : m_code(code), m_message(std::move(message)), m_retryAfter(retryAfterSeconds)
    {
    }
    [[nodiscard]] qint64 retryAfterSeconds() const noexcept { return m_retryAfter; }
    [[nodiscard]] ErrorCode code() const noexcept { return m_code; }
    [[nodiscard]] const QString &message() const noexcept { return m_message; }
    const char *what() const noexcept override { return "authrealm::DomainError"; }

private:
    ErrorCode m_code;
    QString m_message;
    qint64 m_retryAfter = 0;
};

} // namespace authrealm
