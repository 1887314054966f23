#!/usr/bin/env node
// Run some unit tests without building the whole project: `node scripts/unit.mjs test/unit/formats/ss.test.ts ...`.
// With no argument it runs every test/unit/**/*.test.ts. Each file is bundled on its own, so a half-edited module
// elsewhere in the tree does not stop anyone's tests.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [],
  );
}
const args = process.argv.slice(2);
const files = args.length ? args.map((a) => path.resolve(a)) : find(path.join(root, 'test/unit'));
// Inside the repository so externals (fast-check, recheck) resolve from its node_modules, and outside dist/, which
// every build empties.
mkdirSync(path.join(root, '.unit-tmp'), { recursive: true });
const out = mkdtempSync(path.join(root, '.unit-tmp', 'run-'));
try {
  await build({
    entryPoints: files,
    outdir: out,
    outbase: path.join(root, 'test/unit'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    external: ['vscode', 'recheck', 'fast-check', 'typescript'],
    logLevel: 'warning',
  });
  const jsFiles = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('.test.js')).map((f) => path.join(out, String(f)));
  const res = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', ...jsFiles], {
    stdio: 'inherit',
    cwd: root,
  });
  process.exitCode = res.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
