#include "domain/Entities.h"

#include <QRegularExpression>

namespace authrealm {

QString userStatusName(UserStatus status)
{
    switch (status) {
    case UserStatus::Active: return QStringLiteral("active");
    case UserStatus::Suspended: return QStringLiteral("suspended");
    case UserStatus::Deactivated: return QStringLiteral("deactivated");
    }
    return QStringLiteral("deactivated");
}

std::optional<UserStatus> userStatusFromName(const QString &name)
{
    if (name == u"active") return UserStatus::Active;
    if (name == u"suspended") return UserStatus::Suspended;
    if (name == u"deactivated") return UserStatus::Deactivated;
    return std::nullopt;
}

namespace Validate {

bool identifier(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(id).hasMatch();
}

bool email(const QString &email)
{
    if (email.size() > 254 || email.size() < 3)
        return false;
    const qsizetype at = email.lastIndexOf(u'@');
    if (at <= 0 || at == email.size() - 1 || email.indexOf(u'@') != at)
        return false;
    for (const QChar c : email) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return false;
    }
    return !email.mid(at + 1).startsWith(u'.') && !email.endsWith(u'.');
}

QString emailKey(const QString &email)
{
    return email.trimmed().toCaseFolded();
}

bool scope(const QString &scope)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9:._*-]{0,127}$"));
    return re.match(scope).hasMatch();
}

bool roleName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$"));
    return re.match(name).hasMatch();
}

bool featureKey(const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(key).hasMatch();
}

} // namespace Validate
} // namespace authrealm
