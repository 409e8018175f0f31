#include "pages/PageTemplate.h"

#include <QStringList>
#include <QVariantList>

namespace authrealm {

namespace {

constexpr QStringView kOpen = u"{{";
constexpr QStringView kClose = u"}}";

// One {{…}} tag found in the source.
struct Tag
{
    qsizetype begin = -1; // index of "{{"
    qsizetype end = -1;   // index just past "}}"
    QChar kind;           // '#', '^', '/', 't' (translation) or 0 (field)
    QString name;
};

Tag nextTag(QStringView source, qsizetype from)
{
    Tag tag;
    const qsizetype open = source.indexOf(kOpen, from);
    if (open < 0)
        return tag;
    const qsizetype close = source.indexOf(kClose, open + kOpen.size());
    if (close < 0)
        return tag; // an unclosed "{{" is plain text
    tag.begin = open;
    tag.end = close + kClose.size();
    QStringView inner = source.mid(open + kOpen.size(), close - open - kOpen.size()).trimmed();
    if (inner.startsWith(u"t:")) {
        tag.kind = u't';
        tag.name = inner.mid(2).trimmed().toString();
    } else if (!inner.isEmpty() && (inner.front() == u'#' || inner.front() == u'^' || inner.front() == u'/')) {
        tag.kind = inner.front();
        tag.name = inner.mid(1).trimmed().toString();
    } else {
        tag.name = inner.toString();
    }
    return tag;
}

// The {{/name}} closing the section whose opening tag ends at `from`, or an
// invalid tag when it is missing (the section then runs to the end).
Tag closingTag(QStringView source, qsizetype from, const QString &name)
{
    int depth = 0;
    for (Tag tag = nextTag(source, from); tag.begin >= 0; tag = nextTag(source, tag.end)) {
        if (tag.name != name)
            continue;
        if (tag.kind == u'#' || tag.kind == u'^')
            ++depth;
        else if (tag.kind == u'/' && depth-- == 0)
            return tag;
    }
    return {};
}

class Renderer
{
public:
    Renderer(const PageTemplate::Translate &translate, const QSet<QString> &rawFields)
        : m_translate(translate), m_raw(rawFields)
    {
    }

    void render(QStringView source, QList<const QVariantHash *> &scopes, QString &out) const
    {
        qsizetype at = 0;
        while (at < source.size()) {
            const Tag tag = nextTag(source, at);
            if (tag.begin < 0) {
                out += source.mid(at);
                return;
            }
            out += source.mid(at, tag.begin - at);
            at = tag.end;
            if (tag.kind == u't') {
                out += PageTemplate::escapeHtml(m_translate ? m_translate(tag.name) : tag.name);
            } else if (tag.kind == u'#' || tag.kind == u'^') {
                const Tag close = closingTag(source, tag.end, tag.name);
                const qsizetype innerEnd = close.begin >= 0 ? close.begin : source.size();
                section(tag, source.mid(tag.end, innerEnd - tag.end), scopes, out);
                at = close.begin >= 0 ? close.end : source.size();
            } else if (tag.kind == u'/') {
                // A stray closing tag: drop it.
            } else {
                const QVariant value = lookup(scopes, tag.name);
                if (m_raw.contains(tag.name))
                    out += value.toString();
                else
                    out += PageTemplate::escapeHtml(text(value));
            }
        }
    }

private:
    static QVariant lookup(const QList<const QVariantHash *> &scopes, const QString &name)
    {
        // The innermost scope (a list element) shadows the outer ones.
        for (auto it = scopes.crbegin(); it != scopes.crend(); ++it) {
            const auto found = (*it)->constFind(name);
            if (found != (*it)->cend())
                return *found;
        }
        return {};
    }

    static QString text(const QVariant &value)
    {
        switch (value.typeId()) {
        case QMetaType::QVariantList:
        case QMetaType::QVariantHash:
        case QMetaType::QVariantMap:
        case QMetaType::QStringList:
            return {};
        default:
            return value.toString();
        }
    }

    static bool truthy(const QVariant &value)
    {
        if (!value.isValid() || value.isNull())
            return false;
        switch (value.typeId()) {
        case QMetaType::Bool: return value.toBool();
        case QMetaType::QVariantList: return !value.toList().isEmpty();
        case QMetaType::QStringList: return !value.toStringList().isEmpty();
        case QMetaType::QVariantHash: return !value.toHash().isEmpty();
        case QMetaType::QVariantMap: return !value.toMap().isEmpty();
        default: return !value.toString().isEmpty();
        }
    }

    void section(const Tag &tag, QStringView inner, QList<const QVariantHash *> &scopes, QString &out) const
    {
        const QVariant value = lookup(scopes, tag.name);
        if (tag.kind == u'^') {
            if (!truthy(value))
                render(inner, scopes, out);
            return;
        }
        if (!truthy(value))
            return;
        if (value.typeId() == QMetaType::QVariantList) {
            for (const QVariant &element : value.toList()) {
                QVariantHash hash = element.typeId() == QMetaType::QVariantMap ? QVariantHash() : element.toHash();
                if (element.typeId() == QMetaType::QVariantMap) {
                    const QVariantMap map = element.toMap();
                    for (auto it = map.cbegin(); it != map.cend(); ++it)
                        hash.insert(it.key(), it.value());
                }
                scopes.append(&hash);
                render(inner, scopes, out);
                scopes.removeLast();
            }
            return;
        }
        render(inner, scopes, out);
    }

    const PageTemplate::Translate &m_translate;
    const QSet<QString> &m_raw;
};

} // namespace

QString PageTemplate::render(QStringView source, const QVariantHash &fields, const Translate &translate,
                             const QSet<QString> &rawFields)
{
    QString out;
    out.reserve(source.size() * 5 / 4);
    QList<const QVariantHash *> scopes{&fields};
    Renderer(translate, rawFields).render(source, scopes, out);
    return out;
}

QString PageTemplate::escapeHtml(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&': out += u"&amp;"; break;
        case u'<': out += u"&lt;"; break;
        case u'>': out += u"&gt;"; break;
        case u'"': out += u"&quot;"; break;
        case u'\'': out += u"&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

QStringList PageTemplate::translatableTexts(QStringView source)
{
    QStringList texts;
    for (Tag tag = nextTag(source, 0); tag.begin >= 0; tag = nextTag(source, tag.end)) {
        if (tag.kind == u't')
            texts.append(tag.name);
    }
    return texts;
}

} // namespace authrealm
