#pragma once

#include <QSet>
#include <QString>
#include <QVariantHash>
#include <functional>

namespace authrealm {

// The Mustache subset of the hosted pages (see HostedPages.h). Every
// {{field}} and every {{t:…}} is HTML-escaped so that it is safe in element
// text and in quoted attribute values; unknown fields render empty. Only the
// names in `rawFields` (the layout's pre-rendered body) are inserted as they
// are.
class PageTemplate
{
public:
    using Translate = std::function<QString(const QString &english)>;

    [[nodiscard]] static QString render(QStringView source, const QVariantHash &fields, const Translate &translate,
                                        const QSet<QString> &rawFields = {});

    // & < > " ' as entities.
    [[nodiscard]] static QString escapeHtml(QStringView text);

    // The English texts of every {{t:…}} in `source`, in order.
    [[nodiscard]] static QStringList translatableTexts(QStringView source);
};

} // namespace authrealm
