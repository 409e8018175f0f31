<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ConsoleFormat</name>
    <message>
        <source>0 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
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
    <message>
        <source>With --realm: select the product APP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --realm: open the user with this EMAIL.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::AuditChart</name>
    <message>
        <source>Other events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed sign-ins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denied requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag across the chart to show only that time range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>per %n days</source>
        <translation>
            <numerusform>per %n day</numerusform>
            <numerusform>per %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>per hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>per %n hours</source>
        <translation>
            <numerusform>per %n hour</numerusform>
            <numerusform>per %n hours</numerusform>
        </translation>
    </message>
    <message>
        <source>per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>per %n minutes</source>
        <translation>
            <numerusform>per %n minute</numerusform>
            <numerusform>per %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>Events %1 — counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::AuditEventDetails</name>
    <message>
        <source>Event details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an event to see all of its fields.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seq %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not chained (written before the chain existed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::AuditEventModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::AuditView</name>
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
        <source>Audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (local time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any kind (comma-separated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search summary, kind, actor, target…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the filtered events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (spreadsheets)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON array…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the audit hash chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the products</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Searching… %n found so far, back to %1</source>
        <translation>
            <numerusform>Searching… %n found so far, back to %1</numerusform>
            <numerusform>Searching… %n found so far, back to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Loading more… %n events shown</source>
        <translation>
            <numerusform>Loading more… %n event shown</numerusform>
            <numerusform>Loading more… %n events shown</numerusform>
        </translation>
    </message>
    <message>
        <source>No event matches the filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n matching events.</source>
        <translation>
            <numerusform>%n matching event.</numerusform>
            <numerusform>%n matching events.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n events shown; scroll for older ones.</source>
        <translation>
            <numerusform>%n event shown; scroll for older ones.</numerusform>
            <numerusform>%n events shown; scroll for older ones.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot count the audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting audit events…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exporting audit events… %n written</source>
        <translation>
            <numerusform>Exporting audit events… %n written</numerusform>
            <numerusform>Exporting audit events… %n written</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n events.</source>
        <translation>
            <numerusform>Exported %n event.</numerusform>
            <numerusform>Exported %n events.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read the realms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the chain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain of realm &quot;%1&quot; is BROKEN at seq %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Chain of realm &quot;%1&quot; is intact, %n events.</source>
        <translation>
            <numerusform>Chain of realm &quot;%1&quot; is intact, %n event.</numerusform>
            <numerusform>Chain of realm &quot;%1&quot; is intact, %n events.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Chains of %1 realms are intact, %n events.</source>
        <translation>
            <numerusform>Chains of %1 realms are intact, %n event.</numerusform>
            <numerusform>Chains of %1 realms are intact, %n events.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot verify the chain: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::ClientDialog</name>
    <message>
        <source>Edit client %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example: Shop web app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public client (single-page or native app: no secret, PKCE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirect URIs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one per line, for example: https://shop.example.com/callback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First-party (people are not asked to consent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirect URIs must match exactly: https, or http only on 127.0.0.1, [::1] or localhost (where any port is accepted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redirect URIs:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::ClientSecretDialog</name>
    <message>
        <source>Client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the secret now and keep it safe: it is shown only this once. If it is lost, rotate the secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Secret:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::ClientsView</name>
    <message>
        <source>&amp;New client…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register an OAuth client of this product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit redirect URIs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the selected client&apos;s name, redirect URIs and consent setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rotate secret…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the selected client a new secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected client; the sign-ins it started end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirect URIs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First-party</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a product to see its OAuth clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth clients of product %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>confidential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>public</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no (asks for consent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give &quot;%1&quot; a new secret. How long may the current secret keep working, so the application can switch over?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End it now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the client &quot;%1&quot; (%2)? Applications using it can no longer sign anyone in, and the sign-ins it started end.</source>
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
    <message>
        <source>&amp;Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing &amp;keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm se&amp;ttings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &amp;detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the identity server at %1? Until it is started again, applications cannot sign anyone in or refresh their tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clients</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::FeatureDialog</name>
    <message>
        <source>New feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit feature %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example: reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>space-separated, for example: reports:read reports:write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While a feature is off, the scopes it unlocks are removed from every token of the product.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scopes:</source>
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
    <name>authrealm::MembershipDialog</name>
    <message>
        <source>Roles in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Product:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Roles:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::MissingDataFolder</name>
    <message>
        <source>The data folder %1, which the console opened last time, has no AuthRealm database (it may have been moved or deleted, or its disk is not mounted).

Locate the folder, create a new empty database there, or quit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Locate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create a new database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locate the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no AuthRealm database (authrealm.db). Choose the folder that holds it.</source>
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
    <name>authrealm::OutboxView</name>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stored (no SMTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every account email is queued here first. A realm without an SMTP server keeps its mails here (&quot;stored&quot;): read verification and reset links and sign-in codes below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox mails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load &amp;older mails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load older mails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To:
Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a mail to read its text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox of realm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n mail(s)</source>
        <translation>
            <numerusform>%n mail</numerusform>
            <numerusform>%n mails</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n newest mail(s) shown</source>
        <translation>
            <numerusform>%n newest mail shown</numerusform>
            <numerusform>%n newest mails shown</numerusform>
        </translation>
    </message>
    <message>
        <source>To: %1
Subject: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail not opened</source>
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
    <name>authrealm::ProductsView</name>
    <message>
        <source>&amp;New product…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a product (app) in this realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add feature…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a feature to this product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit feature…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the selected feature&apos;s scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;role…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a role in this product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;name role…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename the selected role everywhere it is held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete ro&amp;le</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected role (refused while anyone holds it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;scope column…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a scope to the matrix to grant it to roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes it unlocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles and the scopes they grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles and scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick a box to grant the scope to the role. Scopes in italics belong only to features that are off: they reach no token until a feature that unlocks them is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Products of realm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product %1 (%2) in realm %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (system)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System role: cannot be renamed or deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 grants %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not part of any feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlocked by feature: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn feature off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn off feature &quot;%1&quot; of %2? The scopes it unlocks (%3) are removed from every token of the product.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product ID (what clients send as tenantId; letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The product already has a feature &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete feature &quot;%1&quot; of %2? Its scopes (%3) are no longer gated by it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A role named &quot;%1&quot; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name for &quot;%1&quot;:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete role &quot;%1&quot; of %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope (for example reports:read):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid scope.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::RealmSettingsView</name>
    <message>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bold settings differ from their default. Changes take effect when applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realm settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1 to %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set %1 back to its default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset %1 to default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of realm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply realm settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::ScopedView</name>
    <message>
        <source>Cannot read the database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::SessionListModel</name>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device / user agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::SessionsView</name>
    <message>
        <source>Active sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the selected sessions out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke all for this &amp;user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the selected session&apos;s user out everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active sessions in realm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Sign out %n session(s) of %1? Their refresh tokens stop working and their access tokens are refused at once.</source>
        <translation>
            <numerusform>Sign out %n session of %1? Their refresh tokens stop working and their access tokens are refused at once.</numerusform>
            <numerusform>Sign out %n sessions of %1? Their refresh tokens stop working and their access tokens are refused at once.</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke all sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign %1 out on every device? All of their sessions in realm %2 end at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the sessions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::SetPasswordDialog</name>
    <message>
        <source>Set password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a new password for %1. All of their sessions end, so they sign in again everywhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::SigningKeysView</name>
    <message>
        <source>Access tokens are signed with the active key. Rotating creates a new active key; retired keys stay published so tokens they signed keep verifying until they expire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key ID (kid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rotate signing key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new active signing key for this realm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate signing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing keys of realm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate the signing key of realm &quot;%1&quot;? New access tokens will be signed with a new key. Products that cache the realm&apos;s public keys must fetch them again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::TotpEnrolmentDialog</name>
    <message>
        <source>Set up two-step sign-in for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the user to scan this code with their authenticator app (or to type the key below), then to read out the 6-digit code the app shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QR code of the authenticator key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key for manual entry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authenticator key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6-digit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current code from the authenticator app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Turn on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-step sign-in is on. These backup codes each sign in once when the phone is lost. Give them to the user now: &lt;b&gt;they will not be shown again.&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the backup codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-step sign-in not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code not accepted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::UserDetailView</name>
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
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the user a new password; their sessions end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke &amp;all sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the user out on every device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;membership…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit roles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
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
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Products and roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memberships</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device / user agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personal access tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personal access tokens are minted by the user for scripts. Revoking one stops it at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No user selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the session from %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (expired)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the token %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access tokens (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Suspend %1? They cannot sign in until reactivated, and their %n active session(s) end at once.</source>
        <translation>
            <numerusform>Suspend %1? They cannot sign in until reactivated, and their %n active session ends at once.</numerusform>
            <numerusform>Suspend %1? They cannot sign in until reactivated, and their %n active sessions end at once.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %1? They cannot sign in any more, and their %n active session(s) end at once.</source>
        <translation>
            <numerusform>Deactivate %1? They cannot sign in any more, and their %n active session ends at once.</numerusform>
            <numerusform>Deactivate %1? They cannot sign in any more, and their %n active sessions end at once.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke all sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Sign %1 out on every device? %n active session(s) end at once.</source>
        <translation>
            <numerusform>Sign %1 out on every device? %n active session ends at once.</numerusform>
            <numerusform>Sign %1 out on every device? %n active sessions end at once.</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the personal access token &quot;%1&quot; of %2? Scripts using it stop working at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from product %2? They lose every role they hold in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-step sign-in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::UserListModel</name>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::UserSecuritySection</name>
    <message>
        <source>Two-step sign-in state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in lockout state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;up two-step sign-in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a QR code for the user&apos;s authenticator app and turn TOTP on with a code from it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset two-step sign-in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the user&apos;s authenticator and backup codes (lost phone); ends their sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Un&amp;lock sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget failed sign-in attempts and lift the lockout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-step sign-in (TOTP):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brute-force protection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in security not shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On (authenticator app and backup codes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Locked until %1 UTC after %n failed attempt(s)</source>
        <translation>
            <numerusform>Locked until %1 UTC after %n failed attempt</numerusform>
            <numerusform>Locked until %1 UTC after %n failed attempts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not locked (%n recent failed attempt(s))</source>
        <translation>
            <numerusform>Not locked (%n recent failed attempt)</numerusform>
            <numerusform>Not locked (%n recent failed attempts)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset two-step sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the authenticator and backup codes of %1 and end all their sessions? They sign in with the password alone until they set up two-step sign-in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-step sign-in not reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in not unlocked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>authrealm::UsersView</name>
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
    <message>
        <source>Search in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starts with…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the users</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
