// A browser without a browser: follows AuthRealm's hosted sign-in pages over
// plain HTTP (cookies, redirects, forms with hidden req/csrf fields) until the
// provider redirects to the relying party, whose URL is returned unfollowed.
export class UserAgent {
    constructor() { this.cookies = new Map(); } // name -> value (one host: the provider, on loopback)

    async request(url, { method = 'GET', form } = {}) {
        const headers = { 'Accept': 'text/html,application/json', 'Accept-Language': 'en' };
        if (this.cookies.size)
            headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        let body;
        if (form) {
            body = new URLSearchParams(form).toString();
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
        }
        const res = await fetch(url, { method, headers, body, redirect: 'manual' });
        const setCookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie()
            : (res.headers.get('set-cookie') ? [res.headers.get('set-cookie')] : []);
        for (const line of setCookies) {
            const [pair, ...attrs] = line.split(';');
            const eq = pair.indexOf('=');
            const name = pair.slice(0, eq).trim(), value = pair.slice(eq + 1).trim();
            const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
            if (expired) this.cookies.delete(name); else this.cookies.set(name, value);
        }
        return res;
    }
}

export function pageText(html) {
    return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
        .replace(/&amp;/g, '&').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();
}

const attr = (tag, name) => {
    const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
    return m ? (m[2] ?? m[3] ?? m[4]).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'") : undefined;
};

export function parseForms(html) {
    const forms = [];
    for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
        const fields = {}, names = new Set(), choices = {};
        for (const t of m[2].matchAll(/<(input|button|select|textarea)\b[^>]*>/gi)) {
            const tag = t[0], name = attr(tag, 'name');
            if (!name) continue;
            names.add(name);
            const type = (attr(tag, 'type') || '').toLowerCase();
            const value = attr(tag, 'value');
            if (t[1].toLowerCase() === 'button' || type === 'radio' || type === 'submit') {
                (choices[name] ||= []).push(value);
            } else if (type === 'hidden' && value !== undefined) {
                fields[name] = value;
            }
        }
        forms.push({ action: attr(m[1], 'action') || '', method: (attr(m[1], 'method') || 'GET').toUpperCase(), fields, names, choices });
    }
    return forms;
}

// Drives the flow from `startUrl` until a redirect to `stopPrefix`. `answers`:
// { email, password, totp: async () => code, product, consent: 'allow'|'deny' }.
// Returns { url: URL of the final redirect, pages: [titles seen] }.
export async function driveToRedirect(ua, startUrl, stopPrefix, answers, { maxSteps = 20 } = {}) {
    let url = new URL(startUrl);
    let res = await ua.request(url);
    const pages = [];
    for (let step = 0; step < maxSteps; step++) {
        if ([301, 302, 303, 307, 308].includes(res.status)) {
            const next = new URL(res.headers.get('location'), url);
            if (next.href.startsWith(stopPrefix)) return { url: next, pages };
            url = next;
            res = await ua.request(url);
            continue;
        }
        const html = await res.text();
        if (res.status !== 200)
            throw new Error(`${res.status} from ${url.pathname}: ${pageText(html).slice(0, 400)}`);
        const forms = parseForms(html);
        const title = (html.match(/<title>([^<]*)<\/title>/i) || [])[1] || '';
        pages.push(title.trim());
        const pick = (field) => forms.find((f) => f.names.has(field));
        let form, values;
        if ((form = pick('password'))) {
            if (!answers.password) throw new Error(`asked for a password at ${url.pathname} (expected SSO)`);
            values = { email: answers.email, password: answers.password };
        } else if ((form = pick('code'))) {
            if (!answers.totp) throw new Error(`asked for a code at ${url.pathname}`);
            values = { code: await answers.totp() };
        } else if ((form = pick('product'))) {
            if (!answers.product) throw new Error(`asked to choose a product at ${url.pathname}: ${form.choices.product}`);
            values = { product: answers.product };
        } else if ((form = pick('decision'))) {
            values = { decision: answers.consent || 'allow' };
        } else if ((form = forms.find((f) => f.method === 'POST' && 'csrf' in f.fields))) {
            values = {}; // a confirmation (e.g. logout): submit it as is
        } else {
            throw new Error(`stuck at ${url.pathname} ("${title}"): ${pageText(html).slice(0, 400)}`);
        }
        const action = new URL(form.action || url.href, url);
        res = await ua.request(action, { method: 'POST', form: { ...form.fields, ...values } });
        url = action;
        // The contract: 303 after every POST (a 200 is a re-rendered form, i.e. the step failed).
        if (res.status !== 303)
            throw new Error(`POST ${action.pathname} (${Object.keys(values).join(', ') || 'confirm'}) answered ${res.status}, 303 expected: `
                + pageText(await res.text()).slice(0, 400));
    }
    throw new Error(`no redirect to ${stopPrefix} after ${maxSteps} steps`);
}
