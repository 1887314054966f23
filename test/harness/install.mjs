// Installs, once, the two things the offline VS Code tests need, into the git-ignored cache `.vscode-test/`:
//   .vscode-test/node<major>/                 Node 24 from the npm registry (package node-<platform>-<arch>)
//   .vscode-test/code-server-<version>/       code-server from the npm registry, built by that Node 24
// Each folder is keyed by version and carries a stamp file written only after the install was verified, so a
// half-finished install (Ctrl-C, no network) is redone instead of reused. Installs happen in a sibling
// `.partial` folder that is renamed into place at the end, under a lock folder, so two runs never collide.
//
// Why not a devDependency: code-server requires Node 24 (`engines.node`), and its native modules must be compiled
// against Node 24's headers, while the extension itself builds and tests on Node 20.
//
// npm 11 keeps a policy of which dependencies may run install scripts ("allowScripts" in package.json). code-server
// cannot work without its postinstall (it runs `npm install` again inside lib/vscode and lib/vscode/extensions,
// which compiles kerberos, spdlog, sqlite3, ...). The cache package.json approves exactly code-server and argon2;
// the nested installs are covered by the allowScripts lists code-server ships in lib/vscode*/package.json. Do not
// pass an `allow-scripts` config (flag, env or npmrc): npm exports it to the nested npm processes as
// npm_config_allow_scripts, and a project-scoped install given that fails with EALLOWSCRIPTS.
// Nothing here touches ~/.npmrc.
//
// Usage from other harness files: `const { node, codeServerEntry } = await ensureCodeServer();`
// Usage by hand: `node test/harness/install.mjs` (prints the paths; `--force` reinstalls).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheRoot = process.env.TCP_LENS_VSCODE_TEST_CACHE
  ? path.resolve(process.env.TCP_LENS_VSCODE_TEST_CACHE)
  : path.join(repoRoot, '.vscode-test');

export const NODE_MAJOR = 24;
export const CODE_SERVER_VERSION = '4.139.1';

// code-server's own install scripts: its postinstall.sh (which runs `npm install` again inside lib/vscode and
// lib/vscode/extensions; those package.json files carry their own upstream allowScripts lists for kerberos, spdlog,
// sqlite3, node-pty, ...) and argon2's (it picks a prebuilt binary).
const ALLOWED_INSTALL_SCRIPTS = { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true };

const STAMP = '.tcp-lens-install.json';
const log = (msg) => process.stderr.write(`[install] ${msg}\n`);

function nodePackageName() {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${platform}-${process.arch}`;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** A lock folder with the owner's pid inside; a lock whose owner died is taken over. */
async function withLock(name, fn, deadlineMs = 15 * 60_000) {
  mkdirSync(cacheRoot, { recursive: true });
  const lock = path.join(cacheRoot, `${name}.lock`);
  const until = Date.now() + deadlineMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      let age;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // No pid yet and older than a few seconds, or a dead owner: a stale lock.
      if ((owner && !pidAlive(owner)) || (!owner && age > 10_000)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > until) throw new Error(`timed out waiting for the install lock ${lock} (held by pid ${owner})`, { cause: err });
      if (!told) log(`waiting for another install (pid ${owner}) holding ${lock}`);
      told = true;
      await delay(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs a command, streaming its output to stderr with a prefix; rejects on a non-zero exit. */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (buf) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 200) tail.shift();
        if (process.env.TCP_LENS_INSTALL_VERBOSE) log(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(tail);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}:\n${tail.slice(-60).join('\n')}`));
    });
  });
}

/**
 * process.env without what an enclosing `npm run`/`npm test` put there: npm passes its whole configuration down as
 * npm_config_* variables, and a nested npm reads them back as its own. The one that bites is
 * npm_config_user_agent ("npm/11 node/v20 ..."): code-server's postinstall reads the Node version from it and
 * refuses to install under anything but 24.
 */
export function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  return env;
}

/** Environment with no code-server/VS Code writes into the user's home: every XDG folder points into `dir`. */
function sandboxEnv(dir, extra = {}) {
  return {
    ...cleanEnv(),
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------- Node 24

function nodeBinary(prefix) {
  const pkg = path.join(prefix, 'node_modules', nodePackageName());
  return process.platform === 'win32' ? path.join(pkg, 'bin', 'node.exe') : path.join(pkg, 'bin', 'node');
}

function nodeVersionOf(binary) {
  const res = spawnSync(binary, ['-p', 'process.versions.node + " " + process.versions.modules'], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  const [version, abi] = res.stdout.trim().split(' ');
  return { version, abi };
}

/**
 * Returns { node, nodeDir, version }: a Node 24 binary from the cache and the folder with its `include/` headers
 * (always the cached npm package, even when the running Node is 24, so that native modules and runtime match).
 */
export async function ensureNode({ force = false } = {}) {
  const prefix = path.join(cacheRoot, `node${NODE_MAJOR}`);
  const stampFile = path.join(prefix, STAMP);
  const binary = nodeBinary(prefix);
  const stamp = readJson(stampFile);
  if (!force && stamp && existsSync(binary)) {
    return { node: binary, nodeDir: path.dirname(path.dirname(binary)), version: stamp.version };
  }
  return withLock(`node${NODE_MAJOR}`, async () => {
    const existing = existsSync(binary) ? nodeVersionOf(binary) : undefined;
    if (!force && existing && existing.version.startsWith(`${NODE_MAJOR}.`)) {
      writeFileSync(stampFile, JSON.stringify({ version: existing.version, abi: existing.abi }, null, 2));
      return { node: binary, nodeDir: path.dirname(path.dirname(binary)), version: existing.version };
    }
    const partial = `${prefix}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    writeFileSync(path.join(partial, 'package.json'), JSON.stringify({ private: true }, null, 2));
    log(`installing Node ${NODE_MAJOR} (npm package ${nodePackageName()}@${NODE_MAJOR}) into ${prefix}`);
    const started = Date.now();
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${nodePackageName()}@${NODE_MAJOR}`], {
      cwd: partial,
      env: sandboxEnv(partial),
    });
    const got = nodeVersionOf(nodeBinary(partial));
    if (!got || !got.version.startsWith(`${NODE_MAJOR}.`)) throw new Error(`the installed ${nodePackageName()} does not run`);
    writeFileSync(path.join(partial, STAMP), JSON.stringify({ version: got.version, abi: got.abi }, null, 2));
    rmSync(prefix, { recursive: true, force: true });
    renameSync(partial, prefix);
    log(`Node ${got.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { node: binary, nodeDir: path.dirname(path.dirname(binary)), version: got.version };
  });
}

// ----------------------------------------------------------------------------------------------------- code-server

function codeServerPaths(prefix) {
  const pkg = path.join(prefix, 'node_modules', 'code-server');
  return { pkg, entry: path.join(pkg, 'out', 'node', 'entry.js'), vscode: path.join(pkg, 'lib', 'vscode') };
}

/** Checks that an install is complete and that its native modules load in `node`. Returns a list of problems. */
function verifyCodeServer(prefix, node) {
  const { pkg, entry, vscode } = codeServerPaths(prefix);
  const problems = [];
  const version = readJson(path.join(pkg, 'package.json'))?.version;
  if (version !== CODE_SERVER_VERSION) problems.push(`code-server version is ${version ?? 'missing'}`);
  if (!existsSync(entry)) problems.push(`missing ${entry}`);
  // Written by code-server's postinstall.sh (its first and its last step).
  if (!existsSync(path.join(vscode, 'bin', 'remote-cli', process.platform === 'win32' ? 'code-server.cmd' : 'code-server'))) {
    problems.push('code-server postinstall did not run (lib/vscode/bin/remote-cli/code-server missing)');
  }
  if (!existsSync(path.join(vscode, 'extensions', 'node_modules', 'typescript'))) {
    problems.push('code-server postinstall did not finish (lib/vscode/extensions/node_modules missing)');
  }
  if (problems.length) return problems;
  const natives = ['@vscode/spdlog', '@vscode/sqlite3', 'node-pty', '@vscode/native-watchdog'];
  if (process.platform === 'linux') natives.push('kerberos');
  const script = natives.map((m) => `require(${JSON.stringify(path.join(vscode, 'node_modules', m))});`).join('');
  const res = spawnSync(node, ['-e', script], { encoding: 'utf8', cwd: vscode });
  if (res.status !== 0) problems.push(`native modules do not load in ${node}: ${(res.stderr || '').trim().split('\n').slice(0, 6).join(' | ')}`);
  return problems;
}

/**
 * Returns { node, codeServerEntry, codeServerDir, nodeVersion }. Installs Node 24 and code-server on first use
 * (about 2 minutes; needs python3, make, a C++ compiler and the Kerberos headers: apt-get install libkrb5-dev).
 */
export async function ensureCodeServer({ force = false } = {}) {
  const { node, nodeDir, version: nodeVersion } = await ensureNode();
  const prefix = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
  const { entry } = codeServerPaths(prefix);
  const result = () => ({ node, nodeVersion, codeServerEntry: entry, codeServerDir: prefix });
  const stamp = readJson(path.join(prefix, STAMP));
  if (!force && stamp && stamp.node === nodeVersion && existsSync(entry)) return result();

  return withLock(`code-server-${CODE_SERVER_VERSION}`, async () => {
    // An install made by hand (or by an older harness) is adopted if it verifies.
    if (!force && existsSync(prefix) && verifyCodeServer(prefix, node).length === 0) {
      writeFileSync(path.join(prefix, STAMP), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion }, null, 2));
      return result();
    }
    if (process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v krb5-config'], { stdio: 'ignore' }).status !== 0) {
      throw new Error('code-server compiles the kerberos module: install the Kerberos headers first (Debian/Ubuntu: apt-get install -y libkrb5-dev)');
    }
    const partial = `${prefix}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    writeFileSync(
      path.join(partial, 'package.json'),
      JSON.stringify(
        {
          name: 'tcp-lens-code-server-cache',
          private: true,
          description: 'Cache of code-server for TCP Lens tests (test/harness/install.mjs). Safe to delete.',
          dependencies: { 'code-server': CODE_SERVER_VERSION },
          allowScripts: ALLOWED_INSTALL_SCRIPTS,
        },
        null,
        2,
      ),
    );
    log(`installing code-server ${CODE_SERVER_VERSION} with Node ${nodeVersion} into ${prefix} (about 2 minutes)`);
    const started = Date.now();
    const nodeBin = path.dirname(node);
    await run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev'], {
      cwd: partial,
      env: sandboxEnv(partial, {
        // npm (a `#!/usr/bin/env node` script) must itself run on Node 24: code-server's postinstall reads the Node
        // version from npm's user agent and refuses anything else.
        PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
        // Native modules compile against Node 24's headers (this beats a `nodedir` in ~/.npmrc).
        npm_config_nodedir: nodeDir,
        // A user-level `strict-allow-scripts=true` would turn the nested installs' notices into errors.
        npm_config_strict_allow_scripts: 'false',
        npm_config_update_notifier: 'false',
        npm_config_loglevel: 'warn',
      }),
    });
    const problems = verifyCodeServer(partial, node);
    if (problems.length) throw new Error(`code-server install is not usable:\n  ${problems.join('\n  ')}`);
    writeFileSync(path.join(partial, STAMP), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion }, null, 2));
    rmSync(prefix, { recursive: true, force: true });
    renameSync(partial, prefix);
    const after = verifyCodeServer(prefix, node);
    if (after.length) throw new Error(`code-server install broke when moved into place:\n  ${after.join('\n  ')}`);
    log(`code-server ${CODE_SERVER_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return result();
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  ensureCodeServer({ force }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
