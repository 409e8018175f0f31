#include "pages/HostedPages.h"

#include "pages/PageTemplate.h"

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QTranslator>
#include <QtDebug>

// Outside the namespace: Q_INIT_RESOURCE declares a global function. The
// resources live in a static library, so make sure they are registered even
// where the linker would drop their initialisers.
static void initHostedPagesResources()
{
    Q_INIT_RESOURCE(hosted_pages);
    Q_INIT_RESOURCE(authrealm_server_translations);
}

namespace authrealm {

namespace {

const QStringList kPages{
    QStringLiteral("signin"),        QStringLiteral("totp"),           QStringLiteral("email_code_verify"),
    QStringLiteral("choose_product"), QStringLiteral("consent"),       QStringLiteral("logout_confirm"),
    QStringLiteral("logged_out"),     QStringLiteral("error"),
};

const QStringList kLanguages{QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};

// The title a page shows when the flow passes none (English source texts).
QString defaultTitle(const QString &page)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("signin"), QStringLiteral("Sign in")},
        {QStringLiteral("totp"), QStringLiteral("Two-step verification")},
        {QStringLiteral("email_code_verify"), QStringLiteral("Enter the code we emailed you")},
        {QStringLiteral("choose_product"), QStringLiteral("Choose a product")},
        {QStringLiteral("consent"), QStringLiteral("Allow access")},
        {QStringLiteral("logout_confirm"), QStringLiteral("Sign out")},
        {QStringLiteral("logged_out"), QStringLiteral("You are signed out.")},
        {QStringLiteral("error"), QStringLiteral("Sign-in error")},
    };
    return titles.value(page, QStringLiteral("Sign-in error"));
}

QString readResource(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("HostedPages: missing resource %s", qPrintable(path));
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

// "de-CH" -> "de" when German is supported; empty otherwise.
QString supportedLanguage(QStringView tag)
{
    const QString primary = tag.left(tag.indexOf(u'-')).toString().toLower();
    return kLanguages.contains(primary) ? primary : QString();
}

bool isLanguageTag(QStringView tag)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"));
    return tag.size() <= 64 && pattern.match(tag).hasMatch();
}

// RFC 9110 qvalue: "0", "1", "0.5", "1.000"; -1 when malformed.
double qValue(QStringView text)
{
    static const QRegularExpression pattern(QStringLiteral("^(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?)$"));
    if (!pattern.match(text).hasMatch())
        return -1;
    return text.toString().toDouble();
}

// Fields whose value becomes a link: only http(s) addresses are kept, so a
// javascript: or data: URL a caller let through never reaches an href.
void dropUnsafeUrls(QVariantHash &fields)
{
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!it.key().endsWith(QLatin1String("_url")))
            continue;
        const QString url = it.value().toString();
        if (!url.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)
            && !url.startsWith(QLatin1String("http://"), Qt::CaseInsensitive))
            it.value() = QString();
    }
}

} // namespace

struct HostedPages::Impl
{
    QHash<QString, QString> templates; // page name (and "layout") -> source
    QByteArray stylesheet;
    QHash<QString, QTranslator *> translators; // "de", "fr"
    QTranslator de;
    QTranslator fr;
};

HostedPages::HostedPages() : d(std::make_unique<Impl>())
{
    initHostedPagesResources();
    d->templates.insert(QStringLiteral("layout"), readResource(QStringLiteral(":/pages/layout.html")));
    for (const QString &page : kPages)
        d->templates.insert(page, readResource(QStringLiteral(":/pages/%1.html").arg(page)));
    QFile css(QStringLiteral(":/pages/pages.css"));
    if (css.open(QIODevice::ReadOnly))
        d->stylesheet = css.readAll();
    if (d->de.load(QStringLiteral(":/pages/i18n/pages_de.qm")))
        d->translators.insert(QStringLiteral("de"), &d->de);
    else
        qWarning("HostedPages: German translations missing");
    if (d->fr.load(QStringLiteral(":/pages/i18n/pages_fr.qm")))
        d->translators.insert(QStringLiteral("fr"), &d->fr);
    else
        qWarning("HostedPages: French translations missing");
}

HostedPages::~HostedPages() = default;

QStringList HostedPages::pageNames()
{
    return kPages;
}

QString HostedPages::chooseLanguage(const QString &uiLocales, const QByteArray &acceptLanguage)
{
    // ui_locales: the relying party's order of preference, first supported wins.
    const QStringList locales = uiLocales.left(1024).split(u' ', Qt::SkipEmptyParts);
    for (const QString &tag : locales) {
        if (isLanguageTag(tag)) {
            const QString language = supportedLanguage(tag);
            if (!language.isEmpty())
                return language;
        }
    }

    // Accept-Language: highest q wins, earlier entries break ties; entries
    // that do not parse are skipped, "*" says nothing about our three.
    QString best;
    double bestQ = 0;
    const QString header = QString::fromLatin1(acceptLanguage.left(4096));
    const QStringList entries = header.split(u',', Qt::SkipEmptyParts);
    for (const QString &entry : entries.mid(0, 64)) {
        const QStringList parts = entry.split(u';');
        const QString tag = parts.first().trimmed();
        double q = 1;
        bool valid = isLanguageTag(tag);
        for (qsizetype i = 1; valid && i < parts.size(); ++i) {
            const QString parameter = parts.at(i).trimmed();
            if (parameter.startsWith(QLatin1String("q="), Qt::CaseInsensitive)) {
                q = qValue(QStringView(parameter).mid(2));
                valid = q >= 0;
            } else {
                valid = false;
            }
        }
        if (!valid)
            continue;
        const QString language = supportedLanguage(tag);
        if (!language.isEmpty() && q > bestQ) {
            best = language;
            bestQ = q;
        }
    }
    return best.isEmpty() ? QStringLiteral("en") : best;
}

QString HostedPages::translate(const QString &language, const QString &english) const
{
    const QTranslator *translator = d->translators.value(language);
    if (!translator)
        return english;
    const QString translated = translator->translate("HostedPages", english.toUtf8().constData());
    return translated.isEmpty() ? english : translated;
}

ApiResponse HostedPages::render(const QString &page, const QString &language, const QVariantHash &fields, int status,
                                const QStringList &formActionOrigins) const
{
    const QString lang = kLanguages.contains(language) ? language : QStringLiteral("en");
    const auto tr = [this, &lang](const QString &english) { return translate(lang, english); };

    QString name = page;
    QVariantHash values = fields;
    if (!kPages.contains(name)) {
        qWarning("HostedPages: unknown page %s", qPrintable(page.left(64)));
        name = QStringLiteral("error");
        values = {{QStringLiteral("realm_name"), fields.value(QStringLiteral("realm_name"))},
                  {QStringLiteral("title"), tr(QStringLiteral("Sign-in error"))},
                  {QStringLiteral("message"), tr(QStringLiteral("Invalid request"))}};
        status = 500;
    }
    dropUnsafeUrls(values);
    values.insert(QStringLiteral("lang"), lang);
    values.insert(QStringLiteral("stylesheet"), kStylesheetPath);
    if (values.value(QStringLiteral("title")).toString().isEmpty())
        values.insert(QStringLiteral("title"), tr(defaultTitle(name)));

    values.insert(QStringLiteral("body"), PageTemplate::render(d->templates.value(name), values, tr));
    const QString html = PageTemplate::render(d->templates.value(QStringLiteral("layout")), values, tr,
                                              {QStringLiteral("body")});

    QByteArray formAction = "'self'";
    for (const QString &origin : formActionOrigins) {
        // Origins only: anything that could end the directive is dropped.
        static const QRegularExpression originPattern(QStringLiteral("^https?://[A-Za-z0-9.\\-\\[\\]:]+$"));
        if (originPattern.match(origin).hasMatch())
            formAction += ' ' + origin.toLatin1();
    }

    ApiResponse response;
    response.status = status;
    response.contentType = "text/html; charset=utf-8";
    response.body = html.toUtf8();
    response.headers = {
        {"Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action " + formAction
                                        + "; frame-ancestors 'none'; base-uri 'none'"},
        {"X-Frame-Options", "DENY"},
        {"Cache-Control", "no-store"},
        {"Referrer-Policy", "no-referrer"},
        {"Content-Language", lang.toLatin1()},
    };
    return response;
}

ApiResponse HostedPages::stylesheet() const
{
    ApiResponse response;
    response.contentType = "text/css; charset=utf-8";
    response.body = d->stylesheet;
    response.headers = {{"Cache-Control", "public, max-age=86400"}};
    return response;
}

} // namespace authrealm
