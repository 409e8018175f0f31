#include "auth/PasswordPolicy.h"

#include "auth/CommonPasswords.h"
#include "core/DomainError.h"
#include "domain/RealmSettings.h"

#include <QSet>

#include <cmath>
#include <vector>
#include <zxcvbn.h>

namespace authrealm {

namespace {
const QSet<QString> &commonPasswords()
{
    // Parsed once; QSet lookups are read-only afterwards, so threads may share it.
    static const QSet<QString> set = [] {
        QSet<QString> out;
        const QString text = QString::fromUtf8(commonPasswordsText());
        const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
        out.reserve(lines.size());
        for (const QString &line : lines) {
            if (!line.startsWith(u'#'))
                out.insert(line.trimmed().toCaseFolded());
        }
        return out;
    }();
    return set;
}
} // namespace

PasswordPolicy PasswordPolicy::forRealm(const RealmSettings &settings)
{
    PasswordPolicy policy;
    policy.minimumLength = settings.passwordMinLength();
    policy.minimumStrength = settings.passwordMinStrength();
    return policy;
}

bool PasswordPolicy::isCommon(const QString &password)
{
    return commonPasswords().contains(password.toCaseFolded());
}

int PasswordPolicy::strengthScore(const QString &password, const QStringList &userInputs)
{
    const QByteArray utf8 = password.toUtf8();
    std::vector<QByteArray> words;
    for (const QString &input : userInputs) {
        if (input.isEmpty())
            continue;
        words.push_back(input.toUtf8());
        // The local part of an email is the word people reuse.
        if (input.contains(u'@'))
            words.push_back(input.section(u'@', 0, 0).toUtf8());
    }
    std::vector<const char *> dict;
    for (const QByteArray &w : words)
        dict.push_back(w.constData());
    dict.push_back(nullptr);
    const double bits = ZxcvbnMatch(utf8.constData(), dict.data(), nullptr);
    // zxcvbn's score thresholds are on log10(guesses): 3, 6, 8, 10.
    const double log10Guesses = bits * std::log10(2.0);
    if (log10Guesses < 3)
        return 0;
    if (log10Guesses < 6)
        return 1;
    if (log10Guesses < 8)
        return 2;
    if (log10Guesses < 10)
        return 3;
    return 4;
}

void PasswordPolicy::check(const QString &password, const QStringList &userInputs) const
{
    // Count code points, not UTF-16 units, so emoji count once.
    const qsizetype length = password.toUcs4().size();
    if (length < minimumLength)
        throw DomainError(ErrorCode::WeakPassword, QStringLiteral("The password must have at least %1 characters").arg(minimumLength));
    if (length > kMaximumLength)
        throw DomainError(ErrorCode::WeakPassword, QStringLiteral("The password must have at most %1 characters").arg(kMaximumLength));
    if (isCommon(password))
        throw DomainError(ErrorCode::WeakPassword,
                          QStringLiteral("This password is one of the most commonly used passwords; choose another one"));
    if (minimumStrength > 0) {
        const int score = strengthScore(password, userInputs);
        if (score < minimumStrength)
            throw DomainError(ErrorCode::WeakPassword,
                              QStringLiteral("The password is too easy to guess (strength %1 of 4, this realm needs %2); "
                                             "a longer passphrase helps")
                                  .arg(score).arg(minimumStrength));
    }
}

} // namespace authrealm
