// Judges a test run on positive proof only, and writes each tier's summary for test/run-all.mjs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { repoRoot } from './install.mjs';

export const resultsDir = path.join(repoRoot, 'test-results');

/**
 * Reads the record test/integration/index.ts writes after mocha's 'end' event and returns
 * { ok, problems[], record }. `ok` only when: the file exists and parses, carries this run's nonce, mocha loaded
 * at least one test, nothing failed, something passed, and (without a grep) the suites and tests mocha ran are
 * exactly the ones it loaded (none pending). A dead extension host never writes the file, whatever the
 * workbench reports.
 */
export function judgeMochaStats(file, nonce) {
  const problems = [];
  let record;
  try {
    record = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(
      err.code === 'ENOENT'
        ? `no stats file ${file}: the test runner never reached mocha's end (extension host crashed or was killed, the runner failed to load, or the run timed out)`
        : `unreadable stats file ${file}: ${err.message}`,
    );
    return { ok: false, problems, record };
  }
  const { loaded, stats } = record ?? {};
  if (record?.nonce !== nonce) problems.push(`stats file is from another run (nonce ${record?.nonce} != ${nonce})`);
  if (!loaded || !stats) problems.push('stats file lacks "loaded" or "stats"');
  else {
    if (!(loaded.tests > 0)) problems.push('mocha loaded no tests');
    if (stats.failures !== 0) problems.push(`${stats.failures} tests failed`);
    if (!(stats.passes > 0)) problems.push('no test passed');
    if (!record.grep) {
      if (stats.tests !== loaded.tests) problems.push(`mocha ran ${stats.tests} of ${loaded.tests} loaded tests`);
      if (stats.passes !== loaded.tests) problems.push(`${stats.passes} of ${loaded.tests} loaded tests passed`);
      if (stats.suites !== loaded.suites) problems.push(`mocha ran ${stats.suites} of ${loaded.suites} loaded suites`);
      if (stats.pending !== 0) problems.push(`${stats.pending} tests are pending/skipped`);
    }
  }
  return { ok: problems.length === 0, problems, record };
}

/** Parses the summary lines of node:test's TAP reporter ("# tests 12", "# pass 12", ...). */
export function parseTapSummary(text) {
  const summary = {};
  for (const key of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo']) {
    const m = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text);
    summary[key] = m ? Number(m[1]) : undefined;
  }
  return summary;
}

/** Judges a node:test run from its TAP summary and exit code. */
export function judgeTap(text, exitCode) {
  const s = parseTapSummary(text);
  const problems = [];
  if (s.tests === undefined) problems.push('no TAP summary (the test process did not finish)');
  else {
    if (!(s.tests > 0)) problems.push('no tests ran');
    if (s.fail !== 0) problems.push(`${s.fail} tests failed`);
    if (s.cancelled !== 0) problems.push(`${s.cancelled} tests were cancelled`);
    if (s.pass !== s.tests - (s.skipped ?? 0) - (s.todo ?? 0)) problems.push(`${s.pass} of ${s.tests} tests passed`);
  }
  if (exitCode !== 0) problems.push(`test process exited with ${exitCode}`);
  return { ok: problems.length === 0, problems, summary: s };
}

/**
 * Records one tier's outcome in test-results/<tier>.json, and in the file named by TCP_LENS_SUMMARY_FILE when set:
 * test/run-all.mjs gives each child run its own file, so runs started at the same time from one checkout (several
 * people or agents) cannot read each other's results.
 */
export function writeTierSummary(tier, summary) {
  mkdirSync(resultsDir, { recursive: true });
  const text = JSON.stringify({ tier, ...summary }, null, 2);
  writeFileSync(path.join(resultsDir, `${tier}.json`), text);
  if (process.env.TCP_LENS_SUMMARY_FILE) writeFileSync(process.env.TCP_LENS_SUMMARY_FILE, text);
}

/** A private file name for this process's run: <dir>/<base>-<pid>-<time><ext>. */
export function runFile(dir, base, ext) {
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${base}-${process.pid}-${Date.now().toString(36)}${ext}`);
}
