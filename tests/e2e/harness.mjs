// What every browser test needs: a fresh server (SQLite in a temp folder, demo data) and Debian's
// Chromium driven by playwright-core. The server is the build output of src/Deliberate.Server,
// so run `dotnet build` first (scripts/test.sh does).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';

const repo = resolve(import.meta.dirname, '../..');
const require = createRequire(join(repo, 'src/web/package.json'));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SERVER_DLL = process.env.DELIBERATE_SERVER_DLL
  || join(repo, 'src/Deliberate.Server/bin/Debug/net10.0/Deliberate.Server.dll');
export const SCREENSHOTS = join(repo, 'docs/images');
export const PASSWORD = 'Demo#2026';

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
    probe.on('error', fail);
  });
}

/**
 * Starts the server on a free port with a new SQLite database and the demo data. Without extra settings the database is
 * a copy of a template that the first call migrated and seeded (with its audit key): a restart of that server, as far
 * as the server can tell, and a minute less per test than migrating and seeding again on a loaded machine.
 */
export async function startServer(extraEnv = {}) {
  if (Object.keys(extraEnv).length > 0) return launch(freshData(), extraEnv);
  const template = await demoTemplate();
  const data = freshData();
  cpSync(template.dataDir, data.dataDir, { recursive: true });
  copyFileSync(template.keyPath, data.keyPath);
  return launch(data, {});
}

let template = null;
function demoTemplate() {
  template ??= (async () => {
    const data = freshData();
    const server = await launch(data, {});
    await server.stop({ keepData: true });
    process.on('exit', () => {
      rmSync(data.dataDir, { recursive: true, force: true });
      rmSync(dirname(data.keyPath), { recursive: true, force: true });
    });
    return data;
  })();
  return template;
}

/** A data folder, and an audit key path outside it (as a server that is not a demo demands; the key also seals secret ballots). */
function freshData() {
  return {
    dataDir: mkdtempSync(join(tmpdir(), 'deliberate-e2e-')),
    keyPath: join(mkdtempSync(join(tmpdir(), 'deliberate-e2e-key-')), 'audit.key'),
  };
}

async function launch({ dataDir, keyPath }, extraEnv) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn('dotnet', [SERVER_DLL], {
    cwd: dataDir,
    env: {
      ...process.env,
      Urls: baseUrl,
      ConnectionStrings__Deliberate: `Data Source=${join(dataDir, 'deliberate.db')}`,
      Demo__Enabled: 'true',
      Audit__KeyPath: keyPath,
      RateLimits__SignInPerMinute: '1000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  // A bound that catches a server that hangs, not a slow one: on a loaded two-core CI machine, migrating and seeding
  // took 90 s. DELIBERATE_E2E_START_SECONDS changes it.
  const startSeconds = Number(process.env.DELIBERATE_E2E_START_SECONDS) || 300;
  const deadline = Date.now() + startSeconds * 1000;
  for (;;) {
    // A crash on an unhandled exception ends in a signal (SIGABRT), not an exit code.
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}):\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`The server did not start in ${startSeconds} s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    log: () => log,
    async stop({ keepData = false } = {}) {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      if (keepData) return;
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dirname(keyPath), { recursive: true, force: true });
    },
  };
}

/** A headless Chromium with its own profile; viewport as given (390 × 844 for a phone). */
/** `args`: more Chromium flags (the designer bench turns off the 60 Hz frame limit). */
export async function launchBrowser({ width = 1366, height = 900, mobile = false, args = [] } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'deliberate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: mobile ? 2 : 1,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...args],
  });
  // Waits of 60 s, not 30: CI runs these tests beside the .NET suites on two cores, where a page can take that long.
  context.setDefaultTimeout(60_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page, baseUrl, username) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((url) => /^\/(m|console|designer)(\/|$)/.test(url.pathname));
}

/** Calls the API as a user with a bearer token (for set-up that is not the story under test). */
export async function apiAs(baseUrl, username) {
  const response = await fetch(`${baseUrl}/api/auth/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  const { accessToken } = await response.json();
  const call = async (method, path, body) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${accessToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}), put: (p, b) => call('PUT', p, b ?? {}) };
}

export function chromiumAvailable() {
  return existsSync(CHROMIUM);
}
