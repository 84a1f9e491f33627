// The content security policy lets the whole app run (no violation on any page), and the sign-in page
// shows the demo banner and password only in demo mode.
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn } from './harness.mjs';

/** Collects CSP violations: the browser's console line and the page's own securitypolicyviolation events. */
async function watch(page) {
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(`${new URL(page.url()).pathname}: ${m.text()}`); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return violations;
}

async function visit(page, url) {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

export const tests = [
  {
    name: 'every part of the app runs under the content security policy, and the demo sign-in page says it is a demo',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const violations = await watch(page);
        const login = await page.goto(`${server.baseUrl}/login`);
        assert.match(login.headers()['content-security-policy'], /script-src 'self';/);
        await page.getByTestId('demo-banner').waitFor();
        assert.match(await page.getByTestId('demo-hint').innerText(), /Demo#2026/);

        await signIn(page, server.baseUrl, 'admin');
        const pages = ['/console', '/console/matters', '/console/meetings', '/console/ballots', '/console/work-items',
          '/console/review-cycles', '/console/measures', '/designer', '/designer/six-step-method', '/api-reference'];
        for (const path of pages) await visit(page, `${server.baseUrl}${path}`);
        await page.context().clearCookies();
        await signIn(page, server.baseUrl, 'resident');
        for (const path of ['/m', '/m/raise', '/m/matters', '/m/notices', '/m/me']) await visit(page, `${server.baseUrl}${path}`);
        assert.deepEqual(violations, []);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
  {
    name: 'with demo mode off the sign-in page shows neither the demo banner nor the password',
    async run() {
      // Without demo data a server wants an SMS gateway for one-time codes; a test has none, so the codes go to the log.
      const server = await startServer({ Demo__Enabled: 'false', Sms__AllowLogSender: 'true' });
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await visit(page, `${server.baseUrl}/login`);
        await page.getByTestId('username').waitFor();
        assert.equal(await page.getByTestId('demo-banner').count(), 0);
        assert.doesNotMatch(await page.content(), /Demo#2026/);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
];
