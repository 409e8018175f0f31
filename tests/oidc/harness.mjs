// Runs the relying-party suite against a fresh authrealmd:
//   node harness.mjs --backend sqlite|postgres --authrealmd PATH --artifacts DIR
// Starts authrealmd on a free loopback port (SQLite in a temp folder, or a new
// database on $AUTHREALM_TEST_POSTGRES), bootstraps a realm through the admin
// API, runs every *.test.mjs here one after the other with `node --test`, and
// stops the server and drops the database on every exit path.
// AUTHREALM_RP_TESTS=regex runs only the matching test files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startProcess, stopProcess, freePort, waitFor } from './lib/processes.mjs';
import { bootstrap } from './lib/bootstrap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const log = (...a) => console.log('harness:', ...a);

function parseArgs(argv) {
    const opts = {};
    for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, '')] = argv[i + 1];
    for (const need of ['backend', 'authrealmd', 'artifacts'])
        if (!opts[need]) throw new Error(`missing --${need}`);
    return opts;
}

const opts = parseArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), `authrealm-rp-${opts.backend}.`));
rmSync(opts.artifacts, { recursive: true, force: true });
mkdirSync(opts.artifacts, { recursive: true });
const serverLog = join(opts.artifacts, 'authrealmd.log');
let server, pgDatabase, pgAdminUrl, cleaning;

function psql(url, sql) {
    const r = spawnSync('psql', [url, '-XAtqc', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${sql}: ${r.stderr || r.error}`);
}

async function cleanup() {
    if (cleaning) return cleaning;
    cleaning = (async () => {
        await stopProcess(server);
        if (pgDatabase) {
            try { psql(pgAdminUrl, `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`); } catch (e) { log(e.message); }
        }
        rmSync(work, { recursive: true, force: true });
    })();
    return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(sig, () => { log(`${sig}: stopping`); cleanup().finally(() => process.exit(130)); });

async function startServer(adminPassword) {
    const args = ['serve', '--data', join(work, 'data')];
    if (opts.backend === 'postgres') {
        pgAdminUrl = process.env.AUTHREALM_TEST_POSTGRES;
        pgDatabase = `ar_rp_${randomBytes(5).toString('hex')}`;
        psql(pgAdminUrl, `CREATE DATABASE ${pgDatabase}`);
        const url = new URL(pgAdminUrl);
        url.pathname = `/${pgDatabase}`;
        args.push('--database', url.href);
    }
    mkdirSync(join(work, 'data'), { recursive: true });
    for (let attempt = 1; attempt <= 3; attempt++) {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        server = startProcess(opts.authrealmd, [...args, '--listen', `127.0.0.1:${port}`, '--public-url', base],
            { logFile: serverLog, env: { ...process.env, AUTHREALM_ADMIN_PASSWORD: adminPassword } });
        try {
            await waitFor('authrealmd /readyz', async () => (await fetch(`${base}/readyz`)).ok, { child: server, timeoutMs: 60000 });
            return base;
        } catch (e) {
            log(`attempt ${attempt}: ${e.message}`);
            await stopProcess(server);
        }
    }
    throw new Error(`authrealmd did not start; its log:\n${readFileSync(serverLog, 'utf8').slice(-3000)}`);
}

function runTestFile(file, env) {
    const nodeArgs = [];
    if (Number(process.versions.node.split('.')[0]) < 19) nodeArgs.push('--experimental-global-webcrypto');
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [...nodeArgs, '--test', join(here, file)], { env, stdio: 'inherit', cwd: here });
        const timer = setTimeout(() => { log(`${file}: timed out, killing`); child.kill('SIGKILL'); }, 300000);
        child.on('exit', (code, signal) => { clearTimeout(timer); resolve(code === 0 && !signal); });
    });
}

let ok = false;
try {
    const adminPassword = `Adm1n-${randomBytes(12).toString('hex')}`;
    const base = await startServer(adminPassword);
    log(`authrealmd (${opts.backend}) at ${base}, log ${serverLog}`);
    const ports = { callback: await freePort(), rp: await freePort(), apache: await freePort() };
    const world = await bootstrap({ base, adminPassword, ports, log });
    const fixture = {
        ...world, base, issuer: `${base}/realms/${world.realm}`, ports, backend: opts.backend,
        artifacts: opts.artifacts, work, totpStepsFile: join(work, 'totp-steps'),
        chromium: process.env.AUTHREALM_CHROMIUM || '/usr/bin/chromium',
    };
    writeFileSync(fixture.totpStepsFile, String(world.users.tom.totpFirstStep));
    const fixtureFile = join(work, 'fixture.json');
    writeFileSync(fixtureFile, JSON.stringify(fixture, null, 2));
    log(`realm ${world.realm}; clients: ${Object.entries(world.clients).map(([k, c]) => `${k}${c.error ? ' (MISSING)' : ''}`).join(', ')}`);

    const filter = process.env.AUTHREALM_RP_TESTS ? new RegExp(process.env.AUTHREALM_RP_TESTS) : null;
    const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && (!filter || filter.test(f))).sort();
    const results = [];
    for (const file of files) {
        log(`--- ${file}`);
        results.push([file, await runTestFile(file, { ...process.env, AUTHREALM_RP_FIXTURE: fixtureFile })]);
    }
    for (const [file, passed] of results) log(`${passed ? 'PASS' : 'FAIL'} ${file}`);
    ok = results.length > 0 && results.every(([, passed]) => passed);
    if (!results.length) log('no test files matched');
} catch (e) {
    log(`ERROR: ${e.stack || e.message}`);
} finally {
    if (!ok && existsSync(serverLog)) log(`authrealmd log (tail):\n${readFileSync(serverLog, 'utf8').slice(-2000)}`);
    await cleanup();
}
log(ok ? `PASSED (${opts.backend}); artifacts in ${opts.artifacts}` : `FAILED (${opts.backend}); artifacts in ${opts.artifacts}`);
process.exit(ok ? 0 : 1);
