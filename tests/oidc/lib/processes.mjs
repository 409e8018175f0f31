// Child processes that never outlive the suite: started through
// `setpriv --pdeathsig` (they get SIGTERM if the harness dies, even from a
// ctest timeout's SIGKILL) and stopped by their own pid.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync } from 'node:fs';

const hasSetpriv = spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;

export function startProcess(command, args, { logFile, env = process.env, cwd } = {}) {
    const out = logFile ? openSync(logFile, 'a') : 'ignore';
    const [cmd, argv] = hasSetpriv ? ['setpriv', ['--pdeathsig', 'SIGTERM', command, ...args]] : [command, args];
    const child = spawn(cmd, argv, { env, cwd, stdio: ['ignore', out, out] });
    child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    return child;
}

export async function stopProcess(child, graceMs = 10000) {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await child.exited;
    clearTimeout(timer);
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

export async function waitFor(what, fn, { timeoutMs = 30000, child } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
        if (child && (child.exitCode !== null || child.signalCode !== null))
            throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode})`);
        try {
            if (await fn()) return;
        } catch (e) { last = e; }
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what}: not ready after ${timeoutMs} ms${last ? ` (${last.message})` : ''}`);
}
