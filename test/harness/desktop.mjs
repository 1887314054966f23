#!/usr/bin/env node
// The same mocha suite (dist/test/integration/) in DESKTOP VS Code, through @vscode/test-electron, for machines
// that can download VS Code (it needs https://update.code.visualstudio.com). Not part of `npm test`, which stays
// offline; run it with `npm run test:desktop`. On a Linux machine without a display: `xvfb-run -a npm run test:desktop`.
//
//   VSCODE_VERSION=<version|stable|insiders>   which VS Code to download (default: stable); cached in .vscode-test/
//   VSCODE_EXECUTABLE=<path>                    use an installed VS Code instead of downloading one
//
// Judged exactly like the code-server run (stats.mjs): the stats file written after mocha's end, with this run's
// nonce, 0 failures and every loaded test passed. A crashed extension host cannot pass.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { cacheRoot, repoRoot } from './install.mjs';
import { samplesDir } from './samples.mjs';
import { judgeMochaStats, resultsDir, writeTierSummary } from './stats.mjs';

async function main() {
  const started = Date.now();
  const testsIndex = path.join(repoRoot, 'dist', 'test', 'integration', 'index.js');
  if (!existsSync(testsIndex)) throw new Error('dist/test/integration/index.js is missing: run `node esbuild.js` first');
  const { runTests } = await import('@vscode/test-electron');
  const nonce = randomBytes(8).toString('hex');
  const outDir = path.join(resultsDir, 'desktop');
  mkdirSync(outDir, { recursive: true });
  const statsFile = path.join(outDir, 'mocha-stats.json');
  rmSync(statsFile, { force: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'tl-desktop-'));
  let code;
  try {
    code = await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      cachePath: cacheRoot,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsIndex,
      extensionTestsEnv: { TCP_LENS_TEST_STATS: statsFile, TCP_LENS_TEST_NONCE: nonce },
      launchArgs: [
        samplesDir(),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', path.join(profile, 'ud'),
        '--extensions-dir', path.join(profile, 'ext'),
      ],
    });
  } catch (err) {
    // runTests rejects on a non-zero exit ("Test run failed with code 1") as well as on a failed download.
    code = err instanceof Error ? err.message : String(err);
  } finally {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
  const verdict = judgeMochaStats(statsFile, nonce);
  const problems = [...verdict.problems];
  if (code !== 0) problems.unshift(`VS Code reported ${JSON.stringify(code)}`);
  const stats = verdict.record?.stats;
  const summary = {
    ok: problems.length === 0,
    passes: stats?.passes ?? 0,
    failures: stats?.failures ?? 0,
    tests: stats?.tests ?? 0,
    loadedTests: verdict.record?.loaded?.tests ?? 0,
    seconds: (Date.now() - started) / 1000,
    problems,
  };
  writeTierSummary('desktop', summary);
  if (summary.ok) console.log(`[desktop] PASS: ${summary.passes} passing of ${summary.loadedTests} tests (${summary.seconds.toFixed(1)} s)`);
  else console.log(`[desktop] FAIL:\n  - ${problems.join('\n  - ')}`);
  return summary.ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`[desktop] ERROR: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
