#pragma once

#include "ApiRequest.h"

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
    [[nodiscard]] const QJsonObject &object() const { return m_object; }

private:
    QJsonObject m_object;
};

// The bearer token of the Authorization header, or DomainError(InvalidToken).
[[nodiscard]] QString bearerToken(const ApiRequest &request);

} // namespace authrealm
