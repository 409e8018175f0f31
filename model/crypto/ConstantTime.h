#pragma once

#include <QByteArrayView>

namespace authrealm {

// For comparing secrets (MACs, token hashes): the running time depends only on
// the lengths, never on where the first differing byte is. Lengths are not
// treated as secret.
[[nodiscard]] bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace authrealm
