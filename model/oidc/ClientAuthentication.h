#pragma once

#include <QString>

namespace authrealm {

// What a request to the token, introspection or revocation endpoint presented
// to authenticate its client, copied out of HTTP by the server.
struct ClientCredentials
{
    bool hasBasic = false;
    QString basicId;         // Authorization: Basic, already form-url-decoded (RFC 6749 §2.3.1)
    QString basicSecret;
    QString formClientId;    // client_id in the form body
    QString formSecret;      // client_secret in the form body
    QString assertionType;   // client_assertion_type
    QString assertion;       // client_assertion (private_key_jwt, RFC 7523)
};

} // namespace authrealm
