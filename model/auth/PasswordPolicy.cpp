#include "auth/PasswordPolicy.h"

#include "core/DomainError.h"

#include <QList>

namespace authrealm {

void PasswordPolicy::check(const QString &password) const
{
    // Count code points, not UTF-16 units, so emoji count once.
    const qsizetype length = password.toUcs4().size();
    if (length < minimumLength)
        throw DomainError(ErrorCode::WeakPassword, QStringLiteral("The password must have at least %1 characters").arg(minimumLength));
    if (length > kMaximumLength)
        throw DomainError(ErrorCode::WeakPassword, QStringLiteral("The password must have at most %1 characters").arg(kMaximumLength));
}

} // namespace authrealm
