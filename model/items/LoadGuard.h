#pragma once

#include "core/DomainError.h"

#include <QString>
#include <exception>

namespace authrealm {

// Runs one page read of a list model. Qt's views call fetchMore() while laying
// out and cannot handle exceptions, so a storage error (a PostgreSQL that went
// away, a missing table) comes back as its message instead of escaping.
// An empty result means the read succeeded.
template<typename Read>
[[nodiscard]] QString readPageOrError(Read &&read)
{
    try {
        read();
        return {};
    } catch (const DomainError &e) {
        return e.message();
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
}

} // namespace authrealm
