// The hosted sign-in pages: language choice (ui_locales, Accept-Language),
// the template engine (escaping, sections, lists), the en/de/fr catalog,
// security headers, every page's forms, and the stylesheet route. Rendering
// needs no database; only the route test starts a server (both backends).
#include "TestServer.h"
#include "pages/HostedPages.h"
#include "pages/PageTemplate.h"

#include <QDir>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace authrealm;
using test::TestServer;

namespace {

QByteArray headerOf(const ApiResponse &response, const QByteArray &name)
{
    for (const auto &[key, value] : response.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QVariantHash product(const QString &id, const QString &name)
{
    return {{"id", id}, {"name", name}};
}

// Fields for each page, every value a recognisable marker.
QVariantHash fieldsFor(const QString &page)
{
    QVariantHash f{{"realm_name", "Realm-Marker"}, {"req", "REQ-MARKER"}, {"csrf", "CSRF-MARKER"}};
    if (page == "signin") {
        f.insert({{"action_password", "/oauth2/authorize/password"}, {"action_email_code", "/oauth2/authorize/email-code/send"},
                  {"login_hint", "hint@example.com"}, {"error", "Error-Marker"}, {"client_name", "Client-Marker"}});
    } else if (page == "totp") {
        f.insert({{"action", "/oauth2/authorize/totp"}, {"error", "Error-Marker"}});
    } else if (page == "email_code_verify") {
        f.insert({{"action", "/oauth2/authorize/email-code/verify"}, {"email", "mail@example.com"}, {"error", "Error-Marker"}});
    } else if (page == "choose_product") {
        f.insert({{"action", "/oauth2/authorize/product"}, {"client_name", "Client-Marker"},
                  {"products", QVariantList{product("p-one", "Product One"), product("p-two", "Product Two")}}});
    } else if (page == "consent") {
        f.insert({{"action", "/oauth2/authorize/consent"}, {"client_name", "Client-Marker"},
                  {"scopes", QVariantList{QVariantHash{{"name", "profile"}, {"description", "Your name and profile"}},
                                          QVariantHash{{"name", "roles"}, {"description", ""}}}}});
    } else if (page == "logout_confirm") {
        f.remove("req");
        f.insert({{"action", "/oauth2/logout/confirm"}, {"client_name", "Client-Marker"}, {"client_id", "cid-marker"},
                  {"id_token_hint", "eyJ.hint.marker"}, {"post_logout_redirect_uri", "https://rp.example/bye"},
                  {"state", "state-marker"}});
    } else if (page == "logged_out") {
        f = {{"realm_name", "Realm-Marker"}, {"message", "Message-Marker"}, {"return_url", "https://rp.example/home"}};
    } else if (page == "error") {
        f = {{"realm_name", "Realm-Marker"}, {"title", "Title-Marker"}, {"message", "Message-Marker"}};
    }
    return f;
}

// The contract's fields of each page whose values must appear in the HTML.
QStringList visibleValues(const QString &page)
{
    QStringList values{"Realm-Marker"};
    const QVariantHash f = fieldsFor(page);
    for (auto it = f.cbegin(); it != f.cend(); ++it) {
        if (it.value().typeId() == QMetaType::QString && !it.value().toString().isEmpty())
            values.append(PageTemplate::escapeHtml(it.value().toString()));
    }
    return values;
}

QString templateSource(const QString &name)
{
    QFile file(":/pages/" + name + ".html");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Each <form …>…</form> of a page.
QStringList formsOf(const QString &html)
{
    QStringList forms;
    static const QRegularExpression form("<form\\b.*?</form>", QRegularExpression::DotMatchesEverythingOption);
    for (auto it = form.globalMatch(html); it.hasNext();)
        forms.append(it.next().captured());
    return forms;
}

} // namespace

class tst_HostedPages : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void initTestCase() { m_pages = std::make_unique<HostedPages>(); }

    void chooseLanguage_data()
    {
        QTest::addColumn<QString>("uiLocales");
        QTest::addColumn<QByteArray>("acceptLanguage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nothing") << "" << QByteArray() << "en";
        QTest::newRow("ui_locales de") << "de" << QByteArray("fr") << "de";
        QTest::newRow("ui_locales region") << "de-CH" << QByteArray() << "de";
        QTest::newRow("ui_locales first supported") << "ja es-MX fr-CA de" << QByteArray("de") << "fr";
        QTest::newRow("ui_locales case") << "FR" << QByteArray() << "fr";
        QTest::newRow("ui_locales unsupported falls to header") << "ja" << QByteArray("de-DE,de;q=0.9") << "de";
        QTest::newRow("ui_locales garbage") << "<script> ;;; ---" << QByteArray("fr") << "fr";
        QTest::newRow("header simple") << "" << QByteArray("fr") << "fr";
        QTest::newRow("header region") << "" << QByteArray("de-CH") << "de";
        QTest::newRow("header q order") << "" << QByteArray("en;q=0.5, fr;q=0.8, de;q=0.7") << "fr";
        QTest::newRow("header tie keeps order") << "" << QByteArray("de;q=0.8, fr;q=0.8") << "de";
        QTest::newRow("header implicit q=1 wins") << "" << QByteArray("fr;q=0.9, de") << "de";
        QTest::newRow("header english first") << "" << QByteArray("en-US,en;q=0.9,de;q=0.8") << "en";
        QTest::newRow("header unsupported then fr") << "" << QByteArray("ja,zh;q=0.9,fr;q=0.1") << "fr";
        QTest::newRow("header star ignored") << "" << QByteArray("*") << "en";
        QTest::newRow("header star before de") << "" << QByteArray("*;q=1, de;q=0.1") << "de";
        QTest::newRow("header q=0 refuses") << "" << QByteArray("de;q=0") << "en";
        QTest::newRow("header spaces") << "" << QByteArray("  fr-FR ; q=0.7 ,  ja ") << "fr";
        QTest::newRow("header bad q") << "" << QByteArray("de;q=abc") << "en";
        QTest::newRow("header q above 1") << "" << QByteArray("de;q=2") << "en";
        QTest::newRow("header negative q") << "" << QByteArray("de;q=-1") << "en";
        QTest::newRow("header garbage") << "" << QByteArray(";;;,,,=q;") << "en";
        QTest::newRow("header binary") << "" << QByteArray("\x00\xff\xfe;q=\x01", 7) << "en";
        QTest::newRow("header bad tag") << "" << QByteArray("d e, fr_FR, de--CH") << "en";
        QTest::newRow("header huge") << "" << QByteArray(100000, ',') + "de" << "en";
        QTest::newRow("header many entries") << "" << QByteArray("ja,").repeated(1000) + "de" << "en";
    }
    void chooseLanguage()
    {
        QFETCH(QString, uiLocales);
        QFETCH(QByteArray, acceptLanguage);
        QFETCH(QString, expected);
        QCOMPARE(HostedPages::chooseLanguage(uiLocales, acceptLanguage), expected);
    }

    void escaping_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        const QString script = "<script>alert(1)</script>";
        const QString attribute = "\" onmouseover=\"alert(1)";
        const QString single = "' onfocus='alert(1)";
        for (const QString page : {"signin", "choose_product", "consent", "logout_confirm"}) {
            QTest::addRow("%s client_name script", qPrintable(page)) << page << "client_name" << script;
            QTest::addRow("%s client_name attribute", qPrintable(page)) << page << "client_name" << attribute;
            QTest::addRow("%s realm_name script", qPrintable(page)) << page << "realm_name" << script;
        }
        QTest::newRow("signin login_hint attribute") << "signin" << "login_hint" << attribute;
        QTest::newRow("signin login_hint single quote") << "signin" << "login_hint" << single;
        QTest::newRow("signin req attribute") << "signin" << "req" << attribute;
        QTest::newRow("signin error script") << "signin" << "error" << script;
        QTest::newRow("totp csrf attribute") << "totp" << "csrf" << attribute;
        QTest::newRow("email address attribute") << "email_code_verify" << "email" << attribute;
        QTest::newRow("logout state attribute") << "logout_confirm" << "state" << attribute;
        QTest::newRow("logout redirect attribute") << "logout_confirm" << "post_logout_redirect_uri" << attribute;
        QTest::newRow("error message script") << "error" << "message" << script;
        QTest::newRow("error title script") << "error" << "title" << script;
    }
    void escaping()
    {
        QFETCH(QString, page);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QVariantHash fields = fieldsFor(page);
        fields.insert(field, value);
        const QString html = QString::fromUtf8(m_pages->render(page, "en", fields).body);
        QVERIFY2(!html.contains(value), qPrintable(html));
        QVERIFY(!html.contains("<script", Qt::CaseInsensitive));
        QVERIFY(!html.contains("\" onmouseover="));
        QVERIFY(!html.contains("' onfocus="));
        QVERIFY2(html.contains(PageTemplate::escapeHtml(value)), qPrintable(html));
    }

    void escapeHtml()
    {
        QCOMPARE(PageTemplate::escapeHtml(u"a&b<c>d\"e'f"), QString("a&amp;b&lt;c&gt;d&quot;e&#39;f"));
        QCOMPARE(PageTemplate::escapeHtml(u"Grüße"), QString("Grüße"));
    }

    void templateEngine_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QVariantHash>("fields");
        QTest::addColumn<QString>("expected");
        const QVariantList items{QVariantHash{{"n", "a"}}, QVariantHash{{"n", "b"}, {"x", "inner"}}};
        QTest::newRow("field") << "[{{a}}]" << QVariantHash{{"a", "x"}} << "[x]";
        QTest::newRow("spaces in tag") << "[{{ a }}]" << QVariantHash{{"a", "x"}} << "[x]";
        QTest::newRow("unknown empty") << "[{{nope}}]" << QVariantHash{} << "[]";
        QTest::newRow("number") << "{{n}}" << QVariantHash{{"n", 42}} << "42";
        QTest::newRow("list as text empty") << "[{{l}}]" << QVariantHash{{"l", items}} << "[]";
        QTest::newRow("true section") << "{{#b}}yes{{/b}}" << QVariantHash{{"b", true}} << "yes";
        QTest::newRow("false section") << "{{#b}}yes{{/b}}" << QVariantHash{{"b", false}} << "";
        QTest::newRow("string section") << "{{#s}}[{{s}}]{{/s}}" << QVariantHash{{"s", "v"}} << "[v]";
        QTest::newRow("empty string section") << "{{#s}}x{{/s}}" << QVariantHash{{"s", ""}} << "";
        QTest::newRow("missing section") << "{{#s}}x{{/s}}" << QVariantHash{} << "";
        QTest::newRow("inverted false") << "{{^b}}no{{/b}}" << QVariantHash{{"b", false}} << "no";
        QTest::newRow("inverted missing") << "{{^b}}no{{/b}}" << QVariantHash{} << "no";
        QTest::newRow("inverted true") << "{{^b}}no{{/b}}" << QVariantHash{{"b", true}} << "";
        QTest::newRow("inverted empty list") << "{{^l}}none{{/l}}" << QVariantHash{{"l", QVariantList{}}} << "none";
        QTest::newRow("list") << "{{#l}}<{{n}}>{{/l}}" << QVariantHash{{"l", items}} << "<a><b>";
        QTest::newRow("empty list") << "{{#l}}<{{n}}>{{/l}}" << QVariantHash{{"l", QVariantList{}}} << "";
        QTest::newRow("element shadows outer") << "{{#l}}{{x}},{{/l}}" << QVariantHash{{"l", items}, {"x", "outer"}}
                                               << "outer,inner,";
        QTest::newRow("map elements") << "{{#l}}{{n}}{{/l}}"
                                      << QVariantHash{{"l", QVariantList{QVariantMap{{"n", "m"}}}}} << "m";
        QTest::newRow("nested same name") << "{{#a}}1{{#a}}2{{/a}}3{{/a}}4" << QVariantHash{{"a", true}} << "1234";
        QTest::newRow("nested other") << "{{#a}}1{{^b}}2{{/b}}{{/a}}" << QVariantHash{{"a", true}} << "12";
        QTest::newRow("escaped in list") << "{{#l}}{{n}}{{/l}}" << QVariantHash{{"l", QVariantList{QVariantHash{{"n", "<b>"}}}}}
                                         << "&lt;b&gt;";
        QTest::newRow("unclosed brace literal") << "a {{ b" << QVariantHash{} << "a {{ b";
        QTest::newRow("unclosed section to end") << "{{#a}}x" << QVariantHash{{"a", true}} << "x";
        QTest::newRow("stray close dropped") << "a{{/x}}b" << QVariantHash{} << "ab";
        QTest::newRow("translation") << "{{t:Sign in}}" << QVariantHash{} << "[Sign in]";
        QTest::newRow("translation escaped") << "{{t:a<b}}" << QVariantHash{} << "[a&lt;b]";
        QTest::newRow("value not re-parsed") << "{{a}}" << QVariantHash{{"a", "{{b}}"}, {"b", "no"}} << "{{b}}";
    }
    void templateEngine()
    {
        QFETCH(QString, source);
        QFETCH(QVariantHash, fields);
        QFETCH(QString, expected);
        const auto bracket = [](const QString &text) { return "[" + text + "]"; };
        QCOMPARE(PageTemplate::render(source, fields, bracket), expected);
    }

    void rawFieldsOnlyWhenAsked()
    {
        const QVariantHash fields{{"body", "<p>x</p>"}, {"other", "<p>y</p>"}};
        QCOMPARE(PageTemplate::render(u"{{body}}{{other}}", fields, {}, {"body"}), QString("<p>x</p>&lt;p&gt;y&lt;/p&gt;"));
    }

    // Every {{t:…}} of every template and every catalog message has German
    // and French that differ from the English.
    void translations_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("english");
        QStringList texts = HostedPages::messageCatalog();
        QVERIFY(texts.size() >= 25);
        for (const QString &page : HostedPages::pageNames() + QStringList{"layout"}) {
            const QString source = templateSource(page);
            QVERIFY2(!source.isEmpty(), qPrintable(page));
            texts += PageTemplate::translatableTexts(source);
        }
        texts.removeDuplicates();
        for (const QString language : {"de", "fr"}) {
            for (const QString &text : texts)
                QTest::addRow("%s: %s", qPrintable(language), qPrintable(text)) << language << text;
        }
    }
    void translations()
    {
        QFETCH(QString, language);
        QFETCH(QString, english);
        const QString translated = m_pages->translate(language, english);
        QVERIFY(!translated.trimmed().isEmpty());
        QVERIFY2(translated != english, qPrintable(language + ": no translation for \"" + english + "\""));
        QCOMPARE(m_pages->translate("en", english), english);
        QCOMPARE(m_pages->translate("xx", english), english);
    }

    void pageIsTranslated_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("expected");
        QTest::newRow("en") << "en" << ">Sign in</button>";
        QTest::newRow("de") << "de" << ">Anmelden</button>";
        QTest::newRow("fr") << "fr" << ">Se connecter</button>";
        QTest::newRow("unknown language is English") << "xx" << ">Sign in</button>";
    }
    void pageIsTranslated()
    {
        QFETCH(QString, language);
        QFETCH(QString, expected);
        const ApiResponse response = m_pages->render("signin", language, fieldsFor("signin"));
        const QString html = QString::fromUtf8(response.body);
        QVERIFY2(html.contains(expected), qPrintable(html));
        const QString lang = language == "xx" ? "en" : language;
        QVERIFY(html.contains("<html lang=\"" + lang + "\">"));
        QCOMPARE(headerOf(response, "Content-Language"), lang.toLatin1());
    }

    void headers_data()
    {
        QTest::addColumn<QString>("page");
        for (const QString &page : HostedPages::pageNames())
            QTest::newRow(qPrintable(page)) << page;
    }
    void headers()
    {
        QFETCH(QString, page);
        const ApiResponse response = m_pages->render(page, "fr", fieldsFor(page), 400);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.contentType, QByteArray("text/html; charset=utf-8"));
        const QByteArray csp = headerOf(response, "Content-Security-Policy");
        for (const char *directive : {"default-src 'none'", "style-src 'self'", "form-action 'self'",
                                      "frame-ancestors 'none'", "base-uri 'none'"})
            QVERIFY2(csp.contains(directive), csp.constData());
        QVERIFY(!csp.contains("script-src"));
        QCOMPARE(headerOf(response, "X-Frame-Options"), QByteArray("DENY"));
        QCOMPARE(headerOf(response, "Cache-Control"), QByteArray("no-store"));
        QCOMPARE(headerOf(response, "Referrer-Policy"), QByteArray("no-referrer"));
        QCOMPARE(headerOf(response, "Content-Language"), QByteArray("fr"));

        // What goes on the wire: the page's CSP replaces the API default, once.
        const auto wire = responseHeaders(response);
        const auto count = std::count_if(wire.cbegin(), wire.cend(), [](const auto &h) {
            return h.first.compare("Content-Security-Policy", Qt::CaseInsensitive) == 0;
        });
        QCOMPARE(count, 1);
        QVERIFY(std::any_of(wire.cbegin(), wire.cend(), [&csp](const auto &h) { return h.second == csp; }));
    }

    void formActionOrigins_data()
    {
        QTest::addColumn<QString>("origin");
        QTest::addColumn<bool>("kept");
        QTest::newRow("https origin") << "https://rp.example" << true;
        QTest::newRow("loopback with port") << "http://127.0.0.1:8443" << true;
        QTest::newRow("directive injection") << "https://rp.example; script-src *" << false;
        QTest::newRow("path") << "https://rp.example/cb" << false;
        QTest::newRow("wildcard") << "*" << false;
        QTest::newRow("javascript") << "javascript:alert(1)" << false;
    }
    void formActionOrigins()
    {
        QFETCH(QString, origin);
        QFETCH(bool, kept);
        const ApiResponse response = m_pages->render("logout_confirm", "en", fieldsFor("logout_confirm"), 200, {origin});
        const QByteArray csp = headerOf(response, "Content-Security-Policy");
        QCOMPARE(csp.contains("form-action 'self' " + origin.toLatin1() + ";"), kept);
        QVERIFY(!csp.contains("script-src"));
    }

    // Every page: its fields, its forms (POST, hidden req + csrf), no script,
    // labels for every visible input, autofocus on the first field.
    void pages_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("language");
        for (const QString &page : HostedPages::pageNames()) {
            for (const QString language : {"en", "de", "fr"})
                QTest::addRow("%s %s", qPrintable(page), qPrintable(language)) << page << language;
        }
    }
    void pages()
    {
        QFETCH(QString, page);
        QFETCH(QString, language);
        const QString html = QString::fromUtf8(m_pages->render(page, language, fieldsFor(page)).body);
        QVERIFY(html.startsWith("<!doctype html>"));
        QVERIFY(html.contains("<html lang=\"" + language + "\">"));
        QVERIFY(html.contains("<link rel=\"stylesheet\" href=\"/authrealm/pages.css\">"));
        QVERIFY(html.contains("<meta name=\"viewport\""));
        QVERIFY(html.contains("<h1 class=\"realm\">Realm-Marker</h1>"));
        QVERIFY(!html.contains("<script", Qt::CaseInsensitive));
        QVERIFY(!html.contains(QRegularExpression("\\son[a-z]+=")));
        QVERIFY2(!html.contains("{{"), qPrintable(html));
        QVERIFY(!html.contains("style=")); // CSP style-src 'self' would block inline styles
        for (const QString &value : visibleValues(page)) {
            if (page == "signin" && value == "/oauth2/authorize/email-code/send")
                continue; // checked with the forms below
            QVERIFY2(html.contains(value), qPrintable(page + ": missing " + value));
        }

        const QStringList forms = formsOf(html);
        const QHash<QString, int> expectedForms{{"signin", 2}, {"totp", 1}, {"email_code_verify", 1}, {"choose_product", 1},
                                                {"consent", 1}, {"logout_confirm", 1}, {"logged_out", 0}, {"error", 0}};
        QCOMPARE(forms.size(), expectedForms.value(page));
        for (const QString &form : forms) {
            QVERIFY(form.startsWith("<form method=\"post\" action=\"/oauth2/"));
            QVERIFY(form.contains("<input type=\"hidden\" name=\"csrf\" value=\"CSRF-MARKER\">"));
            if (page != "logout_confirm")
                QVERIFY(form.contains("<input type=\"hidden\" name=\"req\" value=\"REQ-MARKER\">"));
            QVERIFY(form.contains("type=\"submit\""));
        }

        // Every visible input has a label.
        static const QRegularExpression input("<input id=\"([a-z_]+)\"");
        for (auto it = input.globalMatch(html); it.hasNext();) {
            const QString id = it.next().captured(1);
            QVERIFY2(html.contains("<label for=\"" + id + "\">"), qPrintable(page + ": no label for " + id));
        }
        if (page == "signin" || page == "totp" || page == "email_code_verify") {
            QCOMPARE(html.count("autofocus"), 1);
            static const QRegularExpression firstInput("<input id=\"[a-z_]+\"[^>]*>");
            QVERIFY(firstInput.match(html).captured().contains("autofocus"));
        }
    }

    void signinForms()
    {
        QVariantHash fields = fieldsFor("signin");
        QString html = QString::fromUtf8(m_pages->render("signin", "en", fields).body);
        QVERIFY(html.contains("autocomplete=\"username\""));
        QVERIFY(html.contains("autocomplete=\"current-password\""));
        QVERIFY(html.contains("name=\"password\" type=\"password\""));
        QVERIFY(html.contains("value=\"hint@example.com\""));
        QVERIFY(html.contains("to continue to <strong>Client-Marker</strong>"));
        QVERIFY(html.contains("role=\"alert\">Error-Marker<"));
        const QStringList forms = formsOf(html);
        QVERIFY(forms.at(0).contains("action=\"/oauth2/authorize/password\""));
        QVERIFY(forms.at(1).contains("action=\"/oauth2/authorize/email-code/send\""));
        QVERIFY(forms.at(1).contains("name=\"email\""));
        QVERIFY(!forms.at(1).contains("password"));
        QVERIFY(html.contains("Email me a code instead"));

        fields.insert("action_email_code", QString());
        fields.remove("error");
        fields.remove("client_name");
        html = QString::fromUtf8(m_pages->render("signin", "en", fields).body);
        QCOMPARE(formsOf(html).size(), 1);
        QVERIFY(!html.contains("Email me a code instead"));
        QVERIFY(!html.contains("role=\"alert\""));
        QVERIFY(!html.contains("to continue to"));
    }

    void codePages_data()
    {
        QTest::addColumn<QString>("page");
        QTest::newRow("totp") << "totp";
        QTest::newRow("email_code_verify") << "email_code_verify";
    }
    void codePages()
    {
        QFETCH(QString, page);
        const QString html = QString::fromUtf8(m_pages->render(page, "en", fieldsFor(page)).body);
        QVERIFY(html.contains("name=\"code\""));
        QVERIFY(html.contains("inputmode=\"numeric\""));
        QVERIFY(html.contains("autocomplete=\"one-time-code\""));
    }

    // A notice (e.g. "a code is on its way") is a status, not an error, and
    // is not repeated by the page's own text.
    void noticeIsNotAnError()
    {
        const QString sent = "If the address belongs to an account, a code is on its way.";
        QVariantHash fields = fieldsFor("email_code_verify");
        fields.remove("error");
        QString html = QString::fromUtf8(m_pages->render("email_code_verify", "en", fields).body);
        QCOMPARE(html.count(sent), 1); // the page's own lead
        fields.insert("notice", sent);
        html = QString::fromUtf8(m_pages->render("email_code_verify", "en", fields).body);
        QCOMPARE(html.count(sent), 1);
        QVERIFY(html.contains("<p class=\"notice\" role=\"status\">" + sent + "</p>"));
        QVERIFY(!html.contains("role=\"alert\""));
        QVERIFY(html.contains("<strong class=\"address\">mail@example.com</strong>"));
    }

    void productsAndScopes()
    {
        QString html = QString::fromUtf8(m_pages->render("choose_product", "en", fieldsFor("choose_product")).body);
        QVERIFY(html.contains("name=\"product\" value=\"p-one\""));
        QVERIFY(html.contains(">Product One<"));
        QVERIFY(html.contains("name=\"product\" value=\"p-two\""));
        QVERIFY(html.indexOf("Product One") < html.indexOf("Product Two"));

        html = QString::fromUtf8(m_pages->render("consent", "en", fieldsFor("consent")).body);
        QVERIFY(html.contains("<li>Your name and profile</li>"));
        QVERIFY(html.contains("<li>roles</li>")); // no description: the scope's name
        QVERIFY(html.contains("name=\"decision\" value=\"allow\""));
        QVERIFY(html.contains("name=\"decision\" value=\"deny\""));
    }

    void logoutForm()
    {
        const QString html = QString::fromUtf8(m_pages->render("logout_confirm", "en", fieldsFor("logout_confirm")).body);
        const QString form = formsOf(html).value(0);
        QVERIFY(form.startsWith("<form method=\"post\" action=\"/oauth2/logout/confirm\">"));
        for (const QString hidden : {"name=\"csrf\" value=\"CSRF-MARKER\"", "name=\"client_id\" value=\"cid-marker\"",
                                      "name=\"id_token_hint\" value=\"eyJ.hint.marker\"",
                                      "name=\"post_logout_redirect_uri\" value=\"https://rp.example/bye\"",
                                      "name=\"state\" value=\"state-marker\""})
            QVERIFY2(form.contains("<input type=\"hidden\" " + hidden + ">"), qPrintable(hidden));
        QVERIFY(form.contains("name=\"decision\" value=\"logout\" autofocus>Sign out</button>"));
        QVERIFY(form.contains("name=\"decision\" value=\"stay\" class=\"secondary\">Stay signed in</button>"));
    }

    void loggedOutLink_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("linked");
        QTest::newRow("https") << "https://rp.example/home?a=1&b=2" << true;
        QTest::newRow("loopback http") << "http://127.0.0.1:9000/" << true;
        QTest::newRow("none") << "" << false;
        QTest::newRow("javascript") << "javascript:alert(1)" << false;
        QTest::newRow("javascript mixed case") << "JaVaScRiPt:alert(1)" << false;
        QTest::newRow("data") << "data:text/html,<script>alert(1)</script>" << false;
        QTest::newRow("leading space") << " javascript:alert(1)" << false;
    }
    void loggedOutLink()
    {
        QFETCH(QString, url);
        QFETCH(bool, linked);
        const QVariantHash fields{{"message", "You are signed out."}, {"return_url", url}};
        const QString html = QString::fromUtf8(m_pages->render("logged_out", "de", fields).body);
        QCOMPARE(html.contains("<a class=\"button\" href=\"" + PageTemplate::escapeHtml(url) + "\">"), linked);
        QCOMPARE(html.contains("<a "), linked);
        QVERIFY(!html.contains("javascript", Qt::CaseInsensitive));
    }

    // The server renders from several I/O threads with one HostedPages.
    void concurrentRendering()
    {
        const QByteArray expected = m_pages->render("signin", "de", fieldsFor("signin")).body;
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                const QString language = t % 2 ? "de" : "fr";
                for (int i = 0; i < 200; ++i) {
                    const QByteArray body = m_pages->render("signin", language, fieldsFor("signin")).body;
                    if (language == "de" && body != expected)
                        ++mismatches;
                    if (m_pages->translate(language, "Sign in") == "Sign in")
                        ++mismatches;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void errorPageHasNoForm()
    {
        const QString html = QString::fromUtf8(m_pages->render("error", "en", fieldsFor("error"), 400).body);
        QVERIFY(!html.contains("<form"));
        QVERIFY(html.contains("Title-Marker"));
        QVERIFY(html.contains("<title>Title-Marker · Realm-Marker</title>"));
        QVERIFY(html.contains("Message-Marker"));
    }

    void defaultTitleIsTranslated()
    {
        const QString html = QString::fromUtf8(m_pages->render("totp", "de", fieldsFor("totp")).body);
        QVERIFY(html.contains("<title>Bestätigung in zwei Schritten · Realm-Marker</title>"));
    }

    void unknownPageIsAnErrorPage()
    {
        QTest::ignoreMessage(QtWarningMsg, "HostedPages: unknown page ../etc/passwd");
        const ApiResponse response = m_pages->render("../etc/passwd", "en", {});
        QCOMPARE(response.status, 500);
        QVERIFY(!response.body.contains("<form"));
        QVERIFY(response.body.contains("Invalid request"));
    }

    void stylesheet()
    {
        const ApiResponse css = m_pages->stylesheet();
        QCOMPARE(css.status, 200);
        QVERIFY(css.contentType.startsWith("text/css"));
        QVERIFY(css.body.contains(".card"));
        QCOMPARE(headerOf(css, "Cache-Control"), QByteArray("public, max-age=86400"));
    }

    // The route on a real server (every backend), with the wire headers.
    void stylesheetRoute()
    {
        TestServer server;
        const auto result = server.request("GET", "/authrealm/pages.css", {}, {});
        QCOMPARE(result.status, 200);
        QVERIFY(result.header("Content-Type").startsWith("text/css"));
        QCOMPARE(result.header("Cache-Control"), QByteArray("public, max-age=86400"));
        QCOMPARE(result.body, m_pages->stylesheet().body);
        QCOMPARE(server.request("POST", "/authrealm/pages.css", "x", {}).status, 405);
    }

    // Not a check: with AUTHREALM_PAGES_SNAPSHOT_DIR set, writes every page in
    // every language as HTML (stylesheet alongside) for screenshots.
    void writeSnapshots()
    {
        const QString dir = qEnvironmentVariable("AUTHREALM_PAGES_SNAPSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("AUTHREALM_PAGES_SNAPSHOT_DIR not set");
        QDir().mkpath(dir);
        QFile css(dir + "/pages.css");
        QVERIFY(css.open(QIODevice::WriteOnly));
        css.write(m_pages->stylesheet().body);
        for (const QString &page : HostedPages::pageNames()) {
            for (const QString language : {"en", "de", "fr"}) {
                QVariantHash fields = fieldsFor(page);
                fields.insert("realm_name", "Acme Corporation");
                for (const char *key : {"client_name"})
                    if (fields.contains(key))
                        fields.insert(key, "Acme Billing Portal");
                if (fields.contains("error"))
                    fields.insert("error", m_pages->translate(language, "Invalid email or password"));
                if (page == "error") {
                    fields.insert("title", m_pages->translate(language, "Unknown application"));
                    fields.insert("message", m_pages->translate(language, "The application is not registered here."));
                }
                if (page == "email_code_verify") {
                    fields.remove("error");
                    fields.insert("notice", m_pages->translate(language, "If the address belongs to an account, a code is on its way."));
                }
                if (page == "logged_out")
                    fields.insert("message", m_pages->translate(language, "You are signed out."));
                if (page == "consent")
                    fields.insert("scopes", QVariantList{
                        QVariantHash{{"name", "profile"}, {"description", m_pages->translate(language, "Your name and profile")}},
                        QVariantHash{{"name", "email"}, {"description", m_pages->translate(language, "Your email address")}},
                        QVariantHash{{"name", "roles"}}});
                QString html = QString::fromUtf8(m_pages->render(page, language, fields).body);
                html.replace("href=\"/authrealm/pages.css\"", "href=\"pages.css\"");
                QFile out(QStringLiteral("%1/%2_%3.html").arg(dir, page, language));
                QVERIFY(out.open(QIODevice::WriteOnly));
                out.write(html.toUtf8());
            }
        }
    }

private:
    std::unique_ptr<HostedPages> m_pages;
};

QTEST_GUILESS_MAIN(tst_HostedPages)
#include "tst_hostedpages.moc"
