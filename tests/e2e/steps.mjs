// Steps the journeys share (six-step.e2e.mjs, resident-story.e2e.mjs): a photo as a phone sends it, screenshots,
// switching users, waiting for the server, and the six steps walked as each role would in the browser.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { apiAs, signIn, SCREENSHOTS } from './harness.mjs';

/**
 * A browser test cannot move the server's clock: the six-step workflow's posting periods (and, when asked, the
 * rating window) are shortened, the same change a designer could make, and published.
 */
export async function publishShortPeriods(baseUrl, { posting = 'PT5S', ratingWindow } = {}) {
  const admin = await apiAs(baseUrl, 'admin');
  const { definition } = await admin.get('/api/workflow-definitions/six-step-method');
  for (const activity of definition.root.activities) {
    if (activity.type === 'Publicize') activity.period = posting;
    if (activity.type === 'Rate' && ratingWindow) activity.window = ratingWindow;
  }
  await admin.put('/api/workflow-definitions/six-step-method/draft', definition);
  await admin.post('/api/workflow-definitions/six-step-method/publish');
}

/** A small solid-colour PNG, as a phone camera would send a photo (the server checks the bytes). */
export function png(width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4); header[8] = 8; header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A full-page screenshot; on a phone the tab bar is drawn once at the end of the page rather than across its middle. */
export async function shot(page, name) {
  const pinned = page.viewportSize().width < 600 ? await page.addStyleTag({ content: '.m-app{position:relative}.m-tabbar{position:absolute}' }) : null;
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await pinned?.evaluate((style) => style.remove());
}

export async function switchUser(page, baseUrl, username) {
  await page.context().clearCookies();
  await signIn(page, baseUrl, username);
}

export async function until(what, probe, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** 居民提事 on a phone, with a photo; answers the new matter's id. */
export async function raiseOnPhone(phone, base, { title, description, onStage = async () => {} }) {
  await signIn(phone, base, 'resident');
  await phone.getByTestId('home-todo').waitFor();
  await onStage('home');
  await phone.getByTestId('home-raise').click();
  await phone.getByTestId('raise-title').fill(title);
  await phone.getByTestId('raise-description').fill(description);
  await phone.getByTestId('raise-category').selectOption('facilities');
  assert.equal(await phone.getByTestId('raise-building').inputValue() !== '', true, 'the building defaults to where the resident lives');
  await phone.getByTestId('raise-photos').setInputFiles({ name: 'steps.png', mimeType: 'image/png', buffer: png(160, 120, [176, 190, 197]) });
  await onStage('raise');
  await phone.getByTestId('raise-submit').click();
  await phone.getByTestId('raised').waitFor();
  assert.match(await phone.getByTestId('matter-step').innerText(), /网格听事/);
  assert.equal(await phone.locator('.m-photos img').count(), 1);
  return new URL(phone.url()).pathname.split('/').pop();
}

/** 网格听事: the grid worker verifies the matter and triages it as 大事 in the console inbox (asked first). */
export async function triageMajor(desk, base, title, { onStage = async () => {} } = {}) {
  await signIn(desk, base, 'gridworker');
  await desk.getByTestId('inbox').waitFor();
  await desk.getByTestId('inbox-task').filter({ hasText: title }).click();
  await desk.locator('#field-verified').check();
  await desk.locator('#field-note').fill('已到现场核实：台阶三级，约 45 厘米高，确需加装坡道，涉及共有部分，提交社区议事。');
  await onStage('task');
  await desk.getByTestId('outcome-major').click();
  await desk.getByTestId('confirm-ok').click(); // it asks first: this cannot be undone
  await desk.getByTestId('task-form').waitFor({ state: 'detached' });
  await onStage('inbox');
}

/**
 * 社区议事: the party secretary completes the meeting the workflow drafted (time, place, recorder), sends the notice,
 * holds it, records the parties' opinions and the resolution on the matter, and closes it.
 */
export async function holdMeeting(desk, base, title, { resolution, onStage = async () => {} }) {
  await switchUser(desk, base, 'secretary');
  await desk.goto(`${base}/console/meetings`);
  await desk.getByTestId('meeting-link').first().click();
  await desk.getByTestId('meeting-state').filter({ hasText: '草稿' }).waitFor();
  await desk.getByTestId('meeting-edit').click();
  const soon = await desk.evaluate(() => {
    const d = new Date(Date.now() + 10 * 60_000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await desk.getByTestId('meeting-starts').fill(soon);
  await desk.getByTestId('meeting-place').fill('幸福里社区党群服务中心二楼红色议事厅');
  await desk.getByTestId('meeting-recorder').fill('孙主任');
  await desk.getByTestId('meeting-save').click();
  await desk.getByTestId('meeting-save').waitFor({ state: 'detached' });
  await desk.getByTestId('meeting-convene').click();
  await desk.getByTestId('confirm-ok').click(); // it asks first: the notice goes to everyone invited
  await desk.getByTestId('meeting-state').filter({ hasText: '已通知' }).waitFor();
  await desk.getByTestId('meeting-open').click();
  await desk.getByTestId('confirm-ok').click(); // it asks first
  await desk.getByTestId('meeting-state').filter({ hasText: '进行中' }).waitFor();
  await desk.getByRole('tab', { name: '参会人员' }).click();
  await desk.getByTestId('attendance-all').click();
  await desk.getByTestId('meeting-quorum').filter({ hasText: '已达到' }).waitFor();
  await onStage('participants');

  await desk.getByRole('tab', { name: '议程' }).click();
  const item = desk.getByTestId('agenda-item').filter({ hasText: title });
  const opinions = [
    ['社区党组织', '无障碍改造是民生实事，建议纳入本年度微更新项目。'],
    ['业委会', '同意加装，费用从公共收益中列支，须经业主表决。'],
    ['物业公司', '可在 15 天内完成施工，施工期间设置临时通道。'],
  ];
  for (const [party, text] of opinions) {
    await item.locator('form .ant-select').first().click();
    await desk.locator(`.ant-select-item-option[title="${party}"]`).click();
    await item.getByTestId('opinion-text').fill(text);
    const before = await item.getByTestId('opinion').count();
    await item.getByTestId('opinion-add').click();
    await until('the opinion to be recorded', async () => (await item.getByTestId('opinion').count()) > before, 15);
  }
  await onStage('agenda');

  await desk.getByRole('tab', { name: '议定事项' }).click();
  await desk.getByTestId('resolution-text').fill(resolution);
  const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  await desk.getByTestId('resolution-deadline').fill(deadline);
  // A four-party meeting consults: each party present states its position, and the consensus is recorded.
  // (The first option of each list, 同意 and 达成共识, taken with the keyboard: a closing list still on screen
  // would catch a click meant for the next one.)
  for (const select of await desk.locator('[data-testid^="resolution-position-"]').all()) {
    await select.click();
    await desk.keyboard.press('Enter');
    await select.filter({ hasText: '同意' }).waitFor();
  }
  const consensus = desk.getByTestId('resolution-consensus-select');
  await consensus.click();
  await desk.keyboard.press('Enter');
  await consensus.filter({ hasText: '达成共识' }).waitFor();
  await desk.getByTestId('resolution-add').click();
  await desk.getByTestId('resolutions').getByText(resolution.slice(0, 12)).waitFor();
  await desk.getByTestId('meeting-close').click();
  await desk.getByTestId('confirm-ok').click(); // it asks first: closing the meeting moves the matter on
  await desk.getByTestId('meeting-state').filter({ hasText: '已结束' }).waitFor();
}

/** 民主定事 by the meeting's own decision: the secretary answers 由会议决定 in the inbox (asked first). */
export async function decideByMeeting(desk, base, title) {
  await desk.goto(`${base}/console`);
  await desk.getByTestId('inbox-task').filter({ hasText: title }).click();
  await desk.getByTestId('outcome-meeting').click();
  await desk.getByTestId('confirm-ok').click(); // it asks first: this cannot be undone
  await desk.getByTestId('task-form').waitFor({ state: 'detached' });
}

/** 协同办事: the property company finds its work item, reports progress with a photo, then completes it (asked first). */
export async function propertyDoesTheWork(desk, base, matterId, { progress, done, onStage = async () => {} }) {
  const property = await apiAs(base, 'property');
  // The decision is posted first (its posting period), then the work items come from the meeting's resolution.
  const work = await until('the work item', async () => (await property.get(`/api/work-items?matterId=${matterId}`)).items[0], 180)
    .catch(async (error) => {
      const matter = await (await apiAs(base, 'secretary')).get(`/api/matters/${matterId}`);
      throw new Error(`${error.message}; the matter is at ${matter.step}: ${matter.timeline.map((e) => `${e.kind}:${e.title}`).join(' | ')}`);
    });
  await switchUser(desk, base, 'property');
  await desk.goto(`${base}/console/work-items`);
  await desk.getByTestId('work-items').getByText(work.title).click();
  await desk.getByTestId('work-text-progress').fill(progress);
  await desk.locator('input[data-testid=work-percent], [data-testid=work-percent] input').first().fill('60');
  await desk.getByTestId('work-photos-progress').setInputFiles({ name: 'ramp.png', mimeType: 'image/png', buffer: png(200, 150, [160, 160, 150]) });
  await desk.getByTestId('work-submit-progress').click();
  await desk.getByTestId('work-update').filter({ hasText: progress.slice(-6) }).locator('img').first().waitFor();
  await onStage('work-item');
  await desk.getByRole('tab', { name: '办结' }).click();
  await desk.getByTestId('work-text-complete').fill(done);
  await desk.getByTestId('work-submit-complete').click();
  await desk.getByTestId('confirm-ok').click(); // it asks first: this cannot be undone
  await desk.getByTestId('work-update').filter({ hasText: done.slice(-6) }).waitFor();
  return work;
}
