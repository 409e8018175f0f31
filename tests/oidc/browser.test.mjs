// The hosted pages in headless Chromium (playwright-core): sign-in, product
// choice, SSO to a second app without a password, logout, and the TOTP step.
// Screenshots of every page go to <artifacts>/browser/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture } from './lib/fixture.mjs';
import { launch, shooter, signInOnPage, enterCode, chooseProduct, newPage, waitForUrl } from './lib/browser.mjs';
import { startWebRp } from './lib/webrp.mjs';
import { freshTotp } from './lib/totp.mjs';

const fx = loadFixture();
let browser, rp;
test.before(async () => { browser = await launch(fx); rp = await startWebRp(fx); });
test.after(async () => { await browser?.close(); await rp?.close(); });

const text = async (page, sel) => (await page.locator(sel).textContent({ timeout: 15000 }))?.trim();
const onRp = async (page, what) => {
    await waitForUrl(page, (u) => u.href.startsWith(rp.base), what);
    const title = await page.title();
    if (title === 'RP error') throw new Error(`${what}: the RP failed: ${await text(page, '#error')}`);
    assert.equal(title, 'Signed in', `${what}: ended on "${title}" at ${page.url()}`);
};

const onProvider = async (page, what) => {
    if (page.url().startsWith(fx.base)) return;
    const detail = (await page.title()) === 'RP error' ? await text(page, '#error') : (await page.content()).slice(0, 300);
    throw new Error(`${what}: expected AuthRealm's page, got ${page.url()}: ${detail}`);
};

test('sign-in, product choice, SSO to a second app, logout', async () => {
    const shot = shooter(fx, 'browser');
    const { context, page } = await newPage(browser);
    const alice = fx.users.alice;

    const signinResponse = await page.goto(`${rp.base}/login?client=both`);
    await shot(page, 'signin');
    await onProvider(page, 'sign-in page');
    const csp = (await signinResponse.allHeaders())['content-security-policy'] || '';
    assert.match(csp, /frame-ancestors 'none'/, `CSP on the sign-in page: "${csp}"`);
    await signInOnPage(page, alice);
    await page.locator('[name=product]').first().waitFor({ timeout: 15000 });
    await shot(page, 'choose-product');
    await chooseProduct(page, 'tasks');
    await onRp(page, 'product choice');
    await shot(page, 'signed-in-tasks');
    assert.equal(await text(page, '#who'), alice.email);
    assert.equal(await text(page, '#product'), 'tasks');

    const cookies = await context.cookies(fx.base);
    // authrealm_sso (http) or __Host-authrealm_sso (https), optionally per realm (…_sso_<realm>).
    const sso = cookies.find((c) => /^(__Host-)?authrealm_sso(_|$)/.test(c.name));
    assert.ok(sso, `SSO cookie set: ${cookies.map((c) => c.name)}`);
    assert.equal(sso.httpOnly, true);
    assert.equal(sso.sameSite, 'Lax');

    // Second app: no password, no product question (the client is bound to notes).
    await page.goto(`${rp.base}/login?client=appNotes`);
    await onRp(page, 'SSO to the Notes app');
    await shot(page, 'sso-notes');
    assert.equal(await text(page, '#product'), 'notes');
    await page.goto(`${rp.base}/login?client=appTasks`);
    await onRp(page, 'SSO to the Tasks app');
    assert.equal(await text(page, '#product'), 'tasks');

    await page.goto(`${rp.base}/logout?client=appNotes`);
    if (!page.url().startsWith(rp.base)) { // a confirmation page
        await page.waitForLoadState();
        await shot(page, 'logout-confirm');
        const signOut = page.getByRole('button', { name: /sign out/i });
        await (await signOut.count() ? signOut.first()
            : page.locator('button[type=submit], input[type=submit], form button:not([type])').first()).click();
    }
    await waitForUrl(page, (u) => u.href.startsWith(`${rp.base}/loggedout`), 'logout');
    await shot(page, 'logged-out');
    assert.equal(await text(page, '#state'), 'bye');

    await page.goto(`${rp.base}/login?client=appNotes`);
    await page.locator('input[name=password]').waitFor({ timeout: 15000 });
    await shot(page, 'signin-again');
    await context.close();
});

test('password, then the TOTP step', async () => {
    const shot = shooter(fx, 'browser-totp');
    const { context, page } = await newPage(browser);
    const tom = fx.users.tom;
    await page.goto(`${rp.base}/login?client=appNotes`);
    await onProvider(page, 'sign-in page');
    await signInOnPage(page, tom);
    await page.locator('input[name=code]').waitFor({ timeout: 15000 });
    await shot(page, 'totp');
    await enterCode(page, await freshTotp(tom.totpSecret, fx.totpStepsFile));
    await onRp(page, 'TOTP sign-in');
    await shot(page, 'signed-in');
    assert.equal(await text(page, '#who'), tom.email);
    await context.close();
});
