// One build for every runtime zone: extension host (Node), web extension host (browser), webviews (browser ESM
// with mermaid split into lazy chunks), the CLI, and the test bundles. `--production` minifies; `--watch` rebuilds.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = __dirname;

function listTests(dir, suffix) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTests(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out;
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/activate.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // The core is its own file, required on first use (src/extension/lazy.ts): activation stays small and fast.
    external: ['vscode', './heavy.js'],
    metafile: true,
  },
  {
    ...common,
    entryPoints: { heavy: 'src/extension/heavy.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { extension: 'src/extension/activate.ts' },
    outdir: 'dist/web',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    // node:crypto is only reached on Node 18 hosts without a Web Crypto global (see src/extension/nonce.ts).
    external: ['vscode', 'node:crypto'],
  },
  {
    ...common,
    entryPoints: { report: 'src/webview/report/main.ts', stepper: 'src/webview/stepper/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    splitting: true,
    target: 'es2022',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: listTests(path.join(root, 'test/unit'), '.test.ts'),
    outdir: 'dist/test/unit',
    outbase: 'test/unit',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'recheck', 'fast-check', 'typescript'],
  },
  {
    ...common,
    entryPoints: [
      'test/integration/index.ts',
      ...listTests(path.join(root, 'test/integration'), '.test.ts'),
    ],
    outdir: 'dist/test/integration',
    outbase: 'test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
  },
];

async function main() {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching');
    return;
  }
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const hostMeta = results[0].metafile;
  const heavyInHost = Object.keys(hostMeta.inputs).some((f) => f.includes('src/core/knowledge/'));
  if (heavyInHost) throw new Error('the knowledge base reached dist/extension.js: import core values through heavy() (src/extension/lazy.ts)');
  // `bin` points at dist/cli.js: it must run when invoked directly or through npm's symlink.
  fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  const hostBytes = fs.statSync(path.join(root, 'dist/extension.js')).size;
  const mermaidInHost = Object.keys(hostMeta.inputs).some((f) => f.includes('node_modules/mermaid'));
  if (mermaidInHost) throw new Error('mermaid must never reach the extension-host bundle');
  console.log(`[esbuild] built ${builds.length} bundles${production ? ' (production)' : ''}; extension host ${(hostBytes / 1024).toFixed(1)} KB`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
