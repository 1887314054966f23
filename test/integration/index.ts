// The mocha runner that VS Code loads in the extension host (extensionTestsPath points at the bundled
// dist/test/integration/index.js). Used by both harnesses: code-server (test/harness/integration.mjs) and desktop
// VS Code (test/harness/desktop.mjs, through @vscode/test-electron).
//
// Proof of a complete run: the workbench reports "0" when the extension host dies in the middle of the tests, so a
// harness must not trust the exit code alone. When TCP_LENS_TEST_STATS names a file, this runner writes to it, and
// only after mocha's 'end' event, a JSON record: the nonce the harness passed in TCP_LENS_TEST_NONCE, how many
// suites and tests mocha loaded, and mocha's own counters for the run. The harness passes only when that file
// exists, carries its nonce, has 0 failures, more than 0 passes and counts that match what was loaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Loaded {
  suites: number;
  tests: number;
  files: string[];
}

function listTestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTestFiles(full));
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

/** Suites mocha will announce with a 'suite' event: not the root, and holding at least one test. */
function countSuites(suite: Mocha.Suite): number {
  let n = suite.root || suite.total() === 0 ? 0 : 1;
  for (const child of suite.suites) n += countSuites(child);
  return n;
}

function writeStats(file: string, record: object): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2));
  fs.renameSync(tmp, file);
}

export async function run(): Promise<void> {
  const statsFile = process.env.TCP_LENS_TEST_STATS;
  const nonce = process.env.TCP_LENS_TEST_NONCE ?? '';
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.TCP_LENS_TEST_TIMEOUT ?? 30_000),
    // A test that fails must not hide the ones after it: no bail.
    bail: false,
  });
  const grep = process.env.TCP_LENS_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = listTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  // A throw here (a broken test file) rejects run(), which the workbench reports as a failure.
  await mocha.loadFilesAsync();
  const loaded: Loaded = { suites: countSuites(mocha.suite), tests: mocha.suite.total(), files: files.map((f) => path.basename(f)) };
  console.log(`[tcp-lens] mocha loaded ${loaded.tests} tests in ${loaded.suites} suites from ${loaded.files.length} files (${loaded.files.join(', ')}); extension host pid ${process.pid}, node ${process.versions.node}`);

  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} of ${loaded.tests} integration tests failed`));
      else resolve();
    });
    runner.on('end', () => {
      const stats = runner.stats ?? { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };
      console.log(`[tcp-lens] mocha finished: ${stats.passes} passing, ${stats.failures} failing, ${stats.pending} pending, ${stats.tests} run of ${loaded.tests} loaded`);
      if (statsFile) {
        writeStats(statsFile, {
          nonce,
          loaded,
          stats: { suites: stats.suites, tests: stats.tests, passes: stats.passes, pending: stats.pending, failures: stats.failures, duration: stats.duration },
          grep: grep ?? null,
          host: { pid: process.pid, node: process.versions.node, platform: process.platform },
        });
      }
    });
  });
}
