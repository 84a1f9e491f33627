// Issue 17 §4: an owner votes on a proposal they can read. On the phone (390 × 844) an owner of 幸福里 opens the demo's open
// ballot, reads what is proposed (text, why, cost, who proposed it) and votes; then opens the demo's closed 3号楼 ballot, taps
// through to the four-party meeting's opinions and the motion's fate, and opens the result notice (表决结果公告, PDF) that
// names the proposal. (Owners' ballots close at their deadline, so "after the close" is the demo ballot that already closed.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, apiAs } from './harness.mjs';

export const tests = [
  {
    name: 'an owner reads the proposal, its cost and proposer, votes, opens the meeting\'s opinions and the result notice',
    async run() {
      const server = await startServer();
      const phone = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const page = await phone.context.newPage();
        await signIn(page, server.baseUrl, 'owner-xf-3-101');
        await page.goto(`${server.baseUrl}/m`);
        await page.getByTestId('home-ballot').filter({ hasText: '智能快递柜' }).click();
        const proposal = page.getByTestId('ballot-proposal');
        await proposal.waitFor();
        assert.match(await page.getByTestId('proposal-text').innerText(), /在东门岗亭旁增设智能快递柜一组/);
        assert.match(await page.getByTestId('proposal-cost').innerText(), /3,600/);
        assert.match(await page.getByTestId('proposal-by').innerText(), /提议人：吴经理（物业公司）/);
        assert.match(await page.getByTestId('proposal-reason').innerText(), /老人取件不便/);
        await page.getByTestId('choice-agree').click();
        await page.getByTestId('vote-submit').click();
        await page.getByTestId('receipt-code').waitFor();

        // The closed 3号楼 elevator ballot: what was proposed at the meeting, the opinions one tap away, the result notice.
        const committee = await apiAs(server.baseUrl, 'owners-committee');
        const closed = (await committee.get('/api/ballots?status=closed')).items.find((b) => b.title.includes('加装电梯'));
        assert.ok(closed, 'the demo\'s closed elevator ballot');
        await page.goto(`${server.baseUrl}/m/ballots/${closed.id}`);
        assert.match(await page.getByTestId('proposal-text').innerText(), /加装电梯方案/);
        await page.getByTestId('show-deliberation').click();
        const record = page.getByTestId('deliberation');
        await record.waitFor();
        const opinions = await page.getByTestId('deliberation-opinion').allInnerTexts();
        assert.ok(opinions.some((o) => /业主委员会|业委会/.test(o) && o.includes('周主任')), opinions.join('\n'));
        assert.match(await page.getByTestId('deliberation-motion').first().innerText(), /提交业主表决/);

        const link = page.getByTestId('notice-pdf');
        const href = await link.getAttribute('href');
        assert.equal(href, `/api/ballots/${closed.id}/notice.pdf`);
        const response = await page.request.get(`${server.baseUrl}${href}`);
        assert.equal(response.status(), 200);
        assert.match(response.headers()['content-type'], /^application\/pdf/);
        const dir = mkdtempSync(join(tmpdir(), 'notice-'));
        try {
          writeFileSync(join(dir, 'notice.pdf'), await response.body());
          const text = execFileSync('pdftotext', [join(dir, 'notice.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
          assert.match(text, /表决议案：3号楼加装电梯方案/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } finally {
        await phone.close();
        await server.stop();
      }
    },
  },
];
