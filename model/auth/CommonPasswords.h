#pragma once

#include <QByteArrayView>

namespace authrealm {

// resources/passwords/common-passwords.txt, compiled in (generated source, see
// model/CMakeLists.txt): '#' comment lines, then one password per line.
[[nodiscard]] QByteArrayView commonPasswordsText();

} // namespace authrealm
