#!/usr/bin/env node
// `npm test`: the three tiers, one after another, each judged on positive proof, then one table.
//   1 unit         node --test over the esbuild bundles of test/unit/**/*.test.ts (dist/test/unit/)
//   2 integration  the mocha suite of test/integration/ inside the extension host of code-server (real VS Code)
//   3 ui           playwright + Chromium against the workbench: development build and the installed .vsix
//
//   node test/run-all.mjs                   all tiers
//   node test/run-all.mjs unit integration  only those tiers
// Every tier runs even when an earlier one failed (CI shows everything at once); the exit code is 1 if any failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { judgeTap, resultsDir, runFile } from './harness/stats.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIERS = ['unit', 'integration', 'ui'];

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (err) => {
      console.error(`${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function banner(text) {
  console.log(`\n${'='.repeat(100)}\n== ${text}\n${'='.repeat(100)}`);
}

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? findTests(path.join(dir, e.name)) : e.name.endsWith('.test.js') ? [path.join(dir, e.name)] : []))
    .sort();
}

function readSummary(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function unitTier() {
  const started = Date.now();
  const files = findTests(path.join(repoRoot, 'dist', 'test', 'unit'));
  if (files.length === 0) return { ok: false, problems: ['no unit test bundles in dist/test/unit/'], seconds: 0 };
  const tapFile = runFile(resultsDir, 'unit', '.tap');
  const code = await run(process.execPath, [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ]);
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  rmSync(tapFile, { force: true });
  writeFileSync(path.join(resultsDir, 'unit.tap'), tap);
  const verdict = judgeTap(tap, code);
  return {
    ok: verdict.ok,
    tests: verdict.summary.tests ?? 0,
    passes: verdict.summary.pass ?? 0,
    failures: verdict.summary.fail ?? 0,
    files: files.length,
    problems: verdict.problems,
    seconds: (Date.now() - started) / 1000,
  };
}

async function harnessTier(tier, script) {
  const started = Date.now();
  const summaryFile = runFile(resultsDir, tier, '.summary.json');
  const code = await run(process.execPath, [path.join(repoRoot, 'test', 'harness', script)], { TCP_LENS_SUMMARY_FILE: summaryFile });
  const summary = readSummary(summaryFile) ?? { ok: false, problems: [`${script} wrote no summary`] };
  rmSync(summaryFile, { force: true });
  // The harness's own verdict and its exit code must agree; anything else is a failure.
  if (code !== 0 && summary.ok) summary.problems = [...(summary.problems ?? []), `${script} exited with ${code}`];
  return { ...summary, ok: summary.ok === true && code === 0, seconds: summary.seconds ?? (Date.now() - started) / 1000 };
}

function describe(tier, s) {
  if (!s) return 'not run';
  if (tier === 'unit') return `${s.passes ?? 0}/${s.tests ?? 0} tests passed, ${s.failures ?? 0} failed (${s.files ?? 0} files)`;
  if (tier === 'integration') {
    return `${s.passes ?? 0}/${s.loadedTests ?? 0} tests passed, ${s.failures ?? 0} failed, suites ${s.suites ?? 0}/${s.loadedSuites ?? 0} (extension host of code-server)`;
  }
  return `${s.passes ?? 0}/${s.tests ?? 0} tests passed, ${s.failures ?? 0} failed (${s.files ?? 0} files, ${(s.screenshots ?? []).length} screenshots)`;
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((t) => !TIERS.includes(t));
  if (unknown.length) {
    console.error(`unknown tier(s) ${unknown.join(', ')}; choose from ${TIERS.join(', ')}`);
    process.exit(2);
  }
  const tiers = asked.length ? TIERS.filter((t) => asked.includes(t)) : TIERS;
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });

  banner('build: node esbuild.js');
  const buildStart = Date.now();
  const built = await run(process.execPath, [path.join(repoRoot, 'esbuild.js')]);
  const buildSeconds = (Date.now() - buildStart) / 1000;
  if (built !== 0) {
    console.error('\nthe build failed: no tier can run');
    process.exit(1);
  }

  const results = {};
  for (const tier of tiers) {
    banner(`tier ${TIERS.indexOf(tier) + 1}: ${tier}`);
    try {
      if (tier === 'unit') results.unit = await unitTier();
      if (tier === 'integration') results.integration = await harnessTier('integration', 'integration.mjs');
      if (tier === 'ui') results.ui = await harnessTier('ui', 'ui.mjs');
    } catch (err) {
      results[tier] = { ok: false, problems: [String(err instanceof Error ? err.message : err)], seconds: 0 };
    }
  }

  banner(`summary (build ${buildSeconds.toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let ok = true;
  for (const tier of tiers) {
    const s = results[tier];
    ok &&= s?.ok === true;
    console.log(`${s?.ok ? 'PASS' : 'FAIL'}  ${tier.padEnd(12)} ${describe(tier, s)}  [${(s?.seconds ?? 0).toFixed(1)} s]`);
    if (!s?.ok) for (const p of s?.problems ?? []) console.log(`        - ${p}`);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
