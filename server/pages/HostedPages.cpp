#include "pages/HostedPages.h"

// Placeholder so the tree links while the pages are written (branch "pages").
namespace authrealm {
struct HostedPages::Impl {};
HostedPages::HostedPages() : d(std::make_unique<Impl>()) {}
HostedPages::~HostedPages() = default;
QString HostedPages::chooseLanguage(const QString &, const QByteArray &) { return QStringLiteral("en"); }
QString HostedPages::translate(const QString &, const QString &english) const { return english; }
ApiResponse HostedPages::render(const QString &page, const QString &, const QVariantHash &fields, int status, const QStringList &) const
{
    ApiResponse r;
    r.status = status;
    r.contentType = "text/html; charset=utf-8";
    r.body = "<!doctype html><title>" + page.toUtf8() + "</title>";
    for (auto it = fields.begin(); it != fields.end(); ++it)
        r.body += "<input name=\"" + it.key().toUtf8() + "\" value=\"" + it.value().toString().toHtmlEscaped().toUtf8() + "\">";
    return r;
}
ApiResponse HostedPages::stylesheet() const
{
    ApiResponse r;
    r.contentType = "text/css";
    return r;
}
} // namespace authrealm
