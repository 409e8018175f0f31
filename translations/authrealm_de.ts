<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ConsoleFormat</name>
    <message>
        <source>0 s</source>
        <translation>0 s</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 T</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 Std.</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The console opens data folders: give --data %1 (with authrealm.db and master.key in it).</source>
        <translation>Die Konsole öffnet Datenordner: Geben Sie --data %1 an (mit authrealm.db und master.key darin).</translation>
    </message>
    <message>
        <source>AuthRealm console: manage realms and users, browse the audit log, and host the identity server.</source>
        <translation>AuthRealm-Konsole: Realms und Benutzer verwalten, das Audit-Protokoll durchsuchen und den Identitätsserver betreiben.</translation>
    </message>
    <message>
        <source>Open the data folder DIR (default: the last one, else %1).</source>
        <translation>Den Datenordner DIR öffnen (Standard: der zuletzt verwendete, sonst %1).</translation>
    </message>
    <message>
        <source>Open postgres://user[:password]@host:port/db.</source>
        <translation>postgres://user[:password]@host:port/db öffnen.</translation>
    </message>
    <message>
        <source>Key-encryption key file for a PostgreSQL database.</source>
        <translation>Schlüsseldatei zur Verschlüsselung der Schlüssel für eine PostgreSQL-Datenbank.</translation>
    </message>
    <message>
        <source>Start the hosted server right away.</source>
        <translation>Den integrierten Server sofort starten.</translation>
    </message>
    <message>
        <source>Hosted server address (default 127.0.0.1:8080).</source>
        <translation>Adresse des integrierten Servers (Standard: 127.0.0.1:8080).</translation>
    </message>
    <message>
        <source>Open on VIEW (users, sessions, products, keys, settings, audit).</source>
        <translation>Mit Ansicht VIEW öffnen (users, sessions, products, keys, settings, audit).</translation>
    </message>
    <message>
        <source>Select REALM in the navigation.</source>
        <translation>REALM in der Navigation auswählen.</translation>
    </message>
    <message>
        <source>Save a PNG of the window to FILE and quit.</source>
        <translation>Ein PNG des Fensters in FILE speichern und beenden.</translation>
    </message>
    <message>
        <source>AuthRealm</source>
        <translation>AuthRealm</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Die Datenbank kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>With --realm: select the product APP.</source>
        <translation>Mit --realm: das Produkt APP auswählen.</translation>
    </message>
    <message>
        <source>With --realm: open the user with this EMAIL.</source>
        <translation>Mit --realm: den Benutzer mit dieser EMAIL öffnen.</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditChart</name>
    <message>
        <source>Other events</source>
        <translation>Sonstige Ereignisse</translation>
    </message>
    <message>
        <source>Failed sign-ins</source>
        <translation>Fehlgeschlagene Anmeldungen</translation>
    </message>
    <message>
        <source>Denied requests</source>
        <translation>Abgelehnte Anfragen</translation>
    </message>
    <message>
        <source>Events over time</source>
        <translation>Ereignisse im Zeitverlauf</translation>
    </message>
    <message>
        <source>Drag across the chart to show only that time range</source>
        <translation>Ziehen Sie über das Diagramm, um nur diesen Zeitraum anzuzeigen</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>pro Tag</translation>
    </message>
    <message numerus="yes">
        <source>per %n days</source>
        <translation>
            <numerusform>alle %n Tage</numerusform>
            <numerusform>alle %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>pro Stunde</translation>
    </message>
    <message numerus="yes">
        <source>per %n hours</source>
        <translation>
            <numerusform>alle %n Stunden</numerusform>
            <numerusform>alle %n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>pro Minute</translation>
    </message>
    <message numerus="yes">
        <source>per %n minutes</source>
        <translation>
            <numerusform>alle %n Minuten</numerusform>
            <numerusform>alle %n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Events %1 — counting…</source>
        <translation>Ereignisse %1 – wird gezählt…</translation>
    </message>
    <message>
        <source>Events %1</source>
        <translation>Ereignisse %1</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditEventDetails</name>
    <message>
        <source>Event details</source>
        <translation>Ereignisdetails</translation>
    </message>
    <message>
        <source>Select an event to see all of its fields.</source>
        <translation>Wählen Sie ein Ereignis aus, um alle seine Felder anzuzeigen.</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>Ortszeit</translation>
    </message>
    <message>
        <source>Realm</source>
        <translation>Realm</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Target type</source>
        <translation>Zieltyp</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>Ziel-ID</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>Quell-IP</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>Ereignis-ID</translation>
    </message>
    <message>
        <source>Chain position</source>
        <translation>Position in der Kette</translation>
    </message>
    <message>
        <source>seq %1</source>
        <translation>seq %1</translation>
    </message>
    <message>
        <source>not chained (written before the chain existed)</source>
        <translation>nicht verkettet (vor Bestehen der Kette geschrieben)</translation>
    </message>
    <message>
        <source>Previous hash</source>
        <translation>Vorheriger Hash</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Hash</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditEventModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Realm</source>
        <translation>Realm</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>Quell-IP</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditView</name>
    <message>
        <source>Event kinds</source>
        <translation>Ereignisarten</translation>
    </message>
    <message>
        <source>Actor, e.g. user:&lt;id&gt;</source>
        <translation>Akteur, z. B. user:&lt;id&gt;</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>Beliebiges Ergebnis</translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation>Audit-Ereignisse</translation>
    </message>
    <message>
        <source>Cannot read the audit log</source>
        <translation>Das Audit-Protokoll kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Gesamter Zeitraum</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Benutzerdefinierter Zeitraum</translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation>Von (Ortszeit)</translation>
    </message>
    <message>
        <source>To (local time)</source>
        <translation>Bis (Ortszeit)</translation>
    </message>
    <message>
        <source>Any kind (comma-separated)</source>
        <translation>Beliebige Art (durch Kommas getrennt)</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>Ziel-ID</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Search summary, kind, actor, target…</source>
        <translation>Zusammenfassung, Art, Akteur, Ziel durchsuchen…</translation>
    </message>
    <message>
        <source>Free text</source>
        <translation>Freitext</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Erfolg</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Export the filtered events</source>
        <translation>Die gefilterten Ereignisse exportieren</translation>
    </message>
    <message>
        <source>CSV (spreadsheets)…</source>
        <translation>CSV (Tabellenkalkulation)…</translation>
    </message>
    <message>
        <source>JSON array…</source>
        <translation>JSON-Array…</translation>
    </message>
    <message>
        <source>JSON Lines…</source>
        <translation>JSON Lines…</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>Kette &amp;prüfen</translation>
    </message>
    <message>
        <source>Verify the audit hash chain</source>
        <translation>Die Hash-Kette des Audit-Protokolls prüfen</translation>
    </message>
    <message>
        <source>Product:</source>
        <translation>Produkt:</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Zeit:</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>Alle Produkte</translation>
    </message>
    <message>
        <source>Cannot read the products</source>
        <translation>Die Produkte können nicht gelesen werden</translation>
    </message>
    <message numerus="yes">
        <source>Searching… %n found so far, back to %1</source>
        <translation>
            <numerusform>Suche läuft… bisher %n gefunden, zurück bis %1</numerusform>
            <numerusform>Suche läuft… bisher %n gefunden, zurück bis %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message numerus="yes">
        <source>Loading more… %n events shown</source>
        <translation>
            <numerusform>Weitere werden geladen… %n Ereignis angezeigt</numerusform>
            <numerusform>Weitere werden geladen… %n Ereignisse angezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>No event matches the filter.</source>
        <translation>Kein Ereignis entspricht dem Filter.</translation>
    </message>
    <message numerus="yes">
        <source>%n matching events.</source>
        <translation>
            <numerusform>%n passendes Ereignis.</numerusform>
            <numerusform>%n passende Ereignisse.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n events shown; scroll for older ones.</source>
        <translation>
            <numerusform>%n Ereignis angezeigt; scrollen Sie für ältere.</numerusform>
            <numerusform>%n Ereignisse angezeigt; scrollen Sie für ältere.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot count the audit events</source>
        <translation>Die Audit-Ereignisse können nicht gezählt werden</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation>JSON-Lines-Dateien (*.jsonl)</translation>
    </message>
    <message>
        <source>Export audit events</source>
        <translation>Audit-Ereignisse exportieren</translation>
    </message>
    <message>
        <source>Exporting audit events…</source>
        <translation>Audit-Ereignisse werden exportiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exporting audit events… %n written</source>
        <translation>
            <numerusform>Audit-Ereignisse werden exportiert… %n geschrieben</numerusform>
            <numerusform>Audit-Ereignisse werden exportiert… %n geschrieben</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n events.</source>
        <translation>
            <numerusform>%n Ereignis exportiert.</numerusform>
            <numerusform>%n Ereignisse exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read the realms</source>
        <translation>Die Realms können nicht gelesen werden</translation>
    </message>
    <message>
        <source>Verifying the chain…</source>
        <translation>Kette wird geprüft…</translation>
    </message>
    <message>
        <source>Chain of realm &quot;%1&quot; is BROKEN at seq %2: %3</source>
        <translation>Die Kette von Realm „%1“ ist bei seq %2 UNTERBROCHEN: %3</translation>
    </message>
    <message numerus="yes">
        <source>Chain of realm &quot;%1&quot; is intact, %n events.</source>
        <translation>
            <numerusform>Die Kette von Realm „%1“ ist intakt, %n Ereignis.</numerusform>
            <numerusform>Die Kette von Realm „%1“ ist intakt, %n Ereignisse.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Chains of %1 realms are intact, %n events.</source>
        <translation>
            <numerusform>Die Ketten von %1 Realms sind intakt, %n Ereignis.</numerusform>
            <numerusform>Die Ketten von %1 Realms sind intakt, %n Ereignisse.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot verify the chain: %1</source>
        <translation>Die Kette kann nicht geprüft werden: %1</translation>
    </message>
</context>
<context>
    <name>authrealm::ClientDialog</name>
    <message>
        <source>Edit client %1</source>
        <translation>Client %1 bearbeiten</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Neuer Client</translation>
    </message>
    <message>
        <source>Client name</source>
        <translation>Name des Clients</translation>
    </message>
    <message>
        <source>for example: Shop web app</source>
        <translation>zum Beispiel: Shop-Web-App</translation>
    </message>
    <message>
        <source>Public client (single-page or native app: no secret, PKCE)</source>
        <translation>Öffentlicher Client (Single-Page- oder native App: kein Geheimnis, PKCE)</translation>
    </message>
    <message>
        <source>Redirect URIs</source>
        <translation>Weiterleitungs-URIs</translation>
    </message>
    <message>
        <source>one per line, for example: https://shop.example.com/callback</source>
        <translation>eine pro Zeile, zum Beispiel: https://shop.example.com/callback</translation>
    </message>
    <message>
        <source>First-party (people are not asked to consent)</source>
        <translation>Eigene Anwendung (keine Einwilligungsabfrage)</translation>
    </message>
    <message>
        <source>Redirect URIs must match exactly: https, or http only on 127.0.0.1, [::1] or localhost (where any port is accepted).</source>
        <translation>Weiterleitungs-URIs müssen genau übereinstimmen: https, oder http nur auf 127.0.0.1, [::1] oder localhost (dort wird jeder Port akzeptiert).</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Redirect URIs:</source>
        <translation>&amp;Weiterleitungs-URIs:</translation>
    </message>
</context>
<context>
    <name>authrealm::ClientSecretDialog</name>
    <message>
        <source>Client secret</source>
        <translation>Client-Geheimnis</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the secret now and keep it safe: it is shown only this once. If it is lost, rotate the secret.</source>
        <translation>Kopieren Sie das Geheimnis jetzt und bewahren Sie es sicher auf: Es wird nur dieses eine Mal angezeigt. Geht es verloren, erneuern Sie das Geheimnis.</translation>
    </message>
    <message>
        <source>Client ID:</source>
        <translation>Client-ID:</translation>
    </message>
    <message>
        <source>&amp;Secret:</source>
        <translation>&amp;Geheimnis:</translation>
    </message>
</context>
<context>
    <name>authrealm::ClientsView</name>
    <message>
        <source>&amp;New client…</source>
        <translation>&amp;Neuer Client…</translation>
    </message>
    <message>
        <source>Register an OAuth client of this product</source>
        <translation>Einen OAuth-Client dieses Produkts registrieren</translation>
    </message>
    <message>
        <source>&amp;Edit redirect URIs…</source>
        <translation>Weiterleitungs-URIs &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Change the selected client&apos;s name, redirect URIs and consent setting</source>
        <translation>Name, Weiterleitungs-URIs und Einwilligungseinstellung des ausgewählten Clients ändern</translation>
    </message>
    <message>
        <source>&amp;Rotate secret…</source>
        <translation>Geheimnis &amp;erneuern…</translation>
    </message>
    <message>
        <source>Give the selected client a new secret</source>
        <translation>Dem ausgewählten Client ein neues Geheimnis geben</translation>
    </message>
    <message>
        <source>&amp;Delete client</source>
        <translation>Client &amp;löschen</translation>
    </message>
    <message>
        <source>Delete the selected client; the sign-ins it started end</source>
        <translation>Den ausgewählten Client löschen; die von ihm begonnenen Anmeldungen enden</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Redirect URIs</source>
        <translation>Weiterleitungs-URIs</translation>
    </message>
    <message>
        <source>First-party</source>
        <translation>Eigene Anwendung</translation>
    </message>
    <message>
        <source>OAuth clients</source>
        <translation>OAuth-Clients</translation>
    </message>
    <message>
        <source>Choose a product to see its OAuth clients</source>
        <translation>Wählen Sie ein Produkt, um seine OAuth-Clients zu sehen</translation>
    </message>
    <message>
        <source>OAuth clients of product %1</source>
        <translation>OAuth-Clients des Produkts %1</translation>
    </message>
    <message>
        <source>Load clients</source>
        <translation>Clients laden</translation>
    </message>
    <message>
        <source>confidential</source>
        <translation>vertraulich</translation>
    </message>
    <message>
        <source>public</source>
        <translation>öffentlich</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no (asks for consent)</source>
        <translation>nein (fragt nach Einwilligung)</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Neuer Client</translation>
    </message>
    <message>
        <source>Edit client</source>
        <translation>Client bearbeiten</translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation>Geheimnis erneuern</translation>
    </message>
    <message>
        <source>Give &quot;%1&quot; a new secret. How long may the current secret keep working, so the application can switch over?</source>
        <translation>„%1“ ein neues Geheimnis geben. Wie lange soll das bisherige Geheimnis noch funktionieren, damit die Anwendung umstellen kann?</translation>
    </message>
    <message>
        <source>One hour</source>
        <translation>Eine Stunde</translation>
    </message>
    <message>
        <source>One day</source>
        <translation>Einen Tag</translation>
    </message>
    <message>
        <source>End it now</source>
        <translation>Sofort beenden</translation>
    </message>
    <message>
        <source>Delete client</source>
        <translation>Client löschen</translation>
    </message>
    <message>
        <source>Delete the client &quot;%1&quot; (%2)? Applications using it can no longer sign anyone in, and the sign-ins it started end.</source>
        <translation>Den Client „%1“ (%2) löschen? Anwendungen, die ihn verwenden, können niemanden mehr anmelden, und die von ihm begonnenen Anmeldungen enden.</translation>
    </message>
</context>
<context>
    <name>authrealm::ConsoleApp</name>
    <message>
        <source>Cannot open %1</source>
        <translation>%1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Open data folder</source>
        <translation>Datenordner öffnen</translation>
    </message>
    <message>
        <source>Password not remembered</source>
        <translation>Passwort nicht gespeichert</translation>
    </message>
    <message>
        <source>The system keychain did not accept the password, so the console will ask for it next time. It is never written to the settings file.</source>
        <translation>Der Systemschlüsselbund hat das Passwort nicht angenommen, daher fragt die Konsole beim nächsten Mal erneut danach. Es wird nie in die Einstellungsdatei geschrieben.</translation>
    </message>
    <message>
        <source>PostgreSQL password</source>
        <translation>PostgreSQL-Passwort</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>Passwort für %1:</translation>
    </message>
</context>
<context>
    <name>authrealm::ConsoleWindow</name>
    <message>
        <source>AuthRealm Console — %1</source>
        <translation>AuthRealm-Konsole – %1</translation>
    </message>
    <message>
        <source>Realms and products</source>
        <translation>Realms und Produkte</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Benutzer</translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation>&amp;Audit-Protokoll</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Lauschadresse</translation>
    </message>
    <message>
        <source>HOST:PORT the hosted server listens on</source>
        <translation>HOST:PORT, an dem der integrierte Server lauscht</translation>
    </message>
    <message>
        <source>Start or stop the server</source>
        <translation>Server starten oder beenden</translation>
    </message>
    <message>
        <source>Server state</source>
        <translation>Serverstatus</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>nicht gestartet</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the server URL</source>
        <translation>Die Server-URL kopieren</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Lauschen auf:</translation>
    </message>
    <message>
        <source>The administrator account has no password yet: use Server → Set administrator password…</source>
        <translation>Das Administratorkonto hat noch kein Passwort: Verwenden Sie Server → Administratorpasswort festlegen…</translation>
    </message>
    <message>
        <source>Other servers</source>
        <translation>Andere Server</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open data folder…</source>
        <translation>Datenordner ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Connect to &amp;PostgreSQL…</source>
        <translation>Mit &amp;PostgreSQL verbinden…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>Pr&amp;eferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Realm</source>
        <translation>&amp;Realm</translation>
    </message>
    <message>
        <source>New &amp;realm…</source>
        <translation>Neuer &amp;Realm…</translation>
    </message>
    <message>
        <source>New &amp;product…</source>
        <translation>Neues &amp;Produkt…</translation>
    </message>
    <message>
        <source>New &amp;user…</source>
        <translation>Neuer &amp;Benutzer…</translation>
    </message>
    <message>
        <source>&amp;Find user…</source>
        <translation>Benutzer &amp;suchen…</translation>
    </message>
    <message>
        <source>&amp;Delete realm…</source>
        <translation>Realm &amp;löschen…</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>&amp;Copy URL</source>
        <translation>URL &amp;kopieren</translation>
    </message>
    <message>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <source>Set &amp;administrator password…</source>
        <translation>&amp;Administratorpasswort festlegen…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About AuthRealm</source>
        <translation>&amp;Über AuthRealm</translation>
    </message>
    <message>
        <source>About AuthRealm</source>
        <translation>Über AuthRealm</translation>
    </message>
    <message>
        <source>&lt;b&gt;AuthRealm %1&lt;/b&gt;&lt;p&gt;Identity server and console for small teams: realms, scoped tokens, two-step sign-in and an audit log you can verify.&lt;/p&gt;</source>
        <translation>&lt;b&gt;AuthRealm %1&lt;/b&gt;&lt;p&gt;Identitätsserver und Konsole für kleine Teams: Realms, Tokens mit Scopes, zweistufige Anmeldung und ein überprüfbares Audit-Protokoll.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Show the console</source>
        <translation>Konsole anzeigen</translation>
    </message>
    <message>
        <source>Stop the server</source>
        <translation>Server beenden</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>AuthRealm keeps running</source>
        <translation>AuthRealm läuft weiter</translation>
    </message>
    <message>
        <source>The identity server goes on serving at %1. Use the tray icon to show the console or quit.</source>
        <translation>Der Identitätsserver ist weiterhin unter %1 erreichbar. Über das Symbol im Infobereich können Sie die Konsole anzeigen oder das Programm beenden.</translation>
    </message>
    <message>
        <source>Invalid address</source>
        <translation>Ungültige Adresse</translation>
    </message>
    <message>
        <source>Enter the address as HOST:PORT, for example 127.0.0.1:8080.</source>
        <translation>Geben Sie die Adresse als HOST:PORT ein, zum Beispiel 127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>Cannot start the server</source>
        <translation>Der Server kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>%1

Is another AuthRealm server already using this address?</source>
        <translation>%1

Verwendet bereits ein anderer AuthRealm-Server diese Adresse?</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>Server beenden</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>Server starten</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>AuthRealm: serving at %1</source>
        <translation>AuthRealm: erreichbar unter %1</translation>
    </message>
    <message>
        <source>AuthRealm: server stopped</source>
        <translation>AuthRealm: Server beendet</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Running — %1 requests/s, %2 in total</source>
        <translation>Läuft – %1 Anfragen/s, insgesamt %2</translation>
    </message>
    <message>
        <source>Another AuthRealm server (%1, process %2 on %3, listening on %4) is serving this database.</source>
        <translation>Ein anderer AuthRealm-Server (%1, Prozess %2 auf %3, lauscht auf %4) bedient diese Datenbank.</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Die Datenbank kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>New realm</source>
        <translation>Neuer Realm</translation>
    </message>
    <message>
        <source>Realm id (lower-case letters, digits and dashes; it appears in URLs):</source>
        <translation>Realm-ID (Kleinbuchstaben, Ziffern und Bindestriche; erscheint in URLs):</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Anzeigename:</translation>
    </message>
    <message>
        <source>Realm not created</source>
        <translation>Realm nicht erstellt</translation>
    </message>
    <message>
        <source>New product in %1</source>
        <translation>Neues Produkt in %1</translation>
    </message>
    <message>
        <source>Product id (lower-case letters, digits and dashes; clients send it as tenantId):</source>
        <translation>Produkt-ID (Kleinbuchstaben, Ziffern und Bindestriche; Clients senden sie als tenantId):</translation>
    </message>
    <message>
        <source>Product not created</source>
        <translation>Produkt nicht erstellt</translation>
    </message>
    <message>
        <source>Delete realm</source>
        <translation>Realm löschen</translation>
    </message>
    <message>
        <source>Delete the realm &quot;%1&quot; with all its users, products, roles, sessions, tokens and signing keys? Signed-in users are signed out. This cannot be undone.</source>
        <translation>Den Realm „%1“ mit allen Benutzern, Produkten, Rollen, Sitzungen, Tokens und Signaturschlüsseln löschen? Angemeldete Benutzer werden abgemeldet. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Realm not deleted</source>
        <translation>Realm nicht gelöscht</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>Administratorpasswort</translation>
    </message>
    <message>
        <source>The administrator account (&quot;admin&quot; in realm &quot;master&quot;) has no password yet.
Choose one (at least 8 characters):</source>
        <translation>Das Administratorkonto („admin“ im Realm „master“) hat noch kein Passwort.
Wählen Sie eines (mindestens 8 Zeichen):</translation>
    </message>
    <message>
        <source>Password not set</source>
        <translation>Passwort nicht festgelegt</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>&amp;Sitzungen</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>&amp;Produkte</translation>
    </message>
    <message>
        <source>Signing &amp;keys</source>
        <translation>Si&amp;gnaturschlüssel</translation>
    </message>
    <message>
        <source>Realm se&amp;ttings</source>
        <translation>Realm-Eins&amp;tellungen</translation>
    </message>
    <message>
        <source>User &amp;detail</source>
        <translation>Benutzer&amp;details</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>&amp;Postausgang</translation>
    </message>
    <message>
        <source>Stop the identity server at %1? Until it is started again, applications cannot sign anyone in or refresh their tokens.</source>
        <translation>Den Identitätsserver unter %1 anhalten? Bis er wieder gestartet wird, können Anwendungen niemanden anmelden und keine Token erneuern.</translation>
    </message>
    <message>
        <source>&amp;Clients</source>
        <translation>&amp;Clients</translation>
    </message>
</context>
<context>
    <name>authrealm::FeatureDialog</name>
    <message>
        <source>New feature</source>
        <translation>Neues Feature</translation>
    </message>
    <message>
        <source>Edit feature %1</source>
        <translation>Feature %1 bearbeiten</translation>
    </message>
    <message>
        <source>Feature key</source>
        <translation>Feature-Schlüssel</translation>
    </message>
    <message>
        <source>for example: reports</source>
        <translation>zum Beispiel: reports</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>space-separated, for example: reports:read reports:write</source>
        <translation>durch Leerzeichen getrennt, zum Beispiel: reports:read reports:write</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>While a feature is off, the scopes it unlocks are removed from every token of the product.</source>
        <translation>Solange ein Feature deaktiviert ist, werden die von ihm freigeschalteten Scopes aus jedem Token des Produkts entfernt.</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Scopes:</source>
        <translation>S&amp;copes:</translation>
    </message>
</context>
<context>
    <name>authrealm::FirstRunWizard</name>
    <message>
        <source>Where AuthRealm keeps its data</source>
        <translation>Wo AuthRealm seine Daten speichert</translation>
    </message>
    <message>
        <source>A data folder holds the database (SQLite) and the key that encrypts signing keys. Choose a new folder to start fresh, or an existing one to open it. authrealmd uses the same folder by default.</source>
        <translation>Ein Datenordner enthält die Datenbank (SQLite) und den Schlüssel, mit dem die Signaturschlüssel verschlüsselt werden. Wählen Sie einen neuen Ordner, um neu zu beginnen, oder einen vorhandenen, um ihn zu öffnen. authrealmd verwendet standardmäßig denselben Ordner.</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Datenordner</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Data folder:</source>
        <translation>&amp;Datenordner:</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht erstellt werden.</translation>
    </message>
    <message>
        <source>The administrator</source>
        <translation>Der Administrator</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>Administratorpasswort</translation>
    </message>
    <message>
        <source>Repeat the administrator password</source>
        <translation>Administratorpasswort wiederholen</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>The administrator signs in as &quot;admin&quot; in the realm &quot;master&quot; (the admin API and authrealmd&apos;s tools). Choose a password of at least 8 characters.</source>
        <translation>Der Administrator meldet sich als „admin“ im Realm „master“ an (Admin-API und Werkzeuge von authrealmd). Wählen Sie ein Passwort mit mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <source>This data folder already has an administrator with a password. Nothing to do here.</source>
        <translation>Dieser Datenordner hat bereits einen Administrator mit Passwort. Hier ist nichts zu tun.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
    <message>
        <source>A first realm and product</source>
        <translation>Ein erster Realm und ein erstes Produkt</translation>
    </message>
    <message>
        <source>A realm holds one organisation&apos;s users; a product is an application they sign in to, with its own roles and features. You can add more later.</source>
        <translation>Ein Realm enthält die Benutzer einer Organisation; ein Produkt ist eine Anwendung, bei der sie sich anmelden, mit eigenen Rollen und Features. Weitere können Sie später hinzufügen.</translation>
    </message>
    <message>
        <source>&amp;Create a realm and a product now</source>
        <translation>Jetzt einen Realm und ein Produkt &amp;erstellen</translation>
    </message>
    <message>
        <source>Realm id</source>
        <translation>Realm-ID</translation>
    </message>
    <message>
        <source>Realm display name</source>
        <translation>Anzeigename des Realms</translation>
    </message>
    <message>
        <source>Product id</source>
        <translation>Produkt-ID</translation>
    </message>
    <message>
        <source>My product</source>
        <translation>Mein Produkt</translation>
    </message>
    <message>
        <source>Product display name</source>
        <translation>Anzeigename des Produkts</translation>
    </message>
    <message>
        <source>Realm &amp;id:</source>
        <translation>Realm-&amp;ID:</translation>
    </message>
    <message>
        <source>Realm &amp;name:</source>
        <translation>Realm-&amp;Name:</translation>
    </message>
    <message>
        <source>Product i&amp;d:</source>
        <translation>Produkt-I&amp;D:</translation>
    </message>
    <message>
        <source>Product na&amp;me:</source>
        <translation>Produktna&amp;me:</translation>
    </message>
    <message>
        <source>The identity server</source>
        <translation>Der Identitätsserver</translation>
    </message>
    <message>
        <source>The console can run the AuthRealm server inside itself, so your applications can sign users in while the console is open. authrealmd runs the same server without a window.</source>
        <translation>Die Konsole kann den AuthRealm-Server selbst ausführen, sodass Ihre Anwendungen Benutzer anmelden können, solange die Konsole geöffnet ist. authrealmd führt denselben Server ohne Fenster aus.</translation>
    </message>
    <message>
        <source>&amp;Start the server when the console opens</source>
        <translation>Server beim Öffnen der Konsole s&amp;tarten</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Lauschadresse</translation>
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation>&amp;Lauschen auf:</translation>
    </message>
    <message>
        <source>Welcome to AuthRealm</source>
        <translation>Willkommen bei AuthRealm</translation>
    </message>
</context>
<context>
    <name>authrealm::MembershipDialog</name>
    <message>
        <source>Roles in %1</source>
        <translation>Rollen in %1</translation>
    </message>
    <message>
        <source>Add membership</source>
        <translation>Mitgliedschaft hinzufügen</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>&amp;Product:</source>
        <translation>&amp;Produkt:</translation>
    </message>
    <message>
        <source>&amp;Roles:</source>
        <translation>&amp;Rollen:</translation>
    </message>
    <message>
        <source>Read roles</source>
        <translation>Rollen lesen</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 – %2</translation>
    </message>
</context>
<context>
    <name>authrealm::MissingDataFolder</name>
    <message>
        <source>The data folder %1, which the console opened last time, has no AuthRealm database (it may have been moved or deleted, or its disk is not mounted).

Locate the folder, create a new empty database there, or quit?</source>
        <translation>Der Datenordner %1, den die Konsole zuletzt geöffnet hat, enthält keine AuthRealm-Datenbank (vielleicht wurde er verschoben oder gelöscht, oder sein Laufwerk ist nicht eingehängt).

Den Ordner suchen, dort eine neue, leere Datenbank anlegen oder beenden?</translation>
    </message>
    <message>
        <source>&amp;Locate…</source>
        <translation>Ordner &amp;suchen…</translation>
    </message>
    <message>
        <source>&amp;Create a new database</source>
        <translation>Neue Datenbank &amp;anlegen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Data folder not found</source>
        <translation>Datenordner nicht gefunden</translation>
    </message>
    <message>
        <source>Locate the data folder</source>
        <translation>Datenordner suchen</translation>
    </message>
    <message>
        <source>Not a data folder</source>
        <translation>Kein Datenordner</translation>
    </message>
    <message>
        <source>%1 has no AuthRealm database (authrealm.db). Choose the folder that holds it.</source>
        <translation>%1 enthält keine AuthRealm-Datenbank (authrealm.db). Wählen Sie den Ordner, der sie enthält.</translation>
    </message>
</context>
<context>
    <name>authrealm::NewUserDialog</name>
    <message>
        <source>New user in realm %1</source>
        <translation>Neuer Benutzer im Realm %1</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Passwort wiederholen</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>No product</source>
        <translation>Kein Produkt</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Die Datenbank kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>&amp;Anzeigename:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>Passwort &amp;wiederholen:</translation>
    </message>
    <message>
        <source>Pr&amp;oduct:</source>
        <translation>Pr&amp;odukt:</translation>
    </message>
    <message>
        <source>Ro&amp;le:</source>
        <translation>Ro&amp;lle:</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>Benutzer erstellen</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
    <message>
        <source>User not created</source>
        <translation>Benutzer nicht erstellt</translation>
    </message>
</context>
<context>
    <name>authrealm::OutboxView</name>
    <message>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>stored (no SMTP)</source>
        <translation>gespeichert (kein SMTP)</translation>
    </message>
    <message>
        <source>Every account email is queued here first. A realm without an SMTP server keeps its mails here (&quot;stored&quot;): read verification and reset links and sign-in codes below.</source>
        <translation>Jede Konto-E-Mail wird zuerst hier eingereiht. Ein Realm ohne SMTP-Server behält seine E-Mails hier („gespeichert“): Bestätigungs- und Zurücksetzungslinks sowie Anmeldecodes können Sie unten lesen.</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>Outbox mails</source>
        <translation>E-Mails im Postausgang</translation>
    </message>
    <message>
        <source>Load &amp;older mails</source>
        <translation>Ä&amp;ltere E-Mails laden</translation>
    </message>
    <message>
        <source>Load older mails</source>
        <translation>Ältere E-Mails laden</translation>
    </message>
    <message>
        <source>To:
Subject:</source>
        <translation>An:
Betreff:</translation>
    </message>
    <message>
        <source>Mail text</source>
        <translation>E-Mail-Text</translation>
    </message>
    <message>
        <source>Select a mail to read its text.</source>
        <translation>Wählen Sie eine E-Mail aus, um ihren Text zu lesen.</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Kein Realm ausgewählt</translation>
    </message>
    <message>
        <source>Outbox of realm %1</source>
        <translation>Postausgang des Realms %1</translation>
    </message>
    <message>
        <source>Outbox not loaded</source>
        <translation>Postausgang nicht geladen</translation>
    </message>
    <message numerus="yes">
        <source>%n mail(s)</source>
        <translation>
            <numerusform>%n E-Mail</numerusform>
            <numerusform>%n E-Mails</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n newest mail(s) shown</source>
        <translation>
            <numerusform>%n neueste E-Mail angezeigt</numerusform>
            <numerusform>%n neueste E-Mails angezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>To: %1
Subject: %2</source>
        <translation>An: %1
Betreff: %2</translation>
    </message>
    <message>
        <source>Mail not opened</source>
        <translation>E-Mail nicht geöffnet</translation>
    </message>
</context>
<context>
    <name>authrealm::PostgresDialog</name>
    <message>
        <source>Connect to PostgreSQL</source>
        <translation>Mit PostgreSQL verbinden</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Remember the password in the system &amp;keychain</source>
        <translation>Passwort im Systemschlüsselbund spei&amp;chern</translation>
    </message>
    <message>
        <source>This build has no keychain support: the password is asked for each time.</source>
        <translation>Dieser Build unterstützt keinen Schlüsselbund: Das Passwort wird jedes Mal abgefragt.</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Schlüsseldatei</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>The key file holds the key that encrypts the realms&apos; signing keys. Use the same file as the authrealmd servers on this database (their --key-file or AUTHREALM_MASTER_KEY).</source>
        <translation>Die Schlüsseldatei enthält den Schlüssel, mit dem die Signaturschlüssel der Realms verschlüsselt werden. Verwenden Sie dieselbe Datei wie die authrealmd-Server dieser Datenbank (deren --key-file oder AUTHREALM_MASTER_KEY).</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>&amp;Schlüsseldatei:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
</context>
<context>
    <name>authrealm::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Systemstandard (%1)</translation>
    </message>
    <message>
        <source>Keep the server running in the &amp;tray when the window is closed</source>
        <translation>Server beim Schließen des Fensters im &amp;Infobereich weiterlaufen lassen</translation>
    </message>
    <message>
        <source>This desktop has no system tray.</source>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich.</translation>
    </message>
    <message>
        <source>&amp;Start the server when the console opens</source>
        <translation>Server beim Öffnen der Konsole s&amp;tarten</translation>
    </message>
    <message>
        <source>A new language applies the next time the console starts.</source>
        <translation>Eine neue Sprache wird beim nächsten Start der Konsole wirksam.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
</context>
<context>
    <name>authrealm::ProductsView</name>
    <message>
        <source>&amp;New product…</source>
        <translation>&amp;Neues Produkt…</translation>
    </message>
    <message>
        <source>Create a product (app) in this realm</source>
        <translation>Ein Produkt (App) in diesem Realm erstellen</translation>
    </message>
    <message>
        <source>&amp;Add feature…</source>
        <translation>Feature &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add a feature to this product</source>
        <translation>Diesem Produkt ein Feature hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Edit feature…</source>
        <translation>Feature &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Change the selected feature&apos;s scopes</source>
        <translation>Die Scopes des ausgewählten Features ändern</translation>
    </message>
    <message>
        <source>&amp;Delete feature</source>
        <translation>Feature &amp;löschen</translation>
    </message>
    <message>
        <source>Delete the selected feature</source>
        <translation>Das ausgewählte Feature löschen</translation>
    </message>
    <message>
        <source>New &amp;role…</source>
        <translation>Neue &amp;Rolle…</translation>
    </message>
    <message>
        <source>Create a role in this product</source>
        <translation>Eine Rolle in diesem Produkt erstellen</translation>
    </message>
    <message>
        <source>Re&amp;name role…</source>
        <translation>Rolle &amp;umbenennen…</translation>
    </message>
    <message>
        <source>Rename the selected role everywhere it is held</source>
        <translation>Die ausgewählte Rolle überall umbenennen, wo sie vergeben ist</translation>
    </message>
    <message>
        <source>Delete ro&amp;le</source>
        <translation>Rolle l&amp;öschen</translation>
    </message>
    <message>
        <source>Delete the selected role (refused while anyone holds it)</source>
        <translation>Die ausgewählte Rolle löschen (nicht möglich, solange sie jemandem zugewiesen ist)</translation>
    </message>
    <message>
        <source>Add &amp;scope column…</source>
        <translation>&amp;Scope-Spalte hinzufügen…</translation>
    </message>
    <message>
        <source>Add a scope to the matrix to grant it to roles</source>
        <translation>Einen Scope zur Matrix hinzufügen, um ihn Rollen zu gewähren</translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation>Produkt-ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>Features</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Scopes it unlocks</source>
        <translation>Freigeschaltete Scopes</translation>
    </message>
    <message>
        <source>Roles and the scopes they grant</source>
        <translation>Rollen und die von ihnen gewährten Scopes</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Roles and scopes</source>
        <translation>Rollen und Scopes</translation>
    </message>
    <message>
        <source>Tick a box to grant the scope to the role. Scopes in italics belong only to features that are off: they reach no token until a feature that unlocks them is on.</source>
        <translation>Aktivieren Sie ein Kästchen, um der Rolle den Scope zu gewähren. Kursive Scopes gehören nur zu deaktivierten Features: Sie gelangen in kein Token, bis ein Feature aktiviert ist, das sie freischaltet.</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Kein Realm ausgewählt</translation>
    </message>
    <message>
        <source>Products of realm %1</source>
        <translation>Produkte des Realms %1</translation>
    </message>
    <message>
        <source>Product %1 (%2) in realm %3</source>
        <translation>Produkt %1 (%2) im Realm %3</translation>
    </message>
    <message>
        <source>%1 is on</source>
        <translation>%1 ist aktiviert</translation>
    </message>
    <message>
        <source>%1 (system)</source>
        <translation>%1 (System)</translation>
    </message>
    <message>
        <source>System role: cannot be renamed or deleted</source>
        <translation>Systemrolle: kann nicht umbenannt oder gelöscht werden</translation>
    </message>
    <message>
        <source>%1 grants %2</source>
        <translation>%1 gewährt %2</translation>
    </message>
    <message>
        <source>%1 (off)</source>
        <translation>%1 (deaktiviert)</translation>
    </message>
    <message>
        <source>Not part of any feature</source>
        <translation>Gehört zu keinem Feature</translation>
    </message>
    <message>
        <source>Unlocked by feature: %1</source>
        <translation>Freigeschaltet durch Feature: %1</translation>
    </message>
    <message>
        <source>Turn feature off</source>
        <translation>Feature deaktivieren</translation>
    </message>
    <message>
        <source>Turn off feature &quot;%1&quot; of %2? The scopes it unlocks (%3) are removed from every token of the product.</source>
        <translation>Feature „%1“ von %2 deaktivieren? Die von ihm freigeschalteten Scopes (%3) werden aus jedem Token des Produkts entfernt.</translation>
    </message>
    <message>
        <source>Switch feature</source>
        <translation>Feature umschalten</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Rolle ändern</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Neues Produkt</translation>
    </message>
    <message>
        <source>Product ID (what clients send as tenantId; letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;):</source>
        <translation>Produkt-ID (wird von Clients als tenantId gesendet; Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;):</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Anzeigename:</translation>
    </message>
    <message>
        <source>Add feature</source>
        <translation>Feature hinzufügen</translation>
    </message>
    <message>
        <source>The product already has a feature &quot;%1&quot;.</source>
        <translation>Das Produkt hat bereits ein Feature „%1“.</translation>
    </message>
    <message>
        <source>Edit feature</source>
        <translation>Feature bearbeiten</translation>
    </message>
    <message>
        <source>Delete feature</source>
        <translation>Feature löschen</translation>
    </message>
    <message>
        <source>Delete feature &quot;%1&quot; of %2? Its scopes (%3) are no longer gated by it.</source>
        <translation>Feature „%1“ von %2 löschen? Seine Scopes (%3) werden dann nicht mehr durch es gesteuert.</translation>
    </message>
    <message>
        <source>New role</source>
        <translation>Neue Rolle</translation>
    </message>
    <message>
        <source>Role name:</source>
        <translation>Rollenname:</translation>
    </message>
    <message>
        <source>A role named &quot;%1&quot; already exists.</source>
        <translation>Eine Rolle namens „%1“ ist bereits vorhanden.</translation>
    </message>
    <message>
        <source>Rename role</source>
        <translation>Rolle umbenennen</translation>
    </message>
    <message>
        <source>New name for &quot;%1&quot;:</source>
        <translation>Neuer Name für „%1“:</translation>
    </message>
    <message>
        <source>Delete role</source>
        <translation>Rolle löschen</translation>
    </message>
    <message>
        <source>Delete role &quot;%1&quot; of %2?</source>
        <translation>Rolle „%1“ von %2 löschen?</translation>
    </message>
    <message>
        <source>Add scope</source>
        <translation>Scope hinzufügen</translation>
    </message>
    <message>
        <source>Scope (for example reports:read):</source>
        <translation>Scope (zum Beispiel reports:read):</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid scope.</source>
        <translation>„%1“ ist kein gültiger Scope.</translation>
    </message>
</context>
<context>
    <name>authrealm::RealmSettingsView</name>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>on</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Bold settings differ from their default. Changes take effect when applied.</source>
        <translation>Fett dargestellte Einstellungen weichen vom Standard ab. Änderungen werden beim Übernehmen wirksam.</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Realm settings</source>
        <translation>Realm-Einstellungen</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiviert</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>From %1 to %2 %3</source>
        <translation>Von %1 bis %2 %3</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Set %1 back to its default</source>
        <translation>%1 auf den Standardwert zurücksetzen</translation>
    </message>
    <message>
        <source>Reset %1 to default</source>
        <translation>%1 auf Standard zurücksetzen</translation>
    </message>
    <message>
        <source>Apply settings</source>
        <translation>Einstellungen übernehmen</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Settings of realm %1</source>
        <translation>Einstellungen des Realms %1</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Kein Realm ausgewählt</translation>
    </message>
    <message>
        <source>Apply realm settings</source>
        <translation>Realm-Einstellungen übernehmen</translation>
    </message>
</context>
<context>
    <name>authrealm::ScopedView</name>
    <message>
        <source>Cannot read the database</source>
        <translation>Die Datenbank kann nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>authrealm::SessionListModel</name>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Device / user agent</source>
        <translation>Gerät / User-Agent</translation>
    </message>
    <message>
        <source>Signed in (UTC)</source>
        <translation>Angemeldet (UTC)</translation>
    </message>
    <message>
        <source>Last used (UTC)</source>
        <translation>Zuletzt verwendet (UTC)</translation>
    </message>
</context>
<context>
    <name>authrealm::SessionsView</name>
    <message>
        <source>Active sessions</source>
        <translation>Aktive Sitzungen</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Widerrufen</translation>
    </message>
    <message>
        <source>Sign the selected sessions out</source>
        <translation>Die ausgewählten Sitzungen abmelden</translation>
    </message>
    <message>
        <source>Revoke all for this &amp;user</source>
        <translation>Alle für diesen &amp;Benutzer widerrufen</translation>
    </message>
    <message>
        <source>Sign the selected session&apos;s user out everywhere</source>
        <translation>Den Benutzer der ausgewählten Sitzung überall abmelden</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Kein Realm ausgewählt</translation>
    </message>
    <message>
        <source>Active sessions in realm %1</source>
        <translation>Aktive Sitzungen im Realm %1</translation>
    </message>
    <message>
        <source>Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.</source>
        <translation>%1 von der Sitzung von %2 (%3) abmelden? Ihr Aktualisierungstoken wird ungültig und ihre Zugriffstokens werden sofort abgelehnt.</translation>
    </message>
    <message numerus="yes">
        <source>Sign out %n session(s) of %1? Their refresh tokens stop working and their access tokens are refused at once.</source>
        <translation>
            <numerusform>%n Sitzung von %1 abmelden? Ihr Aktualisierungstoken wird ungültig und ihre Zugriffstokens werden sofort abgelehnt.</numerusform>
            <numerusform>%n Sitzungen von %1 abmelden? Ihre Aktualisierungstokens werden ungültig und ihre Zugriffstokens werden sofort abgelehnt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke sessions</source>
        <translation>Sitzungen widerrufen</translation>
    </message>
    <message>
        <source>Revoke session</source>
        <translation>Sitzung widerrufen</translation>
    </message>
    <message>
        <source>Revoke all sessions</source>
        <translation>Alle Sitzungen widerrufen</translation>
    </message>
    <message>
        <source>Sign %1 out on every device? All of their sessions in realm %2 end at once.</source>
        <translation>%1 auf allen Geräten abmelden? Alle Sitzungen im Realm %2 werden sofort beendet.</translation>
    </message>
    <message>
        <source>Cannot read the sessions</source>
        <translation>Die Sitzungen können nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>authrealm::SetPasswordDialog</name>
    <message>
        <source>Set password</source>
        <translation>Passwort festlegen</translation>
    </message>
    <message>
        <source>Set a new password for %1. All of their sessions end, so they sign in again everywhere.</source>
        <translation>Legen Sie ein neues Passwort für %1 fest. Alle Sitzungen werden beendet, sodass überall eine neue Anmeldung nötig ist.</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Neues Passwort wiederholen</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;Neues Passwort:</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>authrealm::SigningKeysView</name>
    <message>
        <source>Access tokens are signed with the active key. Rotating creates a new active key; retired keys stay published so tokens they signed keep verifying until they expire.</source>
        <translation>Zugriffstokens werden mit dem aktiven Schlüssel signiert. Beim Rotieren wird ein neuer aktiver Schlüssel erstellt; ausgemusterte Schlüssel bleiben veröffentlicht, sodass damit signierte Tokens bis zu ihrem Ablauf gültig geprüft werden können.</translation>
    </message>
    <message>
        <source>Key ID (kid)</source>
        <translation>Schlüssel-ID (kid)</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>Algorithmus</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Signing keys</source>
        <translation>Signaturschlüssel</translation>
    </message>
    <message>
        <source>&amp;Rotate signing key…</source>
        <translation>Signaturschlüssel &amp;rotieren…</translation>
    </message>
    <message>
        <source>Create a new active signing key for this realm</source>
        <translation>Einen neuen aktiven Signaturschlüssel für diesen Realm erstellen</translation>
    </message>
    <message>
        <source>Rotate signing key</source>
        <translation>Signaturschlüssel rotieren</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Kein Realm ausgewählt</translation>
    </message>
    <message>
        <source>Signing keys of realm %1</source>
        <translation>Signaturschlüssel des Realms %1</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>ausgemustert</translation>
    </message>
    <message>
        <source>Rotate the signing key of realm &quot;%1&quot;? New access tokens will be signed with a new key. Products that cache the realm&apos;s public keys must fetch them again.</source>
        <translation>Den Signaturschlüssel des Realms „%1“ rotieren? Neue Zugriffstokens werden mit einem neuen Schlüssel signiert. Produkte, die die öffentlichen Schlüssel des Realms zwischenspeichern, müssen sie erneut abrufen.</translation>
    </message>
</context>
<context>
    <name>authrealm::TotpEnrolmentDialog</name>
    <message>
        <source>Set up two-step sign-in for %1</source>
        <translation>Zweistufige Anmeldung für %1 einrichten</translation>
    </message>
    <message>
        <source>Ask the user to scan this code with their authenticator app (or to type the key below), then to read out the 6-digit code the app shows.</source>
        <translation>Bitten Sie den Benutzer, diesen Code mit seiner Authenticator-App zu scannen (oder den Schlüssel unten einzugeben) und dann den 6-stelligen Code vorzulesen, den die App anzeigt.</translation>
    </message>
    <message>
        <source>QR code of the authenticator key</source>
        <translation>QR-Code des Authenticator-Schlüssels</translation>
    </message>
    <message>
        <source>Key for manual entry:</source>
        <translation>Schlüssel zur manuellen Eingabe:</translation>
    </message>
    <message>
        <source>Authenticator key</source>
        <translation>Authenticator-Schlüssel</translation>
    </message>
    <message>
        <source>6-digit code</source>
        <translation>6-stelliger Code</translation>
    </message>
    <message>
        <source>Current code from the authenticator app</source>
        <translation>Aktueller Code aus der Authenticator-App</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>&amp;Code:</translation>
    </message>
    <message>
        <source>&amp;Turn on</source>
        <translation>&amp;Einschalten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Two-step sign-in is on. These backup codes each sign in once when the phone is lost. Give them to the user now: &lt;b&gt;they will not be shown again.&lt;/b&gt;</source>
        <translation>Die zweistufige Anmeldung ist eingeschaltet. Jeder dieser Sicherungscodes ermöglicht eine Anmeldung, falls das Telefon verloren geht. Geben Sie sie jetzt an den Benutzer weiter: &lt;b&gt;Sie werden nicht noch einmal angezeigt.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Backup codes</source>
        <translation>Sicherungscodes</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the backup codes</source>
        <translation>Die Sicherungscodes kopieren</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>&amp;Fertig</translation>
    </message>
    <message>
        <source>Two-step sign-in not set up</source>
        <translation>Zweistufige Anmeldung nicht eingerichtet</translation>
    </message>
    <message>
        <source>Code not accepted</source>
        <translation>Code nicht akzeptiert</translation>
    </message>
</context>
<context>
    <name>authrealm::UserDetailView</name>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Set &amp;password…</source>
        <translation>&amp;Passwort festlegen…</translation>
    </message>
    <message>
        <source>Give the user a new password; their sessions end</source>
        <translation>Dem Benutzer ein neues Passwort geben; seine Sitzungen werden beendet</translation>
    </message>
    <message>
        <source>Revoke &amp;all sessions</source>
        <translation>&amp;Alle Sitzungen widerrufen</translation>
    </message>
    <message>
        <source>Sign the user out on every device</source>
        <translation>Den Benutzer auf allen Geräten abmelden</translation>
    </message>
    <message>
        <source>Add &amp;membership…</source>
        <translation>&amp;Mitgliedschaft hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit roles…</source>
        <translation>Rollen &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove membership</source>
        <translation>Mitgliedschaft &amp;entfernen</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Passwort festlegen</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Email:</source>
        <translation>E-Mail:</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Anzeigename:</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>Created (UTC):</source>
        <translation>Erstellt (UTC):</translation>
    </message>
    <message>
        <source>Updated (UTC):</source>
        <translation>Aktualisiert (UTC):</translation>
    </message>
    <message>
        <source>Products and roles</source>
        <translation>Produkte und Rollen</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Access tokens</source>
        <translation>Zugriffstokens</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>Scopes granted</source>
        <translation>Gewährte Scopes</translation>
    </message>
    <message>
        <source>Memberships</source>
        <translation>Mitgliedschaften</translation>
    </message>
    <message>
        <source>Device / user agent</source>
        <translation>Gerät / User-Agent</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Signed in (UTC)</source>
        <translation>Angemeldet (UTC)</translation>
    </message>
    <message>
        <source>Last used (UTC)</source>
        <translation>Zuletzt verwendet (UTC)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
    <message>
        <source>Expires (UTC)</source>
        <translation>Läuft ab (UTC)</translation>
    </message>
    <message>
        <source>Personal access tokens</source>
        <translation>Persönliche Zugriffstokens</translation>
    </message>
    <message>
        <source>Personal access tokens are minted by the user for scripts. Revoking one stops it at once.</source>
        <translation>Persönliche Zugriffstokens erstellt der Benutzer für Skripte. Ein widerrufenes Token funktioniert sofort nicht mehr.</translation>
    </message>
    <message>
        <source>No user selected</source>
        <translation>Kein Benutzer ausgewählt</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Revoke the session from %1 (%2)</source>
        <translation>Die Sitzung von %1 (%2) widerrufen</translation>
    </message>
    <message>
        <source>Sessions (%1)</source>
        <translation>Sitzungen (%1)</translation>
    </message>
    <message>
        <source>%1 (expired)</source>
        <translation>%1 (abgelaufen)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Revoke the token %1</source>
        <translation>Das Token %1 widerrufen</translation>
    </message>
    <message>
        <source>Access tokens (%1)</source>
        <translation>Zugriffstokens (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Suspend %1? They cannot sign in until reactivated, and their %n active session(s) end at once.</source>
        <translation>
            <numerusform>%1 sperren? Eine Anmeldung ist erst nach der Reaktivierung wieder möglich, und die %n aktive Sitzung wird sofort beendet.</numerusform>
            <numerusform>%1 sperren? Eine Anmeldung ist erst nach der Reaktivierung wieder möglich, und die %n aktiven Sitzungen werden sofort beendet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %1? They cannot sign in any more, and their %n active session(s) end at once.</source>
        <translation>
            <numerusform>%1 deaktivieren? Eine Anmeldung ist nicht mehr möglich, und die %n aktive Sitzung wird sofort beendet.</numerusform>
            <numerusform>%1 deaktivieren? Eine Anmeldung ist nicht mehr möglich, und die %n aktiven Sitzungen werden sofort beendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>Status ändern</translation>
    </message>
    <message>
        <source>Revoke session</source>
        <translation>Sitzung widerrufen</translation>
    </message>
    <message>
        <source>Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.</source>
        <translation>%1 von der Sitzung von %2 (%3) abmelden? Ihr Aktualisierungstoken wird ungültig und ihre Zugriffstokens werden sofort abgelehnt.</translation>
    </message>
    <message>
        <source>Revoke all sessions</source>
        <translation>Alle Sitzungen widerrufen</translation>
    </message>
    <message numerus="yes">
        <source>Sign %1 out on every device? %n active session(s) end at once.</source>
        <translation>
            <numerusform>%1 auf allen Geräten abmelden? %n aktive Sitzung wird sofort beendet.</numerusform>
            <numerusform>%1 auf allen Geräten abmelden? %n aktive Sitzungen werden sofort beendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke access token</source>
        <translation>Zugriffstoken widerrufen</translation>
    </message>
    <message>
        <source>Revoke the personal access token &quot;%1&quot; of %2? Scripts using it stop working at once.</source>
        <translation>Das persönliche Zugriffstoken „%1“ von %2 widerrufen? Skripte, die es verwenden, funktionieren sofort nicht mehr.</translation>
    </message>
    <message>
        <source>Add membership</source>
        <translation>Mitgliedschaft hinzufügen</translation>
    </message>
    <message>
        <source>Edit roles</source>
        <translation>Rollen bearbeiten</translation>
    </message>
    <message>
        <source>Remove membership</source>
        <translation>Mitgliedschaft entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from product %2? They lose every role they hold in it.</source>
        <translation>%1 aus dem Produkt %2 entfernen? Dabei gehen alle Rollen in diesem Produkt verloren.</translation>
    </message>
    <message>
        <source>Two-step sign-in</source>
        <translation>Zweistufige Anmeldung</translation>
    </message>
</context>
<context>
    <name>authrealm::UserListModel</name>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
</context>
<context>
    <name>authrealm::UserSecuritySection</name>
    <message>
        <source>Two-step sign-in state</source>
        <translation>Zustand der zweistufigen Anmeldung</translation>
    </message>
    <message>
        <source>Sign-in lockout state</source>
        <translation>Zustand der Anmeldesperre</translation>
    </message>
    <message>
        <source>Set &amp;up two-step sign-in…</source>
        <translation>Zweistufige Anmeldung ei&amp;nrichten…</translation>
    </message>
    <message>
        <source>Show a QR code for the user&apos;s authenticator app and turn TOTP on with a code from it</source>
        <translation>Einen QR-Code für die Authenticator-App des Benutzers anzeigen und TOTP mit einem Code daraus einschalten</translation>
    </message>
    <message>
        <source>&amp;Reset two-step sign-in…</source>
        <translation>Zweistufige Anmeldung &amp;zurücksetzen…</translation>
    </message>
    <message>
        <source>Remove the user&apos;s authenticator and backup codes (lost phone); ends their sessions</source>
        <translation>Authenticator und Sicherungscodes des Benutzers entfernen (verlorenes Telefon); beendet seine Sitzungen</translation>
    </message>
    <message>
        <source>Un&amp;lock sign-in</source>
        <translation>Anmeldung ent&amp;sperren</translation>
    </message>
    <message>
        <source>Forget failed sign-in attempts and lift the lockout</source>
        <translation>Fehlgeschlagene Anmeldeversuche vergessen und die Sperre aufheben</translation>
    </message>
    <message>
        <source>Two-step sign-in (TOTP):</source>
        <translation>Zweistufige Anmeldung (TOTP):</translation>
    </message>
    <message>
        <source>Brute-force protection:</source>
        <translation>Schutz vor Brute-Force-Angriffen:</translation>
    </message>
    <message>
        <source>Sign-in security not shown</source>
        <translation>Anmeldesicherheit nicht angezeigt</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>On (authenticator app and backup codes)</source>
        <translation>Ein (Authenticator-App und Sicherungscodes)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message numerus="yes">
        <source>Locked until %1 UTC after %n failed attempt(s)</source>
        <translation>
            <numerusform>Gesperrt bis %1 UTC nach %n fehlgeschlagenen Versuch</numerusform>
            <numerusform>Gesperrt bis %1 UTC nach %n fehlgeschlagenen Versuchen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not locked (%n recent failed attempt(s))</source>
        <translation>
            <numerusform>Nicht gesperrt (%n kürzlich fehlgeschlagener Versuch)</numerusform>
            <numerusform>Nicht gesperrt (%n kürzlich fehlgeschlagene Versuche)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not locked</source>
        <translation>Nicht gesperrt</translation>
    </message>
    <message>
        <source>Reset two-step sign-in</source>
        <translation>Zweistufige Anmeldung zurücksetzen</translation>
    </message>
    <message>
        <source>Remove the authenticator and backup codes of %1 and end all their sessions? They sign in with the password alone until they set up two-step sign-in again.</source>
        <translation>Authenticator und Sicherungscodes von %1 entfernen und alle Sitzungen beenden? Bis zur erneuten Einrichtung der zweistufigen Anmeldung genügt das Passwort allein.</translation>
    </message>
    <message>
        <source>Two-step sign-in not reset</source>
        <translation>Zweistufige Anmeldung nicht zurückgesetzt</translation>
    </message>
    <message>
        <source>Sign-in not unlocked</source>
        <translation>Anmeldung nicht entsperrt</translation>
    </message>
</context>
<context>
    <name>authrealm::UsersView</name>
    <message>
        <source>Status filter</source>
        <translation>Statusfilter</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Beliebiger Status</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation>&amp;Neuer Benutzer…</translation>
    </message>
    <message>
        <source>Create a user</source>
        <translation>Einen Benutzer erstellen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Die Datenbank kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Search in</source>
        <translation>Suchen in</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Starts with…</source>
        <translation>Beginnt mit…</translation>
    </message>
    <message>
        <source>Search users</source>
        <translation>Benutzer suchen</translation>
    </message>
    <message>
        <source>Cannot read the users</source>
        <translation>Die Benutzer können nicht gelesen werden</translation>
    </message>
</context>
</TS>
