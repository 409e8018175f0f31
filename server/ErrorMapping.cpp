#include "ErrorMapping.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcHttp, "authrealm.http")

namespace authrealm {

ApiResponse ApiResponse::json(const QJsonObject &object, int status)
{
    ApiResponse r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

ApiResponse ApiResponse::error(int status, const QString &code, const QString &message)
{
    return json(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
}

namespace {
struct Mapping
{
    int status;
    const char *code;
};

Mapping mappingFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidRequest: return {400, "invalid_request"};
    case ErrorCode::InvalidJson: return {400, "invalid_json"};
    case ErrorCode::InvalidCredentials: return {401, "invalid_credentials"};
    case ErrorCode::InvalidRefreshToken: return {401, "invalid_refresh_token"};
    case ErrorCode::InvalidToken: return {401, "invalid_token"};
    case ErrorCode::TenantRequired: return {400, "tenant_required"};
    case ErrorCode::TenantForbidden: return {403, "tenant_forbidden"};
    case ErrorCode::Forbidden: return {403, "forbidden"};
    case ErrorCode::RealmNotFound: return {404, "realm_not_found"};
    case ErrorCode::NotFound: return {404, "not_found"};
    case ErrorCode::Conflict: return {409, "conflict"};
    case ErrorCode::RoleInUse: return {409, "role_in_use"};
    case ErrorCode::ScopeNotHeld: return {403, "scope_not_held"};
    case ErrorCode::WeakPassword: return {400, "weak_password"};
    case ErrorCode::WrongCurrentPassword: return {400, "invalid_current_password"};
    case ErrorCode::InvalidAccountToken: return {400, "invalid_or_expired_token"};
    case ErrorCode::RegistrationDisabled: return {403, "registration_disabled"};
    case ErrorCode::FeatureDisabled: return {403, "feature_disabled"};
    case ErrorCode::SetupNotPending: return {409, "setup_not_pending"};
    case ErrorCode::InvalidSetupCode: return {403, "invalid_setup_code"};
    case ErrorCode::PayloadTooLarge: return {413, "payload_too_large"};
    case ErrorCode::RequestTimeout: return {408, "request_timeout"};
    case ErrorCode::UnsupportedMediaType: return {415, "unsupported_media_type"};
    case ErrorCode::MethodNotAllowed: return {405, "method_not_allowed"};
    case ErrorCode::TooManyAttempts: return {429, "too_many_attempts"};
    case ErrorCode::InvalidOtp: return {401, "invalid_otp"};
    case ErrorCode::InvalidMfaChallenge: return {401, "invalid_mfa_challenge"};
    case ErrorCode::MfaNotEnabled: return {409, "mfa_not_enabled"};
    case ErrorCode::Overloaded: return {503, "overloaded"};
    case ErrorCode::StorageUnavailable: return {503, "storage_unavailable"};
    case ErrorCode::InvalidClient: return {401, "invalid_client"};
    case ErrorCode::InvalidGrant: return {400, "invalid_grant"};
    case ErrorCode::InvalidScope: return {400, "invalid_scope"};
    case ErrorCode::UnauthorizedClient: return {400, "unauthorized_client"};
    case ErrorCode::UnsupportedGrantType: return {400, "unsupported_grant_type"};
    case ErrorCode::Internal: return {500, "internal_error"};
    }
    return {500, "internal_error"};
}
} // namespace

ApiResponse errorResponse(const DomainError &error)
{
    const Mapping m = mappingFor(error.code());
    ApiResponse r = ApiResponse::error(m.status, QLatin1String(m.code), error.message());
    if (error.code() >= ErrorCode::InvalidClient && error.code() <= ErrorCode::UnsupportedGrantType) {
        // OAuth clients read RFC 6749's error_description; the house "message" stays.
        r = ApiResponse::json(QJsonObject{{QStringLiteral("error"), QLatin1String(m.code)},
                                          {QStringLiteral("error_description"), error.message()},
                                          {QStringLiteral("message"), error.message()}},
                              m.status);
    }
    if (m.status == 401 && error.code() == ErrorCode::InvalidToken)
        r.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer error=\"invalid_token\"")));
    if (error.code() == ErrorCode::InvalidClient)
        r.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Basic realm=\"authrealm\"")));
    if (error.code() == ErrorCode::TooManyAttempts)
        r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray::number(std::max<qint64>(1, error.retryAfterSeconds()))));
    if (m.status == 503)
        r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
    return r;
}

ApiResponse runGuarded(const std::function<ApiResponse()> &handler, const ApiRequest &request)
{
    try {
        return handler();
    } catch (const DomainError &e) {
        if (e.code() == ErrorCode::Internal || e.code() == ErrorCode::StorageUnavailable)
            qCWarning(lcHttp).noquote() << request.method << request.path << "failed:" << e.message();
        return errorResponse(e);
    } catch (const std::exception &e) {
        // A bug, not bad input: log it (never the body, it may hold a password).
        qCCritical(lcHttp).noquote() << request.method << request.path << "raised" << e.what();
        return ApiResponse::error(500, QStringLiteral("internal_error"), QStringLiteral("The server could not complete the request"));
    }
}

} // namespace authrealm
