<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>HostedPages</name>
    <message>
        <source>Allow</source>
        <translation>Erlauben</translation>
    </message>
    <message>
        <source>Allow access</source>
        <translation>Zugriff erlauben</translation>
    </message>
    <message>
        <source>Choose a product</source>
        <translation>Wählen Sie ein Produkt</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Bestätigungscode</translation>
    </message>
    <message>
        <source>Confirm who you are</source>
        <translation>Bestätigen Sie Ihre Identität</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Do you want to sign out?</source>
        <translation>Möchten Sie sich abmelden?</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Email me a code instead</source>
        <translation>Stattdessen einen Code per E-Mail erhalten</translation>
    </message>
    <message>
        <source>Enter the 6-digit code from your authenticator app.</source>
        <translation>Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.</translation>
    </message>
    <message>
        <source>Enter the code we emailed you</source>
        <translation>Geben Sie den Code ein, den wir Ihnen per E-Mail gesendet haben</translation>
    </message>
    <message>
        <source>If the address belongs to an account, a code is on its way.</source>
        <translation>Falls die Adresse zu einem Konto gehört, ist ein Code unterwegs.</translation>
    </message>
    <message>
        <source>Invalid email or password</source>
        <translation>Ungültige E-Mail-Adresse oder falsches Passwort</translation>
    </message>
    <message>
        <source>Invalid redirect address</source>
        <translation>Ungültige Weiterleitungsadresse</translation>
    </message>
    <message>
        <source>Invalid request</source>
        <translation>Ungültige Anfrage</translation>
    </message>
    <message>
        <source>Lost your device? Enter one of your backup codes instead.</source>
        <translation>Gerät verloren? Geben Sie stattdessen einen Ihrer Backup-Codes ein.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Return to the application</source>
        <translation>Zurück zur Anwendung</translation>
    </message>
    <message>
        <source>Send me a code</source>
        <translation>Code senden</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Sign-in error</source>
        <translation>Anmeldefehler</translation>
    </message>
    <message>
        <source>Signing in with an emailed code is not available.</source>
        <translation>Die Anmeldung mit einem per E-Mail gesendeten Code ist nicht verfügbar.</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Angemeldet bleiben</translation>
    </message>
    <message>
        <source>The application</source>
        <translation>Die Anwendung</translation>
    </message>
    <message>
        <source>The application is not registered here.</source>
        <translation>Die Anwendung ist hier nicht registriert.</translation>
    </message>
    <message>
        <source>The application sent an address that is not registered for it.</source>
        <translation>Die Anwendung hat eine Adresse gesendet, die für sie nicht registriert ist.</translation>
    </message>
    <message>
        <source>The code is wrong or has expired.</source>
        <translation>Der Code ist falsch oder abgelaufen.</translation>
    </message>
    <message>
        <source>The form has expired. Please try again.</source>
        <translation>Das Formular ist abgelaufen. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The request comes from</source>
        <translation>Die Anfrage kommt von</translation>
    </message>
    <message>
        <source>This sign-in request has expired. Go back to the application and start again.</source>
        <translation>Diese Anmeldeanfrage ist abgelaufen. Kehren Sie zur Anwendung zurück und beginnen Sie erneut.</translation>
    </message>
    <message>
        <source>Too many attempts. Try again later.</source>
        <translation>Zu viele Versuche. Bitte versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>Two-step verification</source>
        <translation>Bestätigung in zwei Schritten</translation>
    </message>
    <message>
        <source>Unknown application</source>
        <translation>Unbekannte Anwendung</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>You are signed out.</source>
        <translation>Sie sind abgemeldet.</translation>
    </message>
    <message>
        <source>You are still signed in.</source>
        <translation>Sie sind weiterhin angemeldet.</translation>
    </message>
    <message>
        <source>You can close this window.</source>
        <translation>Sie können dieses Fenster jetzt schließen.</translation>
    </message>
    <message>
        <source>You do not have access to this application.</source>
        <translation>Sie haben keinen Zugriff auf diese Anwendung.</translation>
    </message>
    <message>
        <source>Your email address</source>
        <translation>Ihre E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Your name and profile</source>
        <translation>Ihr Name und Ihr Profil</translation>
    </message>
    <message>
        <source>asks for access to:</source>
        <translation>bittet um Zugriff auf:</translation>
    </message>
    <message>
        <source>to continue to</source>
        <translation>weiter zu</translation>
    </message>
</context>
</TS>
