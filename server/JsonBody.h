#pragma once

#include "ApiRequest.h"
#include "auth/AuthService.h"

#include <QJsonObject>

namespace authrealm {

// Control characters have no meaning in identifiers, emails, names, search
// text or query parameters, and a NUL reaches PostgreSQL as an error (a 5xx)
// while SQLite stores it. So they are refused at the boundary, the same on
// both backends, with 400 invalid_request:
//   - Line: no C0 (NUL included), DEL, C1, or unpaired surrogate at all;
//   - MultiLine: the same, except tab, LF and CR (mail template bodies).
enum class TextKind { Line, MultiLine };
// Throws DomainError(InvalidRequest) naming `what` if `text` breaks the rule.
void requirePlainText(QStringView text, QStringView what, TextKind kind = TextKind::Line);

// Every query parameter (name and fully decoded value) and the decoded path
// must be one line of plain text. The router runs this before any handler,
// so no route can forget it.
void requirePlainRequestLine(const ApiRequest &request);

// Reads a request body as one JSON object and pulls typed fields out of it,
// throwing DomainError with a message that names the field and the problem.
// The constructor already refuses control characters (other than tab, LF,
// CR) in every key and string of the document; the string accessors refuse
// tab, LF and CR as well unless the field is read as multi-line text.
class JsonBody
{
public:
    explicit JsonBody(const ApiRequest &request);

    [[nodiscard]] QString requiredString(const char *field, int maxLength = 1024) const;
    [[nodiscard]] QString optionalString(const char *field, int maxLength = 1024) const;
    // Free text that may span lines (a mail template body).
    [[nodiscard]] QString requiredText(const char *field, int maxLength) const;
    // A secret such as a password: must be present and a string, but may be
    // empty (an empty password is a wrong password, not a malformed request)
    // and is not held to the one-line rule.
    [[nodiscard]] QString requiredSecret(const char *field, int maxLength) const;
    [[nodiscard]] bool optionalBool(const char *field, bool fallback) const;
    [[nodiscard]] int optionalInt(const char *field, int fallback) const;
    [[nodiscard]] QStringList stringList(const char *field, int maxItems = 100) const;
    [[nodiscard]] const QJsonObject &object() const { return m_object; }

private:
    [[nodiscard]] QString stringField(const char *field, int maxLength, TextKind kind, bool allowEmpty) const;
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
