// Shared relying-party steps on top of openid-client (the library under test
// does the protocol; this file only glues it to the hosted pages).
import * as client from 'openid-client';
import * as jose from 'jose';
import { createHash } from 'node:crypto';
import { UserAgent, driveToRedirect } from './useragent.mjs';

export async function configFor(fx, name) {
    const c = fx.client(name);
    const auth = c.authMethod === 'client_secret_post' ? client.ClientSecretPost(c.clientSecret)
        : c.authMethod === 'none' ? client.None() : client.ClientSecretBasic(c.clientSecret);
    const config = await client.discovery(new URL(fx.issuer), c.clientId, undefined, auth,
        { execute: [client.allowInsecureRequests] });
    // Verify ID-token signatures against the JWKS too (TLS would make it optional; we want the proof).
    client.enableNonRepudiationChecks(config);
    return { config, c };
}

// Code flow with PKCE (S256), state and nonce, driven over HTTP; returns tokens + the checks used.
export async function codeFlow(fx, name, user, { ua = new UserAgent(), scope = 'openid profile email offline_access', extra = {} } = {}) {
    const { config, c } = await configFor(fx, name);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState(), nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
        redirect_uri: c.redirectUri, scope, state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    });
    const { url: callback } = await driveToRedirect(ua, url, c.redirectUri, user);
    const tokens = await client.authorizationCodeGrant(config, callback,
        { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    return { config, c, tokens, ua, callback, nonce };
}

// What openid-client leaves to the application: the JWS against the JWKS with jose, and at_hash.
export async function verifyIdTokenFully(fx, config, c, idToken, nonce) {
    const meta = config.serverMetadata();
    const jwks = jose.createRemoteJWKSet(new URL(meta.jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(idToken, jwks, { issuer: fx.issuer, audience: c.clientId });
    if (!protectedHeader.kid) throw new Error('ID token header has no kid');
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid'])
        if (payload[claim] === undefined) throw new Error(`ID token lacks ${claim}: ${JSON.stringify(payload)}`);
    if (payload.nonce !== nonce) throw new Error('nonce mismatch');
    return { payload, protectedHeader };
}

export function atHash(accessToken, alg) {
    const bits = { RS256: 'sha256', ES256: 'sha256', PS256: 'sha256', EdDSA: 'sha512' }[alg] || 'sha256';
    const digest = createHash(bits).update(accessToken).digest();
    return digest.subarray(0, digest.length / 2).toString('base64url');
}
