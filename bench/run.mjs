#!/usr/bin/env node
// Throughput of the CLI's code path on large inputs: `npm run bench` (= node esbuild.js --production && node bench/run.mjs).
//
// Inputs are generated into .bench/ (git-ignored) from the real captures in test/fixtures (or ../shared/samples):
// lines are repeated with mutated client ports, ISNs and timestamps so the text stays realistic (one block, many
// connections, every row different). Timings are printed, never asserted: they belong in no test.
//
// Each measurement runs in its own child process so its peak memory (maxRSS) is its own:
//   - "awk"        awk '{n+=NF} END{print n}' FILE                      (the speed yardstick: read and split each line)
//   - "cli --json" node dist/cli.js explain --json FILE > /dev/null      (the real command, end to end)
//   - "cli text"   node dist/cli.js explain FILE > /dev/null
//   - phases       the same bundle's exports in-process: parse only, analysis only (on the parsed document),
//                  parse + analysis, JSON text (parse and analysis: best of two runs)
// Commands are measured with /usr/bin/time (CPU time, peak RSS); ratios use CPU time, which a busy shared machine
// disturbs far less than wall time (printed too).
//
// To add a section (hover or edit timings later), push an object onto SECTIONS: { name, file(): path, run(file) }
// where run() returns rows for the table; `measureCli`, `measureCommand` and `measurePhases` below are reusable.
//
// Options: --lines N (default 1000000), --only NAME[,NAME] (section names), --keep (reuse generated files).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = path.join(root, 'dist', 'cli.js');
const benchDir = path.join(root, '.bench');
const self = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------------------------
// Child mode: `--phases FILE` times the bundle's functions in-process.

if (process.argv[2] === '--phases') {
  await phasesChild(process.argv[3]);
  process.exit(0);
}

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const LINES = Number(arg('--lines', '1000000'));
const ONLY = arg('--only', '')
  .split(',')
  .filter(Boolean);
const KEEP = process.argv.includes('--keep');

// ---------------------------------------------------------------------------------------------------------------
// Seeds

/** Files called NAME or PREFIX_NAME (sender_tcpdump_nn.txt) under dir. */
function findFiles(dir, name) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(full, name));
    else if (e.name === name || e.name.endsWith(`_${name}`)) out.push(full);
  }
  return out.sort();
}

function seedFiles(kind, name) {
  const fromFixtures = findFiles(path.join(root, 'test', 'fixtures', kind), name);
  if (fromFixtures.length > 0) return fromFixtures;
  return findFiles(path.join(root, '..', 'shared', 'samples'), name);
}

function seedLines(files, keep) {
  const lines = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) if (keep(line)) lines.push(line);
  }
  if (lines.length === 0) throw new Error(`no seed lines found in ${files.join(', ') || '(no files)'}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const EPHEMERAL_LOW = 32768;
const EPHEMERAL_SIZE = 28232;

/** Client ports (>= 32768) move with the repetition so every repetition is a new set of connections. */
function shiftPort(port, rep) {
  const p = Number(port);
  if (p < EPHEMERAL_LOW || p > 65535) return port;
  return String(EPHEMERAL_LOW + ((p - EPHEMERAL_LOW + rep * 131) % EPHEMERAL_SIZE));
}

function clock(us) {
  const day = 86400e6;
  const t = us % day;
  const h = Math.floor(t / 3600e6);
  const m = Math.floor((t % 3600e6) / 60e6);
  const s = Math.floor((t % 60e6) / 1e6);
  const micro = t % 1e6;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(micro).padStart(6, '0')}`;
}

function writeLines(file, total, make) {
  const fd = openSync(file, 'w');
  try {
    let buf = '';
    for (let i = 0; i < total; i++) {
      buf += make(i) + '\n';
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    if (buf) writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

/** tcpdump -nn lines: real packets, new timestamps every ~37 µs, client ports and SYN ISNs moved per repetition. */
function generateTcpdump(file, total) {
  const seeds = seedLines(seedFiles('packets', 'tcpdump_nn.txt'), (l) => /^\d\d:\d\d:\d\d\.\d{6} IP6? /.test(l));
  const start = 13 * 3600e6;
  writeLines(file, total, (i) => {
    const rep = Math.floor(i / seeds.length);
    let line = seeds[i % seeds.length];
    line = clock(start + i * 37) + line.slice(15);
    if (rep > 0) {
      line = line.replace(/\.(\d{5})([ :])/g, (_, p, end) => `.${shiftPort(p, rep)}${end}`);
      if (line.includes('Flags [S')) line = line.replace(/seq (\d+)/, (_, s) => `seq ${(Number(s) + rep * 104729) % 4294967296}`);
    }
    return line;
  });
  return seeds.length;
}

/** ss -tanp rows: real rows of every scenario, client ports and peer hosts varied, one header. */
function generateSs(file, total) {
  const files = seedFiles('sockets', 'ss_-tanp.txt');
  let header = '';
  const seeds = seedLines(files, (l) => {
    if (l.startsWith('State')) {
      header ||= l;
      return false;
    }
    return l.trim() !== '';
  });
  writeLines(file, total + 1, (i) => {
    if (i === 0) return header;
    const rep = Math.floor((i - 1) / seeds.length);
    let line = seeds[(i - 1) % seeds.length];
    if (rep > 0) {
      line = line.replace(/:(\d{5})(\s|$)/g, (_, p, end) => `:${shiftPort(p, rep)}${end}`);
      // Spread the peers (second address of the row) of loopback rows over many hosts, so no single destination
      // holds every port.
      let seen = 0;
      line = line.replace(/(\s)127\.0\.0\.1:(\d{1,5}|\*)(?=\s|$)/g, (all, pre, p) =>
        ++seen === 2 ? `${pre}10.0.${rep % 64}.${((rep >> 6) % 250) + 1}:${p}` : all,
      );
    }
    return line;
  });
  return seeds.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Run a command in its own process: wall time, CPU time (user + system) and peak RSS. CPU time is what the ratios
 * use: on a shared 2-core machine wall time swings with the neighbours' load, CPU time much less.
 */
export function measureCommand(cmd, args, { stdout = 'ignore' } = {}) {
  const out = path.join(benchDir, `time-${process.pid}.txt`);
  const argv = TIME ? [TIME, '-f', '%e %U %S %M', '-o', out, cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', stdout, 'pipe'], maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0 && !(cmd === process.execPath && res.status === 1)) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}: ${String(res.stderr).slice(0, 500)}`);
  }
  let cpuMs = NaN;
  let maxRSSKiB = NaN;
  if (TIME) {
    const [, user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (user + sys) * 1000;
    maxRSSKiB = rss;
    rmSync(out, { force: true });
  }
  return { wallMs, cpuMs, maxRSSKiB, exit: res.status, stdout: res.stdout ? String(res.stdout).trim() : '' };
}

/** The real CLI, end to end: node dist/cli.js ARGS > /dev/null. */
export function measureCli(args) {
  return measureCommand(process.execPath, [cliPath, ...args]);
}

/** In-process phases in a child: read, parse only, parse + analysis, + JSON text. Best of two rounds each. */
export function measurePhases(file) {
  const res = spawnSync(process.execPath, [self, '--phases', file], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`phases failed: ${res.stderr}`);
  return JSON.parse(String(res.stdout));
}

async function phasesChild(file) {
  const require = createRequire(import.meta.url);
  const cli = require(cliPath);
  // CPU time of this process (user + system), not wall time: see measureCommand.
  const time = (fn) => {
    const c0 = process.cpuUsage();
    const value = fn();
    const c = process.cpuUsage(c0);
    return { ms: (c.user + c.system) / 1000, value };
  };
  // Best of two runs; only the last result is kept alive, so a 1M-line document is in memory once, not twice.
  const best = (fn) => {
    const ms = time(fn).ms;
    const second = time(fn);
    return { ms: Math.min(ms, second.ms), value: second.value };
  };
  const read = best(() => cli.decodeInput(readFileSync(file), file));
  const text = read.value;
  let parse = best(() => cli.parseText(text));
  const analysis = best(() => cli.analyseParsed(parse.value));
  const parseMs = parse.ms;
  parse = undefined;
  analysis.value = undefined;
  const analyse = time(() => cli.analyse(text));
  const model = analyse.value;
  const json = time(() => {
    let n = 0;
    for (const chunk of cli.jsonChunks(model)) n += chunk.length;
    return n;
  });
  process.stdout.write(
    JSON.stringify({
      readMs: read.ms,
      parseMs,
      analysisMs: analysis.ms,
      analyseMs: analyse.ms,
      jsonMs: json.ms,
      sockets: model.sockets.length,
      segments: model.segments.length,
      findings: model.findings.length,
      unparsed: model.unparsed.length,
      blocks: model.blocks.length,
      maxRSSKiB: process.resourceUsage().maxRSS,
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

function inputSection(name, fileName, generate) {
  return {
    name,
    file() {
      const file = path.join(benchDir, fileName);
      if (!(KEEP && existsSync(file))) {
        const t0 = Date.now();
        const seeds = generate(file, LINES);
        console.log(`  generated ${path.relative(root, file)}: ${LINES} records from ${seeds} seed lines in ${Date.now() - t0} ms`);
      }
      return file;
    },
    run(file) {
      const bytes = statSync(file).size;
      const lines = countLines(file);
      const awk = measureCommand('awk', ['{n+=NF} END{print n}', file]);
      const json = measureCli(['explain', '--json', file]);
      const text = measureCli(['explain', '--no-color', file]);
      const phases = measurePhases(file);
      const rate = (ms) => `${fmt((lines / ms) * 1000, 0)} lines/s, ${fmt(bytes / 1048576 / (ms / 1000), 1)} MB/s`;
      const cmd = (label, m) =>
        `${label} cpu ${fmt(m.cpuMs, 0)} ms (${rate(m.cpuMs)}), wall ${fmt(m.wallMs, 0)} ms, peak RSS ${fmt(m.maxRSSKiB / 1024, 0)} MiB, ${fmt(m.cpuMs / awk.cpuMs, 2)}x awk`;
      return [
        `input        ${fmt(lines, 0)} lines, ${fmt(bytes / 1048576, 1)} MB; ${phases.blocks} block(s), ${phases.sockets} sockets, ${phases.segments} segments, ${phases.findings} findings, ${phases.unparsed} unparsed`,
        `awk NF       cpu ${fmt(awk.cpuMs, 0)} ms (${rate(awk.cpuMs)}), wall ${fmt(awk.wallMs, 0)} ms, peak RSS ${fmt(awk.maxRSSKiB / 1024, 0)} MiB`,
        cmd('cli --json  ', json) + `, exit ${json.exit}`,
        cmd('cli text    ', text),
        `in-process   cpu: decode ${fmt(phases.readMs, 0)} ms | parse ${fmt(phases.parseMs, 0)} ms (${fmt(phases.parseMs / awk.cpuMs, 2)}x awk) | analysis ${fmt(phases.analysisMs, 0)} ms (${fmt((phases.analysisMs / phases.parseMs) * 100, 1)}% of parse) | parse+analysis ${fmt(phases.analyseMs, 0)} ms | JSON ${fmt(phases.jsonMs, 0)} ms`,
      ];
    },
  };
}

function countLines(file) {
  const buf = readFileSync(file);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Numbers for people; n/a when a time was below /usr/bin/time's 10 ms resolution (use more --lines). */
function fmt(n, digits) {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}

export const SECTIONS = [inputSection('tcpdump', 'tcpdump-1m.txt', generateTcpdump), inputSection('ss', 'ss-1m.txt', generateSs)];

async function main() {
  if (!existsSync(cliPath)) {
    console.error('bench: dist/cli.js is missing; run `npm run bench` (it builds first) or `node esbuild.js --production`.');
    process.exit(2);
  }
  mkdirSync(benchDir, { recursive: true });
  console.log(`TCP Lens bench — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${fmt(os.totalmem() / 1073741824, 1)} GiB RAM`);
  console.log(`awk: ${spawnSync('awk', ['-W', 'version'], { encoding: 'utf8' }).stdout.split('\n')[0] || 'awk'}; cli: ${path.relative(root, cliPath)} (${fmt(statSync(cliPath).size / 1024, 0)} KiB)`);
  for (const section of SECTIONS) {
    if (ONLY.length > 0 && !ONLY.includes(section.name)) continue;
    console.log(`\n[${section.name}]`);
    const file = section.file();
    for (const row of section.run(file)) console.log(`  ${row}`);
  }
}

await main();
