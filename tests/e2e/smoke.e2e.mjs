// The app is served by the server and a person can sign in and reach the part meant for them.
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signIn } from './harness.mjs';

export const tests = [
  {
    name: 'a resident signs in on a phone and lands on the resident pages; staff land in the console',
    async run() {
      const server = await startServer();
      const browser = await launchBrowser({ width: 390, height: 844, mobile: true });
      try {
        const page = await browser.context.newPage();
        await signIn(page, server.baseUrl, 'resident');
        assert.match(new URL(page.url()).pathname, /^\/m/);
        await page.context().clearCookies();
        await signIn(page, server.baseUrl, 'secretary');
        assert.match(new URL(page.url()).pathname, /^\/console/);
        const unknown = await fetch(`${server.baseUrl}/api/no-such-thing`);
        assert.equal(unknown.status, 404);
        assert.match(unknown.headers.get('content-type'), /problem\+json/);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  },
];
