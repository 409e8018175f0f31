<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>QObject</name>
    <message>
        <source>The console opens data folders: give --data %1 (with authrealm.db and master.key in it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AuthRealm console: manage realms and users, browse the audit log, and host the identity server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the data folder DIR (default: the last one, else %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open postgres://user[:password]@host:port/db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key-encryption key file for a PostgreSQL database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the hosted server right away.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosted server address (default 127.0.0.1:8080).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open on VIEW (users, sessions, products, keys, settings, audit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select REALM in the navigation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of the window to FILE and quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AuthRealm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::AuditView</name>
    <message>
        <source>Realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kinds, e.g. login.failure,pat.denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor, e.g. user:&lt;id&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain of realm &quot;%1&quot; is intact: %2 events checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain of realm &quot;%1&quot; is BROKEN at seq %2 (event %3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot verify the chain</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::ConsoleApp</name>
    <message>
        <source>Cannot open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password not remembered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain did not accept the password, so the console will ask for it next time. It is never written to the settings file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::ConsoleWindow</name>
    <message>
        <source>AuthRealm Console — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realms and products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HOST:PORT the hosted server listens on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start or stop the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator account has no password yet: use Server → Set administrator password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open data folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to &amp;PostgreSQL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pr&amp;eferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;realm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;product…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete realm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;administrator password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About AuthRealm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About AuthRealm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;AuthRealm %1&lt;/b&gt;&lt;p&gt;Identity server and console for small teams: realms, scoped tokens, two-step sign-in and an audit log you can verify.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AuthRealm keeps running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The identity server goes on serving at %1. Use the tray icon to show the console or quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the address as HOST:PORT, for example 127.0.0.1:8080.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Is another AuthRealm server already using this address?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AuthRealm: serving at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AuthRealm: server stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running — %1 requests/s, %2 in total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another AuthRealm server (%1, process %2 on %3, listening on %4) is serving this database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm id (lower-case letters, digits and dashes; it appears in URLs):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm not created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New product in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product id (lower-case letters, digits and dashes; clients send it as tenantId):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product not created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the realm &quot;%1&quot; with all its users, products, roles, sessions, tokens and signing keys? Signed-in users are signed out. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm not deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator account (&quot;admin&quot; in realm &quot;master&quot;) has no password yet.
Choose one (at least 8 characters):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password not set</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::FirstRunWizard</name>
    <message>
        <source>Where AuthRealm keeps its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A data folder holds the database (SQLite) and the key that encrypts signing keys. Choose a new folder to start fresh, or an existing one to open it. authrealmd uses the same folder by default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the administrator password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator signs in as &quot;admin&quot; in the realm &quot;master&quot; (the admin API and authrealmd&apos;s tools). Choose a password of at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This data folder already has an administrator with a password. Nothing to do here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A first realm and product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A realm holds one organisation&apos;s users; a product is an application they sign in to, with its own roles and features. You can add more later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create a realm and a product now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm display name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product display name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm &amp;id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product i&amp;d:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product na&amp;me:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The identity server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console can run the AuthRealm server inside itself, so your applications can sign users in while the console is open. authrealmd runs the same server without a window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start the server when the console opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to AuthRealm</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::NewUserDialog</name>
    <message>
        <source>New user in realm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pr&amp;oduct:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ro&amp;le:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User not created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::PostgresDialog</name>
    <message>
        <source>Connect to PostgreSQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remember the password in the system &amp;keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This build has no keychain support: the password is asked for each time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key file holds the key that encrypts the realms&apos; signing keys. Use the same file as the authrealmd servers on this database (their --key-file or AUTHREALM_MASTER_KEY).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the server running in the &amp;tray when the window is closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has no system tray.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start the server when the console opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies the next time the console starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::UsersView</name>
    <message>
        <source>Email starts with…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search by email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
