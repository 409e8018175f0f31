<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>HostedPages</name>
    <message>
        <source>Allow</source>
        <translation>Autoriser</translation>
    </message>
    <message>
        <source>Allow access</source>
        <translation>Autoriser l’accès</translation>
    </message>
    <message>
        <source>Choose a product</source>
        <translation>Choisissez un produit</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code de vérification</translation>
    </message>
    <message>
        <source>Confirm who you are</source>
        <translation>Confirmez votre identité</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>Do you want to sign out?</source>
        <translation>Voulez-vous vous déconnecter ?</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>Email me a code instead</source>
        <translation>Recevoir plutôt un code par e-mail</translation>
    </message>
    <message>
        <source>Enter the 6-digit code from your authenticator app.</source>
        <translation>Saisissez le code à 6 chiffres de votre application d’authentification.</translation>
    </message>
    <message>
        <source>Enter the code we emailed you</source>
        <translation>Saisissez le code que nous vous avons envoyé par e-mail</translation>
    </message>
    <message>
        <source>If the address belongs to an account, a code is on its way.</source>
        <translation>Si l’adresse correspond à un compte, un code vous a été envoyé.</translation>
    </message>
    <message>
        <source>Invalid email or password</source>
        <translation>Adresse e-mail ou mot de passe incorrect</translation>
    </message>
    <message>
        <source>Invalid redirect address</source>
        <translation>Adresse de redirection non valide</translation>
    </message>
    <message>
        <source>Invalid request</source>
        <translation>Requête non valide</translation>
    </message>
    <message>
        <source>Lost your device? Enter one of your backup codes instead.</source>
        <translation>Appareil perdu ? Saisissez plutôt l’un de vos codes de secours.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Return to the application</source>
        <translation>Revenir à l’application</translation>
    </message>
    <message>
        <source>Send me a code</source>
        <translation>M’envoyer un code</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Sign-in error</source>
        <translation>Erreur de connexion</translation>
    </message>
    <message>
        <source>Signing in with an emailed code is not available.</source>
        <translation>La connexion avec un code envoyé par e-mail n’est pas disponible.</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Rester connecté</translation>
    </message>
    <message>
        <source>The application</source>
        <translation>L’application</translation>
    </message>
    <message>
        <source>The application is not registered here.</source>
        <translation>L’application n’est pas enregistrée ici.</translation>
    </message>
    <message>
        <source>The application sent an address that is not registered for it.</source>
        <translation>L’application a envoyé une adresse qui n’est pas enregistrée pour elle.</translation>
    </message>
    <message>
        <source>The code is wrong or has expired.</source>
        <translation>Le code est erroné ou a expiré.</translation>
    </message>
    <message>
        <source>The form has expired. Please try again.</source>
        <translation>Le formulaire a expiré. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>The request comes from</source>
        <translation>La demande provient de</translation>
    </message>
    <message>
        <source>This sign-in request has expired. Go back to the application and start again.</source>
        <translation>Cette demande de connexion a expiré. Retournez à l’application et recommencez.</translation>
    </message>
    <message>
        <source>Too many attempts. Try again later.</source>
        <translation>Trop de tentatives. Veuillez réessayer plus tard.</translation>
    </message>
    <message>
        <source>Two-step verification</source>
        <translation>Validation en deux étapes</translation>
    </message>
    <message>
        <source>Unknown application</source>
        <translation>Application inconnue</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <source>You are signed out.</source>
        <translation>Vous êtes déconnecté.</translation>
    </message>
    <message>
        <source>You are still signed in.</source>
        <translation>Vous êtes toujours connecté.</translation>
    </message>
    <message>
        <source>You can close this window.</source>
        <translation>Vous pouvez fermer cette fenêtre.</translation>
    </message>
    <message>
        <source>You do not have access to this application.</source>
        <translation>Vous n’avez pas accès à cette application.</translation>
    </message>
    <message>
        <source>Your email address</source>
        <translation>Votre adresse e-mail</translation>
    </message>
    <message>
        <source>Your name and profile</source>
        <translation>Votre nom et votre profil</translation>
    </message>
    <message>
        <source>asks for access to:</source>
        <translation>demande l’accès à :</translation>
    </message>
    <message>
        <source>to continue to</source>
        <translation>pour continuer vers</translation>
    </message>
</context>
</TS>
