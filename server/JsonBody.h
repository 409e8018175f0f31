#pragma once

#include "ApiRequest.h"
#include "auth/AuthService.h"

#include <QJsonObject>

namespace authrealm {

// Reads a request body as one JSON object and pulls typed fields out of it,
// throwing DomainError with a message that names the field and the problem.
class JsonBody
{
public:
    explicit JsonBody(const ApiRequest &request);

    [[nodiscard]] QString requiredString(const char *field, int maxLength = 1024) const;
    [[nodiscard]] QString optionalString(const char *field, int maxLength = 1024) const;
    [[nodiscard]] bool optionalBool(const char *field, bool fallback) const;
    [[nodiscard]] int optionalInt(const char *field, int fallback) const;
    [[nodiscard]] QStringList stringList(const char *field, int maxItems = 100) const;
    [[nodiscard]] const QJsonObject &object() const { return m_object; }

private:
    QJsonObject m_object;
};

// The bearer token of the Authorization header, or DomainError(InvalidToken).
[[nodiscard]] QString bearerToken(const ApiRequest &request);
// Who sent the request, for the audit log and session lists.
[[nodiscard]] ClientInfo clientOf(const ApiRequest &request);

// Keyset pagination: ?limit= (1..200, default 50) and an opaque ?cursor=.
struct PageRequest
{
    int limit = 50;
    QString after; // decoded cursor, empty for the first page
};
[[nodiscard]] PageRequest pageRequest(const ApiRequest &request);
[[nodiscard]] QString encodeCursor(const QString &key);

} // namespace authrealm
