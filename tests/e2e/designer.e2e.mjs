// The workflow designer: a designer builds a workflow from the palette, saves, validates, publishes,
// starts it and watches the instance; the six-step workflow reads in Chinese at a readable zoom; and a
// 200-activity workflow opens and drags quickly.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, signIn, apiAs, SCREENSHOTS } from './harness.mjs';

const box = async (locator) => {
  const b = await locator.boundingBox();
  assert.ok(b, 'element has a box');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

async function dropFromPalette(page, type, x, y) {
  const pane = page.locator('[data-testid="canvas"] .react-flow__pane');
  await page.getByTestId(`palette-${type}`).dragTo(pane, { targetPosition: { x, y } });
}

async function connect(page, source, port, target) {
  const from = await box(page.locator(`[data-testid="node-${source}"] .react-flow__handle.source[data-handleid="${port}"]`));
  const to = await box(page.locator(`[data-testid="node-${target}"] .react-flow__handle.target`));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await page.locator(`.react-flow__edge[data-id="${source}:${port}->${target}"]`).waitFor();
}

async function pickOption(page, testId, value) {
  await page.getByTestId(testId).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${value}"]`).click();
}

async function select(page, id) {
  await page.locator(`[data-testid="node-${id}"] .dz-node-sub`).click();
  await page.getByTestId('activity-id').and(page.locator(`[value="${id}"]`)).waitFor();
}

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `designer-${name}.png`) });

/** Start → Fork(a, b) → two chains of SetVariable → Join → End: 200 activities, laid out in rows. */
export function bigWorkflow(count = 200) {
  const chain = count - 4;
  const activities = [{ id: 'start', type: 'Start' }, { id: 'fork', type: 'Fork', branches: ['a', 'b'] }];
  const connections = [{ source: { activity: 'start', port: 'Done' }, target: { activity: 'fork', port: 'In' } }];
  const link = (a, port, b) => connections.push({ source: { activity: a, port }, target: { activity: b, port: 'In' } });
  for (let i = 1; i <= chain; i++) {
    activities.push({ id: `set${i}`, type: 'SetVariable', displayName: `步骤 ${i}`, variable: 'n', value: 'n + 1' });
    if (i === 1) link('fork', 'a', 'set1');
    else if (i === chain / 2 + 1) link('fork', 'b', `set${i}`);
    else link(`set${i - 1}`, 'Done', `set${i}`);
    if (i === chain / 2 || i === chain) link(`set${i}`, 'Done', 'join');
  }
  activities.push({ id: 'join', type: 'Join', mode: 'all' }, { id: 'end', type: 'End' });
  link('join', 'Done', 'end');
  activities.forEach((a, i) => { a.version = 1; a.metadata = { designer: { position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 140 } } }; });
  return { definitionId: 'perf-200', name: '二百个活动', variables: [{ name: 'n', type: 'number', value: 0 }], root: { type: 'Flowchart', activities, connections } };
}

/** Latin words a Chinese designer reads as they are: formats, keys, the canvas library's credit. */
const ALLOWED_LATIN = new Set(['JSON', 'Elsa', 'JavaScript', 'Ctrl', 'Shift', 'Del', 'Z', 'C', 'V', 'A', 'React', 'Flow', 'English']);

const median = (xs) => xs[Math.floor(xs.length / 2)];
const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

export const tests = [
  {
    name: 'a designer draws a five-activity workflow, saves, validates, publishes, starts it and watches the instance',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser({ width: 1440, height: 900 });
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'designer');
        assert.match(new URL(page.url()).pathname, /^\/designer/);
        await page.getByText('六事工作法').waitFor();
        await shot(page, 'list');

        await page.getByTestId('new-workflow').click();
        await page.getByTestId('new-definitionId').fill('repair-check');
        await page.getByTestId('new-name').fill('维修验收');
        await page.getByTestId('new-confirm').click();
        await page.waitForURL(/\/designer\/repair-check$/);
        await page.getByTestId('node-start').waitFor();

        // A variable for the workflow (nothing selected: the panel shows the workflow).
        await page.getByTestId('variable-add').click();
        await page.getByTestId('variable-0-name').fill('score');
        await pickOption(page, 'variable-0-type', '数字');

        // Four activities dragged from the palette.
        await page.getByTestId('palette-search').fill('变量');
        assert.equal(await page.locator('[data-testid^="palette-"][draggable="true"]').count(), 1);
        await dropFromPalette(page, 'SetVariable', 120, 120);
        await page.getByTestId('palette-search').fill('');
        await dropFromPalette(page, 'Decision', 120, 560);
        await dropFromPalette(page, 'End', 720, 120);
        await dropFromPalette(page, 'End', 720, 560);
        for (const id of ['setVariable1', 'decision1', 'end1', 'end2']) await page.getByTestId(`node-${id}`).waitFor();
        // Decision's ports come from its descriptor: 是 / 否.
        assert.equal(await page.locator('[data-testid="node-decision1"] .react-flow__handle.source').count(), 2);

        await connect(page, 'start', 'Done', 'setVariable1');
        await connect(page, 'setVariable1', 'Done', 'decision1');
        await connect(page, 'decision1', 'True', 'end1');
        await connect(page, 'decision1', 'False', 'end2');

        await select(page, 'setVariable1');
        await page.getByTestId('activity-displayName').fill('验收打分');
        await pickOption(page, 'input-variable', 'score');
        await page.getByTestId('input-value').fill('85');
        await select(page, 'end1');
        await page.getByTestId('activity-displayName').fill('验收通过');
        await select(page, 'end2');
        await page.getByTestId('activity-displayName').fill('返工');
        await page.getByTestId('layout').click();
        await page.waitForTimeout(400);

        // Validation names the decision that has no condition, on the node and in the list.
        await page.getByTestId('validate').click();
        await page.getByTestId('node-error-decision1').waitFor();
        assert.match(await page.getByTestId('errors').innerText(), /条件判断.*缺少必填输入“条件”/); // by its name, not its id
        await shot(page, 'errors');

        await select(page, 'decision1');
        await page.getByTestId('activity-displayName').fill('是否合格');
        await page.getByTestId('input-condition').fill('score >= 60');
        // Undo takes back the condition; redo brings it again.
        await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('Control+z');
        await select(page, 'decision1');
        assert.equal(await page.getByTestId('input-condition').inputValue(), '');
        await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('Control+Shift+z');
        await select(page, 'decision1');
        assert.equal(await page.getByTestId('input-condition').inputValue(), 'score >= 60');

        await page.getByTestId('save').click();
        await page.getByText('草稿已保存').waitFor();
        await page.getByTestId('validate').click();
        await page.getByText('校验通过').waitFor();
        assert.equal(await page.locator('.dz-has-error').count(), 0);
        // Publishing asks first and says what it does; cancelling publishes nothing.
        await page.getByTestId('publish').click();
        const confirm = page.locator('.ant-modal-confirm');
        await confirm.waitFor();
        assert.match(await confirm.innerText(), /新发起的流程将按这个版本办理[\s\S]*已在办理中的流程继续按原来的版本/);
        await page.getByTestId('confirm-cancel').click();
        await confirm.waitFor({ state: 'detached' });
        assert.match(await page.getByTestId('version-tag').innerText(), /草稿/);
        await page.getByTestId('publish').click();
        await page.getByTestId('confirm-ok').click();
        await page.getByText('已发布版本 1').waitFor();
        assert.match(await page.getByTestId('version-tag').innerText(), /版本 1 · 已发布/);
        await shot(page, 'editor');

        const saved = await (await apiAs(server.baseUrl, 'designer')).get('/api/workflow-definitions/repair-check');
        const activities = saved.definition.root.activities;
        assert.deepEqual(activities.map((a) => a.type).sort(), ['Decision', 'End', 'End', 'SetVariable', 'Start']);
        assert.equal(activities.find((a) => a.id === 'decision1').condition, 'score >= 60');
        assert.ok(activities.every((a) => typeof a.metadata.designer.position.x === 'number'));
        assert.equal(saved.definition.root.connections.length, 4);

        await page.getByTestId('start').click();
        await page.getByTestId('start-confirm').click();
        await page.waitForURL(/\/designer\/instances\//);
        await page.getByTestId('instance-status').first().filter({ hasText: '已完成' }).waitFor();
        await page.locator('[data-testid="node-end1"].dz-run-executed').waitFor();
        assert.equal(await page.locator('[data-testid="node-end2"].dz-run-executed').count(), 0);
        assert.equal(await page.locator('.react-flow__edge.dz-traversed').count(), 3);
        const rows = await page.locator('[data-testid="journal"] tbody tr').allInnerTexts();
        assert.ok(rows.length >= 5, `journal rows: ${rows.length}`);
        // The journal names the outcome by its label (是), not its code (True).
        assert.ok(rows.some((r) => r.includes('是否合格') && r.includes('是') && !r.includes('True')), rows.join('\n'));
        await shot(page, 'instance');
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'the six-step workflow opens readable at its start, in Chinese: ports by their labels, no codes',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser({ width: 1440, height: 900 });
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'designer');
        await page.goto(`${server.baseUrl}/designer/six-step-method`);
        await page.locator('[data-testid="node-start"]').waitFor();
        await page.locator('[data-testid="node-hear"] .dz-port').first().waitFor();
        // A readable zoom (labels of 12 px stay ≥ 7 px), with the Start in view at the left.
        const zoom = await page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
        assert.ok(zoom >= 0.6, `zoom ${zoom}`);
        const canvas = await page.getByTestId('canvas').boundingBox();
        const start = await page.getByTestId('node-start').boundingBox();
        assert.ok(start.x >= canvas.x && start.x + start.width <= canvas.x + canvas.width / 2, `start at ${start.x}`);
        // Ports show their labels: 大事（提交社区议事）, not major; the ids are on hover only.
        const ports = await page.locator('[data-testid="node-hear"] .dz-port').allInnerTexts();
        assert.ok(ports.includes('大事（提交社区议事）'), ports.join(' | '));
        const words = (text) => (text.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));
        const onCanvas = await page.locator('.react-flow__node').allInnerTexts();
        assert.ok(onCanvas.length >= 5, `nodes drawn: ${onCanvas.length}`);
        assert.deepEqual(words(onCanvas.join('\n')), []);
        assert.deepEqual(words(await page.locator('body').innerText()), []);
        await shot(page, 'six-step');
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'a 200-activity workflow opens quickly and a node drags smoothly',
    async run({ measure }) {
      const server = await startServer();
      const browser = await launchBrowser({ width: 1440, height: 900 });
      try {
        await (await apiAs(server.baseUrl, 'designer')).post('/api/workflow-definitions', bigWorkflow());
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'designer');
        await page.goto(`${server.baseUrl}/designer/perf-200`);
        // It opens at a readable zoom at its start, so only the activities in view are drawn.
        const renderedAt = await page.waitForFunction(() => {
          const nodes = document.querySelectorAll('.react-flow__node');
          if (!nodes.length) return false;
          for (const n of nodes) if (getComputedStyle(n).visibility === 'hidden') return false;
          return performance.now();
        }, null, { polling: 'raf', timeout: 30_000 });
        measure('designer200FirstRenderMs', Math.round(await renderedAt.jsonValue()));
        await shot(page, 'perf-200');

        const node = page.locator('.react-flow__node[data-id="set2"]');
        const before = await node.boundingBox();
        const from = await box(node);
        await page.evaluate(() => {
          window.__frames = [];
          const tick = (t) => { window.__frames.push(t); if (!window.__stopFrames) requestAnimationFrame(tick); };
          requestAnimationFrame(tick);
        });
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        for (let i = 1; i <= 60; i++) {
          await page.mouse.move(from.x + i * 5, from.y + i * 2);
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
        }
        await page.mouse.up();
        const frames = await page.evaluate(() => { window.__stopFrames = true; return window.__frames; });
        const deltas = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
        const after = await node.boundingBox();
        assert.ok(after.x - before.x > 200, `the node moved from ${before.x} to ${after.x}`);
        assert.ok(deltas.length >= 50, `frames: ${deltas.length}`);
        measure('designer200DragFrameMedianMs', Math.round(median(deltas) * 10) / 10);
        measure('designer200DragFrameP95Ms', Math.round(percentile(deltas, 95) * 10) / 10);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
];
