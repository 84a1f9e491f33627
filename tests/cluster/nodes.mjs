// What the cluster and backup tests share: server processes (the build output of src/Deliberate.Server)
// on loopback ports, PostgreSQL databases made and queried with psql, and an HTTP client with tokens.
// PostgreSQL is the server that DELIBERATE_TEST_PG names ('Host=…;Port=…;Username=…', as scripts/postgres.sh prints).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '../..');
export const SERVER_DLL = process.env.DELIBERATE_SERVER_DLL
  || join(repo, 'src/Deliberate.Server/bin/Debug/net10.0/Deliberate.Server.dll');
export const PASSWORD = 'Demo#2026';
export const RESULTS = join(repo, 'artifacts/test-results');

/** The PostgreSQL server named by DELIBERATE_TEST_PG as { host, port, user }, or null. */
export function pgServer() {
  const text = process.env.DELIBERATE_TEST_PG;
  if (!text) return null;
  const parts = Object.fromEntries(text.split(';').filter(Boolean).map((p) => {
    const [k, ...v] = p.split('=');
    return [k.trim().toLowerCase(), v.join('=').trim()];
  }));
  return { host: parts.host ?? '127.0.0.1', port: parts.port ?? '5432', user: parts.username ?? parts.user ?? 'postgres' };
}

/** The .NET connection string of one database on that server. */
export function pgConnectionString(pg, database) {
  return `Host=${pg.host};Port=${pg.port};Username=${pg.user};Database=${database}`;
}

/** Runs SQL with psql; returns the rows as arrays of strings (tab-separated, unaligned output). */
export function psql(pg, database, sql) {
  const out = execFileSync('psql', ['-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1',
    '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', database, '-c', sql],
  { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
  return out.split('\n').filter((line) => line.length > 0).map((line) => line.split('\t'));
}

export function createDatabase(pg, name) {
  psql(pg, 'postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  psql(pg, 'postgres', `CREATE DATABASE "${name}"`);
}

export function dropDatabase(pg, name) {
  psql(pg, 'postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** A port nobody listens on right now (the OS picks it). */
export function unusedPort() {
  return new Promise((ok, fail) => {
    const probe = createServer().on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * Starts one server process and waits until GET /health answers. `settings` are configuration keys
 * (e.g. { 'Database:Provider': 'postgres' }) passed as environment variables. The node's output goes
 * to artifacts/test-results/<name>.log.
 */
export async function startNode(name, settings, { cwd } = {}) {
  const port = await unusedPort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DOTNET_gcServer: '0' };
  const all = {
    Urls: url, 'RateLimits:SignInPerMinute': '100000', 'Logging:LogLevel:Default': 'Warning',
    'Logging:Console:TimestampFormat': 'HH:mm:ss.fff ', ...settings,
  };
  for (const [key, value] of Object.entries(all)) env[key.replaceAll(':', '__')] = value;
  const workDir = cwd ?? mkdtempSync(join(tmpdir(), `deliberate-${name}-`));
  const removeWorkDir = () => { if (!cwd) rmSync(workDir, { recursive: true, force: true }); };
  mkdirSync(RESULTS, { recursive: true });
  const logFile = join(RESULTS, `${name}.log`);
  let log = '';
  const child = spawn('dotnet', [SERVER_DLL], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => child.once('exit', r));
  const node = {
    name, url, pid: child.pid, workDir,
    get alive() { return child.exitCode === null && child.signalCode === null; },
    log: () => log,
    saveLog: () => writeFileSync(logFile, log),
    /** SIGKILL: the process dies at once, mid-request, as in a crash. */
    async kill() { child.kill('SIGKILL'); await exited; node.saveLog(); removeWorkDir(); },
    async stop() { if (node.alive) child.kill('SIGTERM'); await exited; node.saveLog(); removeWorkDir(); },
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (!node.alive) { node.saveLog(); throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${log}`); }
    try {
      if ((await fetch(`${url}/health`)).ok) return node;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await node.kill(); throw new Error(`${name} did not start in 180 s:\n${log}`); }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** One HTTP call; answers { status, body } or throws on a connection error or timeout. */
export async function call(baseUrl, method, path, { token, body, headers: extra = {}, timeoutMs = 30_000 } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { status: response.status, body: parsed };
}

/** A bearer token for a demo user. */
export async function signIn(baseUrl, username, password = PASSWORD) {
  const { status, body } = await call(baseUrl, 'POST', '/api/auth/token', { body: { username, password } });
  if (status !== 200) throw new Error(`sign-in of ${username}: ${status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** Checks with a name, counted for scripts/test.sh: write({ passed, failed, … }) at the end. */
export class Checks {
  constructor(suite) { this.suite = suite; this.passed = 0; this.failed = 0; this.failures = []; this.figures = {}; }

  check(name, ok, detail = '') {
    if (ok) this.passed++; else { this.failed++; this.failures.push(`${name}${detail ? ': ' + detail : ''}`); }
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ' — ' + detail : ''}`);
  }

  figure(name, value) { this.figures[name] = value; console.log(`   ${name}: ${value}`); }

  write() {
    mkdirSync(RESULTS, { recursive: true });
    const { suite, passed, failed, failures, figures } = this;
    writeFileSync(join(RESULTS, `${suite}.json`), JSON.stringify({ passed, failed, failures, figures }, null, 2));
    console.log(`\n${passed} passed, ${failed} failed`);
  }
}
