// What the report webview downloads before its first diagram: its entry, the mermaid core it imports lazily, and
// the sequence-diagram chunk mermaid loads for a `sequenceDiagram` source, with everything those import statically.
// Built here the way `npm run build:prod` builds it (minified ESM, split chunks), in a child process because esbuild's
// API cannot be bundled into this test.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support';

const ONE_MB = 1024 * 1024;

interface Output {
  readonly bytes: number;
  readonly imports: readonly { readonly path: string; readonly kind: string }[];
}

function buildReport(): { outputs: Record<string, Output>; outdir: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tcp-lens-webview-'));
  const outdir = path.join(dir, 'webview');
  const script = `
    const esbuild = require('esbuild');
    esbuild.build({
      entryPoints: { report: 'src/webview/report/main.ts' },
      outdir: ${JSON.stringify(outdir)},
      bundle: true, minify: true, sourcemap: false, legalComments: 'none',
      platform: 'browser', format: 'esm', splitting: true, target: 'es2022',
      chunkNames: 'chunks/[name]-[hash]', metafile: true, logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    }).then((r) => process.stdout.write(JSON.stringify(r.metafile.outputs)), (e) => { console.error(e.message); process.exit(1); });`;
  const res = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * ONE_MB });
  assert.equal(res.status, 0, res.stderr);
  return { outputs: JSON.parse(res.stdout) as Record<string, Output>, outdir, dir };
}

function closure(outputs: Record<string, Output>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !outputs[file]) return;
    seen.add(file);
    for (const imp of outputs[file]!.imports) if (imp.kind === 'import-statement') visit(imp.path);
  };
  roots.forEach(visit);
  return seen;
}

test('the first diagram loads under 1 MB of script, and nothing of mermaid before a diagram is shown', () => {
  const { outputs, dir } = buildReport();
  try {
    const files = Object.keys(outputs).filter((f) => f.endsWith('.js'));
    const entry = files.find((f) => f.endsWith('/report.js'))!;
    assert.ok(entry, JSON.stringify(files));
    // The entry itself has no static import of mermaid: the panel's tables render before any mermaid byte loads.
    const upfront = closure(outputs, [entry]);
    const upfrontBytes = [...upfront].reduce((n, f) => n + outputs[f]!.bytes, 0);
    assert.ok(upfrontBytes < 100 * 1024, `the panel's own script is ${upfrontBytes} bytes`);
    for (const f of upfront) assert.ok(!/mermaid|sequenceDiagram/.test(f), `${f} is loaded up front`);
    const dynamic = outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
    assert.equal(dynamic.length, 1, JSON.stringify(dynamic));
    assert.match(dynamic[0]!, /mermaid\.core-/);
    const sequence = files.filter((f) => /\/sequenceDiagram-[^/]*\.js$/.test(f));
    assert.equal(sequence.length, 1, JSON.stringify(files.filter((f) => /Diagram/.test(f))));
    const first = closure(outputs, [entry, dynamic[0]!, sequence[0]!]);
    const bytes = [...first].reduce((n, f) => n + outputs[f]!.bytes, 0);
    assert.ok(bytes < ONE_MB, `first diagram loads ${bytes} bytes of script`);
    // No other diagram type, no math renderer and no graph layout engine among them.
    for (const f of first) assert.doesNotMatch(path.basename(f), /katex|elk|cytoscape|dagre|flowDiagram|classDiagram|ganttDiagram|mindmap|architecture/i);
    // Mermaid is split: the many diagram types it can load stay out of the first diagram.
    assert.ok(files.length > first.size + 20, `${files.length} chunks in all, ${first.size} for the first diagram`);
    process.stdout.write(`# first diagram: ${first.size} files, ${(bytes / 1024).toFixed(0)} KiB; panel script ${(upfrontBytes / 1024).toFixed(0)} KiB\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled report webview never evaluates strings as code (the CSP has no unsafe-eval)', () => {
  const { outputs, dir } = buildReport();
  try {
    const entry = Object.keys(outputs).find((f) => f.endsWith('/report.js'))!;
    const text = readFileSync(path.resolve(repoRoot, entry), 'utf8');
    assert.doesNotMatch(text, /\beval\(|new Function\(/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
