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
