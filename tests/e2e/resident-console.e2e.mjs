// What the six-step story does not walk through: the server's refusals shown in its own words, the language
// toggle, a console that shows each role only what it can use, and an owners' vote announced ahead and voted on when open.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, SCREENSHOTS } from './harness.mjs';

export const tests = [
  {
    name: 'a resident sees the server\'s reasons for refusing a matter and can switch to English',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'resident');
        await page.goto(`${server.baseUrl}/m/raise`);
        await page.getByTestId('raise-category').waitFor();
        await page.getByTestId('raise-submit').click();
        await page.getByTestId('error-title').filter({ hasText: '标题' }).waitFor();
        assert.match(await page.getByTestId('raise-error').innerText(), /\S/);
        assert.match(await page.getByTestId('error-category').innerText(), /请选择分类/);

        await page.getByTestId('language-toggle').click();
        await page.getByText('Raise a matter').first().waitFor();
        await page.getByTestId('raise-title').fill('Lamp out');
        await page.getByTestId('raise-submit').click();
        // The server answers in the language asked for.
        await page.getByTestId('error-description').filter({ hasText: /Description/ }).waitFor();
        assert.equal(await page.getByTestId('tabbar').getByText('Notices').count(), 1);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'the console shows each role only what it can use',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const menu = async (user) => {
          await page.context().clearCookies();
          await signIn(page, server.baseUrl, user);
          await page.getByTestId('console-menu').waitFor();
          return page.getByTestId('console-menu').innerText();
        };
        const grid = await menu('gridworker');
        assert.match(grid, /待办/);
        assert.match(grid, /数据看板/);
        assert.doesNotMatch(grid, /例会周期/);
        assert.match(await menu('secretary'), /例会周期/);
        const admin = await menu('admin');
        assert.doesNotMatch(admin, /数据看板/, 'measures are for the staff of the districts, which the server keeps from the admin');
        // A page the role cannot use sends it back to the inbox rather than into errors.
        await page.context().clearCookies();
        await signIn(page, server.baseUrl, 'gridworker');
        await page.goto(`${server.baseUrl}/console/review-cycles`);
        await page.waitForURL((url) => url.pathname === '/console');
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'the owners\' committee announces an owners\' vote 15 days ahead, and an owner votes on the demo ballot that is open now',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'owners-committee');
        await page.goto(`${server.baseUrl}/console/ballots`);
        await page.getByRole('button', { name: '发起业主表决' }).click();
        const dialog = page.getByRole('dialog');
        assert.match(await dialog.getByTestId('notice-rule').innerText(), /15日/);
        await dialog.getByLabel('表决事项').fill('2号楼外墙维修使用专项维修资金');
        await dialog.getByTestId('ballot-proposal-input').fill('使用2号楼专项维修资金约12万元维修外墙渗水部位');
        await dialog.getByTestId('ballot-kind').click(); // the Art. 278 kind decides the least rule
        await page.locator('.ant-select-item-option[title="使用建筑物及其附属设施的维修资金"]').click();
        await dialog.getByLabel('表决范围').click();
        await page.locator('.ant-select-item-option[title="2号楼"]').click();
        await dialog.getByRole('button', { name: '发起' }).click(); // the form opens voting 16 days ahead by default
        await page.waitForURL(/\/console\/ballots\/[0-9a-f-]+$/);
        await page.getByText('公告中').first().waitFor();
        assert.match(await page.getByTestId('ballot-organiser').innerText(), /业主委员会（周主任）/);

        // The demo's secret ballot, announced before the demo began and open now: an owner votes on the phone page at once.
        const phone = await launchBrowser({ width: 390, height: 844, mobile: true });
        try {
          const owner = await phone.context.newPage();
          await signIn(owner, server.baseUrl, 'owner-xf-2-101');
          await owner.goto(`${server.baseUrl}/m`);
          await owner.getByTestId('home-ballot').filter({ hasText: '智能快递柜' }).click();
          await owner.getByTestId('choice-agree').click();
          await owner.getByTestId('vote-submit').click();
          await owner.getByTestId('receipt-code').waitFor();
        } finally {
          await phone.close();
        }
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'the party secretary schedules a review cycle, sees its next meetings, pauses and resumes it',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser({ width: 1440, height: 900 });
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'secretary');
        await page.goto(`${server.baseUrl}/console/review-cycles`);
        await page.getByRole('button', { name: '新建例会周期' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('名称').fill('睦邻大家谈（每月）');
        await dialog.getByRole('button', { name: '保存' }).click();
        const row = page.getByTestId('review-cycles').getByRole('row').filter({ hasText: '睦邻大家谈（每月）' });
        await row.waitFor();
        assert.match(await row.innerText(), /\d{4}\/\d{2}\/\d{2}/, 'the next firing times are shown');
        await row.getByRole('button', { name: '暂停' }).click();
        await row.getByText('已暂停').waitFor();
        await row.getByRole('button', { name: '恢复' }).click();
        await row.getByRole('button', { name: '暂停' }).waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, 'console-review-cycles.png'), fullPage: true });
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
];
