// Builds the suite's world through AuthRealm's admin API and v1 API only:
// a realm with two products, users, a TOTP user and the OAuth clients of
// /work/OIDC_CONTRACT.md. A client the server cannot create yet is recorded with
// the error, so only the tests that need it fail (and say why).
import { randomBytes } from 'node:crypto';
import { totpAt, currentStep } from './totp.mjs';

export const PASSWORD = 'Rp-suite horse battery 7 staple!';

async function call(base, method, path, body, token) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    if (!res.ok) {
        const err = new Error(`${method} ${path} -> ${res.status} ${json ? `${json.error}: ${json.message}` : text.slice(0, 200)}`);
        err.status = res.status;
        throw err;
    }
    return json;
}

export async function bootstrap({ base, adminPassword, ports, log }) {
    const admin = (await call(base, 'POST', '/realms/master/authRealm/login', { email: 'admin', password: adminPassword })).accessToken;
    const A = (method, path, body) => call(base, method, path, body, admin);
    const realm = `rp${randomBytes(4).toString('hex')}`;
    await A('POST', '/admin/realms', { realm, displayName: 'RP suite', settings: {} });
    const apps = { notes: 'Notes', tasks: 'Tasks' };
    for (const [id, displayName] of Object.entries(apps)) {
        await A('POST', `/admin/realms/${realm}/apps`, { id, displayName });
        await A('PUT', `/admin/realms/${realm}/apps/${id}/roles/member`, { scopes: [`${id}:read`] });
    }
    const users = {};
    const addUser = async (key, email, memberships) => {
        const u = await A('POST', `/admin/realms/${realm}/users`, { email, password: PASSWORD, displayName: key });
        for (const app of memberships)
            await A('PUT', `/admin/realms/${realm}/users/${u.id}/memberships/${app}`, { roles: ['member'] });
        users[key] = { id: u.id, email, password: PASSWORD };
    };
    await addUser('alice', 'alice@example.com', ['notes', 'tasks']); // both products: the product choice
    await addUser('ivy', 'ivy@example.com', ['notes']);              // npm client flows
    await addUser('olga', 'olga@example.com', ['notes']);            // oauth4webapi flows
    await addUser('tom', 'tom@example.com', ['notes']);              // TOTP
    await addUser('paul', 'paul@example.com', ['notes']);            // Apache sign-in

    // TOTP through the v1 API, as a user would enrol.
    const tomToken = (await call(base, 'POST', `/realms/${realm}/authRealm/login`, { email: 'tom@example.com', password: PASSWORD })).accessToken;
    const enrol = await call(base, 'POST', `/realms/${realm}/authRealm/totp/enroll`, undefined, tomToken);
    const step = currentStep();
    await call(base, 'POST', `/realms/${realm}/authRealm/totp/confirm`, { code: totpAt(enrol.secret, step) }, tomToken);
    users.tom.totpSecret = enrol.secret;
    users.tom.totpFirstStep = step;

    const cb = `http://127.0.0.1:${ports.callback}/cb`;
    const rp = `http://127.0.0.1:${ports.rp}`;
    const oidcScopes = ['openid', 'profile', 'email', 'offline_access'];
    const code = (extra) => ({
        confidential: true, grantTypes: ['authorization_code', 'refresh_token'], allowedScopes: [...oidcScopes, 'notes:read'],
        idTokenAlgorithm: 'RS256', firstParty: true, postLogoutRedirectUris: [], ...extra,
    });
    const wanted = {
        basic: ['notes', code({ name: 'basic', tokenEndpointAuthMethod: 'client_secret_basic', redirectUris: [cb], postLogoutRedirectUris: [`${cb}/loggedout`] })],
        post: ['notes', code({ name: 'post', tokenEndpointAuthMethod: 'client_secret_post', redirectUris: [cb] })],
        public: ['notes', code({ name: 'public', confidential: false, tokenEndpointAuthMethod: 'none', redirectUris: [cb], postLogoutRedirectUris: [`${cb}/loggedout`] })],
        cc: ['notes', { name: 'cc', confidential: true, tokenEndpointAuthMethod: 'client_secret_basic', grantTypes: ['client_credentials'], allowedScopes: ['notes:read'], redirectUris: [] }],
        appNotes: ['notes', code({ name: 'Notes web', tokenEndpointAuthMethod: 'client_secret_basic', redirectUris: [`${rp}/cb`], postLogoutRedirectUris: [`${rp}/loggedout`] })],
        appTasks: ['tasks', code({ name: 'Tasks web', tokenEndpointAuthMethod: 'client_secret_basic', redirectUris: [`${rp}/cb`], postLogoutRedirectUris: [`${rp}/loggedout`],
            allowedScopes: [...oidcScopes, 'tasks:read'] })],
        both: ['notes', code({ name: 'Suite portal', tokenEndpointAuthMethod: 'client_secret_basic', redirectUris: [`${rp}/cb`], postLogoutRedirectUris: [`${rp}/loggedout`],
            extraAppIds: ['tasks'], allowedScopes: [...oidcScopes, 'notes:read', 'tasks:read'] })],
        apache: ['notes', code({ name: 'Apache', tokenEndpointAuthMethod: 'client_secret_basic',
            redirectUris: [`http://127.0.0.1:${ports.apache}/private/redirect_uri`], postLogoutRedirectUris: [`http://127.0.0.1:${ports.apache}/`] })],
    };
    const clients = {};
    for (const [key, [app, body]] of Object.entries(wanted)) {
        try {
            const c = await A('POST', `/admin/realms/${realm}/apps/${app}/clients`, body);
            if (!c.clientId) throw new Error(`201 without clientId: ${JSON.stringify(c).slice(0, 200)}`);
            clients[key] = { clientId: c.clientId, clientSecret: c.clientSecret, app, redirectUri: body.redirectUris[0],
                postLogoutRedirectUri: body.postLogoutRedirectUris?.[0], authMethod: body.tokenEndpointAuthMethod };
        } catch (e) {
            clients[key] = { error: e.message };
            log(`client ${key}: ${e.message}`);
        }
    }
    return { realm, apps, users, clients, adminToken: admin };
}
