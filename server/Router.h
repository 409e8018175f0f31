#pragma once

#include "ApiRequest.h"

#include <QList>
#include <QStringList>
#include <functional>

namespace authrealm {

// Where a handler runs. Inline handlers run on the I/O thread that read the
// request and must be quick; PasswordWork handlers (argon2id) run on the
// bounded hashing pool so they never stall the I/O threads.
enum class Execution { Inline, PasswordWork };

// Whether the route lives under a realm: registered once, it answers at
// /realms/{realm}/<path> and, for the deployment's default realm, at /<path>.
enum class Scope { Global, Realm };

using Handler = std::function<ApiResponse(const ApiRequest &)>;

struct Route
{
    QByteArray method;
    QStringList segments; // "{name}" captures one segment
    Scope scope = Scope::Global;
    Execution execution = Execution::Inline;
    Handler handler;
};

class Router
{
public:
    void add(const QByteArray &method, const QString &path, Scope scope, Execution execution, Handler handler);

    struct Match
    {
        enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
        const Route *route = nullptr;
        QHash<QString, QString> params;
        bool explicitRealm = false; // matched under /realms/{realm}/
    };
    [[nodiscard]] Match match(const QByteArray &method, const QString &path) const;

private:
    QList<Route> m_routes;
};

} // namespace authrealm
