// Putting a community into service (issue 18, "Done means"): from an empty PostgreSQL database with demo mode off,
// the first administrator is made on the command line and everything else is done in the browser, as a street
// office would do it: the tree, the owners' register from the sample spreadsheet, the staff accounts.
// Needs the PostgreSQL server named by DELIBERATE_TEST_PG (scripts/postgres.sh); skipped locally without one, failed in CI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer, launchBrowser, SERVER_DLL } from './harness.mjs';
import { createDatabase, dropDatabase, pgConnectionString, pgServer } from '../cluster/nodes.mjs';
import { shot } from './steps.mjs';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const SAMPLE = join(repo, 'docs/samples/owners-register-xingfuli.xlsx');

/** Signs in on the sign-in page with a given password (these accounts have no demo password). */
async function signInWith(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
}

/** The forced change at the first sign-in with a one-time password. */
async function changePassword(page, oneTime, chosen) {
  await page.getByTestId('change-password').waitFor();
  await page.getByTestId('current-password').fill(oneTime);
  await page.getByTestId('new-password').fill(chosen);
  await page.getByTestId('repeat-password').fill(chosen);
  await page.getByTestId('change-submit').click();
  await page.getByTestId('password-changed').waitFor();
}

/** Adds a node under the one named, on the 组织架构 page. */
async function addNode(page, parent, name) {
  await page.getByTestId(`org-node-${parent}`).click();
  await page.getByTestId('org-add').click();
  await page.getByTestId('org-name').fill(name);
  await page.getByTestId('org-save').click();
  await page.getByTestId(`org-node-${name}`).waitFor();
}

/** Picks an option of an antd Select by its visible text. */
async function choose(page, testId, text) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

/** Creates a staff account on the 账号管理 page and returns the one-time password the dialog shows once. */
async function createStaff(page, { userName, displayName, role, node }) {
  await page.getByTestId('user-new').click();
  await page.getByTestId('user-userName').fill(userName);
  await page.getByTestId('user-displayName').fill(displayName);
  await choose(page, 'user-role', role);
  await choose(page, 'user-node', node);
  await page.getByTestId('user-create').click();
  const password = (await page.getByTestId('one-time-password').textContent()).trim();
  await page.getByTestId('one-time-close').click();
  return password;
}

export const tests = [
  {
    name: 'a street office puts a community into service from an empty PostgreSQL database',
    async run({ measure }) {
      const pg = pgServer();
      if (!pg) {
        if (process.env.CI === 'true') throw new Error('DELIBERATE_TEST_PG is not set: in CI this test may not be skipped.');
        console.log('   DELIBERATE_TEST_PG is not set: skipped (scripts/postgres.sh start).');
        return;
      }
      const database = `deliberate_golive_${process.pid}`;
      createDatabase(pg, database);
      // The session-key certificate a production server on PostgreSQL demands, made as docs/operations.md says.
      const keys = mkdtempSync(join(tmpdir(), 'deliberate-golive-key-'));
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Deliberate keys',
        '-keyout', join(keys, 'k.pem'), '-out', join(keys, 'c.pem')]);
      await run('openssl', ['pkcs12', '-export', '-inkey', join(keys, 'k.pem'), '-in', join(keys, 'c.pem'),
        '-out', join(keys, 'keys.pfx'), '-passout', 'pass:golive-test']);
      writeFileSync(join(keys, 'audit.key'), randomBytes(32).toString('base64'), { mode: 0o600 }); // the audit chain's key
      const env = {
        Database__Provider: 'postgres',
        ConnectionStrings__Deliberate: pgConnectionString(pg, database),
        Demo__Enabled: 'false',
        Audit__KeyPath: join(keys, 'audit.key'),
        DataProtection__CertificatePath: join(keys, 'keys.pfx'),
        DataProtection__CertificatePassword: 'golive-test',
      };
      let server;
      let browser;
      try {
        // 1. The first administrator, on the command line, of an empty database (it applies the migrations).
        const started = Date.now();
        const { stdout } = await run('dotnet', [SERVER_DLL, 'admin', 'create', '--user', 'chief', '--name', '区管理员', '--node', '示范区'],
          { cwd: mkdtempSync(join(tmpdir(), 'deliberate-golive-')), env: { ...process.env, ...env } });
        assert.match(stdout, /Created the district "示范区"/);
        const oneTime = stdout.match(/first sign-in\): (\S+)/)[1];
        measure('go-live: admin create on an empty database (s)', ((Date.now() - started) / 1000).toFixed(1));

        server = await startServer(env);
        const base = server.baseUrl;
        browser = await launchBrowser({ width: 1440, height: 900 });
        const desk = await browser.context.newPage();

        // 2. The administrator signs in, must choose a password, and signs in again.
        await signInWith(desk, base, 'chief', oneTime);
        await changePassword(desk, oneTime, 'Qingshui-river-2026');
        await signInWith(desk, base, 'chief', 'Qingshui-river-2026');
        await desk.waitForURL(/\/console/);

        // 3. The tree: a street, one community, two grids.
        await desk.goto(`${base}/console/org`);
        await addNode(desk, '示范区', '清水街道');
        await addNode(desk, '清水街道', '幸福里社区');
        await addNode(desk, '幸福里社区', '第一网格');
        await addNode(desk, '幸福里社区', '第二网格');
        await shot(desk, 'go-live-org');

        // 4. The owners' register from the sample spreadsheet: a preview without problems, then applied.
        await desk.goto(`${base}/console/register`);
        await choose(desk, 'register-grid', '第一网格');
        const chooser = desk.waitForEvent('filechooser');
        await desk.getByTestId('register-upload').click();
        await (await chooser).setFiles(SAMPLE);
        await desk.getByTestId('register-preview').waitFor();
        const counts = await desk.getByTestId('register-counts').textContent();
        assert.match(counts, /96/, `the preview counts 96 units: ${counts}`);
        await desk.getByTestId('register-apply').click();
        await desk.getByTestId('confirm-ok').click(); // applying asks first, saying what changes
        await desk.getByTestId('register-applied').waitFor();
        await shot(desk, 'go-live-register');

        // 5. Staff: a grid worker of the first grid and the owners' committee of the community.
        await desk.goto(`${base}/console/users`);
        const workerPassword = await createStaff(desk, { userName: 'wangwg', displayName: '王网格员', role: '网格员', node: '第一网格' });
        const committeePassword = await createStaff(desk,
          { userName: 'zhouyw', displayName: '周主任', role: '业委会', node: '幸福里社区' });
        await desk.getByTestId('users').getByText('王网格员').waitFor();

        // The grid worker's first sign-in: a password of their own, then their inbox.
        const worker = await browser.context.newPage();
        await worker.context().clearCookies();
        await signInWith(worker, base, 'wangwg', workerPassword);
        await changePassword(worker, workerPassword, 'Lamp-post-by-gate-3');
        await signInWith(worker, base, 'wangwg', 'Lamp-post-by-gate-3');
        await worker.waitForURL(/\/console/);
        assert.ok(committeePassword.length >= 10);
      } catch (error) {
        for (const [i, page] of (browser?.context.pages() ?? []).entries())
          await page.screenshot({ path: join(repo, `artifacts/test-results/go-live-failure-${i}.png`) }).catch(() => {});
        throw error;
      } finally {
        await browser?.close();
        await server?.stop();
        dropDatabase(pg, database);
      }
    },
  },
];
