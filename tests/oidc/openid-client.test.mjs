// openid-client (panva, npm) against AuthRealm: discovery, code + PKCE with full
// ID-token validation, refresh rotation, client_credentials, userinfo,
// introspection, revocation and RP-initiated logout.
import { rpTest as test } from './lib/fixture.mjs';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import * as jose from 'jose';
import { loadFixture } from './lib/fixture.mjs';
import { configFor, codeFlow, verifyIdTokenFully, atHash } from './lib/rp.mjs';
import { UserAgent, driveToRedirect } from './lib/useragent.mjs';

const fx = loadFixture();
const ivy = { email: fx.users.ivy.email, password: fx.users.ivy.password };

const expectOAuthError = async (promise, code) => {
    await assert.rejects(promise, (e) => {
        const got = e.error ?? e.cause?.error ?? e.code;
        assert.equal(got, code, `expected OAuth error ${code}, got ${got}: ${e.message}`);
        return true;
    });
};

test('discovery: issuer, endpoints and what is advertised', async () => {
    const { config } = await configFor(fx, 'basic');
    const m = config.serverMetadata();
    assert.equal(m.issuer, fx.issuer);
    for (const ep of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri',
        'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint'])
        assert.ok(m[ep]?.startsWith(fx.issuer), `${ep} = ${m[ep]}`);
    assert.deepEqual(m.response_types_supported, ['code']);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.equal(m.authorization_response_iss_parameter_supported, true);
    for (const g of ['authorization_code', 'refresh_token', 'client_credentials'])
        assert.ok(m.grant_types_supported.includes(g), `grant ${g}`);
    assert.ok(!m.grant_types_supported.includes('password') && !m.grant_types_supported.includes('implicit'));
});

test('code + PKCE with client_secret_basic: ID token fully validated, userinfo, refresh rotation', async () => {
    const { config, c, tokens, nonce } = await codeFlow(fx, 'basic', ivy);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.refresh_token, 'a refresh token for offline_access');
    const claims = tokens.claims();
    assert.equal(claims.iss, fx.issuer);
    assert.equal(claims.aud === c.clientId || (Array.isArray(claims.aud) && claims.aud.includes(c.clientId)), true);
    const { payload, protectedHeader } = await verifyIdTokenFully(fx, config, c, tokens.id_token, nonce);
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.at_hash, atHash(tokens.access_token, protectedHeader.alg), 'at_hash');
    assert.ok(Array.isArray(payload.amr) && payload.amr.includes('pwd'), `amr ${JSON.stringify(payload.amr)}`);

    // The access token is the v1 kind: JWT for the product, usable on /v1/tenant/me.
    const at = jose.decodeJwt(tokens.access_token);
    assert.equal(at.aud === 'notes' || (Array.isArray(at.aud) && at.aud.includes('notes')), true, `aud ${at.aud}`);
    const me = await fetch(`${fx.issuer}/v1/tenant/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200, 'v1 accepts the OIDC access token');

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.sub, claims.sub);
    assert.equal(info.email, fx.users.ivy.email);
    assert.ok(Array.isArray(info.roles) && info.roles.includes('member'), `roles ${JSON.stringify(info.roles)}`);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'rotation: a new refresh token');
    assert.equal(refreshed.claims()?.sub ?? claims.sub, claims.sub);
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
    // Reuse detected: the whole family is revoked, the newest token too.
    await expectOAuthError(client.refreshTokenGrant(config, refreshed.refresh_token), 'invalid_grant');
});

test('code + PKCE with client_secret_post; the code is single use', async () => {
    const { config, c } = await configFor(fx, 'post');
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState(), nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: c.redirectUri, scope: 'openid email', state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const { url: callback } = await driveToRedirect(new UserAgent(), url, c.redirectUri, ivy);
    assert.equal(callback.searchParams.get('iss'), fx.issuer, 'RFC 9207 iss in the response');
    const checks = { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true };
    const tokens = await client.authorizationCodeGrant(config, callback, checks);
    assert.ok(tokens.claims().sub);
    await expectOAuthError(client.authorizationCodeGrant(config, callback, checks), 'invalid_grant');
});

test('public client: PKCE, no secret; SSO on the second request', async () => {
    const ua = new UserAgent();
    const first = await codeFlow(fx, 'public', ivy, { ua });
    assert.ok(first.tokens.id_token);
    // Same browser, same SSO cookie: no password this time.
    const second = await codeFlow(fx, 'public', { }, { ua });
    assert.equal(second.tokens.claims().sub, first.tokens.claims().sub);
});

test('client_credentials: access token for the product, no refresh token', async () => {
    const { config } = await configFor(fx, 'cc');
    const tokens = await client.clientCredentialsGrant(config, { scope: 'notes:read' });
    assert.ok(tokens.access_token);
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, { issuer: fx.issuer });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.ok(String(payload.scope).split(' ').includes('notes:read'));
    await expectOAuthError(client.clientCredentialsGrant(config, { scope: 'tasks:read' }), 'invalid_scope');
});

test('introspection: own token active, another client\'s token exactly {"active":false}', async () => {
    const { config: basicConfig, tokens } = await codeFlow(fx, 'basic', ivy, { scope: 'openid offline_access' });
    const own = await client.tokenIntrospection(basicConfig, tokens.access_token);
    assert.equal(own.active, true);
    assert.equal(own.client_id, fx.client('basic').clientId);
    assert.equal(own.sub, tokens.claims().sub);
    const ownRefresh = await client.tokenIntrospection(basicConfig, tokens.refresh_token);
    assert.equal(ownRefresh.active, true);

    const { config: postConfig } = await configFor(fx, 'post');
    const other = await client.tokenIntrospection(postConfig, tokens.access_token);
    assert.deepEqual({ ...other }, { active: false });
    const garbage = await client.tokenIntrospection(basicConfig, 'not-a-token');
    assert.deepEqual({ ...garbage }, { active: false });
});

test('revocation: a revoked refresh token introspects inactive and no longer refreshes', async () => {
    const { config, tokens } = await codeFlow(fx, 'basic', ivy, { scope: 'openid offline_access' });
    await client.tokenRevocation(config, tokens.refresh_token);
    assert.deepEqual({ ...(await client.tokenIntrospection(config, tokens.refresh_token)) }, { active: false });
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
    // Revoking an unknown token is not an error (RFC 7009 §2.2).
    await client.tokenRevocation(config, 'never-issued');
});

test('RP-initiated logout ends the SSO session and its tokens', async () => {
    const ua = new UserAgent();
    const { config, c, tokens } = await codeFlow(fx, 'basic', ivy, { ua });
    const state = client.randomState();
    const endUrl = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: c.postLogoutRedirectUri, state });
    const { url: back } = await driveToRedirect(ua, endUrl, c.postLogoutRedirectUri, {});
    assert.equal(back.searchParams.get('state'), state);
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant');
    // The browser must type the password again.
    await assert.rejects(codeFlow(fx, 'basic', {}, { ua }), /asked for a password/);
});
