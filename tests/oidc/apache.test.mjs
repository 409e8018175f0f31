// Apache httpd with mod_auth_openidc (Debian packages) on loopback protects
// /private/; Chromium opens it, signs in on AuthRealm's page and sees the page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadFixture } from './lib/fixture.mjs';
import { launch, shooter, signInOnPage, newPage, waitForUrl } from './lib/browser.mjs';
import { startProcess, stopProcess, waitFor } from './lib/processes.mjs';

const fx = loadFixture();
const modules = '/usr/lib/apache2/modules';
const root = join(fx.work, 'apache');
let apache;

function writeConfig(c) {
    const port = fx.ports.apache;
    mkdirSync(join(root, 'htdocs', 'private'), { recursive: true });
    mkdirSync(join(root, 'run'), { recursive: true });
    writeFileSync(join(root, 'htdocs', 'index.html'), '<!doctype html><title>Public</title><p>public</p>\n');
    writeFileSync(join(root, 'htdocs', 'private', 'index.html'),
        '<!doctype html><title>Private</title><p id="secret">Protected by mod_auth_openidc</p>\n');
    // apache2 started as root serves as the default unprivileged user: let it read the folder.
    for (const d of [fx.work, root, join(root, 'htdocs'), join(root, 'htdocs', 'private'), join(root, 'run')]) chmodSync(d, 0o755);
    const conf = `
ServerRoot "${root}"
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile "${root}/run/httpd.pid"
DefaultRuntimeDir "${root}/run"
Mutex file:${root}/run default
ErrorLog "${root}/error.log"
LogLevel warn auth_openidc:debug
LoadModule mpm_event_module ${modules}/mod_mpm_event.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
LoadModule authn_core_module ${modules}/mod_authn_core.so
LoadModule authz_user_module ${modules}/mod_authz_user.so
LoadModule mime_module ${modules}/mod_mime.so
LoadModule dir_module ${modules}/mod_dir.so
LoadModule auth_openidc_module ${modules}/mod_auth_openidc.so
TypesConfig /etc/mime.types
DirectoryIndex index.html
DocumentRoot "${root}/htdocs"
<Directory "${root}/htdocs">
    Require all granted
</Directory>
OIDCProviderMetadataURL ${fx.issuer}/.well-known/openid-configuration
OIDCClientID ${c.clientId}
OIDCClientSecret ${c.clientSecret}
OIDCProviderTokenEndpointAuth client_secret_basic
OIDCRedirectURI http://127.0.0.1:${port}/private/redirect_uri
OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}
OIDCScope "openid email profile"
OIDCPKCEMethod S256
OIDCRemoteUserClaim sub
OIDCSessionType client-cookie
<Location /private/>
    AuthType openid-connect
    Require valid-user
</Location>
`;
    writeFileSync(join(root, 'httpd.conf'), conf);
    return join(root, 'httpd.conf');
}

test.after(async () => { await stopProcess(apache); });

test('mod_auth_openidc signs a browser in through AuthRealm', async () => {
    const c = fx.client('apache');
    const conf = writeConfig(c);
    const base = `http://127.0.0.1:${fx.ports.apache}`;
    apache = startProcess('/usr/sbin/apache2', ['-X', '-f', conf], { logFile: join(fx.artifacts, 'apache-stdout.log') });
    try {
        await waitFor('apache2', async () => (await fetch(`${base}/`)).ok, { child: apache, timeoutMs: 20000 });
    } catch (e) {
        const errLog = existsSync(join(root, 'error.log')) ? readFileSync(join(root, 'error.log'), 'utf8').slice(-2000) : '';
        throw new Error(`${e.message}\n${errLog}`);
    }
    const shot = shooter(fx, 'apache');
    const browser = await launch(fx);
    try {
        const { page } = await newPage(browser);
        await page.goto(`${base}/private/index.html`);
        assert.ok(page.url().startsWith(fx.base), `redirected to AuthRealm, not ${page.url()}`);
        await shot(page, 'signin');
        await signInOnPage(page, fx.users.paul);
        try {
            await waitForUrl(page, `${base}/private/index.html`, 'back to Apache after the sign-in');
        } finally {
            await shot(page, 'after-signin');
        }
        assert.equal((await page.locator('#secret').textContent()).trim(), 'Protected by mod_auth_openidc');
    } catch (e) {
        const errLog = existsSync(join(root, 'error.log')) ? readFileSync(join(root, 'error.log'), 'utf8') : '';
        writeFileSync(join(fx.artifacts, 'apache-error.log'), errLog);
        throw new Error(`${e.message}\nmod_auth_openidc log (tail):\n${errLog.split('\n').filter((l) => /error|warn/i.test(l)).slice(-15).join('\n')}`);
    } finally {
        await browser.close();
    }
});
