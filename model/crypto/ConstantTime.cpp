#include "crypto/ConstantTime.h"

#include "crypto/Sodium.h"

#include <sodium.h>

namespace authrealm {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    ensureSodium();
    return sodium_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

} // namespace authrealm
