// A tiny web application that signs people in with openid-client, the way an
// unmodified RP would: /login?client=KEY redirects to AuthRealm, /cb redeems the
// code and shows who signed in to which product, /logout?client=KEY ends the session.
import { createServer } from 'node:http';
import * as client from 'openid-client';
import * as jose from 'jose';
import { configFor } from './rp.mjs';

const escape = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function startWebRp(fx) {
    const base = `http://127.0.0.1:${fx.ports.rp}`;
    const pending = new Map(); // state -> { key, verifier, nonce }
    const idTokens = new Map(); // client key -> last id_token
    const page = (res, status, title, body) => {
        res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>${escape(title)}</title><h1>${escape(title)}</h1>${body}`);
    };
    const server = createServer(async (req, res) => {
        const url = new URL(req.url, base);
        try {
            if (url.pathname === '/login') {
                const key = url.searchParams.get('client');
                const { config, c } = await configFor(fx, key);
                const verifier = client.randomPKCECodeVerifier(), state = client.randomState(), nonce = client.randomNonce();
                pending.set(state, { key, verifier, nonce });
                const to = client.buildAuthorizationUrl(config, { redirect_uri: c.redirectUri, scope: 'openid profile email', state, nonce,
                    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
                res.writeHead(302, { Location: to.href }).end();
            } else if (url.pathname === '/cb') {
                const flow = pending.get(url.searchParams.get('state'));
                if (!flow) return page(res, 400, 'Unknown state', escape(url.search));
                pending.delete(url.searchParams.get('state'));
                const { config } = await configFor(fx, flow.key);
                const tokens = await client.authorizationCodeGrant(config, url,
                    { pkceCodeVerifier: flow.verifier, expectedState: url.searchParams.get('state'), expectedNonce: flow.nonce, idTokenExpected: true });
                idTokens.set(flow.key, tokens.id_token);
                const claims = tokens.claims();
                // The e-mail comes from userinfo, as most RPs read it (an ID token need not carry it).
                const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
                const at = jose.decodeJwt(tokens.access_token);
                const product = Array.isArray(at.aud) ? at.aud[0] : at.aud;
                page(res, 200, 'Signed in', `<p id="who">${escape(info.email ?? claims.email)}</p><p id="product">${escape(product)}</p><p id="client">${escape(flow.key)}</p>`);
            } else if (url.pathname === '/logout') {
                const key = url.searchParams.get('client');
                const { config, c } = await configFor(fx, key);
                const to = client.buildEndSessionUrl(config, { id_token_hint: idTokens.get(key), post_logout_redirect_uri: c.postLogoutRedirectUri, state: 'bye' });
                res.writeHead(302, { Location: to.href }).end();
            } else if (url.pathname === '/loggedout') {
                page(res, 200, 'Signed out', `<p id="state">${escape(url.searchParams.get('state'))}</p>`);
            } else {
                page(res, 404, 'Not found', '');
            }
        } catch (e) {
            page(res, 500, 'RP error', `<pre id="error">${escape(e.stack || e.message)}</pre>`);
        }
    });
    await new Promise((resolve, reject) => { server.on('error', reject); server.listen(fx.ports.rp, '127.0.0.1', resolve); });
    return { base, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}
