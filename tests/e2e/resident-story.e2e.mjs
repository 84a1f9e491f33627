// A resident follows the whole story of their matter on a phone (issue 17 §5): raised → 网格听事 (大事) → the meeting
// the workflow drafted is completed, held, its resolution recorded and closed → decided by the meeting → the property
// company reports progress with a photo and completes → the decision is posted → the resident reads it all in one
// timeline, rates, lands back on the story with their rating, and once the rating closes opens the 事项办结报告 PDF.
// (The owners' vote path needs 15 days' notice, which a browser test cannot wait for: SixStepMethodTests walks it.)
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './harness.mjs';
import { publishShortPeriods, switchUser, until, raiseOnPhone, triageMajor, holdMeeting, decideByMeeting, propertyDoesTheWork }
  from './steps.mjs';

const TITLE = '2号楼北侧路灯不亮，夜里看不清台阶';
const RESOLUTION = '更换2号楼北侧三盏路灯并加装台阶警示灯带，由物业公司负责实施。';
const PROGRESS = '三盏路灯灯头已更换，警示灯带到货。';
const DONE = '路灯和台阶警示灯带均已安装完毕，夜间照明恢复。';
const STEPS = ['网格听事', '社区议事', '民主定事', '协同办事', '群众评事'];

/** Each entry of the timeline on the page: its kind and its first line (title, then "：" and its outcome). */
async function entries(page) {
  return page.getByTestId('timeline').locator(':scope > li').evaluateAll((lis) =>
    lis.map((li) => ({ kind: li.dataset.testid.replace('timeline-', ''), title: li.firstElementChild.nextElementSibling.innerText, text: li.innerText })));
}

async function openStory(phone, base, matterId) {
  await phone.goto(`${base}/m/matters/${matterId}`);
  await phone.getByTestId('timeline').waitFor();
  return entries(phone);
}

export const tests = [
  {
    name: 'a resident follows their matter from raising to the posted result, rates it and opens the closing report',
    async run() {
      const server = await startServer();
      const base = server.baseUrl;
      const phoneBrowser = await launchBrowser({ width: 390, height: 844, mobile: true });
      const deskBrowser = await launchBrowser({ width: 1440, height: 900 });
      try {
        // Posting periods of seconds and a rating window of a minute: the same change a designer could make.
        await publishShortPeriods(base, { ratingWindow: 'PT60S' });
        const phone = await phoneBrowser.context.newPage();
        const desk = await deskBrowser.context.newPage();

        const matterId = await raiseOnPhone(phone, base, { title: TITLE, description: '2号楼北侧三盏路灯坏了两周，晚上出门看不清台阶，老人差点摔倒。' });
        await triageMajor(desk, base, TITLE);
        await holdMeeting(desk, base, TITLE, { resolution: RESOLUTION });
        await decideByMeeting(desk, base, TITLE);
        await propertyDoesTheWork(desk, base, matterId, { progress: PROGRESS, done: DONE });

        // The resident's story once the decision has been posted and the rating is open.
        await switchUser(phone, base, 'resident');
        await until('the rating to open', async () => {
          await phone.goto(`${base}/m/matters/${matterId}`);
          await phone.getByTestId('timeline').waitFor();
          return (await phone.getByRole('link', { name: '去评价' }).count()) > 0;
        }, 90);
        let story = await entries(phone);
        const titles = () => story.map((e) => `${e.kind}:${e.title}`).join(' | ');
        for (const step of STEPS) {
          const count = story.filter((e) => ['step', 'taskCompleted'].includes(e.kind) && new RegExp(`^${step}(：|$)`).test(e.title)).length;
          assert.equal(count, 1, `${step} once in the timeline: ${titles()}`);
        }
        assert.equal(story.filter((e) => e.kind === 'raised').length, 1, titles());
        // The resolution in words, the work's progress with its photo, the work done, the posted decision.
        const resolution = story.filter((e) => e.kind === 'resolution');
        assert.equal(resolution.length, 1, titles());
        assert.match(resolution[0].text, /三盏路灯/);
        // The meeting that sat on it, with when it actually sat (not when the matter reached 社区议事).
        const held = story.filter((e) => e.kind === 'meeting');
        assert.equal(held.length, 1, titles());
        assert.match(held[0].text, /开会时间：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}–/, held[0].text);
        assert.match(story.find((e) => e.kind === 'workProgress')?.text ?? '', /警示灯带到货/, titles());
        assert.match(story.find((e) => e.kind === 'workDone')?.text ?? '', /夜间照明恢复/, titles());
        const thumbnail = phone.getByTestId('timeline-workProgress').getByTestId('timeline-photo').locator('img');
        assert.equal(await thumbnail.count(), 1, 'the progress photo is in the timeline');
        await thumbnail.scrollIntoViewIfNeeded();
        await until('the progress photo to load', () => thumbnail.evaluate((img) => img.complete && img.naturalWidth > 0), 15);
        const posted = story.filter((e) => e.kind === 'notice' && e.title.startsWith('议定事项公示'));
        assert.equal(posted.length, 1, titles());
        assert.match(posted[0].text, /三盏路灯/, 'the posting says what was decided');
        assert.doesNotMatch(story.map((e) => e.text).join('\n'), /已到现场核实/, 'the grid worker\'s notes are not the resident\'s to read');

        // The resident rates, and lands back on the story with their rating in it.
        await phone.getByRole('link', { name: '去评价' }).click();
        await phone.getByTestId('rate-satisfied').click();
        await phone.getByTestId('rate-comment').fill('路灯亮了，晚上出门放心多了。');
        await phone.getByTestId('rate-submit').click();
        await phone.getByTestId('rate-thanks').waitFor();
        assert.equal(new URL(phone.url()).pathname, `/m/matters/${matterId}`);
        await phone.getByTestId('timeline-rating').filter({ hasText: '路灯亮了' }).waitFor();
        assert.match(await phone.getByTestId('timeline-rating').innerText(), /满意/);

        // When the rating closes the matter is closed: the result is posted and the closing report opens as a PDF.
        await until('the matter to close', async () => {
          await phone.goto(`${base}/m/matters/${matterId}`);
          await phone.getByTestId('timeline').waitFor();
          return (await phone.getByTestId('closing-report').count()) > 0;
        }, 150);
        story = await entries(phone);
        assert.equal(story.filter((e) => e.kind === 'closed').length, 1, titles());
        assert.equal(story.filter((e) => e.kind === 'rating').length, 1, titles());
        assert.equal(story.filter((e) => /^网格听事/.test(e.title)).length, 1, titles());
        const notices = story.filter((e) => e.kind === 'notice').map((e) => e.title);
        assert.equal(new Set(notices).size, notices.length, `each posting once: ${titles()}`);
        assert.match(await phone.getByTestId('matter-step').innerText(), /已办结/);
        const href = await phone.getByTestId('closing-report').getAttribute('href');
        const [popup] = await Promise.all([phone.waitForEvent('popup'), phone.getByTestId('closing-report').click()]);
        await popup.close().catch(() => {});
        const pdf = await phone.request.get(`${base}${href}`);
        assert.equal(pdf.status(), 200);
        assert.equal(pdf.headers()['content-type'], 'application/pdf');
        assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
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
