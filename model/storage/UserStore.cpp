#include "storage/UserStore.h"

#include "core/DomainError.h"
#include "storage/Sql.h"

#include <QSqlRecord>

namespace authrealm {

namespace {
const QString kUserColumns = QStringLiteral(
    "id, realm_id, email, username, display_name, password_hash, status, created_at, updated_at, email_verified, locale");

User readUser(SqlQuery &q)
{
    User u;
    u.id = q.value(0).toString();
    u.realmId = q.value(1).toString();
    u.email = q.value(2).toString();
    u.username = q.value(3).toString();
    u.displayName = q.value(4).toString();
    u.passwordHash = q.value(5).toString();
    u.status = userStatusFromName(q.value(6).toString()).value_or(UserStatus::Deactivated);
    u.createdAt = q.value(7).toLongLong();
    u.updatedAt = q.value(8).toLongLong();
    if (q.raw().record().count() > 10) {
        u.emailVerified = q.value(9).toInt() != 0;
        u.locale = q.value(10).toString();
    }
    return u;
}
} // namespace

void UserStore::createUser(const User &user) const
{
    if (!Validate::email(user.email))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" is not a valid email address").arg(user.email.left(254)));
    if (!user.username.isEmpty() && (user.username.contains(u'@') || !Validate::identifier(user.username)))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("A username uses letters, digits, '.', '_' or '-'"));
    if (findByLogin(user.realmId, user.email) || (!user.username.isEmpty() && findByLogin(user.realmId, user.username)))
        throw DomainError(ErrorCode::Conflict, QStringLiteral("A user with that email or username already exists in this realm"));
    SqlQuery(m_db, QStringLiteral("INSERT INTO users (id, realm_id, email, email_key, username, username_key, display_name, "
                                  "password_hash, status, created_at, updated_at, email_verified, locale) "
                                  "VALUES (:id, :r, :e, :ek, :u, :uk, :dn, :ph, :st, :c, :up, :ev, :lc)"))
        .bind(QStringLiteral(":id"), user.id)
        .bind(QStringLiteral(":r"), user.realmId)
        .bind(QStringLiteral(":e"), user.email.trimmed())
        .bind(QStringLiteral(":ek"), Validate::emailKey(user.email))
        .bindNullable(QStringLiteral(":u"), user.username)
        .bindNullable(QStringLiteral(":uk"), user.username.toCaseFolded())
        .bind(QStringLiteral(":dn"), user.displayName)
        .bindNullable(QStringLiteral(":ph"), user.passwordHash)
        .bind(QStringLiteral(":st"), userStatusName(user.status))
        .bind(QStringLiteral(":c"), user.createdAt)
        .bind(QStringLiteral(":up"), user.updatedAt)
        .bind(QStringLiteral(":ev"), user.emailVerified ? 1 : 0)
        .bind(QStringLiteral(":lc"), user.locale)
        .exec();
}

std::optional<User> UserStore::single(const QString &where, const QList<std::pair<QString, QVariant>> &binds) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM users WHERE %2").arg(kUserColumns, where));
    for (const auto &[name, value] : binds)
        q.bind(name, value);
    q.exec();
    if (!q.next())
        return std::nullopt;
    return readUser(q);
}

std::optional<User> UserStore::user(const QString &realmId, const QString &userId) const
{
    return single(QStringLiteral("realm_id = :r AND id = :id"), {{QStringLiteral(":r"), realmId}, {QStringLiteral(":id"), userId}});
}

std::optional<User> UserStore::findByLogin(const QString &realmId, const QString &login) const
{
    const QString key = Validate::emailKey(login);
    if (login.contains(u'@'))
        return single(QStringLiteral("realm_id = :r AND email_key = :k"), {{QStringLiteral(":r"), realmId}, {QStringLiteral(":k"), key}});
    return single(QStringLiteral("realm_id = :r AND username_key = :k"), {{QStringLiteral(":r"), realmId}, {QStringLiteral(":k"), key}});
}

QList<User> UserStore::users(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM users WHERE realm_id = :r ORDER BY email_key").arg(kUserColumns));
    q.bind(QStringLiteral(":r"), realmId).exec();
    QList<User> out;
    while (q.next())
        out.append(readUser(q));
    return out;
}

void UserStore::setPasswordHash(const QString &userId, const QString &phc, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE users SET password_hash = :ph, updated_at = :at WHERE id = :id"))
        .bind(QStringLiteral(":ph"), phc)
        .bind(QStringLiteral(":at"), now)
        .bind(QStringLiteral(":id"), userId)
        .exec();
}

void UserStore::setEmailVerified(const QString &userId, bool verified, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE users SET email_verified = :v, updated_at = :at WHERE id = :id"))
        .bind(QStringLiteral(":v"), verified ? 1 : 0)
        .bind(QStringLiteral(":at"), now)
        .bind(QStringLiteral(":id"), userId)
        .exec();
}

void UserStore::setStatus(const QString &userId, UserStatus status, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE users SET status = :st, updated_at = :at WHERE id = :id"))
        .bind(QStringLiteral(":st"), userStatusName(status))
        .bind(QStringLiteral(":at"), now)
        .bind(QStringLiteral(":id"), userId)
        .exec();
}

void UserStore::setMembership(const QString &realmId, const QString &userId, const Membership &membership, qint64 now) const
{
    SqlQuery exists(m_db, QStringLiteral("SELECT 1 FROM memberships WHERE user_id = :u AND app_id = :a"));
    exists.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":a"), membership.appId).exec();
    if (!exists.next()) {
        SqlQuery(m_db, QStringLiteral("INSERT INTO memberships (realm_id, app_id, user_id, created_at) VALUES (:r, :a, :u, :at)"))
            .bind(QStringLiteral(":r"), realmId)
            .bind(QStringLiteral(":a"), membership.appId)
            .bind(QStringLiteral(":u"), userId)
            .bind(QStringLiteral(":at"), now)
            .exec();
    }
    SqlQuery(m_db, QStringLiteral("DELETE FROM membership_roles WHERE user_id = :u AND app_id = :a"))
        .bind(QStringLiteral(":u"), userId)
        .bind(QStringLiteral(":a"), membership.appId)
        .exec();
    QStringList roles = membership.roles;
    roles.removeDuplicates();
    for (const QString &role : std::as_const(roles)) {
        SqlQuery known(m_db, QStringLiteral("SELECT 1 FROM roles WHERE realm_id = :r AND app_id = :a AND name = :n"));
        known.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), membership.appId).bind(QStringLiteral(":n"), role).exec();
        if (!known.next())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("App \"%1\" has no role \"%2\"").arg(membership.appId, role.left(64)));
        SqlQuery(m_db, QStringLiteral("INSERT INTO membership_roles (realm_id, app_id, user_id, role_name) VALUES (:r, :a, :u, :n)"))
            .bind(QStringLiteral(":r"), realmId)
            .bind(QStringLiteral(":a"), membership.appId)
            .bind(QStringLiteral(":u"), userId)
            .bind(QStringLiteral(":n"), role)
            .exec();
    }
}

QList<Membership> UserStore::memberships(const QString &userId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT m.app_id, r.role_name FROM memberships m LEFT JOIN membership_roles r "
                                    "ON r.user_id = m.user_id AND r.app_id = m.app_id WHERE m.user_id = :u "
                                    "ORDER BY m.app_id, r.role_name"));
    q.bind(QStringLiteral(":u"), userId).exec();
    QList<Membership> out;
    while (q.next()) {
        const QString app = q.value(0).toString();
        if (out.isEmpty() || out.constLast().appId != app)
            out.append(Membership{app, {}});
        if (!q.value(1).isNull())
            out.last().roles.append(q.value(1).toString());
    }
    return out;
}

std::optional<Membership> UserStore::membership(const QString &userId, const QString &appId) const
{
    for (const Membership &m : memberships(userId)) {
        if (m.appId == appId)
            return m;
    }
    return std::nullopt;
}

} // namespace authrealm

namespace authrealm {

namespace {

// The smallest string greater than every string starting with `prefix`, so a
// prefix search is one bounded index range instead of a scan to the end.
QString prefixUpperBound(const QString &prefix)
{
    QString high = prefix;
    while (!high.isEmpty()) {
        const char16_t last = high.back().unicode();
        if (last < 0xFFFF) {
            high.back() = QChar(char16_t(last + 1));
            return high;
        }
        high.chop(1);
    }
    return {};
}

} // namespace

QList<UserStore::MemberRow> UserStore::search(const QString &realmId, const QString &emailPrefix, const QString &status,
                                              const QString &afterKey, int limit) const
{
    // One lower bound (the later of the cursor and the prefix) lets the
    // (realm_id, email_key) index seek straight to it; substr() then filters
    // exactly, whatever the database's collation.
    const QString low = Validate::emailKey(emailPrefix);
    const bool fromCursor = afterKey >= low;
    QString sql = QStringLiteral("SELECT id, realm_id, email, username, display_name, '', status, created_at, updated_at, email_key "
                                 "FROM users WHERE realm_id = :r AND email_key %1 :bound").arg(fromCursor ? QStringLiteral(">") : QStringLiteral(">="));
    const QString high = prefixUpperBound(low);
    if (!high.isEmpty())
        sql += QStringLiteral(" AND email_key < :high");
    if (!low.isEmpty())
        sql += QStringLiteral(" AND substr(email_key, 1, :len) = :prefix");
    if (!status.isEmpty())
        sql += QStringLiteral(" AND status = :st");
    sql += QStringLiteral(" ORDER BY email_key LIMIT :n");
    SqlQuery q(m_db, sql);
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":bound"), fromCursor ? afterKey : low).bind(QStringLiteral(":n"), limit);
    if (!high.isEmpty())
        q.bind(QStringLiteral(":high"), high);
    if (!low.isEmpty())
        q.bind(QStringLiteral(":len"), int(low.size())).bind(QStringLiteral(":prefix"), low);
    if (!status.isEmpty())
        q.bind(QStringLiteral(":st"), status);
    q.exec();
    QList<MemberRow> rows;
    while (q.next())
        rows.append(MemberRow{readUser(q), {}, q.value(9).toString()});
    return rows;
}


QList<UserStore::BrowseRow> UserStore::browse(const Browse &query) const
{
    // lower(display_name) matches the users_realm_name expression index.
    // SQLite's lower() folds ASCII only, PostgreSQL's all of Unicode; the
    // prefix is folded the same way on both (ASCII) so results agree.
    const QString nameKey = QStringLiteral("lower(display_name)");
    const QString orderKey = query.order == Browse::Order::Email ? QStringLiteral("email_key")
                           : query.order == Browse::Order::Name  ? nameKey
                                                                 : QStringLiteral("created_at");
    const QString searchKey = query.field == Browse::Field::Email ? QStringLiteral("email_key") : nameKey;
    QString prefix;
    for (const QChar c : query.prefix)
        prefix += c.unicode() < 128 ? c.toLower() : c;
    if (query.field == Browse::Field::Email)
        prefix = Validate::emailKey(query.prefix);
    const QString high = prefixUpperBound(prefix);
    const char *dir = query.descending ? "DESC" : "ASC";
    const char *after = query.descending ? "<" : ">";

    QString sql = QStringLiteral("SELECT id, realm_id, email, username, display_name, '', status, created_at, updated_at, %1 "
                                 "FROM users WHERE realm_id = :r").arg(orderKey);
    if (!prefix.isEmpty()) {
        sql += QStringLiteral(" AND %1 >= :low").arg(searchKey);
        if (!high.isEmpty())
            sql += QStringLiteral(" AND %1 < :high").arg(searchKey);
    }
    if (!query.status.isEmpty())
        sql += QStringLiteral(" AND status = :st");
    if (!query.afterValue.isNull())
        sql += QStringLiteral(" AND (%1, id) %2 (:av, :aid)").arg(orderKey, QLatin1String(after));
    sql += QStringLiteral(" ORDER BY %1 %2, id %2 LIMIT :n").arg(orderKey, QLatin1String(dir));

    SqlQuery q(m_db, sql);
    q.bind(QStringLiteral(":r"), query.realmId).bind(QStringLiteral(":n"), query.limit);
    if (!prefix.isEmpty()) {
        q.bind(QStringLiteral(":low"), prefix);
        if (!high.isEmpty())
            q.bind(QStringLiteral(":high"), high);
    }
    if (!query.status.isEmpty())
        q.bind(QStringLiteral(":st"), query.status);
    if (!query.afterValue.isNull()) {
        q.bind(QStringLiteral(":av"), query.afterValue);
        q.bind(QStringLiteral(":aid"), query.afterId);
    }
    q.exec();
    QList<BrowseRow> rows;
    while (q.next())
        rows.append(BrowseRow{readUser(q), q.value(9)});
    return rows;
}

QList<UserStore::MemberRow> UserStore::appMembers(const QString &realmId, const QString &appId, const QString &afterKey, int limit) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT u.id, u.realm_id, u.email, u.username, u.display_name, '', u.status, u.created_at, u.updated_at, "
                                    "u.email_key FROM memberships m JOIN users u ON u.id = m.user_id "
                                    "WHERE m.realm_id = :r AND m.app_id = :a AND u.email_key > :after ORDER BY u.email_key LIMIT :n"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":after"), afterKey)
        .bind(QStringLiteral(":n"), limit).exec();
    QList<MemberRow> rows;
    while (q.next())
        rows.append(MemberRow{readUser(q), {}, q.value(9).toString()});
    q.raw().finish();
    for (MemberRow &row : rows) {
        if (const auto m = membership(row.user.id, appId))
            row.roles = m->roles;
    }
    return rows;
}

} // namespace authrealm
