// Headless Debian Chromium through playwright-core (no downloaded browsers),
// plus the hosted pages' form steps as a person does them.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export async function launch(fx) {
    return chromium.launch({ executablePath: fx.chromium, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

// A page that remembers what Chromium reported (CSP violations, blocked
// navigations), so a failed step can say why the browser did not move on.
export async function newPage(browser) {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    page.consoleLog = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') page.consoleLog.push(m.text()); });
    page.on('pageerror', (e) => page.consoleLog.push(String(e)));
    return { context, page };
}

// page.waitForURL with the browser's complaints in the error.
export async function waitForUrl(page, predicate, what, timeout = 20000) {
    try {
        await page.waitForURL(predicate, { timeout });
    } catch (e) {
        const body = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
        throw new Error(`${what}: still at ${page.url()} ("${await page.title()}": ${body}); Chromium said: `
            + `${(page.consoleLog || []).slice(-5).join(' | ') || 'nothing'}`);
    }
}

export function shooter(fx, folder) {
    const dir = join(fx.artifacts, folder);
    mkdirSync(dir, { recursive: true });
    let n = 0;
    return async (page, name) => page.screenshot({ path: join(dir, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

// The form holding `field`, or an error saying which page the browser is on instead.
async function formWith(page, field, what) {
    const form = page.locator('form', { has: page.locator(`[name=${field}]`) }).first();
    try {
        await form.waitFor({ timeout: 15000 });
    } catch {
        const body = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 400);
        throw new Error(`${what}: no form with "${field}" at ${page.url()} ("${await page.title()}"): ${body}`);
    }
    return form;
}

const submitOf = (form) => form.locator('button[type=submit], input[type=submit], button:not([type])').first();

export async function signInOnPage(page, user) {
    const form = await formWith(page, 'password', 'sign-in');
    await form.locator('input[name=email]').fill(user.email);
    await form.locator('input[name=password]').fill(user.password);
    await submitOf(form).click();
}

export async function enterCode(page, code) {
    const form = await formWith(page, 'code', 'second step');
    await form.locator('input[name=code]').fill(code);
    await submitOf(form).click();
}

export async function chooseProduct(page, product) {
    const form = await formWith(page, 'product', 'product choice');
    const button = page.locator(`button[name=product][value="${product}"]`);
    if (await button.count()) return button.click();
    await page.locator(`input[name=product][value="${product}"]`).check();
    return submitOf(form).click();
}
