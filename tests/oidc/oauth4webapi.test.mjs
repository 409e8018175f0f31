// oauth4webapi (panva, npm), the low-level library many frameworks sit on:
// discovery, code + PKCE (public client), ID token incl. its JWS, userinfo, refresh.
import { rpTest as test } from './lib/fixture.mjs';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { loadFixture } from './lib/fixture.mjs';
import { UserAgent, driveToRedirect } from './lib/useragent.mjs';

const fx = loadFixture();
const olga = { email: fx.users.olga.email, password: fx.users.olga.password };
const insecure = { [oauth.allowInsecureRequests]: true }; // loopback http in the test only

async function discover() {
    const issuer = new URL(fx.issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure });
    return oauth.processDiscoveryResponse(issuer, response);
}

test('discovery, code + PKCE, ID token signature, userinfo, refresh', async () => {
    const as = await discover();
    assert.equal(as.issuer, fx.issuer);
    const c = fx.client('public');
    const clientMeta = { client_id: c.clientId };
    const auth = oauth.None();

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState(), nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
        client_id: c.clientId, redirect_uri: c.redirectUri, response_type: 'code', scope: 'openid email profile offline_access',
        state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    const { url: callback } = await driveToRedirect(new UserAgent(), url, c.redirectUri, olga);

    const params = oauth.validateAuthResponse(as, clientMeta, callback, state);
    const tokenResponse = await oauth.authorizationCodeGrantRequest(as, clientMeta, auth, params, c.redirectUri, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, clientMeta, tokenResponse, { expectedNonce: nonce, requireIdToken: true });
    await oauth.validateApplicationLevelSignature(as, tokenResponse, insecure);
    assert.equal(tokenResponse.headers.get('cache-control'), 'no-store');
    const claims = oauth.getValidatedIdTokenClaims(result);
    assert.equal(claims.iss, fx.issuer);
    assert.equal(claims.nonce, nonce);
    assert.ok(claims.auth_time > 0);

    const infoResponse = await oauth.userInfoRequest(as, clientMeta, result.access_token, insecure);
    const info = await oauth.processUserInfoResponse(as, clientMeta, claims.sub, infoResponse);
    assert.equal(info.email, fx.users.olga.email);

    assert.ok(result.refresh_token, 'refresh token for offline_access');
    const refreshResponse = await oauth.refreshTokenGrantRequest(as, clientMeta, auth, result.refresh_token, insecure);
    const refreshed = await oauth.processRefreshTokenResponse(as, clientMeta, refreshResponse);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, result.refresh_token);
});

test('a public client without PKCE is refused at the authorization endpoint', async () => {
    const as = await discover();
    const c = fx.client('public');
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({ client_id: c.clientId, redirect_uri: c.redirectUri, response_type: 'code',
        scope: 'openid', state: 'st-1' }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    assert.ok([302, 303].includes(res.status), `status ${res.status}: ${await res.text()}`);
    const back = new URL(res.headers.get('location'));
    assert.ok(back.href.startsWith(c.redirectUri));
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.equal(back.searchParams.get('state'), 'st-1');
    assert.equal(back.searchParams.get('iss'), fx.issuer);
});
