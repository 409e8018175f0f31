#include "crypto/Sodium.h"

#include <sodium.h>

#include <stdexcept>

namespace authrealm {

void ensureSodium()
{
    // Function-local static: C++11 guarantees one thread-safe initialisation.
    static const int result = sodium_init();
    if (result < 0)
        throw std::runtime_error("libsodium initialisation failed");
}

} // namespace authrealm
