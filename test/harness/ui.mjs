#!/usr/bin/env node
// Tier 3: UI tests in the real workbench (code-server) driven by headless Chromium through playwright-core.
//   1. builds the .vsix users install: `npm run package` (production build + vsce) -> dist-vsix/tcp-lens.vsix
//   2. runs test/ui/*.test.mjs with node:test, one file at a time (each starts its own code-server)
// Screenshots land in test-results/screenshots/ (git-ignored); readme-hover.png is the README picture.
//
//   node test/harness/ui.mjs                  (npm run test:ui)
//   TCP_LENS_VSIX=<file>                       use that .vsix, skip `npm run package`
//   node test/harness/ui.mjs hover            only test/ui/hover.test.mjs (also skips packaging)
//
// Pass requires positive proof: node:test's TAP summary with every test passed (none failed, cancelled or
// skipped), a zero exit code, and the README screenshot written by this run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { ensureCodeServer, repoRoot } from './install.mjs';
import { judgeTap, resultsDir, runFile, writeTierSummary } from './stats.mjs';

const uiDir = path.join(repoRoot, 'test', 'ui');
const screenshotsDir = path.join(resultsDir, 'screenshots');
const readmeShot = path.join(screenshotsDir, 'readme-hover.png');
const defaultVsix = path.join(repoRoot, 'dist-vsix', 'tcp-lens.vsix');

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export async function runUi({ only = process.argv.slice(2) } = {}) {
  const started = Date.now();
  const problems = [];
  await ensureCodeServer();
  let files = readdirSync(uiDir).filter((f) => f.endsWith('.test.mjs')).sort();
  if (only.length) files = files.filter((f) => only.some((o) => f.startsWith(o)));
  if (files.length === 0) throw new Error(`no UI test files selected in ${uiDir}`);

  // 1. The .vsix, built the way a release is.
  let vsix = process.env.TCP_LENS_VSIX;
  let packageSeconds = 0;
  // installed.test.mjs is the one that installs the .vsix.
  const needsVsix = files.includes('installed.test.mjs');
  if (!vsix && needsVsix) {
    const t0 = Date.now();
    rmSync(defaultVsix, { force: true });
    // vsce does not create the folder of --out.
    mkdirSync(path.dirname(defaultVsix), { recursive: true });
    console.log('[ui] npm run package');
    const code = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'package']);
    packageSeconds = (Date.now() - t0) / 1000;
    if (code !== 0 || !existsSync(defaultVsix)) {
      const summary = { ok: false, problems: [`npm run package failed (exit ${code})`], seconds: (Date.now() - started) / 1000 };
      writeTierSummary('ui', summary);
      console.log(`[ui] FAIL: ${summary.problems[0]}`);
      return summary;
    }
    vsix = defaultVsix;
    console.log(`[ui] packaged ${path.relative(repoRoot, vsix)} (${(statSync(vsix).size / 1024).toFixed(0)} KB) in ${packageSeconds.toFixed(1)} s`);
  }

  // 2. The tests. Screenshots are judged by their time (another run may be using the same folder), the TAP output
  // goes to a file private to this run.
  const testsStarted = Date.now();
  mkdirSync(screenshotsDir, { recursive: true });
  const tapFile = runFile(resultsDir, 'ui', '.tap');
  const args = [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files.map((f) => path.join(uiDir, f)),
  ];
  const code = await run(process.execPath, args, { env: { ...process.env, ...(vsix ? { TCP_LENS_VSIX: vsix } : {}) } });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  rmSync(tapFile, { force: true });
  writeFileSync(path.join(resultsDir, 'ui.tap'), tap);
  const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= testsStarted - 1000;
  const verdict = judgeTap(tap, code);
  problems.push(...verdict.problems);
  if (files.includes('hover.test.mjs') && !fresh(readmeShot)) problems.push(`${path.relative(repoRoot, readmeShot)} was not written by this run`);
  const screenshots = readdirSync(screenshotsDir).filter((f) => fresh(path.join(screenshotsDir, f))).sort();
  const summary = {
    ok: problems.length === 0,
    tests: verdict.summary.tests ?? 0,
    passes: verdict.summary.pass ?? 0,
    failures: verdict.summary.fail ?? 0,
    files: files.length,
    screenshots,
    vsix: vsix ? path.relative(repoRoot, vsix) : null,
    packageSeconds,
    seconds: (Date.now() - started) / 1000,
    problems,
  };
  writeTierSummary('ui', summary);
  if (summary.ok) {
    console.log(`[ui] PASS: ${summary.passes} of ${summary.tests} UI tests in ${files.length} files; screenshots in ${path.relative(repoRoot, screenshotsDir)}/: ${screenshots.join(', ')} (${summary.seconds.toFixed(1)} s)`);
  } else {
    console.log(`[ui] FAIL (${summary.seconds.toFixed(1)} s):\n  - ${problems.join('\n  - ')}`);
  }
  return summary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  runUi().then(
    (s) => process.exit(s.ok ? 0 : 1),
    (err) => {
      console.error(`[ui] ERROR: ${err instanceof Error ? err.stack : err}`);
      writeTierSummary('ui', { ok: false, problems: [String(err instanceof Error ? err.message : err)] });
      process.exit(1);
    },
  );
}
