// Runs every tests/e2e/*.e2e.mjs file. Each exports `tests`: [{ name, run }] (see six-step.e2e.mjs).
// Prints one line per test, writes artifacts/test-results/e2e.json { passed, failed, measures } and
// ends with "N passed, N failed". Without Chromium it skips locally and fails under CI=true.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumAvailable, CHROMIUM } from './harness.mjs';

const repo = resolve(import.meta.dirname, '../..');
const out = join(repo, 'artifacts/test-results');
mkdirSync(out, { recursive: true });
const only = process.argv[2];

const result = { passed: 0, failed: 0, failures: [], measures: {} };
function finish() {
  writeFileSync(join(out, 'e2e.json'), JSON.stringify(result, null, 2));
  console.log(`\n${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed ? 1 : 0);
}

if (!chromiumAvailable()) {
  if (process.env.CI === 'true') {
    result.failed = 1;
    result.failures.push(`Chromium not found at ${CHROMIUM}`);
    console.log(`Chromium is not installed at ${CHROMIUM}; in CI the browser tests may not be skipped.`);
  } else {
    console.log(`Chromium is not installed at ${CHROMIUM}: browser tests skipped (apt-get install chromium).`);
  }
  finish();
}

const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.e2e.mjs') && (!only || f.includes(only))).sort();
for (const file of files) {
  const { tests } = await import(pathToFileURL(join(import.meta.dirname, file)).href);
  for (const test of tests) {
    const started = Date.now();
    try {
      // A test may record figures (timings, sizes) for the report: measure(name, value).
      await test.run({ measure: (name, value) => { result.measures[name] = value; console.log(`   ${name}: ${value}`); } });
      result.passed++;
      console.log(`PASS ${file} › ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      result.failed++;
      result.failures.push(`${file} › ${test.name}: ${error?.stack || error}`);
      console.log(`FAIL ${file} › ${test.name}\n${error?.stack || error}`);
    }
  }
}
finish();
