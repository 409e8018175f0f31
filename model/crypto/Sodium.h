#pragma once

namespace authrealm {

// Every entry point that touches libsodium calls this first, so callers never
// have to remember a global init step. Throws std::runtime_error if libsodium
// cannot initialise (e.g. no usable entropy source).
void ensureSodium();

} // namespace authrealm
