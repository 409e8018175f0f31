#pragma once

#include "domain/Entities.h"

#include <QList>
#include <QVariant>
#include <optional>

namespace authrealm {

class Database;

// Users of a realm and their memberships (user <-> app, with role names).
class UserStore
{
public:
    explicit UserStore(const Database &db) : m_db(db) {}

    // Assigns nothing: the caller fills id and timestamps. Conflict on a duplicate email/username.
    void createUser(const User &user) const;
    [[nodiscard]] std::optional<User> user(const QString &realmId, const QString &userId) const;
    // Login name: the email (case-insensitive) or the username.
    [[nodiscard]] std::optional<User> findByLogin(const QString &realmId, const QString &login) const;
    [[nodiscard]] QList<User> users(const QString &realmId) const;
    void setPasswordHash(const QString &userId, const QString &phc, qint64 now) const;
    void setEmailVerified(const QString &userId, bool verified, qint64 now) const;
    void setStatus(const QString &userId, UserStatus status, qint64 now) const;

    // Replaces the user's roles in that app (creating the membership). Every
    // role must exist in the app's catalog.
    void setMembership(const QString &realmId, const QString &userId, const Membership &membership, qint64 now) const;
    [[nodiscard]] QList<Membership> memberships(const QString &userId) const;
    [[nodiscard]] std::optional<Membership> membership(const QString &userId, const QString &appId) const;

    struct MemberRow
    {
        User user;
        QStringList roles;
        QString cursorKey; // resume after this row
    };
    // Members of one app, by email, after `afterKey`; at most `limit` rows
    // (keyset pagination: an index seek, never an OFFSET scan).
    // Users of a realm whose email starts with `emailPrefix` (case-insensitive),
    // optionally of one status, by email after `afterKey` (keyset pagination).
    [[nodiscard]] QList<MemberRow> search(const QString &realmId, const QString &emailPrefix, const QString &status,
                                          const QString &afterKey, int limit) const;
    [[nodiscard]] QList<MemberRow> appMembers(const QString &realmId, const QString &appId, const QString &afterKey, int limit) const;

    // The console's user list: a prefix search on email or name, a status
    // filter and one of three orders, paged by keyset on (order key, id) so
    // every page of a million users is an index seek.
    struct Browse
    {
        enum class Field { Email, Name };
        enum class Order { Email, Name, Created };
        QString realmId;
        QString prefix;          // case-insensitive; empty: everyone
        Field field = Field::Email;
        QString status;          // empty: any
        Order order = Order::Email;
        bool descending = false;
        QVariant afterValue;     // the order key of the last row shown; null: from the start
        QString afterId;
        int limit = 200;
    };
    struct BrowseRow
    {
        User user;
        QVariant orderValue;
    };
    [[nodiscard]] QList<BrowseRow> browse(const Browse &query) const;

private:
    [[nodiscard]] std::optional<User> single(const QString &where, const QList<std::pair<QString, QVariant>> &binds) const;
    const Database &m_db;
};

} // namespace authrealm
