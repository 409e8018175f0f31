// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) — what AuthRealm's v1 TOTP uses — so the
// suite needs no oathtool. A code's time step is remembered in a file shared by
// the test processes: AuthRealm refuses a reused step, so each sign-in waits
// for a step nobody used yet.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

function base32Decode(text) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = 0, value = 0;
    const out = [];
    for (const ch of text.replace(/=+$/, '').toUpperCase()) {
        const idx = alphabet.indexOf(ch);
        if (idx < 0) throw new Error(`not base32: ${ch}`);
        value = (value << 5) | idx;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(out);
}

export function totpAt(secret, step) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(step));
    const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
    const offset = mac[mac.length - 1] & 0x0f;
    const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
    return String(bin % 1_000_000).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

// A code for a time step later than any used before (waits up to 30 s).
export async function freshTotp(secret, usedStepsFile) {
    let last = -1;
    try { last = Number(readFileSync(usedStepsFile, 'utf8')) || -1; } catch { /* none used yet */ }
    while (currentStep() <= last)
        await new Promise((resolve) => setTimeout(resolve, 500));
    const step = currentStep();
    writeFileSync(usedStepsFile, String(step));
    return totpAt(secret, step);
}
