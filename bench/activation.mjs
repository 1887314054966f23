// Issue 5 in the bench: activation cost of the extension-host bundle, in a fresh Node process.
//   node bench/activation.mjs EXTENSION_JS [LAZY_JS...]   -> one JSON line on stdout (bench/run.mjs prints it)
// LAZY_JS: files beside the bundle that it requires on first use (dist/heavy.js): each is required after activate(),
// timed on its own.
//
// `require('vscode')` is answered by a stub installed with Module._load, HERE ONLY: this is a measurement of what
// require + activate() cost in our own code, never a substitute for VS Code in tests (those run in the real
// extension host). The stub answers every API with a callable, constructible proxy that records nothing but call
// counts, plus real values where activation code branches on them (no open documents, no active editor, English
// display language, settings at their defaults). Whatever VS Code itself does on activation (loading the bundle
// from disk in its own host, registering contributions) is not in these numbers.
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit } from './lib.mjs';

const bundle = path.resolve(process.argv[2]);
/** The extension's folder (package.json, node_modules): the repository root, whichever bundle is measured. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const calls = { total: 0, errors: [] };

/** Values activation code reads and branches on; everything else is a proxy. */
const VALUES = {
  'vscode.version': '1.82.0',
  'vscode.env.language': 'en',
  'vscode.window.activeTextEditor': undefined,
  'vscode.window.visibleTextEditors': [],
  'vscode.window.tabGroups.all': [],
  'vscode.workspace.textDocuments': [],
  'vscode.workspace.workspaceFolders': undefined,
  'vscode.workspace.isTrusted': true,
  'vscode.workspace.getConfiguration': () => ({ get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => {} }),
  'vscode.window.showErrorMessage': (message) => {
    calls.errors.push(String(message));
    return Promise.resolve(undefined);
  },
};

function stub(name) {
  const children = new Map();
  const own = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'prototype') return t.prototype;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return (hint) => (hint === 'number' ? 0 : '');
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      if (own.has(prop)) return own.get(prop);
      const key = `${name}.${prop}`;
      if (Object.hasOwn(VALUES, key)) return VALUES[key];
      if (!children.has(prop)) children.set(prop, stub(key));
      return children.get(prop);
    },
    set(_t, prop, value) {
      own.set(prop, value);
      return true;
    },
    has(_t, prop) {
      return own.has(prop);
    },
    apply() {
      calls.total++;
      return stub(`${name}()`);
    },
    construct() {
      calls.total++;
      return stub(`new ${name}`);
    },
  });
}

/**
 * The module object: esbuild's CommonJS interop copies the module's OWN property names, so the root is a plain object
 * with one property per name VS Code's API exports (from @types/vscode), plus any name the bundle itself reads.
 */
function apiNames() {
  const names = new Set();
  const dts = path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts');
  if (existsSync(dts)) {
    for (const m of readFileSync(dts, 'utf8').matchAll(/^\texport (?:class|enum|namespace|const|let|function) (\w+)/gm)) names.add(m[1]);
  }
  // Minified or not, the bundle reads the module's members as `<binding>.<Name>`; names it never reads do not matter.
  for (const m of readFileSync(bundle, 'utf8').matchAll(/\bvscode\w*\.([A-Za-z]\w*)/g)) names.add(m[1]);
  return names;
}

const vscode = {};
for (const name of apiNames()) {
  const key = `vscode.${name}`;
  vscode[name] = Object.hasOwn(VALUES, key) ? VALUES[key] : stub(key);
}
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: vscode.Uri.file(root),
  globalState: { get: (_k, d) => d, update: async () => {}, keys: () => [], setKeysForSync: () => {} },
  workspaceState: { get: (_k, d) => d, update: async () => {}, keys: () => [] },
  asAbsolutePath: (p) => path.join(root, p),
  extensionMode: 1,
  storageUri: undefined,
  globalStorageUri: vscode.Uri.file('/tmp'),
  logUri: vscode.Uri.file('/tmp'),
};

const requireFrom = Module.createRequire(import.meta.url);
calls.total = 0;
const c0 = process.cpuUsage();
const w0 = process.hrtime.bigint();
const extension = requireFrom(bundle);
const w1 = process.hrtime.bigint();
const c1 = process.cpuUsage();
let activateError;
if (typeof extension.activate === 'function') {
  try {
    extension.activate(context);
  } catch (e) {
    activateError = e instanceof Error ? e.message : String(e);
  }
}
const w2 = process.hrtime.bigint();
const c2 = process.cpuUsage();
const cpu = (a, b) => (b.user - a.user + b.system - a.system) / 1000;

const lazy = {};
for (const f of process.argv.slice(3)) {
  const l0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  requireFrom(path.join(path.dirname(bundle), f));
  lazy[f] = { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: cpu(l0, process.cpuUsage()) };
}

emit({
  requireWallMs: Number(w1 - w0) / 1e6,
  requireCpuMs: cpu(c0, c1),
  activated: typeof extension.activate === 'function' && activateError === undefined,
  activateError,
  activateWallMs: Number(w2 - w1) / 1e6,
  activateCpuMs: cpu(c1, c2),
  apiCalls: calls.total,
  featureErrors: calls.errors,
  subscriptions: context.subscriptions.length,
  lazy,
});
// Timers or watchers a feature may have started must not keep this child alive.
process.exit(0);
