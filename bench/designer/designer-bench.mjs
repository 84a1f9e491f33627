// The designer in a browser: how fast a large workflow opens and how smoothly a node drags.
//   node bench/designer/designer-bench.mjs [--sizes 200,1000] [--vsync]
// Starts the server and Debian's Chromium as the browser tests do (tests/e2e/harness.mjs; build first),
// creates generated workflows as drafts through the API, opens each in the designer at 1440×900 and prints:
// time to the first node visible, time until the canvas is idle (no long task for 1 s), the longest
// main-thread task (PerformanceObserver longtask), and the frame times of a 1-second node drag (median,
// p95 of the intervals between requestAnimationFrame timestamps). The baseline, measured in the same run,
// is the same page with an empty workflow (a Start only). Exits 1 when a target is missed.
// Chromium runs without its 60 Hz frame limit (--disable-frame-rate-limit): a frame's interval is then the
// work it took, not the display's 16.7 ms; --vsync keeps the limit.
import { loadavg } from 'node:os';
import { startServer, launchBrowser, signIn, apiAs } from '../../tests/e2e/harness.mjs';
import { generatedWorkflow } from './generate.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const sizes = option('--sizes', '200,1000').split(',').map(Number);
const vsync = argv.includes('--vsync');
const TARGET_FIRST_NODE_MS = { 200: 1000, 1000: 2500 };
const TARGET_DRAG_MEDIAN_MS = 16;

const median = (xs) => xs[Math.floor(xs.length / 2)];
const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const round = (x) => Math.round(x * 10) / 10;

/** Opens a workflow in a new tab and measures it; the tab stays open for the drag. */
async function open(context, baseUrl, definitionId) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${baseUrl}/designer/${definitionId}`);
  const firstNode = await (
    await page.waitForFunction(
      () => {
        for (const n of document.querySelectorAll('.react-flow__node'))
          if (getComputedStyle(n).visibility !== 'hidden' && n.getBoundingClientRect().width > 0) return performance.now();
        return false;
      },
      null,
      { polling: 'raf', timeout: 60_000 },
    )
  ).jsonValue();
  // Idle: no long task for a whole second after the first node.
  let tasks;
  for (;;) {
    const state = await page.evaluate(() => ({ now: performance.now(), tasks: window.__longTasks }));
    tasks = state.tasks;
    const lastEnd = Math.max(firstNode, ...tasks.map((t) => t.start + t.duration));
    if (state.now - lastEnd >= 1000) break;
    await page.waitForTimeout(100);
  }
  const idle = Math.max(firstNode, ...tasks.map((t) => t.start + t.duration));
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  const nodes = await page.locator('.react-flow__node').count();
  return { page, firstNode, idle, longest, nodes };
}

/** Drags a node near the middle of the canvas for one second; returns the sorted frame intervals. */
async function drag(page) {
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.dataset.id, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  const inside = boxes.filter((b) => b.width > 0 && b.x > canvas.x && b.x + b.width < canvas.x + canvas.width - 200);
  const distance = (b) => Math.hypot(b.x + b.width / 2 - centre.x, b.y + b.height / 2 - centre.y);
  const target = inside.sort((a, b) => distance(a) - distance(b))[0];
  if (!target) throw new Error('no node to drag in view');
  // Grab the node by its title, away from its ports.
  const from = { x: target.x + target.width / 2, y: target.y + 14 };
  await page.evaluate(() => {
    window.__frames = [];
    window.__stopFrames = false;
    const tick = (t) => {
      window.__frames.push(t);
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const startedAt = await page.evaluate(() => performance.now());
  const started = Date.now();
  let i = 0;
  while (Date.now() - started < 1000) {
    i++;
    await page.mouse.move(from.x + (i % 200) * 1.5, from.y + Math.sin(i / 10) * 40);
  }
  const endedAt = await page.evaluate(() => performance.now());
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    window.__stopFrames = true;
    return window.__frames;
  });
  const during = frames.filter((t) => t >= startedAt && t <= endedAt);
  const deltas = during.slice(1).map((t, k) => t - during[k]).sort((a, b) => a - b);
  const moved = await page.locator(`.react-flow__node[data-id="${target.id}"]`).boundingBox();
  if (Math.abs(moved.x - target.x) + Math.abs(moved.y - target.y) < 5) throw new Error(`node ${target.id} did not move`);
  return { id: target.id, moves: i, deltas };
}

async function measure(context, baseUrl, definitionId) {
  const opened = await open(context, baseUrl, definitionId);
  const dragged = await drag(opened.page);
  await opened.page.close();
  return {
    nodes: opened.nodes,
    firstNode: opened.firstNode,
    idle: opened.idle,
    longest: opened.longest,
    dragNode: dragged.id,
    frames: dragged.deltas.length,
    moves: dragged.moves,
    dragMedian: median(dragged.deltas),
    dragP95: percentile(dragged.deltas, 95),
  };
}

const server = await startServer();
const browser = await launchBrowser({
  width: 1440,
  height: 900,
  args: vsync ? [] : ['--disable-frame-rate-limit', '--disable-gpu-vsync'],
});
let failed = false;
try {
  console.log(`designer bench: ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${vsync ? '60 Hz frames' : 'no frame limit'}`);
  const api = await apiAs(server.baseUrl, 'designer');
  await api.post('/api/workflow-definitions', {
    definitionId: 'bench-empty',
    name: '空流程',
    variables: [],
    root: { type: 'Flowchart', activities: [{ id: 'start', type: 'Start', version: 1, metadata: { designer: { position: { x: 0, y: 0 } } } }], connections: [] },
  });
  for (const size of sizes) await api.post('/api/workflow-definitions', generatedWorkflow(size));
  const page = await browser.context.newPage();
  await signIn(page, server.baseUrl, 'designer');
  // A first visit, not measured, so that every measured visit finds the scripts in the browser's cache.
  await (await open(browser.context, server.baseUrl, 'bench-empty')).page.close();
  await page.close();

  const baseline = await measure(browser.context, server.baseUrl, 'bench-empty');
  const print = (label, r) =>
    console.log(
      `${label.padEnd(16)} nodes ${String(r.nodes).padStart(4)} | first node ${r.firstNode.toFixed(0).padStart(5)} ms` +
        ` (${(r.firstNode / baseline.firstNode).toFixed(2)}× baseline) | idle ${r.idle.toFixed(0).padStart(5)} ms` +
        ` | longest task ${r.longest.toFixed(0).padStart(4)} ms | drag ${r.frames} frames, ${r.moves} moves:` +
        ` median ${round(r.dragMedian)} ms, p95 ${round(r.dragP95)} ms`,
    );
  print('empty (baseline)', baseline);
  for (const size of sizes) {
    const r = await measure(browser.context, server.baseUrl, `bench-${size}`);
    print(`${size} activities`, r);
    const firstTarget = TARGET_FIRST_NODE_MS[size];
    if (firstTarget && r.firstNode > firstTarget) {
      failed = true;
      console.log(`  MISSED: first node after ${r.firstNode.toFixed(0)} ms > ${firstTarget} ms`);
    }
    if (r.dragMedian > TARGET_DRAG_MEDIAN_MS) {
      failed = true;
      console.log(`  MISSED: drag frame median ${round(r.dragMedian)} ms > ${TARGET_DRAG_MEDIAN_MS} ms`);
    }
  }
  console.log(failed ? 'designer bench: a target was missed' : 'designer bench: every target met');
} finally {
  await browser.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
