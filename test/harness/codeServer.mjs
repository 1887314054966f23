// Starts and stops code-server (VS Code 1.139 in a browser) for tests and for `npm start`.
//
// Every server gets its own short run folder under the OS temp dir (VS Code puts unix sockets under TMPDIR and
// their paths must stay under 108 bytes) holding its user-data-dir, extensions dir, XDG folders and TMPDIR, so
// nothing is written to the user's home. It runs in its own process group (detached) so that stopping it also
// stops the extension host, the pty host and every other child; a process 'exit' hook kills any group still
// alive when the runner itself dies.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { cleanEnv, ensureCodeServer, repoRoot } from './install.mjs';

/** Settings that keep the workbench quiet and deterministic: no welcome page, no trust prompt, no updates. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'editor.hover.delay': 100,
};

const live = new Set();
let hooksInstalled = false;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function installHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Synchronous last resort: runs on normal exit, process.exit() and after an uncaught exception.
  process.on('exit', () => {
    for (const server of live) killGroup(server.pid, 'SIGKILL');
  });
  // Ctrl-C and friends: stop every server properly (its whole group, then its run folder), then exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      const servers = [...live];
      Promise.race([Promise.allSettled(servers.map((s) => s.stop())), delay(10_000)]).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

/** Makes a short, private run folder: <tmp>/tl-XXXXXX/{ud,ext,xdg-*,tmp}. */
export function makeRunDir() {
  const base = process.platform === 'win32' ? os.tmpdir() : '/tmp';
  const dir = mkdtempSync(path.join(base, 'tl-'));
  for (const sub of ['ud/User', 'ext', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
  return dir;
}

/** The environment code-server (and through it the extension host) runs with. */
export function serverEnv(runDir, extra = {}) {
  return {
    ...cleanEnv(),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg-cache'),
    TMPDIR: path.join(runDir, 'tmp'),
    // code-server reads these; make sure an outer environment cannot change the auth or the port.
    PASSWORD: '',
    HASHED_PASSWORD: '',
    PORT: '',
    VSCODE_PROXY_URI: '',
    // No extension gallery: nothing to download offline, and no failing open-vsx.org queries in the logs.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

/** Installs a .vsix into `extensionsDir` the way a user would (code-server --install-extension). */
export async function installVsix(vsix, { runDir, extensionsDir }) {
  const { node, codeServerEntry } = await ensureCodeServer();
  const args = [
    codeServerEntry,
    '--user-data-dir', path.join(runDir, 'ud'),
    '--extensions-dir', extensionsDir,
    '--install-extension', vsix,
    '--force',
  ];
  const out = await collect(node, args, serverEnv(runDir));
  if (out.code !== 0) throw new Error(`--install-extension ${vsix} failed (${out.code}):\n${out.text}`);
  const listed = await collect(node, [codeServerEntry, '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions'], serverEnv(runDir));
  return { installLog: out.text, installed: listed.text.split('\n').map((l) => l.trim()).filter((l) => /^[\w-]+\.[\w-]+@/.test(l)) };
}

function collect(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (b) => (text += b));
    child.stderr.on('data', (b) => (text += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
}

/**
 * Starts code-server on 127.0.0.1 with an OS-chosen port.
 * options:
 *   folder           the folder to open (also used in the URL built by workbenchUrl)
 *   runDir           a folder from makeRunDir() (one is made when absent; it is deleted on stop unless `keep`)
 *   extensionsDir    defaults to <runDir>/ext (empty: only built-in extensions)
 *   settings         extra user settings, merged over QUIET_SETTINGS
 *   env              extra environment (reaches the extension host)
 *   smokeTestDriver  pass --vscode-option enable-smoke-test-driver (needed for extensionDevelopmentPath and
 *                    extensionTestsPath in the URL payload); default true
 *   bindPort         fixed port (default 0: any free port)
 *   onLine(line)     called with each line code-server prints
 * Returns { origin, port, host, runDir, pid, stop(), exited (a promise), logText(), isStopping() }.
 */
export async function startCodeServer(options = {}) {
  const { node, codeServerEntry } = await ensureCodeServer();
  installHooks();
  const runDir = options.runDir ?? makeRunDir();
  const extensionsDir = options.extensionsDir ?? path.join(runDir, 'ext');
  const userDataDir = path.join(runDir, 'ud');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...(options.settings ?? {}) }, null, 2));

  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.bindPort ?? 0}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (options.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (options.folder) args.push(options.folder);

  const child = spawn(node, args, {
    cwd: repoRoot,
    env: serverEnv(runDir, options.env),
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { pid: child.pid, runDir, stop: async () => undefined };
  live.add(server);

  const lines = [];
  let port;
  let exitInfo;
  let portResolve;
  const portSeen = new Promise((resolve) => (portResolve = resolve));
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
      portResolve(undefined);
    });
  });
  child.on('error', (err) => {
    lines.push(`spawn error: ${err.message}`);
    portResolve(undefined);
  });
  let partial = '';
  const onData = (buf) => {
    partial += buf.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 2000) lines.shift();
      options.onLine?.(line);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      if (m && port === undefined) {
        port = Number(m[1]);
        portResolve(port);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const logText = () => lines.join('\n');
  let stopping = false;
  const stop = async ({ keep = false } = {}) => {
    stopping = true;
    if (!exitInfo && child.pid) {
      killGroup(child.pid, 'SIGTERM');
      const deadline = delay(5000).then(() => 'timeout');
      if ((await Promise.race([exited, deadline])) === 'timeout') {
        killGroup(child.pid, 'SIGKILL');
        await Promise.race([exited, delay(5000)]);
      }
    }
    // Children of the group can outlive the leader for a moment (the extension host flushing); make sure.
    if (child.pid) killGroup(child.pid, 'SIGKILL');
    live.delete(server);
    if (!keep && !options.runDir) rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  server.stop = stop;

  const startDeadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const gotPort = await Promise.race([portSeen, delay(options.startTimeoutMs ?? 60_000).then(() => undefined)]);
  if (gotPort === undefined) {
    await stop({ keep: true });
    throw new Error(`code-server did not start (exit ${JSON.stringify(exitInfo)}); its output:\n${logText()}`);
  }
  const origin = `http://127.0.0.1:${port}`;
  // The listening line comes first; /healthz answers once the HTTP routes are in place.
  for (;;) {
    try {
      const res = await globalThis.fetch(`${origin}/healthz`, { signal: globalThis.AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not yet
    }
    if (exitInfo || Date.now() > startDeadline) {
      await stop({ keep: true });
      throw new Error(`code-server at ${origin} never answered /healthz; its output:\n${logText()}`);
    }
    await delay(100);
  }
  return { origin, port, host: `127.0.0.1:${port}`, runDir, userDataDir, extensionsDir, pid: child.pid, stop, exited, logText, exitInfo: () => exitInfo, isStopping: () => stopping };
}

/**
 * The workbench URL. With extensionDevelopmentPath/extensionTestsPath (absolute local paths) it carries the
 * payload that makes VS Code load the extension under development and run the tests in the extension host. The
 * paths must be vscode-remote:// URIs whose authority is the host:port the browser uses: that selects the Node
 * extension host on the server.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const url = new URL(server.origin + '/');
  if (folder) url.searchParams.set('folder', folder);
  const payload = [];
  const remote = (p) => `vscode-remote://${server.host}${path.resolve(p).split(path.sep).join('/')}`;
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}
