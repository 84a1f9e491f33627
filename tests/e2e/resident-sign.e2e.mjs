// A resident representative asked to sign the minutes finds where to sign (issue 17 §1): a four-party meeting is held
// through the API, its minutes are made; the resident follows the "minutesReady" notification on the phone, sees the
// meeting, the latest version (PDF, SHA-256) and who has signed, is asked before signing, signs, and sees it recorded.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { startServer, launchBrowser, signIn, apiAs } from './harness.mjs';

const AXE_SOURCE = readFileSync(
  createRequire(join(resolve(import.meta.dirname, '../..'), 'src/web/package.json')).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical WCAG 2 A/AA violations on the page as it is (as a11y.e2e.mjs checks every resident page). */
async function seriousViolations(page) {
  await page.evaluate(AXE_SOURCE); // through the DevTools protocol: the CSP refuses an injected <script>
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

const TITLE = '幸福里社区四方联席会议（签字）';
const XINGFULI = '0d000000-0000-7000-8000-000000000010'; // DemoData.Ids.Xingfuli

/** A closed meeting whose minutes await sign-off; the resident (陈晓燕) sat in it as a residents' representative. */
async function meetingWithMinutes(base) {
  const secretary = await apiAs(base, 'secretary');
  const ids = {};
  for (const user of ['secretary', 'residents-committee', 'resident']) ids[user] = (await (await apiAs(base, user)).get('/api/auth/me')).id;
  const meeting = await secretary.post('/api/meetings', {
    type: 'fourParty', orgUnitId: XINGFULI, title: TITLE, place: '社区红色议事厅',
    startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    chairUserId: ids.secretary, recorderUserId: ids['residents-committee'],
  });
  const resident = await secretary.post(`/api/meetings/${meeting.id}/participants`,
    { party: 'residentRepresentatives', userId: ids.resident });
  // A four-party meeting is noticed only with someone of each of the four parties invited.
  const parties = [];
  for (const [party, name] of [['partyOrganisation', '刘书记'], ['residentsCommittee', '孙主任'], ['ownersCommittee', '周主任'], ['propertyCompany', '吴经理']])
    parties.push(await secretary.post(`/api/meetings/${meeting.id}/participants`, { party, name }));
  await secretary.post(`/api/meetings/${meeting.id}/agenda`, { title: '3号楼门口路灯不亮' });
  await secretary.post(`/api/meetings/${meeting.id}/convene`);
  await secretary.post(`/api/meetings/${meeting.id}/open`);
  await secretary.put(`/api/meetings/${meeting.id}/attendance`,
    [resident, ...parties].map((p) => ({ participantId: p.id, attendance: 'present' })));
  await secretary.post(`/api/meetings/${meeting.id}/close`);
  const minutes = await secretary.post(`/api/meetings/${meeting.id}/minutes`, {});
  return { id: meeting.id, sha256: minutes.sha256 };
}

export const tests = [
  {
    name: 'a resident representative follows the minutes notification, is asked first, and signs the minutes on the phone',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const base = server.baseUrl;
        const meeting = await meetingWithMinutes(base);
        const page = await browser.context.newPage();
        await signIn(page, base, 'resident');
        const notifications = await page.evaluate(async () => (await fetch('/api/notifications')).json());
        const ready = notifications.find((n) => n.kind === 'minutesReady');
        assert.equal(ready?.link, `/m/meetings/${meeting.id}/minutes`);

        await page.goto(`${base}${ready.link}`);
        const about = page.getByTestId('minutes-meeting');
        await about.waitFor();
        assert.match(await about.innerText(), new RegExp(`${TITLE.replace(/[()（）]/g, '.')}[\\s\\S]*社区红色议事厅`));
        assert.equal(await page.getByTestId('minutes-hash').innerText(), `SHA-256 ${meeting.sha256.slice(0, 12)}…`);
        assert.equal(await page.getByTestId('minutes-pdf').getAttribute('href'), `/api/meetings/${meeting.id}/minutes/1.pdf`);
        const pdf = await page.evaluate(async (href) => (await fetch(href)).headers.get('content-type'),
          await page.getByTestId('minutes-pdf').getAttribute('href'));
        assert.equal(pdf, 'application/pdf');
        assert.equal(await page.getByTestId('signer-signed').count(), 0);
        assert.match(await page.getByTestId('minutes-signers').innerText(), /陈晓燕\s*未签字/);
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await seriousViolations(page), []);

        // Asked first; "再想想" leaves everything as it was.
        await page.getByTestId('minutes-sign').click();
        assert.match(await page.getByTestId('sign-confirm').innerText(), /第 1 版纪要[\s\S]*不能撤回/);
        assert.deepEqual(await seriousViolations(page), []);
        await page.getByTestId('confirm-cancel').click();
        assert.equal(await page.getByTestId('sign-confirm').count(), 0);
        await page.getByTestId('minutes-sign').click();
        await page.getByTestId('confirm-ok').click();
        await page.getByTestId('minutes-you-signed').waitFor();
        assert.equal(await page.getByTestId('minutes-sign').count(), 0);
        assert.match(await page.getByTestId('signer-signed').innerText(), /陈晓燕\s*已签字/);

        const versions = await (await apiAs(base, 'secretary')).get(`/api/meetings/${meeting.id}/minutes`);
        assert.deepEqual(versions[0].signOffs.map((s) => s.name), ['陈晓燕']);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
];
