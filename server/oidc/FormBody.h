#pragma once

#include "ApiRequest.h"
#include "oidc/AuthorizationRequest.h"
#include "oidc/ClientAuthentication.h"

#include <QString>

namespace authrealm {

// An application/x-www-form-urlencoded body (the OAuth endpoints and the
// hosted pages' forms). Every name and value must be one line of plain text
// (400 otherwise); a parameter given twice is refused where it is read.
class FormBody
{
public:
    // requireForm: refuse other content types with 415 (OAuth endpoints);
    // the hosted pages accept only forms as well.
    explicit FormBody(const ApiRequest &request);

    [[nodiscard]] const QueryItems &items() const { return m_items; }
    // The one value of `name`, "" when absent; InvalidRequest if repeated or longer than maxLength.
    [[nodiscard]] QString value(const char *name, int maxLength = 2048) const;
    // The same, allowing the characters of a password (tab).
    [[nodiscard]] QString secret(const char *name, int maxLength = 4096) const;

private:
    QueryItems m_items;
};

// A query string's items (GET /oauth2/authorize), fully decoded.
[[nodiscard]] QueryItems queryItems(const ApiRequest &request);

// The client credentials of a token/introspection/revocation request: the
// Basic header (RFC 6749 §2.3.1: form-url-decoded id and secret) and the
// form's client_id, client_secret, client_assertion(_type).
[[nodiscard]] ClientCredentials clientCredentials(const ApiRequest &request, const FormBody &form);

// The value of a cookie of the request, "" when absent.
[[nodiscard]] QString cookie(const ApiRequest &request, const QString &name);

} // namespace authrealm
