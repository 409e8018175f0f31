// One code + PKCE sign-in with openid-client for a client someone else made
// (tst_clientsview creates it through the console's Clients view).
// Usage: node sign-in-once.mjs ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI EMAIL PASSWORD
// Prints the ID token's sub and exits 0, or prints the failure and exits 1.
import * as client from 'openid-client';
import { UserAgent, driveToRedirect } from './lib/useragent.mjs';

const [issuer, clientId, secret, redirectUri, email, password] = process.argv.slice(2);
try {
    const config = await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(secret),
        { execute: [client.allowInsecureRequests] });
    client.enableNonRepudiationChecks(config);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState(), nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: 'openid profile email', state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const { url: callback } = await driveToRedirect(new UserAgent(), url, redirectUri, { email, password });
    const tokens = await client.authorizationCodeGrant(config, callback,
        { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
    console.log(`signed in: sub=${tokens.claims().sub} email=${info.email}`);
} catch (e) {
    console.error(`sign-in failed: ${e.message}${e.cause ? ' (' + JSON.stringify(e.cause) + ')' : ''}`);
    process.exit(1);
}
