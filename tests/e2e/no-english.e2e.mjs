// No English and no internal codes in the Chinese interface: each role signs in at zh-CN, walks every page of its
// app (the menu or tab bar, then the first item of each list, each tab and the inbox's task drawer) and every Latin
// word in the visible text that is not on the allow list is reported with its page. Also the console on a phone and
// the confirmations and clearing errors of issue 17, walked as people would.
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, apiAs } from './harness.mjs';

// Latin words that belong in a Chinese page: brand and product names, file formats, units, keys on the keyboard
// (快捷键：Ctrl+Z…, single letters), the switch to the other language.
const ALLOWED = new Set(['Deliberate', 'Elsa', 'React', 'Flow', 'PDF', 'CSV', 'XLSX', 'JSON', 'Excel', 'ID', 'English', 'EN',
  'm', 'km', 'kg', 'Ctrl', 'Shift', 'Alt', 'Del', 'Esc', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const GRID1 = '0d000000-0000-7000-8000-000000000011'; // 幸福里 第一网格, the demo grid worker's (DemoData.Ids)
const CONSOLE = ['/console', '/console/matters', '/console/meetings', '/console/ballots', '/console/work-items',
  '/console/review-cycles', '/console/measures', '/console/register', '/console/org', '/console/users', '/console/robots',
  '/console/bodies', '/console/ledgers', '/console/verification'];
const RESIDENT = ['/m', '/m/raise', '/m/matters', '/m/notices', '/m/me', '/m/claim'];
const SIGNED_OUT = ['/login', '/m/signup', '/m/reset', '/m/activate'];

/**
 * Latin words in the visible text and placeholders, outside <code> (ids and receipt codes shown on purpose), what was typed
 * into a text area (a designer's script) and what is marked translate="no" (a designer's variable names).
 */
async function latinWords(page) {
  return page.evaluate((allowed) => {
    const found = [];
    const visible = (el) => el && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('code, script, style, noscript, textarea, [translate=no]') || !visible(el)) continue;
      const text = node.textContent.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '');
      for (const word of text.match(/[A-Za-z][A-Za-z0-9_'-]*/g) ?? [])
        if (!allowed.includes(word)) found.push({ word, text: node.textContent.trim().slice(0, 120) });
    }
    for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (!visible(input) || input.value) continue;
      for (const word of input.placeholder.match(/[A-Za-z][A-Za-z0-9_'-]*/g) ?? [])
        if (!allowed.includes(word)) found.push({ word, text: `placeholder: ${input.placeholder}` });
    }
    return found;
  }, [...ALLOWED]);
}

async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(200);
}

/** Visits the seeds and, once per kind of page (ids replaced), every page they link to within the app. */
async function walk(page, base, user, seeds, prefix, findings) {
  const seen = new Set();
  const queue = [...seeds];
  const kind = (path) => {
    let k = path.replace(UUID, ':id');
    if (prefix === '/designer') k = k.replace(/^\/designer\/(?!instances)[^/]+/, '/designer/:definition');
    return k;
  };
  const scan = async (where) => {
    for (const f of await latinWords(page)) findings.push({ user, page: where, ...f });
  };
  let visited = 0;
  while (queue.length && visited < 40) {
    const path = queue.shift();
    if (seen.has(kind(path))) continue;
    seen.add(kind(path));
    visited++;
    await page.goto(`${base}${path}`);
    await settle(page);
    const here = new URL(page.url()).pathname;
    await scan(here);
    // Each tab of the page.
    const tabs = page.locator('[role=tab]');
    for (let i = 0; i < (await tabs.count()); i++) {
      const tab = tabs.nth(i);
      if (!(await tab.isVisible())) continue;
      await tab.click();
      await settle(page);
      await scan(`${here} › ${(await tab.innerText()).trim()}`);
    }
    // The designer's editor: the property panel of a task (its form fields, outcomes, deadline) and of the workflow.
    if (prefix === '/designer' && kind(here) === '/designer/:definition' && (await page.getByTestId('node-hear').count())) {
      await page.locator('[data-testid="node-hear"] .dz-node-sub').click();
      await page.getByTestId('activity-form').waitFor();
      await settle(page);
      await scan(`${here} › 网格听事`);
    }
    // The inbox's task drawer: the form and the matter the task is about.
    if (here === '/console' && (await page.getByTestId('inbox-task').count())) {
      await page.getByTestId('inbox-task').first().click();
      await page.getByTestId('task-form').waitFor();
      await settle(page);
      await scan(`${here} › task drawer`);
      await page.keyboard.press('Escape');
      await page.getByTestId('task-form').waitFor({ state: 'detached' });
      // The tasks done already, with their outcomes.
      const done = page.getByText('已办理', { exact: true });
      if (await done.count()) {
        await done.first().click();
        await settle(page);
        await scan(`${here} › 已办理`);
      }
    }
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of links)
      if (href && href.startsWith(prefix) && !href.startsWith('/api/') && !seen.has(kind(href.split('?')[0])))
        queue.push(href.split('#')[0]);
  }
  return visited;
}

function report(findings) {
  const lines = [...new Map(findings.map((f) => [`${f.word}|${f.page}`, f])).values()]
    .map((f) => `${f.user} ${f.page}: "${f.word}" in "${f.text}"`);
  return `${lines.length} Latin words in the Chinese interface:\n${lines.join('\n')}`;
}

export const tests = [
  {
    name: 'no role sees English or internal codes on any page of its app in Chinese',
    async run({ measure }) {
      const server = await startServer();
      const desk = await launchBrowser({ width: 1366, height: 900 });
      const phone = await launchBrowser({ width: 390, height: 844, mobile: true });
      const findings = [];
      let pages = 0;
      try {
        // A matter raised and heard, so that lists hold a completed task and a matter further on than 听事.
        const resident = await apiAs(server.baseUrl, 'resident');
        const matter = await resident.post('/api/matters', {
          title: '3号楼单元门口台阶需要加装坡道', description: '老人推车进出困难', category: 'facilities', gridId: GRID1,
        });
        const worker = await apiAs(server.baseUrl, 'gridworker');
        const task = (await worker.get(`/api/tasks?matterId=${matter.id}`)).items[0];
        await worker.post(`/api/tasks/${task.id}/complete`, { outcome: 'major', values: { verified: true, note: '已到现场核实' } });

        for (const user of ['gridworker', 'secretary', 'owners-committee', 'property', 'street', 'admin']) {
          const page = await desk.context.newPage();
          await signIn(page, server.baseUrl, user);
          pages += await walk(page, server.baseUrl, user, CONSOLE, '/console', findings);
          await page.context().clearCookies();
          await page.close();
        }
        {
          const page = await desk.context.newPage();
          await signIn(page, server.baseUrl, 'designer');
          pages += await walk(page, server.baseUrl, 'designer', ['/designer', '/designer/six-step-method'], '/designer', findings);
          await page.context().clearCookies();
          await page.close();
        }
        for (const user of ['resident', 'owner-xf-2-101']) {
          const page = await phone.context.newPage();
          await signIn(page, server.baseUrl, user);
          pages += await walk(page, server.baseUrl, user, RESIDENT, '/m', findings);
          await page.context().clearCookies();
          await page.close();
        }
        {
          // The pages of someone coming in: sign-in, sign-up, reset, a letter's activation.
          const page = await phone.context.newPage();
          pages += await walk(page, server.baseUrl, 'signed out', SIGNED_OUT, '/m', findings);
          await page.close();
        }
        measure('no-english pages scanned', pages);
        assert.equal(findings.length, 0, report(findings));
      } finally {
        await desk.close();
        await phone.close();
        await server.stop();
      }
    },
  },
  {
    name: 'the grid worker sees what the resident wrote, is asked before 大事, and the console fits a phone',
    async run() {
      const server = await startServer();
      const phone = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const resident = await apiAs(server.baseUrl, 'resident');
        const title = '5号楼楼道灯坏了一个月';
        await resident.post('/api/matters', { title, description: '晚上上下楼看不清，老人摔过一次', category: 'facilities', gridId: GRID1 });

        const page = await phone.context.newPage();
        await signIn(page, server.baseUrl, 'gridworker');
        // The menu button sits in the header, clear of the page heading.
        const button = await page.getByTestId('console-menu-button').boundingBox();
        const heading = await page.locator('h3').first().boundingBox();
        assert.ok(button.y + button.height <= heading.y, `the menu button (${JSON.stringify(button)}) covers the heading (${JSON.stringify(heading)})`);
        // Tables scroll sideways rather than squeezing each column to two characters.
        const cell = await page.getByTestId('inbox').locator('th').first().boundingBox();
        assert.ok(cell.width >= 80, `the first column is ${cell.width}px wide`);

        await page.getByTestId('inbox-task').filter({ hasText: title }).click();
        const drawer = page.getByTestId('task-matter');
        await drawer.getByText('晚上上下楼看不清，老人摔过一次').waitFor();
        assert.match(await drawer.innerText(), /第一网格/);
        const drawerBox = await page.locator('.ant-drawer-content-wrapper').boundingBox();
        assert.ok(drawerBox.width <= 390.5, `the task drawer is ${drawerBox.width}px wide on a 390px phone`); // layout is subpixel

        // 必填 is not said twice; the message goes as the field is filled.
        await page.getByTestId('outcome-major').click();
        assert.match(await page.getByTestId('task-error').innerText(), /请填写：/);
        assert.equal(await page.getByTestId('task-form').getByText('必填', { exact: true }).count(), 0);
        await page.locator('#field-verified').check();
        await page.locator('#field-note').fill('已到现场核实，确需更换');
        await page.getByTestId('task-error').waitFor({ state: 'detached' });

        // 大事 asks first and says what will happen; cancelling sends nothing.
        await page.getByTestId('outcome-major').click();
        const dialog = page.locator('.ant-modal-confirm');
        assert.match(await dialog.innerText(), /社区议事会议/);
        assert.match(await dialog.innerText(), /不能撤回/);
        await page.getByTestId('confirm-cancel').click();
        await dialog.waitFor({ state: 'detached' });
        await page.getByTestId('task-form').waitFor();
        await page.getByTestId('outcome-major').click();
        await page.getByTestId('confirm-ok').click();
        await page.getByTestId('task-form').waitFor({ state: 'detached' });

        // The completed list names the outcome, not its code.
        await page.getByText('已办理', { exact: true }).click();
        const row = page.getByTestId('inbox').getByRole('row').filter({ hasText: title });
        await row.waitFor();
        assert.match(await row.innerText(), /大事/);
        assert.doesNotMatch(await row.innerText(), /major/);

        // The menu opens from its button and takes the worker to another page.
        await page.getByTestId('console-menu-button').click();
        await page.getByTestId('console-menu').getByText('事项看板', { exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/console/matters');
      } finally {
        await phone.close();
        await server.stop();
      }
    },
  },
  {
    name: 'a resident\'s raise-form errors go as the fields are filled, and the phone header has no white frame',
    async run() {
      const server = await startServer();
      const phone = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const page = await phone.context.newPage();
        await signIn(page, server.baseUrl, 'resident');
        await page.goto(`${server.baseUrl}/m/raise`);
        await page.getByTestId('raise-category').waitFor();
        const header = await page.locator('.m-header').boundingBox();
        assert.deepEqual([header.x, header.y, header.width], [0, 0, 390]);

        await page.getByTestId('raise-submit').click();
        await page.getByTestId('error-title').waitFor();
        await page.getByTestId('raise-title').fill('楼下垃圾桶满了没人清');
        await page.getByTestId('error-title').waitFor({ state: 'detached' });
        await page.getByTestId('raise-description').fill('已经三天了');
        await page.getByTestId('error-description').waitFor({ state: 'detached' });
        await page.getByTestId('raise-category').selectOption({ index: 1 });
        await page.getByTestId('error-category').waitFor({ state: 'detached' });
        await page.getByTestId('raise-error').waitFor({ state: 'detached' });
      } finally {
        await phone.close();
        await server.stop();
      }
    },
  },
];
