// The world the harness built (realm, users, clients, ports), read by every test file.
import { readFileSync } from 'node:fs';

export function loadFixture() {
    const path = process.env.AUTHREALM_RP_FIXTURE;
    if (!path) throw new Error('AUTHREALM_RP_FIXTURE is not set: run the tests through tests/oidc/harness.mjs');
    const fixture = JSON.parse(readFileSync(path, 'utf8'));
    // A client the bootstrap could not create fails the test that needs it, with the reason.
    fixture.client = (name) => {
        const c = fixture.clients[name];
        if (!c) throw new Error(`no client "${name}" in the fixture`);
        if (c.error) throw new Error(`bootstrap could not create client "${name}": ${c.error}`);
        return c;
    };
    return fixture;
}

// node:test with failures that say what the provider answered: openid-client and
// oauth4webapi errors carry the HTTP response or the OAuth error fields.
import nodeTest from 'node:test';
export async function describeFailure(e) {
    const parts = [];
    for (const k of ['status', 'error', 'error_description', 'code'])
        if (e?.[k] !== undefined && !String(e.message).includes(String(e[k]))) parts.push(`${k}=${e[k]}`);
    const r = e?.cause;
    if (typeof Response !== 'undefined' && r instanceof Response) {
        parts.push(`HTTP ${r.status} from ${r.url || '?'}`);
        try { parts.push(`body ${(await r.clone().text()).slice(0, 400)}`); } catch { /* already read */ }
    } else if (r?.error) {
        parts.push(`cause ${JSON.stringify(r).slice(0, 300)}`);
    }
    if (parts.length && e instanceof Error) e.message += ` [${parts.join('; ')}]`;
    return e;
}
export function rpTest(name, fn) {
    return nodeTest(name, async (t) => {
        try { return await fn(t); } catch (e) { throw await describeFailure(e); }
    });
}
