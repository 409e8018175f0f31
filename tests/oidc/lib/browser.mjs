// Headless Debian Chromium through playwright-core (no downloaded browsers),
// plus the hosted pages' form steps as a person does them.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export async function launch(fx) {
    return chromium.launch({ executablePath: fx.chromium, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export function shooter(fx, folder) {
    const dir = join(fx.artifacts, folder);
    mkdirSync(dir, { recursive: true });
    let n = 0;
    return async (page, name) => page.screenshot({ path: join(dir, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

const submitOf = (form) => form.locator('button[type=submit], input[type=submit], button:not([type])').first();

export async function signInOnPage(page, user) {
    const form = page.locator('form', { has: page.locator('input[name=password]') });
    await form.waitFor({ timeout: 15000 });
    await form.locator('input[name=email]').fill(user.email);
    await form.locator('input[name=password]').fill(user.password);
    await submitOf(form).click();
}

export async function enterCode(page, code) {
    const form = page.locator('form', { has: page.locator('input[name=code]') });
    await form.waitFor({ timeout: 15000 });
    await form.locator('input[name=code]').fill(code);
    await submitOf(form).click();
}

export async function chooseProduct(page, product) {
    const form = page.locator('form', { has: page.locator('[name=product]') });
    await form.first().waitFor({ timeout: 15000 });
    const button = page.locator(`button[name=product][value="${product}"]`);
    if (await button.count()) return button.click();
    await page.locator(`input[name=product][value="${product}"]`).check();
    return submitOf(form.first()).click();
}
