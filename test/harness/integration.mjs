#!/usr/bin/env node
// Tier 2: the mocha suite of test/integration/ inside the extension host of a real VS Code, offline.
// code-server 4.139.1 (VS Code 1.139.1) serves the workbench; headless Chromium opens it with a payload that loads
// this repository as the extension under development and dist/test/integration/index.js as the test runner.
//
//   node test/harness/integration.mjs            (after `node esbuild.js`; `npm run test:integration` does both)
//   TCP_LENS_TEST_GREP=<regex>                     run only matching tests
//   TCP_LENS_INTEGRATION_TIMEOUT=<seconds>         whole-run deadline (default 240)
//
// Pass requires positive proof (see stats.mjs): the stats file the runner writes after mocha's end, with this run's
// nonce, 0 failures, >0 passes and every loaded suite and test run. The workbench's exit code is checked too, but
// never trusted alone (it is 0 when the extension host dies).
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { format } from 'node:util';
import { launchBrowser, newPage } from './browser.mjs';
import { startCodeServer, workbenchUrl } from './codeServer.mjs';
import { repoRoot } from './install.mjs';
import { samplesDir } from './samples.mjs';
import { judgeMochaStats, resultsDir, writeTierSummary } from './stats.mjs';

// Lines the workbench itself logs while the tests run; not mocha's.
const WORKBENCH_CHATTER = /^(?:Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[AccountPolicyGate\])/;

const testsIndex = path.join(repoRoot, 'dist', 'test', 'integration', 'index.js');

export async function runIntegration({ timeoutSeconds = Number(process.env.TCP_LENS_INTEGRATION_TIMEOUT ?? 240) } = {}) {
  const started = Date.now();
  if (!existsSync(testsIndex) || !existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error(`${path.relative(repoRoot, testsIndex)} or dist/extension.js is missing: run \`node esbuild.js\` first`);
  }
  const nonce = randomBytes(8).toString('hex');
  const outDir = path.join(resultsDir, 'integration');
  mkdirSync(outDir, { recursive: true });
  // Private to this run (another run from the same checkout may be going on); copied to mocha-stats.json at the end.
  const statsFile = path.join(outDir, `mocha-stats-${nonce}.json`);
  const folder = samplesDir();

  const server = await startCodeServer({
    folder,
    env: {
      TCP_LENS_TEST_STATS: statsFile,
      TCP_LENS_TEST_NONCE: nonce,
      ...(process.env.TCP_LENS_TEST_GREP ? { TCP_LENS_TEST_GREP: process.env.TCP_LENS_TEST_GREP } : {}),
    },
  });
  const serverReady = Date.now();
  let browser;
  let exitCode;
  let timedOut = false;
  const chatter = [];
  // What the log showed, for the report only (never for the verdict): how far mocha got.
  const seen = { loadedTests: undefined, loadedSuites: undefined, passedLines: 0 };
  const verbose = Boolean(process.env.TCP_LENS_VERBOSE);
  try {
    browser = await launchBrowser();
    const page = await newPage(browser);
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    // Called by the workbench (smoke-test driver) when the extension tests end: 0 = passed, 1 = failed/crashed.
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(code);
    });
    // The console output of the workbench and of the extension host (mocha's spec reporter), printf-style
    // arguments. What mocha prints (from the runner's "loaded" line to its "finished" line) goes to stdout; the
    // workbench's own chatter before and after is kept and shown only when the run fails (or with TCP_LENS_VERBOSE).
    let inMocha = false;
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      const loadedLine = /\[tcp-lens\] mocha loaded (\d+) tests in (\d+) suites/.exec(text);
      if (loadedLine) {
        inMocha = true;
        seen.loadedTests = Number(loadedLine[1]);
        seen.loadedSuites = Number(loadedLine[2]);
      }
      if (inMocha) seen.passedLines += text.split('\n').filter((l) => /^\s*✔ /.test(l)).length;
      const stamp = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
      for (const line of text.split('\n')) {
        const shown = `  | ${line}`;
        if ((inMocha && !WORKBENCH_CHATTER.test(line)) || verbose) process.stdout.write(`${shown}\n`);
        else chatter.push(`${stamp} ${level.padEnd(5)} ${line.slice(0, 300)}`);
      }
      if (text.includes('[tcp-lens] mocha finished')) inMocha = false;
    });
    page.on('pageerror', (err) => chatter.push(`page error: ${err.message}`));
    page.on('crash', () => resolveExit('page crashed'));
    const serverGone = server.exited.then((info) => `code-server exited (${JSON.stringify(info)})`);

    const url = workbenchUrl(server, { folder, extensionDevelopmentPath: repoRoot, extensionTestsPath: testsIndex });
    console.log(`[integration] code-server ${server.origin} (ready in ${((serverReady - started) / 1000).toFixed(1)} s); opening the workbench`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const outcome = await Promise.race([
      exited,
      serverGone,
      delay(timeoutSeconds * 1000).then(() => {
        timedOut = true;
        return `no result after ${timeoutSeconds} s`;
      }),
    ]);
    exitCode = outcome;
    if (typeof outcome !== 'number') {
      await page.screenshot({ path: path.join(outDir, 'integration-failure.png') }).catch(() => undefined);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }

  const verdict = judgeMochaStats(statsFile, nonce);
  if (existsSync(statsFile)) {
    copyFileSync(statsFile, path.join(outDir, 'mocha-stats.json'));
    rmSync(statsFile, { force: true });
  }
  const problems = [...verdict.problems];
  if (exitCode !== 0) problems.unshift(`the workbench reported ${JSON.stringify(exitCode)}${timedOut ? ' (timeout)' : ''}`);
  if (!verdict.record) {
    const progress = seen.loadedTests === undefined
      ? 'mocha never reported loading the tests'
      : `mocha had loaded ${seen.loadedTests} tests in ${seen.loadedSuites} suites; the log shows ${seen.passedLines} passing before it stopped`;
    problems.push(exitCode === 0 ? `the workbench reported 0 although the run never finished (the known false pass of a dead extension host): ${progress}` : progress);
  }
  const ok = problems.length === 0;
  const stats = verdict.record?.stats;
  const loaded = verdict.record?.loaded;
  const summary = {
    ok,
    passes: stats?.passes ?? 0,
    failures: stats?.failures ?? 0,
    pending: stats?.pending ?? 0,
    tests: stats?.tests ?? 0,
    loadedTests: loaded?.tests ?? seen.loadedTests ?? 0,
    suites: stats?.suites ?? 0,
    loadedSuites: loaded?.suites ?? seen.loadedSuites ?? 0,
    seconds: (Date.now() - started) / 1000,
    workbenchExit: exitCode,
    problems,
  };
  writeTierSummary('integration', summary);
  if (ok) {
    console.log(`[integration] PASS: ${summary.passes} passing of ${summary.loadedTests} tests in ${summary.loadedSuites} suites (extension host node ${verdict.record.host.node}), ${summary.seconds.toFixed(1)} s`);
  } else {
    console.log(`[integration] FAIL (${summary.seconds.toFixed(1)} s; the workbench reported ${JSON.stringify(exitCode)}):\n  - ${problems.join('\n  - ')}`);
    console.log(`[integration] workbench console (last 60 lines):\n${chatter.slice(-60).join('\n')}`);
    console.log(`[integration] code-server output (last 40 lines):\n${server.logText().split('\n').slice(-40).join('\n')}`);
  }
  return summary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  runIntegration().then(
    (s) => process.exit(s.ok ? 0 : 1),
    (err) => {
      console.error(`[integration] ERROR: ${err instanceof Error ? err.stack : err}`);
      writeTierSummary('integration', { ok: false, problems: [String(err instanceof Error ? err.message : err)] });
      process.exit(1);
    },
  );
}
