// A meeting that moves (issue 17 §3, §7): the workflow drafts a four-party meeting for a 大事 without place or recorder;
// the secretary (desk) finds it from the notification, completes it and sends the notice, then postpones it with a reason —
// everyone invited is told — and the resident who raised the matter (phone) sees the new time and place on the matter's
// page. On the day it is too early to start, so the secretary brings it forward to now, starts it and ends it: the dialog
// says what ending does, 再想想 changes nothing, 确定 closes it and the matter goes on to its next step. A second journey:
// another organiser cancels a meeting with an item on it; the item goes onto a new draft and the secretary is told.
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, apiAs } from './harness.mjs';

const TITLE = '3号楼北侧路面塌陷修复';
const PLACE = '幸福里社区党群服务中心二楼红色议事厅';

async function until(what, probe, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The resident raises the matter on the phone; returns its id. */
async function raiseOnPhone(phone, base, title) {
  await signIn(phone, base, 'resident');
  await phone.getByTestId('home-raise').click();
  await phone.getByTestId('raise-title').fill(title);
  await phone.getByTestId('raise-description').fill('北侧路面塌陷约半米见方，雨后积水，晚上有老人绊倒。');
  await phone.getByTestId('raise-category').selectOption('facilities');
  await phone.getByTestId('raise-submit').click();
  await phone.getByTestId('raised').waitFor();
  return new URL(phone.url()).pathname.split('/').pop();
}

/** The grid worker hears it as a 大事 (through the API: the triage is not the story here; six-step walks it in the UI). */
async function triageAsMajor(base, matterId) {
  const grid = await apiAs(base, 'gridworker');
  const task = await until('the hearing task', async () => (await grid.get(`/api/tasks?matterId=${matterId}`)).items[0], 30);
  await grid.post(`/api/tasks/${task.id}/complete`, { outcome: 'major', values: { verified: true, note: '已到现场核实，涉及公共道路，提交社区议事。' } });
}

/** What a datetime-local input in this page takes for an instant (the browser's own zone). */
const localInput = (page, date) => page.evaluate((ms) => {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}, date.getTime());

/** How the app writes an instant: China time, minutes (shared/format's formatDateTime). */
const chinaTime = (date) => date.toLocaleString('zh-CN', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai',
});

async function matterStep(base, matterId) {
  return (await (await apiAs(base, 'resident')).get(`/api/matters/${matterId}`)).step;
}

export const tests = [
  {
    name: 'the secretary completes, postpones, brings forward, starts and ends the drafted meeting; the resident sees where and when',
    async run() {
      const server = await startServer();
      const base = server.baseUrl;
      const phoneBrowser = await launchBrowser({ width: 390, height: 844, mobile: true });
      const deskBrowser = await launchBrowser({ width: 1440, height: 900 });
      try {
        const phone = await phoneBrowser.context.newPage();
        const desk = await deskBrowser.context.newPage();
        const matterId = await raiseOnPhone(phone, base, TITLE);
        await triageAsMajor(base, matterId);

        // The secretary is told of the new agenda item and finds the draft from the bell.
        await signIn(desk, base, 'secretary');
        await desk.getByTestId('notification-bell').click();
        await desk.getByTestId('notification-item').filter({ hasText: TITLE }).first().click();
        await desk.waitForURL((url) => url.pathname.startsWith('/console/meetings/'));
        const meetingId = new URL(desk.url()).pathname.split('/').pop();
        await desk.getByTestId('meeting-state').filter({ hasText: '草稿' }).waitFor();
        await desk.getByRole('tab', { name: '议程' }).click();
        await desk.getByTestId('agenda-item').filter({ hasText: TITLE }).waitFor();

        // Sending the notice without place and recorder is refused, naming what is missing.
        await desk.getByTestId('meeting-convene').click();
        await desk.getByTestId('confirm-ok').click(); // it asks first: the notice goes to everyone invited
        const refusal = await desk.locator('.problem-message').first().innerText();
        assert.match(refusal, /记录人/, `the refusal names the recorder: ${refusal}`);
        assert.doesNotMatch(refusal, /主持人和记录人/, `only the recorder is missing: ${refusal}`);

        // Place and recorder filled, then the notice goes out.
        await desk.getByTestId('meeting-edit').click();
        await desk.getByTestId('meeting-place').fill(PLACE);
        await desk.getByTestId('meeting-recorder').fill('孙主任');
        await desk.getByTestId('meeting-save').click();
        await desk.getByTestId('meeting-save').waitFor({ state: 'detached' });
        await desk.locator('.ant-modal-wrap').filter({ visible: true }).waitFor({ state: 'detached' }).catch(() => {});
        await desk.locator('.ant-descriptions').getByText('孙主任').waitFor(); // the page shows the saved meeting
        await desk.getByTestId('meeting-convene').click();
        await desk.getByTestId('confirm-ok').click(); // it asks first: the notice goes to everyone invited
        await desk.getByTestId('meeting-state').filter({ hasText: '已通知' }).waitFor();

        // 改期 with a reason: two days later at 15:30 China time.
        const secretary = await apiAs(base, 'secretary');
        const before = await secretary.get(`/api/meetings/${meetingId}`);
        const invited = [...new Set(before.parties.flatMap((p) => p.participants).map((p) => p.userId).filter(Boolean))];
        const later = new Date(new Date(before.startsAt).getTime() + 2 * 86_400_000 + 30 * 60_000);
        await desk.getByTestId('meeting-reschedule').click();
        await desk.getByTestId('reschedule-time').fill(await localInput(desk, later));
        await desk.getByTestId('reschedule-reason').fill('议事厅当天另有安排');
        await desk.getByTestId('reschedule-save').click();
        await desk.getByTestId('reschedule-save').waitFor({ state: 'detached' });
        await desk.getByTestId('meeting-notices').filter({ hasText: '议事厅当天另有安排' }).waitFor();
        const moved = await secretary.get(`/api/meetings/${meetingId}`);
        assert.equal(new Date(moved.startsAt).getTime(), later.getTime(), 'the meeting moved to the time chosen');

        // Everyone invited with an account is told, with a link to the meeting (the property company is invited).
        assert.ok(invited.length > 0, 'the four-party meeting invites people with accounts');
        const property = await apiAs(base, 'property');
        const told = (await property.get('/api/notifications')).find((n) => n.kind === 'meetingRescheduled');
        assert.ok(told, 'the property company was not told of the new time');
        assert.match(told.body, /议事厅当天另有安排/);
        assert.equal(told.link, `/console/meetings/${meetingId}`);

        // The resident sees the new time and place on the matter's page.
        await phone.goto(`${base}/m/matters/${matterId}`);
        const when = await phone.getByTestId('matter-meeting-when').innerText();
        assert.ok(when.includes(chinaTime(later)), `the resident sees the new time ${chinaTime(later)}: ${when}`);
        assert.ok((await phone.getByTestId('matter-meeting-where').innerText()).includes(PLACE), 'the resident sees the place');
        await phone.getByTestId('matter-meeting').getByText('已改期').waitFor();

        // Too early to start: the console offers 改期到现在.
        await desk.getByTestId('meeting-too-early').waitFor();
        await desk.getByTestId('meeting-reschedule-now').click();
        await desk.getByTestId('reschedule-reason').fill('各方提前到齐，提前召开');
        await desk.getByTestId('reschedule-save').click();
        await desk.getByTestId('reschedule-save').waitFor({ state: 'detached' });
        await desk.getByTestId('meeting-too-early').waitFor({ state: 'detached' });
        await desk.getByTestId('meeting-open').click();
        await desk.getByTestId('confirm-ok').click(); // it asks first
        await desk.getByTestId('meeting-state').filter({ hasText: '进行中' }).waitFor();
        await desk.getByRole('tab', { name: '参会人员' }).click();
        await desk.getByTestId('attendance-all').click();
        await desk.getByTestId('meeting-quorum').filter({ hasText: '已达到' }).waitFor();

        // Ending asks first and says what will happen; 再想想 changes nothing.
        const stepBefore = await matterStep(base, matterId);
        await desk.getByTestId('meeting-close').click();
        const dialog = desk.locator('.ant-modal-confirm');
        await dialog.waitFor();
        assert.match(await dialog.innerText(), /进入下一步/, 'the dialog says the matters go on');
        await dialog.getByRole('button', { name: '再想想' }).click();
        await dialog.waitFor({ state: 'detached' });
        await desk.waitForTimeout(1000);
        assert.match(await desk.getByTestId('meeting-state').innerText(), /进行中/);
        assert.equal((await secretary.get(`/api/meetings/${meetingId}`)).state, 'inSession');
        assert.equal(await matterStep(base, matterId), stepBefore);

        await desk.getByTestId('meeting-close').click();
        await desk.getByTestId('confirm-ok').click();
        await desk.getByTestId('meeting-state').filter({ hasText: '已结束' }).waitFor();

        // The matter moves on: its next step shows on the resident's page.
        const next = await until('the matter to go on', async () => {
          const step = await matterStep(base, matterId);
          return step !== stepBefore && step;
        }, 30);
        await phone.reload();
        const shown = await phone.getByTestId('matter-step').innerText();
        assert.doesNotMatch(shown, /社区议事/, `the matter still shows the meeting step (${next}): ${shown}`);
        assert.match(shown, /民主定事/);
      } catch (error) {
        console.log(server.log().split('\n').filter((l) => /fail|error|exception/i.test(l)).slice(-20).join('\n'));
        throw error;
      } finally {
        await phoneBrowser.close();
        await deskBrowser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'a meeting cancelled with an item on it passes the item to a new draft and the secretary is told',
    async run() {
      const server = await startServer();
      const base = server.baseUrl;
      const phoneBrowser = await launchBrowser({ width: 390, height: 844, mobile: true });
      const deskBrowser = await launchBrowser({ width: 1440, height: 900 });
      try {
        const phone = await phoneBrowser.context.newPage();
        const desk = await deskBrowser.context.newPage();
        const matterId = await raiseOnPhone(phone, base, TITLE);
        await triageAsMajor(base, matterId);
        const secretary = await apiAs(base, 'secretary');
        const [onMeeting] = await until('the matter on a meeting', async () =>
          (await secretary.get(`/api/meetings/for-matter/${matterId}`)).filter((m) => m.state === 'draft'), 30);

        // Another organiser (the residents' committee) cancels it in the console, answering the confirm.
        await signIn(desk, base, 'residents-committee');
        await desk.goto(`${base}/console/meetings/${onMeeting.meetingId}`);
        await desk.getByTestId('meeting-cancel').click();
        await desk.getByTestId('cancel-reason').fill('主持人临时外出');
        await desk.getByTestId('cancel-save').click();
        const dialog = desk.locator('.ant-modal-confirm');
        assert.match(await dialog.innerText(), /转入/, 'the dialog says where the agenda goes');
        await desk.getByTestId('confirm-ok').click();
        await desk.getByTestId('meeting-cancelled').filter({ hasText: '主持人临时外出' }).waitFor();

        // The item is on another meeting that is not cancelled.
        const meetings = await secretary.get(`/api/meetings/for-matter/${matterId}`);
        const now = meetings.find((m) => m.state !== 'cancelled');
        assert.ok(now, `the matter is on a meeting that will sit: ${JSON.stringify(meetings)}`);
        assert.notEqual(now.meetingId, onMeeting.meetingId);

        // The secretary is told and the link opens the meeting with the item on it.
        await desk.context().clearCookies();
        await signIn(desk, base, 'secretary');
        await desk.getByTestId('notification-bell').click();
        await desk.getByTestId('notification-item').filter({ hasText: /待安排会议|议题已转入/ }).first().click();
        await desk.waitForURL((url) => url.pathname === `/console/meetings/${now.meetingId}`);
        await desk.getByRole('tab', { name: '议程' }).click();
        await desk.getByText(TITLE).first().waitFor();

        // The resident sees the cancellation and the meeting it moved to.
        await phone.goto(`${base}/m/matters/${matterId}`);
        await phone.getByTestId('matter-meeting-cancelled').filter({ hasText: '主持人临时外出' }).waitFor();
        await phone.getByTestId('matter-meeting-when').waitFor();
      } catch (error) {
        console.log(server.log().split('\n').filter((l) => /fail|error|exception/i.test(l)).slice(-20).join('\n'));
        throw error;
      } finally {
        await phoneBrowser.close();
        await deskBrowser.close();
        await server.stop();
      }
    },
  },
];
