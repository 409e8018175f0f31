<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>ConsoleFormat</name>
    <message>
        <source>0 s</source>
        <translation>0 s</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 j</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
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
        <translation>La console ouvre des dossiers de données : indiquez --data %1 (contenant authrealm.db et master.key).</translation>
    </message>
    <message>
        <source>AuthRealm console: manage realms and users, browse the audit log, and host the identity server.</source>
        <translation>Console AuthRealm : gérez les realms et les utilisateurs, parcourez le journal d&apos;audit et hébergez le serveur d&apos;identité.</translation>
    </message>
    <message>
        <source>Open the data folder DIR (default: the last one, else %1).</source>
        <translation>Ouvrir le dossier de données DIR (par défaut : le dernier utilisé, sinon %1).</translation>
    </message>
    <message>
        <source>Open postgres://user[:password]@host:port/db.</source>
        <translation>Ouvrir postgres://user[:password]@host:port/db.</translation>
    </message>
    <message>
        <source>Key-encryption key file for a PostgreSQL database.</source>
        <translation>Fichier de clé de chiffrement des clés pour une base PostgreSQL.</translation>
    </message>
    <message>
        <source>Start the hosted server right away.</source>
        <translation>Démarrer immédiatement le serveur hébergé.</translation>
    </message>
    <message>
        <source>Hosted server address (default 127.0.0.1:8080).</source>
        <translation>Adresse du serveur hébergé (par défaut 127.0.0.1:8080).</translation>
    </message>
    <message>
        <source>Open on VIEW (users, sessions, products, keys, settings, audit).</source>
        <translation>Ouvrir sur la vue VIEW (users, sessions, products, keys, settings, audit).</translation>
    </message>
    <message>
        <source>Select REALM in the navigation.</source>
        <translation>Sélectionner REALM dans la navigation.</translation>
    </message>
    <message>
        <source>Save a PNG of the window to FILE and quit.</source>
        <translation>Enregistrer une image PNG de la fenêtre dans FILE et quitter.</translation>
    </message>
    <message>
        <source>AuthRealm</source>
        <translation>AuthRealm</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Impossible de lire la base de données</translation>
    </message>
    <message>
        <source>With --realm: select the product APP.</source>
        <translation>Avec --realm : sélectionner le produit APP.</translation>
    </message>
    <message>
        <source>With --realm: open the user with this EMAIL.</source>
        <translation>Avec --realm : ouvrir l&apos;utilisateur ayant cette adresse EMAIL.</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditChart</name>
    <message>
        <source>Other events</source>
        <translation>Autres événements</translation>
    </message>
    <message>
        <source>Failed sign-ins</source>
        <translation>Échecs de connexion</translation>
    </message>
    <message>
        <source>Denied requests</source>
        <translation>Requêtes refusées</translation>
    </message>
    <message>
        <source>Events over time</source>
        <translation>Événements dans le temps</translation>
    </message>
    <message>
        <source>Drag across the chart to show only that time range</source>
        <translation>Faites glisser sur le graphique pour n&apos;afficher que cette période</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>par jour</translation>
    </message>
    <message numerus="yes">
        <source>per %n days</source>
        <translation>
            <numerusform>par %n jour</numerusform>
            <numerusform>par %n jours</numerusform>
        </translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>par heure</translation>
    </message>
    <message numerus="yes">
        <source>per %n hours</source>
        <translation>
            <numerusform>par %n heure</numerusform>
            <numerusform>par %n heures</numerusform>
        </translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>par minute</translation>
    </message>
    <message numerus="yes">
        <source>per %n minutes</source>
        <translation>
            <numerusform>par %n minute</numerusform>
            <numerusform>par %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>Events %1 — counting…</source>
        <translation>Événements %1 — comptage…</translation>
    </message>
    <message>
        <source>Events %1</source>
        <translation>Événements %1</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditEventDetails</name>
    <message>
        <source>Event details</source>
        <translation>Détails de l&apos;événement</translation>
    </message>
    <message>
        <source>Select an event to see all of its fields.</source>
        <translation>Sélectionnez un événement pour afficher tous ses champs.</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>Heure locale</translation>
    </message>
    <message>
        <source>Realm</source>
        <translation>Realm</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Target type</source>
        <translation>Type de cible</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>ID de la cible</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>IP source</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>User agent</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>ID de l&apos;événement</translation>
    </message>
    <message>
        <source>Chain position</source>
        <translation>Position dans la chaîne</translation>
    </message>
    <message>
        <source>seq %1</source>
        <translation>seq %1</translation>
    </message>
    <message>
        <source>not chained (written before the chain existed)</source>
        <translation>non chaîné (écrit avant l&apos;existence de la chaîne)</translation>
    </message>
    <message>
        <source>Previous hash</source>
        <translation>Hash précédent</translation>
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
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Realm</source>
        <translation>Realm</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>IP source</translation>
    </message>
</context>
<context>
    <name>authrealm::AuditView</name>
    <message>
        <source>Event kinds</source>
        <translation>Types d&apos;événements</translation>
    </message>
    <message>
        <source>Actor, e.g. user:&lt;id&gt;</source>
        <translation>Acteur, par ex. user:&lt;id&gt;</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>Tout résultat</translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation>Événements d&apos;audit</translation>
    </message>
    <message>
        <source>Cannot read the audit log</source>
        <translation>Impossible de lire le journal d&apos;audit</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Toute la période</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <source>From (local time)</source>
        <translation>Du (heure locale)</translation>
    </message>
    <message>
        <source>To (local time)</source>
        <translation>Au (heure locale)</translation>
    </message>
    <message>
        <source>Any kind (comma-separated)</source>
        <translation>Tout type (séparés par des virgules)</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>ID de la cible</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Search summary, kind, actor, target…</source>
        <translation>Rechercher dans le résumé, le type, l&apos;acteur, la cible…</translation>
    </message>
    <message>
        <source>Free text</source>
        <translation>Texte libre</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Succès</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exporter…</translation>
    </message>
    <message>
        <source>Export the filtered events</source>
        <translation>Exporter les événements filtrés</translation>
    </message>
    <message>
        <source>CSV (spreadsheets)…</source>
        <translation>CSV (tableurs)…</translation>
    </message>
    <message>
        <source>JSON array…</source>
        <translation>Tableau JSON…</translation>
    </message>
    <message>
        <source>JSON Lines…</source>
        <translation>JSON Lines…</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>&amp;Vérifier la chaîne</translation>
    </message>
    <message>
        <source>Verify the audit hash chain</source>
        <translation>Vérifier la chaîne de hachage de l&apos;audit</translation>
    </message>
    <message>
        <source>Product:</source>
        <translation>Produit :</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Période :</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>Tous les produits</translation>
    </message>
    <message>
        <source>Cannot read the products</source>
        <translation>Impossible de lire les produits</translation>
    </message>
    <message numerus="yes">
        <source>Searching… %n found so far, back to %1</source>
        <translation>
            <numerusform>Recherche… %n trouvé jusqu&apos;ici, jusqu&apos;au %1</numerusform>
            <numerusform>Recherche… %n trouvés jusqu&apos;ici, jusqu&apos;au %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message numerus="yes">
        <source>Loading more… %n events shown</source>
        <translation>
            <numerusform>Chargement… %n événement affiché</numerusform>
            <numerusform>Chargement… %n événements affichés</numerusform>
        </translation>
    </message>
    <message>
        <source>No event matches the filter.</source>
        <translation>Aucun événement ne correspond au filtre.</translation>
    </message>
    <message numerus="yes">
        <source>%n matching events.</source>
        <translation>
            <numerusform>%n événement correspondant.</numerusform>
            <numerusform>%n événements correspondants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n events shown; scroll for older ones.</source>
        <translation>
            <numerusform>%n événement affiché ; faites défiler pour voir les plus anciens.</numerusform>
            <numerusform>%n événements affichés ; faites défiler pour voir les plus anciens.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot count the audit events</source>
        <translation>Impossible de compter les événements d&apos;audit</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Fichiers JSON (*.json)</translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation>Fichiers JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>Export audit events</source>
        <translation>Exporter les événements d&apos;audit</translation>
    </message>
    <message>
        <source>Exporting audit events…</source>
        <translation>Exportation des événements d&apos;audit…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1 : %2</translation>
    </message>
    <message numerus="yes">
        <source>Exporting audit events… %n written</source>
        <translation>
            <numerusform>Exportation des événements d&apos;audit… %n écrit</numerusform>
            <numerusform>Exportation des événements d&apos;audit… %n écrits</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l&apos;exportation</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Exportation annulée ; aucun fichier n&apos;a été écrit.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n events.</source>
        <translation>
            <numerusform>%n événement exporté.</numerusform>
            <numerusform>%n événements exportés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read the realms</source>
        <translation>Impossible de lire les realms</translation>
    </message>
    <message>
        <source>Verifying the chain…</source>
        <translation>Vérification de la chaîne…</translation>
    </message>
    <message>
        <source>Chain of realm &quot;%1&quot; is BROKEN at seq %2: %3</source>
        <translation>La chaîne du realm « %1 » est ROMPUE à seq %2 : %3</translation>
    </message>
    <message numerus="yes">
        <source>Chain of realm &quot;%1&quot; is intact, %n events.</source>
        <translation>
            <numerusform>La chaîne du realm « %1 » est intacte, %n événement.</numerusform>
            <numerusform>La chaîne du realm « %1 » est intacte, %n événements.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Chains of %1 realms are intact, %n events.</source>
        <translation>
            <numerusform>Les chaînes de %1 realms sont intactes, %n événement.</numerusform>
            <numerusform>Les chaînes de %1 realms sont intactes, %n événements.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot verify the chain: %1</source>
        <translation>Impossible de vérifier la chaîne : %1</translation>
    </message>
</context>
<context>
    <name>authrealm::ClientDialog</name>
    <message>
        <source>Edit client %1</source>
        <translation>Modifier le client %1</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Nouveau client</translation>
    </message>
    <message>
        <source>Client name</source>
        <translation>Nom du client</translation>
    </message>
    <message>
        <source>for example: Shop web app</source>
        <translation>par exemple : application web de la boutique</translation>
    </message>
    <message>
        <source>Public client (single-page or native app: no secret, PKCE)</source>
        <translation>Client public (application monopage ou native : pas de secret, PKCE)</translation>
    </message>
    <message>
        <source>Redirect URIs</source>
        <translation>URI de redirection</translation>
    </message>
    <message>
        <source>one per line, for example: https://shop.example.com/callback</source>
        <translation>une par ligne, par exemple : https://shop.example.com/callback</translation>
    </message>
    <message>
        <source>First-party (people are not asked to consent)</source>
        <translation>Application interne (aucune demande de consentement)</translation>
    </message>
    <message>
        <source>Redirect URIs must match exactly: https, or http only on 127.0.0.1, [::1] or localhost (where any port is accepted).</source>
        <translation>Les URI de redirection doivent correspondre exactement : https, ou http uniquement sur 127.0.0.1, [::1] ou localhost (où tout port est accepté).</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Redirect URIs:</source>
        <translation>URI de &amp;redirection :</translation>
    </message>
</context>
<context>
    <name>authrealm::ClientSecretDialog</name>
    <message>
        <source>Client secret</source>
        <translation>Secret du client</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID du client</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the secret now and keep it safe: it is shown only this once. If it is lost, rotate the secret.</source>
        <translation>Copiez le secret maintenant et conservez-le en lieu sûr : il n’est affiché qu’une seule fois. S’il est perdu, renouvelez le secret.</translation>
    </message>
    <message>
        <source>Client ID:</source>
        <translation>ID du client :</translation>
    </message>
    <message>
        <source>&amp;Secret:</source>
        <translation>&amp;Secret :</translation>
    </message>
</context>
<context>
    <name>authrealm::ClientsView</name>
    <message>
        <source>&amp;New client…</source>
        <translation>&amp;Nouveau client…</translation>
    </message>
    <message>
        <source>Register an OAuth client of this product</source>
        <translation>Enregistrer un client OAuth de ce produit</translation>
    </message>
    <message>
        <source>&amp;Edit redirect URIs…</source>
        <translation>&amp;Modifier les URI de redirection…</translation>
    </message>
    <message>
        <source>Change the selected client&apos;s name, redirect URIs and consent setting</source>
        <translation>Modifier le nom, les URI de redirection et le réglage de consentement du client sélectionné</translation>
    </message>
    <message>
        <source>&amp;Rotate secret…</source>
        <translation>&amp;Renouveler le secret…</translation>
    </message>
    <message>
        <source>Give the selected client a new secret</source>
        <translation>Donner un nouveau secret au client sélectionné</translation>
    </message>
    <message>
        <source>&amp;Delete client</source>
        <translation>&amp;Supprimer le client</translation>
    </message>
    <message>
        <source>Delete the selected client; the sign-ins it started end</source>
        <translation>Supprimer le client sélectionné ; les connexions qu’il a ouvertes prennent fin</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID du client</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Redirect URIs</source>
        <translation>URI de redirection</translation>
    </message>
    <message>
        <source>First-party</source>
        <translation>Application interne</translation>
    </message>
    <message>
        <source>OAuth clients</source>
        <translation>Clients OAuth</translation>
    </message>
    <message>
        <source>Choose a product to see its OAuth clients</source>
        <translation>Choisissez un produit pour voir ses clients OAuth</translation>
    </message>
    <message>
        <source>OAuth clients of product %1</source>
        <translation>Clients OAuth du produit %1</translation>
    </message>
    <message>
        <source>Load clients</source>
        <translation>Charger les clients</translation>
    </message>
    <message>
        <source>confidential</source>
        <translation>confidentiel</translation>
    </message>
    <message>
        <source>public</source>
        <translation>public</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no (asks for consent)</source>
        <translation>non (demande le consentement)</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Nouveau client</translation>
    </message>
    <message>
        <source>Edit client</source>
        <translation>Modifier le client</translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation>Renouveler le secret</translation>
    </message>
    <message>
        <source>Give &quot;%1&quot; a new secret. How long may the current secret keep working, so the application can switch over?</source>
        <translation>Donner un nouveau secret à « %1 ». Combien de temps le secret actuel doit-il encore fonctionner pour que l’application puisse basculer ?</translation>
    </message>
    <message>
        <source>One hour</source>
        <translation>Une heure</translation>
    </message>
    <message>
        <source>One day</source>
        <translation>Un jour</translation>
    </message>
    <message>
        <source>End it now</source>
        <translation>Y mettre fin maintenant</translation>
    </message>
    <message>
        <source>Delete client</source>
        <translation>Supprimer le client</translation>
    </message>
    <message>
        <source>Delete the client &quot;%1&quot; (%2)? Applications using it can no longer sign anyone in, and the sign-ins it started end.</source>
        <translation>Supprimer le client « %1 » (%2) ? Les applications qui l’utilisent ne peuvent plus connecter personne, et les connexions qu’il a ouvertes prennent fin.</translation>
    </message>
</context>
<context>
    <name>authrealm::ConsoleApp</name>
    <message>
        <source>Cannot open %1</source>
        <translation>Impossible d&apos;ouvrir %1</translation>
    </message>
    <message>
        <source>Open data folder</source>
        <translation>Ouvrir un dossier de données</translation>
    </message>
    <message>
        <source>Password not remembered</source>
        <translation>Mot de passe non mémorisé</translation>
    </message>
    <message>
        <source>The system keychain did not accept the password, so the console will ask for it next time. It is never written to the settings file.</source>
        <translation>Le trousseau du système n&apos;a pas accepté le mot de passe ; la console le redemandera la prochaine fois. Il n&apos;est jamais écrit dans le fichier de paramètres.</translation>
    </message>
    <message>
        <source>PostgreSQL password</source>
        <translation>Mot de passe PostgreSQL</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>Mot de passe pour %1 :</translation>
    </message>
</context>
<context>
    <name>authrealm::ConsoleWindow</name>
    <message>
        <source>AuthRealm Console — %1</source>
        <translation>Console AuthRealm — %1</translation>
    </message>
    <message>
        <source>Realms and products</source>
        <translation>Realms et produits</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Utilisateurs</translation>
    </message>
    <message>
        <source>&amp;Audit log</source>
        <translation>&amp;Journal d&apos;audit</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Base de données : %1</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Adresse d&apos;écoute</translation>
    </message>
    <message>
        <source>HOST:PORT the hosted server listens on</source>
        <translation>HOST:PORT sur lequel écoute le serveur hébergé</translation>
    </message>
    <message>
        <source>Start or stop the server</source>
        <translation>Démarrer ou arrêter le serveur</translation>
    </message>
    <message>
        <source>Server state</source>
        <translation>État du serveur</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL du serveur</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy the server URL</source>
        <translation>Copier l&apos;URL du serveur</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Écouter sur :</translation>
    </message>
    <message>
        <source>The administrator account has no password yet: use Server → Set administrator password…</source>
        <translation>Le compte administrateur n&apos;a pas encore de mot de passe : utilisez Serveur → Définir le mot de passe administrateur…</translation>
    </message>
    <message>
        <source>Other servers</source>
        <translation>Autres serveurs</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open data folder…</source>
        <translation>&amp;Ouvrir un dossier de données…</translation>
    </message>
    <message>
        <source>Connect to &amp;PostgreSQL…</source>
        <translation>Se connecter à &amp;PostgreSQL…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recharger</translation>
    </message>
    <message>
        <source>Pr&amp;eferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Realm</source>
        <translation>&amp;Realm</translation>
    </message>
    <message>
        <source>New &amp;realm…</source>
        <translation>Nouveau &amp;realm…</translation>
    </message>
    <message>
        <source>New &amp;product…</source>
        <translation>Nouveau &amp;produit…</translation>
    </message>
    <message>
        <source>New &amp;user…</source>
        <translation>Nouvel &amp;utilisateur…</translation>
    </message>
    <message>
        <source>&amp;Find user…</source>
        <translation>Rec&amp;hercher un utilisateur…</translation>
    </message>
    <message>
        <source>&amp;Delete realm…</source>
        <translation>&amp;Supprimer le realm…</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Serveur</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Démarrer</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>&amp;Copy URL</source>
        <translation>&amp;Copier l&apos;URL</translation>
    </message>
    <message>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <source>Set &amp;administrator password…</source>
        <translation>Définir le mot de passe &amp;administrateur…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About AuthRealm</source>
        <translation>À &amp;propos d&apos;AuthRealm</translation>
    </message>
    <message>
        <source>About AuthRealm</source>
        <translation>À propos d&apos;AuthRealm</translation>
    </message>
    <message>
        <source>&lt;b&gt;AuthRealm %1&lt;/b&gt;&lt;p&gt;Identity server and console for small teams: realms, scoped tokens, two-step sign-in and an audit log you can verify.&lt;/p&gt;</source>
        <translation>&lt;b&gt;AuthRealm %1&lt;/b&gt;&lt;p&gt;Serveur d&apos;identité et console pour les petites équipes : realms, jetons à scopes, connexion en deux étapes et journal d&apos;audit vérifiable.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Show the console</source>
        <translation>Afficher la console</translation>
    </message>
    <message>
        <source>Stop the server</source>
        <translation>Arrêter le serveur</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>AuthRealm keeps running</source>
        <translation>AuthRealm continue de fonctionner</translation>
    </message>
    <message>
        <source>The identity server goes on serving at %1. Use the tray icon to show the console or quit.</source>
        <translation>Le serveur d&apos;identité continue de servir à l&apos;adresse %1. Utilisez l&apos;icône de la zone de notification pour afficher la console ou quitter.</translation>
    </message>
    <message>
        <source>Invalid address</source>
        <translation>Adresse non valide</translation>
    </message>
    <message>
        <source>Enter the address as HOST:PORT, for example 127.0.0.1:8080.</source>
        <translation>Saisissez l&apos;adresse sous la forme HOST:PORT, par exemple 127.0.0.1:8080.</translation>
    </message>
    <message>
        <source>Cannot start the server</source>
        <translation>Impossible de démarrer le serveur</translation>
    </message>
    <message>
        <source>%1

Is another AuthRealm server already using this address?</source>
        <translation>%1

Un autre serveur AuthRealm utilise-t-il déjà cette adresse ?</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>Arrêter le serveur</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>Démarrer le serveur</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>AuthRealm: serving at %1</source>
        <translation>AuthRealm : en service à l&apos;adresse %1</translation>
    </message>
    <message>
        <source>AuthRealm: server stopped</source>
        <translation>AuthRealm : serveur arrêté</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <source>Running — %1 requests/s, %2 in total</source>
        <translation>En cours d&apos;exécution — %1 requêtes/s, %2 au total</translation>
    </message>
    <message>
        <source>Another AuthRealm server (%1, process %2 on %3, listening on %4) is serving this database.</source>
        <translation>Un autre serveur AuthRealm (%1, processus %2 sur %3, à l&apos;écoute sur %4) sert cette base de données.</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Impossible de lire la base de données</translation>
    </message>
    <message>
        <source>New realm</source>
        <translation>Nouveau realm</translation>
    </message>
    <message>
        <source>Realm id (lower-case letters, digits and dashes; it appears in URLs):</source>
        <translation>ID du realm (lettres minuscules, chiffres et tirets ; il apparaît dans les URL) :</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Nom d&apos;affichage :</translation>
    </message>
    <message>
        <source>Realm not created</source>
        <translation>Realm non créé</translation>
    </message>
    <message>
        <source>New product in %1</source>
        <translation>Nouveau produit dans %1</translation>
    </message>
    <message>
        <source>Product id (lower-case letters, digits and dashes; clients send it as tenantId):</source>
        <translation>ID du produit (lettres minuscules, chiffres et tirets ; les clients l&apos;envoient comme tenantId) :</translation>
    </message>
    <message>
        <source>Product not created</source>
        <translation>Produit non créé</translation>
    </message>
    <message>
        <source>Delete realm</source>
        <translation>Supprimer le realm</translation>
    </message>
    <message>
        <source>Delete the realm &quot;%1&quot; with all its users, products, roles, sessions, tokens and signing keys? Signed-in users are signed out. This cannot be undone.</source>
        <translation>Supprimer le realm « %1 » avec tous ses utilisateurs, produits, rôles, sessions, jetons et clés de signature ? Les utilisateurs connectés seront déconnectés. Cette action est irréversible.</translation>
    </message>
    <message>
        <source>Realm not deleted</source>
        <translation>Realm non supprimé</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>Mot de passe administrateur</translation>
    </message>
    <message>
        <source>The administrator account (&quot;admin&quot; in realm &quot;master&quot;) has no password yet.
Choose one (at least 8 characters):</source>
        <translation>Le compte administrateur (« admin » dans le realm « master ») n&apos;a pas encore de mot de passe.
Choisissez-en un (8 caractères minimum) :</translation>
    </message>
    <message>
        <source>Password not set</source>
        <translation>Mot de passe non défini</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>&amp;Sessions</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>&amp;Produits</translation>
    </message>
    <message>
        <source>Signing &amp;keys</source>
        <translation>&amp;Clés de signature</translation>
    </message>
    <message>
        <source>Realm se&amp;ttings</source>
        <translation>Paramètres du &amp;realm</translation>
    </message>
    <message>
        <source>User &amp;detail</source>
        <translation>&amp;Détail de l’utilisateur</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>Boîte d’&amp;envoi</translation>
    </message>
    <message>
        <source>Stop the identity server at %1? Until it is started again, applications cannot sign anyone in or refresh their tokens.</source>
        <translation>Arrêter le serveur d’identité sur %1 ? Tant qu’il n’est pas redémarré, les applications ne peuvent connecter personne ni renouveler leurs jetons.</translation>
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
        <translation>Nouvelle fonctionnalité</translation>
    </message>
    <message>
        <source>Edit feature %1</source>
        <translation>Modifier la fonctionnalité %1</translation>
    </message>
    <message>
        <source>Feature key</source>
        <translation>Clé de la fonctionnalité</translation>
    </message>
    <message>
        <source>for example: reports</source>
        <translation>par exemple : reports</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>space-separated, for example: reports:read reports:write</source>
        <translation>séparés par des espaces, par exemple : reports:read reports:write</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activée</translation>
    </message>
    <message>
        <source>While a feature is off, the scopes it unlocks are removed from every token of the product.</source>
        <translation>Tant qu&apos;une fonctionnalité est désactivée, les scopes qu&apos;elle débloque sont retirés de tous les jetons du produit.</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Clé :</translation>
    </message>
    <message>
        <source>&amp;Scopes:</source>
        <translation>&amp;Scopes :</translation>
    </message>
</context>
<context>
    <name>authrealm::FirstRunWizard</name>
    <message>
        <source>Where AuthRealm keeps its data</source>
        <translation>Emplacement des données d&apos;AuthRealm</translation>
    </message>
    <message>
        <source>A data folder holds the database (SQLite) and the key that encrypts signing keys. Choose a new folder to start fresh, or an existing one to open it. authrealmd uses the same folder by default.</source>
        <translation>Un dossier de données contient la base de données (SQLite) et la clé qui chiffre les clés de signature. Choisissez un nouveau dossier pour repartir de zéro, ou un dossier existant pour l&apos;ouvrir. authrealmd utilise le même dossier par défaut.</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>&amp;Data folder:</source>
        <translation>&amp;Dossier de données :</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>The administrator</source>
        <translation>L&apos;administrateur</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>Mot de passe administrateur</translation>
    </message>
    <message>
        <source>Repeat the administrator password</source>
        <translation>Confirmez le mot de passe administrateur</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Confirmation :</translation>
    </message>
    <message>
        <source>The administrator signs in as &quot;admin&quot; in the realm &quot;master&quot; (the admin API and authrealmd&apos;s tools). Choose a password of at least 8 characters.</source>
        <translation>L&apos;administrateur se connecte en tant que « admin » dans le realm « master » (API d&apos;administration et outils d&apos;authrealmd). Choisissez un mot de passe d&apos;au moins 8 caractères.</translation>
    </message>
    <message>
        <source>This data folder already has an administrator with a password. Nothing to do here.</source>
        <translation>Ce dossier de données possède déjà un administrateur avec un mot de passe. Rien à faire ici.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
    <message>
        <source>A first realm and product</source>
        <translation>Un premier realm et un premier produit</translation>
    </message>
    <message>
        <source>A realm holds one organisation&apos;s users; a product is an application they sign in to, with its own roles and features. You can add more later.</source>
        <translation>Un realm regroupe les utilisateurs d&apos;une organisation ; un produit est une application à laquelle ils se connectent, avec ses propres rôles et fonctionnalités. Vous pourrez en ajouter d&apos;autres plus tard.</translation>
    </message>
    <message>
        <source>&amp;Create a realm and a product now</source>
        <translation>&amp;Créer un realm et un produit maintenant</translation>
    </message>
    <message>
        <source>Realm id</source>
        <translation>ID du realm</translation>
    </message>
    <message>
        <source>Realm display name</source>
        <translation>Nom d&apos;affichage du realm</translation>
    </message>
    <message>
        <source>Product id</source>
        <translation>ID du produit</translation>
    </message>
    <message>
        <source>My product</source>
        <translation>Mon produit</translation>
    </message>
    <message>
        <source>Product display name</source>
        <translation>Nom d&apos;affichage du produit</translation>
    </message>
    <message>
        <source>Realm &amp;id:</source>
        <translation>&amp;ID du realm :</translation>
    </message>
    <message>
        <source>Realm &amp;name:</source>
        <translation>&amp;Nom du realm :</translation>
    </message>
    <message>
        <source>Product i&amp;d:</source>
        <translation>I&amp;D du produit :</translation>
    </message>
    <message>
        <source>Product na&amp;me:</source>
        <translation>No&amp;m du produit :</translation>
    </message>
    <message>
        <source>The identity server</source>
        <translation>Le serveur d&apos;identité</translation>
    </message>
    <message>
        <source>The console can run the AuthRealm server inside itself, so your applications can sign users in while the console is open. authrealmd runs the same server without a window.</source>
        <translation>La console peut exécuter le serveur AuthRealm en son sein, afin que vos applications puissent connecter les utilisateurs tant que la console est ouverte. authrealmd exécute le même serveur sans fenêtre.</translation>
    </message>
    <message>
        <source>&amp;Start the server when the console opens</source>
        <translation>&amp;Démarrer le serveur à l&apos;ouverture de la console</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>Adresse d&apos;écoute</translation>
    </message>
    <message>
        <source>&amp;Listen on:</source>
        <translation>&amp;Écouter sur :</translation>
    </message>
    <message>
        <source>Welcome to AuthRealm</source>
        <translation>Bienvenue dans AuthRealm</translation>
    </message>
</context>
<context>
    <name>authrealm::MembershipDialog</name>
    <message>
        <source>Roles in %1</source>
        <translation>Rôles dans %1</translation>
    </message>
    <message>
        <source>Add membership</source>
        <translation>Ajouter une appartenance</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <source>&amp;Product:</source>
        <translation>&amp;Produit :</translation>
    </message>
    <message>
        <source>&amp;Roles:</source>
        <translation>&amp;Rôles :</translation>
    </message>
    <message>
        <source>Read roles</source>
        <translation>Lire les rôles</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>authrealm::MissingDataFolder</name>
    <message>
        <source>The data folder %1, which the console opened last time, has no AuthRealm database (it may have been moved or deleted, or its disk is not mounted).

Locate the folder, create a new empty database there, or quit?</source>
        <translation>Le dossier de données %1, ouvert par la console la dernière fois, ne contient aucune base AuthRealm (il a peut-être été déplacé ou supprimé, ou son disque n’est pas monté).

Retrouver le dossier, y créer une nouvelle base vide, ou quitter ?</translation>
    </message>
    <message>
        <source>&amp;Locate…</source>
        <translation>&amp;Retrouver…</translation>
    </message>
    <message>
        <source>&amp;Create a new database</source>
        <translation>&amp;Créer une nouvelle base</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Data folder not found</source>
        <translation>Dossier de données introuvable</translation>
    </message>
    <message>
        <source>Locate the data folder</source>
        <translation>Retrouver le dossier de données</translation>
    </message>
    <message>
        <source>Not a data folder</source>
        <translation>Pas un dossier de données</translation>
    </message>
    <message>
        <source>%1 has no AuthRealm database (authrealm.db). Choose the folder that holds it.</source>
        <translation>%1 ne contient aucune base AuthRealm (authrealm.db). Choisissez le dossier qui la contient.</translation>
    </message>
</context>
<context>
    <name>authrealm::NewUserDialog</name>
    <message>
        <source>New user in realm %1</source>
        <translation>Nouvel utilisateur dans le realm %1</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Nom d&apos;affichage</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Confirmer le mot de passe</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>No product</source>
        <translation>Aucun produit</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Impossible de lire la base de données</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail :</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>&amp;Nom d&apos;affichage :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>&amp;Confirmer le mot de passe :</translation>
    </message>
    <message>
        <source>Pr&amp;oduct:</source>
        <translation>Pr&amp;oduit :</translation>
    </message>
    <message>
        <source>Ro&amp;le:</source>
        <translation>Rô&amp;le :</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>Créer l&apos;utilisateur</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
    <message>
        <source>User not created</source>
        <translation>Utilisateur non créé</translation>
    </message>
</context>
<context>
    <name>authrealm::OutboxView</name>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <source>stored (no SMTP)</source>
        <translation>conservé (pas de SMTP)</translation>
    </message>
    <message>
        <source>Every account email is queued here first. A realm without an SMTP server keeps its mails here (&quot;stored&quot;): read verification and reset links and sign-in codes below.</source>
        <translation>Chaque e-mail de compte passe d’abord par ici. Un realm sans serveur SMTP conserve ses e-mails ici (« conservé ») : lisez ci-dessous les liens de vérification et de réinitialisation et les codes de connexion.</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé (UTC)</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Destinataire</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Dernière erreur</translation>
    </message>
    <message>
        <source>Outbox mails</source>
        <translation>E-mails de la boîte d’envoi</translation>
    </message>
    <message>
        <source>Load &amp;older mails</source>
        <translation>Charger les e-mails plus &amp;anciens</translation>
    </message>
    <message>
        <source>Load older mails</source>
        <translation>Charger les e-mails plus anciens</translation>
    </message>
    <message>
        <source>To:
Subject:</source>
        <translation>À :
Objet :</translation>
    </message>
    <message>
        <source>Mail text</source>
        <translation>Texte de l’e-mail</translation>
    </message>
    <message>
        <source>Select a mail to read its text.</source>
        <translation>Sélectionnez un e-mail pour lire son texte.</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Aucun realm sélectionné</translation>
    </message>
    <message>
        <source>Outbox of realm %1</source>
        <translation>Boîte d’envoi du realm %1</translation>
    </message>
    <message>
        <source>Outbox not loaded</source>
        <translation>Boîte d’envoi non chargée</translation>
    </message>
    <message numerus="yes">
        <source>%n mail(s)</source>
        <translation>
            <numerusform>%n e-mail</numerusform>
            <numerusform>%n e-mails</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n newest mail(s) shown</source>
        <translation>
            <numerusform>%n e-mail le plus récent affiché</numerusform>
            <numerusform>%n e-mails les plus récents affichés</numerusform>
        </translation>
    </message>
    <message>
        <source>To: %1
Subject: %2</source>
        <translation>À : %1
Objet : %2</translation>
    </message>
    <message>
        <source>Mail not opened</source>
        <translation>E-mail non ouvert</translation>
    </message>
</context>
<context>
    <name>authrealm::PostgresDialog</name>
    <message>
        <source>Connect to PostgreSQL</source>
        <translation>Se connecter à PostgreSQL</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Remember the password in the system &amp;keychain</source>
        <translation>Mémoriser le mot de passe dans le &amp;trousseau du système</translation>
    </message>
    <message>
        <source>This build has no keychain support: the password is asked for each time.</source>
        <translation>Cette version ne prend pas en charge le trousseau : le mot de passe est demandé à chaque fois.</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Fichier de clé</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>The key file holds the key that encrypts the realms&apos; signing keys. Use the same file as the authrealmd servers on this database (their --key-file or AUTHREALM_MASTER_KEY).</source>
        <translation>Le fichier de clé contient la clé qui chiffre les clés de signature des realms. Utilisez le même fichier que les serveurs authrealmd de cette base de données (leur --key-file ou AUTHREALM_MASTER_KEY).</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Hôte :</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort :</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Base de données :</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <source>&amp;Key file:</source>
        <translation>Fichier de &amp;clé :</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
</context>
<context>
    <name>authrealm::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Langue du système (%1)</translation>
    </message>
    <message>
        <source>Keep the server running in the &amp;tray when the window is closed</source>
        <translation>Laisser le serveur tourner dans la &amp;zone de notification quand la fenêtre est fermée</translation>
    </message>
    <message>
        <source>This desktop has no system tray.</source>
        <translation>Ce bureau n&apos;a pas de zone de notification.</translation>
    </message>
    <message>
        <source>&amp;Start the server when the console opens</source>
        <translation>&amp;Démarrer le serveur à l&apos;ouverture de la console</translation>
    </message>
    <message>
        <source>A new language applies the next time the console starts.</source>
        <translation>La nouvelle langue s&apos;appliquera au prochain démarrage de la console.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
</context>
<context>
    <name>authrealm::ProductsView</name>
    <message>
        <source>&amp;New product…</source>
        <translation>&amp;Nouveau produit…</translation>
    </message>
    <message>
        <source>Create a product (app) in this realm</source>
        <translation>Créer un produit (application) dans ce realm</translation>
    </message>
    <message>
        <source>&amp;Add feature…</source>
        <translation>&amp;Ajouter une fonctionnalité…</translation>
    </message>
    <message>
        <source>Add a feature to this product</source>
        <translation>Ajouter une fonctionnalité à ce produit</translation>
    </message>
    <message>
        <source>&amp;Edit feature…</source>
        <translation>&amp;Modifier la fonctionnalité…</translation>
    </message>
    <message>
        <source>Change the selected feature&apos;s scopes</source>
        <translation>Modifier les scopes de la fonctionnalité sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Delete feature</source>
        <translation>&amp;Supprimer la fonctionnalité</translation>
    </message>
    <message>
        <source>Delete the selected feature</source>
        <translation>Supprimer la fonctionnalité sélectionnée</translation>
    </message>
    <message>
        <source>New &amp;role…</source>
        <translation>Nouveau &amp;rôle…</translation>
    </message>
    <message>
        <source>Create a role in this product</source>
        <translation>Créer un rôle dans ce produit</translation>
    </message>
    <message>
        <source>Re&amp;name role…</source>
        <translation>Re&amp;nommer le rôle…</translation>
    </message>
    <message>
        <source>Rename the selected role everywhere it is held</source>
        <translation>Renommer le rôle sélectionné partout où il est attribué</translation>
    </message>
    <message>
        <source>Delete ro&amp;le</source>
        <translation>Supprimer &amp;le rôle</translation>
    </message>
    <message>
        <source>Delete the selected role (refused while anyone holds it)</source>
        <translation>Supprimer le rôle sélectionné (refusé tant que quelqu&apos;un le détient)</translation>
    </message>
    <message>
        <source>Add &amp;scope column…</source>
        <translation>Ajouter une colonne de s&amp;cope…</translation>
    </message>
    <message>
        <source>Add a scope to the matrix to grant it to roles</source>
        <translation>Ajouter un scope à la matrice pour l&apos;accorder à des rôles</translation>
    </message>
    <message>
        <source>Product ID</source>
        <translation>ID du produit</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé le (UTC)</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>Fonctionnalités</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produits</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activée</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <source>Scopes it unlocks</source>
        <translation>Scopes débloqués</translation>
    </message>
    <message>
        <source>Roles and the scopes they grant</source>
        <translation>Rôles et scopes qu&apos;ils accordent</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Roles and scopes</source>
        <translation>Rôles et scopes</translation>
    </message>
    <message>
        <source>Tick a box to grant the scope to the role. Scopes in italics belong only to features that are off: they reach no token until a feature that unlocks them is on.</source>
        <translation>Cochez une case pour accorder le scope au rôle. Les scopes en italique appartiennent uniquement à des fonctionnalités désactivées : ils n&apos;apparaissent dans aucun jeton tant qu&apos;une fonctionnalité qui les débloque n&apos;est pas activée.</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Aucun realm sélectionné</translation>
    </message>
    <message>
        <source>Products of realm %1</source>
        <translation>Produits du realm %1</translation>
    </message>
    <message>
        <source>Product %1 (%2) in realm %3</source>
        <translation>Produit %1 (%2) du realm %3</translation>
    </message>
    <message>
        <source>%1 is on</source>
        <translation>%1 est activée</translation>
    </message>
    <message>
        <source>%1 (system)</source>
        <translation>%1 (système)</translation>
    </message>
    <message>
        <source>System role: cannot be renamed or deleted</source>
        <translation>Rôle système : ne peut être ni renommé ni supprimé</translation>
    </message>
    <message>
        <source>%1 grants %2</source>
        <translation>%1 accorde %2</translation>
    </message>
    <message>
        <source>%1 (off)</source>
        <translation>%1 (désactivée)</translation>
    </message>
    <message>
        <source>Not part of any feature</source>
        <translation>N&apos;appartient à aucune fonctionnalité</translation>
    </message>
    <message>
        <source>Unlocked by feature: %1</source>
        <translation>Débloqué par la fonctionnalité : %1</translation>
    </message>
    <message>
        <source>Turn feature off</source>
        <translation>Désactiver la fonctionnalité</translation>
    </message>
    <message>
        <source>Turn off feature &quot;%1&quot; of %2? The scopes it unlocks (%3) are removed from every token of the product.</source>
        <translation>Désactiver la fonctionnalité « %1 » de %2 ? Les scopes qu&apos;elle débloque (%3) seront retirés de tous les jetons du produit.</translation>
    </message>
    <message>
        <source>Switch feature</source>
        <translation>Basculer la fonctionnalité</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Modifier le rôle</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Nouveau produit</translation>
    </message>
    <message>
        <source>Product ID (what clients send as tenantId; letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;):</source>
        <translation>ID du produit (ce que les clients envoient comme tenantId ; lettres, chiffres, &apos;.&apos;, &apos;_&apos; ou &apos;-&apos;) :</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Nom d&apos;affichage :</translation>
    </message>
    <message>
        <source>Add feature</source>
        <translation>Ajouter une fonctionnalité</translation>
    </message>
    <message>
        <source>The product already has a feature &quot;%1&quot;.</source>
        <translation>Le produit possède déjà une fonctionnalité « %1 ».</translation>
    </message>
    <message>
        <source>Edit feature</source>
        <translation>Modifier la fonctionnalité</translation>
    </message>
    <message>
        <source>Delete feature</source>
        <translation>Supprimer la fonctionnalité</translation>
    </message>
    <message>
        <source>Delete feature &quot;%1&quot; of %2? Its scopes (%3) are no longer gated by it.</source>
        <translation>Supprimer la fonctionnalité « %1 » de %2 ? Ses scopes (%3) ne seront plus conditionnés par elle.</translation>
    </message>
    <message>
        <source>New role</source>
        <translation>Nouveau rôle</translation>
    </message>
    <message>
        <source>Role name:</source>
        <translation>Nom du rôle :</translation>
    </message>
    <message>
        <source>A role named &quot;%1&quot; already exists.</source>
        <translation>Un rôle nommé « %1 » existe déjà.</translation>
    </message>
    <message>
        <source>Rename role</source>
        <translation>Renommer le rôle</translation>
    </message>
    <message>
        <source>New name for &quot;%1&quot;:</source>
        <translation>Nouveau nom pour « %1 » :</translation>
    </message>
    <message>
        <source>Delete role</source>
        <translation>Supprimer le rôle</translation>
    </message>
    <message>
        <source>Delete role &quot;%1&quot; of %2?</source>
        <translation>Supprimer le rôle « %1 » de %2 ?</translation>
    </message>
    <message>
        <source>Add scope</source>
        <translation>Ajouter un scope</translation>
    </message>
    <message>
        <source>Scope (for example reports:read):</source>
        <translation>Scope (par exemple reports:read) :</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid scope.</source>
        <translation>« %1 » n&apos;est pas un scope valide.</translation>
    </message>
</context>
<context>
    <name>authrealm::RealmSettingsView</name>
    <message>
        <source>seconds</source>
        <translation>secondes</translation>
    </message>
    <message>
        <source>days</source>
        <translation>jours</translation>
    </message>
    <message>
        <source>on</source>
        <translation>activé</translation>
    </message>
    <message>
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <source>Bold settings differ from their default. Changes take effect when applied.</source>
        <translation>Les paramètres en gras diffèrent de leur valeur par défaut. Les modifications prennent effet une fois appliquées.</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Paramètre</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unité</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Realm settings</source>
        <translation>Paramètres du realm</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>activé</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <source>From %1 to %2 %3</source>
        <translation>De %1 à %2 %3</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Réinitialiser</translation>
    </message>
    <message>
        <source>Set %1 back to its default</source>
        <translation>Rétablir la valeur par défaut de %1</translation>
    </message>
    <message>
        <source>Reset %1 to default</source>
        <translation>Réinitialiser %1 à sa valeur par défaut</translation>
    </message>
    <message>
        <source>Apply settings</source>
        <translation>Appliquer les paramètres</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Annuler les modifications</translation>
    </message>
    <message>
        <source>Settings of realm %1</source>
        <translation>Paramètres du realm %1</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Aucun realm sélectionné</translation>
    </message>
    <message>
        <source>Apply realm settings</source>
        <translation>Appliquer les paramètres du realm</translation>
    </message>
</context>
<context>
    <name>authrealm::ScopedView</name>
    <message>
        <source>Cannot read the database</source>
        <translation>Impossible de lire la base de données</translation>
    </message>
</context>
<context>
    <name>authrealm::SessionListModel</name>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>Adresse IP</translation>
    </message>
    <message>
        <source>Device / user agent</source>
        <translation>Appareil / user agent</translation>
    </message>
    <message>
        <source>Signed in (UTC)</source>
        <translation>Connecté le (UTC)</translation>
    </message>
    <message>
        <source>Last used (UTC)</source>
        <translation>Dernière utilisation (UTC)</translation>
    </message>
</context>
<context>
    <name>authrealm::SessionsView</name>
    <message>
        <source>Active sessions</source>
        <translation>Sessions actives</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Révoquer</translation>
    </message>
    <message>
        <source>Sign the selected sessions out</source>
        <translation>Déconnecter les sessions sélectionnées</translation>
    </message>
    <message>
        <source>Revoke all for this &amp;user</source>
        <translation>Tout révoquer pour cet &amp;utilisateur</translation>
    </message>
    <message>
        <source>Sign the selected session&apos;s user out everywhere</source>
        <translation>Déconnecter partout l&apos;utilisateur de la session sélectionnée</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Aucun realm sélectionné</translation>
    </message>
    <message>
        <source>Active sessions in realm %1</source>
        <translation>Sessions actives dans le realm %1</translation>
    </message>
    <message>
        <source>Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.</source>
        <translation>Déconnecter %1 de la session ouverte le %2 (%3) ? Son jeton d&apos;actualisation cessera de fonctionner et ses jetons d&apos;accès seront refusés immédiatement.</translation>
    </message>
    <message numerus="yes">
        <source>Sign out %n session(s) of %1? Their refresh tokens stop working and their access tokens are refused at once.</source>
        <translation>
            <numerusform>Fermer %n session de %1 ? Son jeton d&apos;actualisation cessera de fonctionner et ses jetons d&apos;accès seront refusés immédiatement.</numerusform>
            <numerusform>Fermer %n sessions de %1 ? Leurs jetons d&apos;actualisation cesseront de fonctionner et leurs jetons d&apos;accès seront refusés immédiatement.</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke sessions</source>
        <translation>Révoquer les sessions</translation>
    </message>
    <message>
        <source>Revoke session</source>
        <translation>Révoquer la session</translation>
    </message>
    <message>
        <source>Revoke all sessions</source>
        <translation>Révoquer toutes les sessions</translation>
    </message>
    <message>
        <source>Sign %1 out on every device? All of their sessions in realm %2 end at once.</source>
        <translation>Déconnecter %1 sur tous ses appareils ? Toutes ses sessions dans le realm %2 prendront fin immédiatement.</translation>
    </message>
    <message>
        <source>Cannot read the sessions</source>
        <translation>Impossible de lire les sessions</translation>
    </message>
</context>
<context>
    <name>authrealm::SetPasswordDialog</name>
    <message>
        <source>Set password</source>
        <translation>Définir le mot de passe</translation>
    </message>
    <message>
        <source>Set a new password for %1. All of their sessions end, so they sign in again everywhere.</source>
        <translation>Définissez un nouveau mot de passe pour %1. Toutes ses sessions prendront fin ; il devra se reconnecter partout.</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Confirmez le nouveau mot de passe</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;Nouveau mot de passe :</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Confirmation :</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe sont différents.</translation>
    </message>
</context>
<context>
    <name>authrealm::SigningKeysView</name>
    <message>
        <source>Access tokens are signed with the active key. Rotating creates a new active key; retired keys stay published so tokens they signed keep verifying until they expire.</source>
        <translation>Les jetons d&apos;accès sont signés avec la clé active. La rotation crée une nouvelle clé active ; les clés retirées restent publiées afin que les jetons qu&apos;elles ont signés restent vérifiables jusqu&apos;à leur expiration.</translation>
    </message>
    <message>
        <source>Key ID (kid)</source>
        <translation>ID de clé (kid)</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>Algorithme</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé le (UTC)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Signing keys</source>
        <translation>Clés de signature</translation>
    </message>
    <message>
        <source>&amp;Rotate signing key…</source>
        <translation>&amp;Effectuer la rotation de la clé de signature…</translation>
    </message>
    <message>
        <source>Create a new active signing key for this realm</source>
        <translation>Créer une nouvelle clé de signature active pour ce realm</translation>
    </message>
    <message>
        <source>Rotate signing key</source>
        <translation>Rotation de la clé de signature</translation>
    </message>
    <message>
        <source>No realm selected</source>
        <translation>Aucun realm sélectionné</translation>
    </message>
    <message>
        <source>Signing keys of realm %1</source>
        <translation>Clés de signature du realm %1</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>retirée</translation>
    </message>
    <message>
        <source>Rotate the signing key of realm &quot;%1&quot;? New access tokens will be signed with a new key. Products that cache the realm&apos;s public keys must fetch them again.</source>
        <translation>Effectuer la rotation de la clé de signature du realm « %1 » ? Les nouveaux jetons d&apos;accès seront signés avec une nouvelle clé. Les produits qui mettent en cache les clés publiques du realm devront les récupérer à nouveau.</translation>
    </message>
</context>
<context>
    <name>authrealm::TotpEnrolmentDialog</name>
    <message>
        <source>Set up two-step sign-in for %1</source>
        <translation>Configurer la connexion en deux étapes pour %1</translation>
    </message>
    <message>
        <source>Ask the user to scan this code with their authenticator app (or to type the key below), then to read out the 6-digit code the app shows.</source>
        <translation>Demandez à l’utilisateur de scanner ce code avec son application d’authentification (ou de saisir la clé ci-dessous), puis de lire le code à 6 chiffres affiché par l’application.</translation>
    </message>
    <message>
        <source>QR code of the authenticator key</source>
        <translation>Code QR de la clé d’authentification</translation>
    </message>
    <message>
        <source>Key for manual entry:</source>
        <translation>Clé à saisir manuellement :</translation>
    </message>
    <message>
        <source>Authenticator key</source>
        <translation>Clé d’authentification</translation>
    </message>
    <message>
        <source>6-digit code</source>
        <translation>Code à 6 chiffres</translation>
    </message>
    <message>
        <source>Current code from the authenticator app</source>
        <translation>Code actuel de l’application d’authentification</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>&amp;Code :</translation>
    </message>
    <message>
        <source>&amp;Turn on</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Two-step sign-in is on. These backup codes each sign in once when the phone is lost. Give them to the user now: &lt;b&gt;they will not be shown again.&lt;/b&gt;</source>
        <translation>La connexion en deux étapes est activée. Chacun de ces codes de secours permet une connexion si le téléphone est perdu. Remettez-les maintenant à l’utilisateur : &lt;b&gt;ils ne seront plus affichés.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Backup codes</source>
        <translation>Codes de secours</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the backup codes</source>
        <translation>Copier les codes de secours</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>&amp;Terminé</translation>
    </message>
    <message>
        <source>Two-step sign-in not set up</source>
        <translation>Connexion en deux étapes non configurée</translation>
    </message>
    <message>
        <source>Code not accepted</source>
        <translation>Code refusé</translation>
    </message>
</context>
<context>
    <name>authrealm::UserDetailView</name>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Suspendu</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Révoquer</translation>
    </message>
    <message>
        <source>Set &amp;password…</source>
        <translation>Définir le &amp;mot de passe…</translation>
    </message>
    <message>
        <source>Give the user a new password; their sessions end</source>
        <translation>Attribuer un nouveau mot de passe à l&apos;utilisateur ; ses sessions prennent fin</translation>
    </message>
    <message>
        <source>Revoke &amp;all sessions</source>
        <translation>Révoquer &amp;toutes les sessions</translation>
    </message>
    <message>
        <source>Sign the user out on every device</source>
        <translation>Déconnecter l&apos;utilisateur sur tous ses appareils</translation>
    </message>
    <message>
        <source>Add &amp;membership…</source>
        <translation>Ajouter une &amp;appartenance…</translation>
    </message>
    <message>
        <source>&amp;Edit roles…</source>
        <translation>Modifier les &amp;rôles…</translation>
    </message>
    <message>
        <source>&amp;Remove membership</source>
        <translation>&amp;Supprimer l&apos;appartenance</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Définir le mot de passe</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>Nom d&apos;affichage</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Modifié le</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Email:</source>
        <translation>E-mail :</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Nom d&apos;affichage :</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>Nom d&apos;utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Statut :</translation>
    </message>
    <message>
        <source>Created (UTC):</source>
        <translation>Créé le (UTC) :</translation>
    </message>
    <message>
        <source>Updated (UTC):</source>
        <translation>Modifié le (UTC) :</translation>
    </message>
    <message>
        <source>Products and roles</source>
        <translation>Produits et rôles</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <source>Access tokens</source>
        <translation>Jetons d&apos;accès</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rôles</translation>
    </message>
    <message>
        <source>Scopes granted</source>
        <translation>Scopes accordés</translation>
    </message>
    <message>
        <source>Memberships</source>
        <translation>Appartenances</translation>
    </message>
    <message>
        <source>Device / user agent</source>
        <translation>Appareil / user agent</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>Adresse IP</translation>
    </message>
    <message>
        <source>Signed in (UTC)</source>
        <translation>Connecté le (UTC)</translation>
    </message>
    <message>
        <source>Last used (UTC)</source>
        <translation>Dernière utilisation (UTC)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Scopes</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé le (UTC)</translation>
    </message>
    <message>
        <source>Expires (UTC)</source>
        <translation>Expire le (UTC)</translation>
    </message>
    <message>
        <source>Personal access tokens</source>
        <translation>Jetons d&apos;accès personnels</translation>
    </message>
    <message>
        <source>Personal access tokens are minted by the user for scripts. Revoking one stops it at once.</source>
        <translation>Les jetons d&apos;accès personnels sont créés par l&apos;utilisateur pour ses scripts. La révocation d&apos;un jeton le désactive immédiatement.</translation>
    </message>
    <message>
        <source>No user selected</source>
        <translation>Aucun utilisateur sélectionné</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Revoke the session from %1 (%2)</source>
        <translation>Révoquer la session ouverte le %1 (%2)</translation>
    </message>
    <message>
        <source>Sessions (%1)</source>
        <translation>Sessions (%1)</translation>
    </message>
    <message>
        <source>%1 (expired)</source>
        <translation>%1 (expiré)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Revoke the token %1</source>
        <translation>Révoquer le jeton %1</translation>
    </message>
    <message>
        <source>Access tokens (%1)</source>
        <translation>Jetons d&apos;accès (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Suspend %1? They cannot sign in until reactivated, and their %n active session(s) end at once.</source>
        <translation>
            <numerusform>Suspendre %1 ? Cet utilisateur ne pourra plus se connecter avant sa réactivation, et sa session active (%n) prendra fin immédiatement.</numerusform>
            <numerusform>Suspendre %1 ? Cet utilisateur ne pourra plus se connecter avant sa réactivation, et ses %n sessions actives prendront fin immédiatement.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %1? They cannot sign in any more, and their %n active session(s) end at once.</source>
        <translation>
            <numerusform>Désactiver %1 ? Cet utilisateur ne pourra plus se connecter, et sa session active (%n) prendra fin immédiatement.</numerusform>
            <numerusform>Désactiver %1 ? Cet utilisateur ne pourra plus se connecter, et ses %n sessions actives prendront fin immédiatement.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>Modifier le statut</translation>
    </message>
    <message>
        <source>Revoke session</source>
        <translation>Révoquer la session</translation>
    </message>
    <message>
        <source>Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.</source>
        <translation>Déconnecter %1 de la session ouverte le %2 (%3) ? Son jeton d&apos;actualisation cessera de fonctionner et ses jetons d&apos;accès seront refusés immédiatement.</translation>
    </message>
    <message>
        <source>Revoke all sessions</source>
        <translation>Révoquer toutes les sessions</translation>
    </message>
    <message numerus="yes">
        <source>Sign %1 out on every device? %n active session(s) end at once.</source>
        <translation>
            <numerusform>Déconnecter %1 sur tous ses appareils ? %n session active prendra fin immédiatement.</numerusform>
            <numerusform>Déconnecter %1 sur tous ses appareils ? %n sessions actives prendront fin immédiatement.</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke access token</source>
        <translation>Révoquer le jeton d&apos;accès</translation>
    </message>
    <message>
        <source>Revoke the personal access token &quot;%1&quot; of %2? Scripts using it stop working at once.</source>
        <translation>Révoquer le jeton d&apos;accès personnel « %1 » de %2 ? Les scripts qui l&apos;utilisent cesseront immédiatement de fonctionner.</translation>
    </message>
    <message>
        <source>Add membership</source>
        <translation>Ajouter une appartenance</translation>
    </message>
    <message>
        <source>Edit roles</source>
        <translation>Modifier les rôles</translation>
    </message>
    <message>
        <source>Remove membership</source>
        <translation>Supprimer l&apos;appartenance</translation>
    </message>
    <message>
        <source>Remove %1 from product %2? They lose every role they hold in it.</source>
        <translation>Retirer %1 du produit %2 ? Cet utilisateur perdra tous les rôles qu&apos;il y détient.</translation>
    </message>
    <message>
        <source>Two-step sign-in</source>
        <translation>Connexion en deux étapes</translation>
    </message>
</context>
<context>
    <name>authrealm::UserListModel</name>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé le (UTC)</translation>
    </message>
</context>
<context>
    <name>authrealm::UserSecuritySection</name>
    <message>
        <source>Two-step sign-in state</source>
        <translation>État de la connexion en deux étapes</translation>
    </message>
    <message>
        <source>Sign-in lockout state</source>
        <translation>État du verrouillage de connexion</translation>
    </message>
    <message>
        <source>Set &amp;up two-step sign-in…</source>
        <translation>Confi&amp;gurer la connexion en deux étapes…</translation>
    </message>
    <message>
        <source>Show a QR code for the user&apos;s authenticator app and turn TOTP on with a code from it</source>
        <translation>Afficher un code QR pour l’application d’authentification de l’utilisateur et activer TOTP avec un code de celle-ci</translation>
    </message>
    <message>
        <source>&amp;Reset two-step sign-in…</source>
        <translation>&amp;Réinitialiser la connexion en deux étapes…</translation>
    </message>
    <message>
        <source>Remove the user&apos;s authenticator and backup codes (lost phone); ends their sessions</source>
        <translation>Supprimer l’authentificateur et les codes de secours de l’utilisateur (téléphone perdu) ; met fin à ses sessions</translation>
    </message>
    <message>
        <source>Un&amp;lock sign-in</source>
        <translation>&amp;Déverrouiller la connexion</translation>
    </message>
    <message>
        <source>Forget failed sign-in attempts and lift the lockout</source>
        <translation>Oublier les tentatives de connexion échouées et lever le verrouillage</translation>
    </message>
    <message>
        <source>Two-step sign-in (TOTP):</source>
        <translation>Connexion en deux étapes (TOTP) :</translation>
    </message>
    <message>
        <source>Brute-force protection:</source>
        <translation>Protection contre la force brute :</translation>
    </message>
    <message>
        <source>Sign-in security not shown</source>
        <translation>Sécurité de connexion non affichée</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>On (authenticator app and backup codes)</source>
        <translation>Activée (application d’authentification et codes de secours)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivée</translation>
    </message>
    <message numerus="yes">
        <source>Locked until %1 UTC after %n failed attempt(s)</source>
        <translation>
            <numerusform>Verrouillé jusqu’à %1 UTC après %n tentative échouée</numerusform>
            <numerusform>Verrouillé jusqu’à %1 UTC après %n tentatives échouées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not locked (%n recent failed attempt(s))</source>
        <translation>
            <numerusform>Non verrouillé (%n tentative échouée récente)</numerusform>
            <numerusform>Non verrouillé (%n tentatives échouées récentes)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not locked</source>
        <translation>Non verrouillé</translation>
    </message>
    <message>
        <source>Reset two-step sign-in</source>
        <translation>Réinitialiser la connexion en deux étapes</translation>
    </message>
    <message>
        <source>Remove the authenticator and backup codes of %1 and end all their sessions? They sign in with the password alone until they set up two-step sign-in again.</source>
        <translation>Supprimer l’authentificateur et les codes de secours de %1 et mettre fin à toutes ses sessions ? Le mot de passe seul suffira jusqu’à une nouvelle configuration de la connexion en deux étapes.</translation>
    </message>
    <message>
        <source>Two-step sign-in not reset</source>
        <translation>Connexion en deux étapes non réinitialisée</translation>
    </message>
    <message>
        <source>Sign-in not unlocked</source>
        <translation>Connexion non déverrouillée</translation>
    </message>
</context>
<context>
    <name>authrealm::UsersView</name>
    <message>
        <source>Status filter</source>
        <translation>Filtre de statut</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tout statut</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Suspendu</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation>&amp;Nouvel utilisateur…</translation>
    </message>
    <message>
        <source>Create a user</source>
        <translation>Créer un utilisateur</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>Cannot read the database</source>
        <translation>Impossible de lire la base de données</translation>
    </message>
    <message>
        <source>Search in</source>
        <translation>Rechercher dans</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Starts with…</source>
        <translation>Commence par…</translation>
    </message>
    <message>
        <source>Search users</source>
        <translation>Rechercher des utilisateurs</translation>
    </message>
    <message>
        <source>Cannot read the users</source>
        <translation>Impossible de lire les utilisateurs</translation>
    </message>
</context>
</TS>
