// How much a phone downloads to show a signed-in resident their home page: JavaScript over the wire (compressed)
// and once unpacked, the number of requests, and what the next visit fetches again (nothing: hashed files are
// cached for good). The console's first load is printed too, without a target.
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn, PASSWORD } from './harness.mjs';

const RESIDENT_JS_LIMIT = 150 * 1024; // compressed bytes of JavaScript on a resident's first load

/**
 * Loads a page with the browser's network events recorded through CDP: encodedDataLength is what came over the
 * wire (less the headers: the body as sent, compressed), dataReceived's dataLength what it unpacked to. Cache hits
 * count 0 bytes.
 */
async function record(page, { coldCache }) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (coldCache) await cdp.send('Network.clearBrowserCache');
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    requests.set(e.requestId, { url: e.request.url, type: e.type, wire: 0, unpacked: 0, status: 0, cached: false });
  });
  cdp.on('Network.requestServedFromCache', (e) => { const r = requests.get(e.requestId); if (r) r.cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '';
    r.cached ||= Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache);
    r.headerBytes = e.response.encodedDataLength ?? 0; // what had come by then: the status line and headers
    if (/javascript/.test(e.response.mimeType)) r.type = 'Script';
  });
  cdp.on('Network.dataReceived', (e) => { const r = requests.get(e.requestId); if (r) r.unpacked += e.dataLength; });
  cdp.on('Network.loadingFinished', (e) => { const r = requests.get(e.requestId); if (r) r.wire = Math.max(0, e.encodedDataLength - (r.headerBytes ?? 0)); });
  return { cdp, requests };
}

/** What the recorded walk fetched: scripts over the wire and unpacked, requests, failures. */
async function finish({ cdp, requests }) {
  await cdp.detach();
  const all = [...requests.values()];
  const scripts = all.filter((r) => r.type === 'Script');
  const sum = (list, key) => list.reduce((total, r) => total + (r.cached ? 0 : r[key]), 0);
  return {
    all,
    requests: all.length,
    jsWire: sum(scripts, 'wire'),
    jsUnpacked: sum(scripts, 'unpacked'),
    scripts,
    failed: all.filter((r) => r.status >= 400),
  };
}

async function load(page, url, { coldCache, ready }) {
  const recording = await record(page, { coldCache });
  await page.goto(url, { waitUntil: 'networkidle' });
  // The part's own chunks load after the session check: wait for the page to show, then for the network to settle.
  await page.getByTestId(ready).waitFor();
  await page.waitForLoadState('networkidle');
  return finish(recording);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export const tests = [
  {
    name: 'a resident\'s home page loads at most 150 KB of compressed JavaScript, and nothing again on the next visit',
    async run({ measure }) {
      const server = await startServer();
      // Signed in in one browser, measured in another with only the session cookie: the sign-in page's scripts
      // would otherwise come from the renderer's memory cache, which clearing the browser cache does not empty.
      const signingIn = await launchBrowser({ width: 390, height: 844, mobile: true });
      let browser;
      try {
        await signIn(await signingIn.context.newPage(), server.baseUrl, 'resident');
        const cookies = await signingIn.context.cookies();
        await signingIn.close();
        browser = await launchBrowser({ width: 390, height: 844, mobile: true });
        await browser.context.addCookies(cookies);
        const page = await browser.context.newPage();
        const first = await load(page, `${server.baseUrl}/m`, { coldCache: true, ready: 'tabbar' });
        measure('resident first load: JavaScript compressed', kb(first.jsWire));
        measure('resident first load: JavaScript uncompressed', kb(first.jsUnpacked));
        measure('resident first load: requests', first.requests);
        measure('resident first load: scripts', first.scripts.map((s) => `${new URL(s.url).pathname} ${s.encoding || 'identity'} ${kb(s.wire)}`).join(', '));
        assert.deepEqual(first.failed.map((r) => `${r.status} ${r.url}`), [], 'nothing the page asks for is missing (the favicon included)');
        assert.ok(first.scripts.every((s) => s.encoding === 'br'), 'every script comes compressed with Brotli');
        assert.ok(first.jsWire <= RESIDENT_JS_LIMIT, `${kb(first.jsWire)} of compressed JavaScript is over ${kb(RESIDENT_JS_LIMIT)}`);

        const next = await load(page, `${server.baseUrl}/m`, { coldCache: false, ready: 'tabbar' });
        measure('resident next visit: JavaScript transferred', `${next.jsWire} bytes`);
        measure('resident next visit: requests', next.requests);
        assert.ok(next.scripts.length > 0, 'the next visit runs the scripts');
        assert.equal(next.jsWire, 0, 'the hashed scripts come from the cache without asking the server');
      } finally {
        await signingIn.close().catch(() => {});
        await browser?.close();
        await server.stop();
      }
    },
  },
  {
    name: 'a resident\'s very first visit, the sign-in page and then the home page, loads at most 150 KB of compressed JavaScript',
    async run({ measure }) {
      const server = await startServer();
      const browser = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const page = await browser.context.newPage();
        const recording = await record(page, { coldCache: true });
        await page.goto(`${server.baseUrl}/m`, { waitUntil: 'networkidle' });
        await page.getByTestId('username').fill('resident');
        await page.getByTestId('password').fill(PASSWORD);
        await page.getByTestId('sign-in').click();
        await page.getByTestId('tabbar').waitFor();
        await page.waitForLoadState('networkidle');
        const walk = await finish(recording);
        measure('resident sign-in and home: JavaScript compressed', kb(walk.jsWire));
        measure('resident sign-in and home: requests', walk.requests);
        assert.deepEqual(walk.failed.map((r) => `${r.status} ${r.url}`).filter((r) => !r.includes('/api/auth/me')), [],
          'nothing is missing (the session check before signing in answers 401, as it should)');
        assert.ok(walk.jsWire <= RESIDENT_JS_LIMIT, `${kb(walk.jsWire)} of compressed JavaScript is over ${kb(RESIDENT_JS_LIMIT)}`);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'the console\'s first load is measured (no target)',
    async run({ measure }) {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'secretary');
        const first = await load(page, `${server.baseUrl}/console`, { coldCache: true, ready: 'console-menu' });
        measure('console first load: JavaScript compressed', kb(first.jsWire));
        measure('console first load: JavaScript uncompressed', kb(first.jsUnpacked));
        measure('console first load: requests', first.requests);
        assert.deepEqual(first.failed.map((r) => `${r.status} ${r.url}`), []);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
];
