// The tcp-lens command line, run as users run it: `node dist/cli.js ...` in a child process. Every bad input must
// end in a documented exit code and ONE line on stderr, never a stack trace.
import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { analyse } from '../../src/core/analyse';
import { connectionDiagramText } from '../../src/cli';
import { fixturePath, readFixture, repoRoot } from './support';

const cli = path.join(repoRoot, 'dist', 'cli.js');
let tmp = '';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'tcp-lens-cli-'));
  let stale: boolean;
  try {
    const built = statSync(cli).mtimeMs;
    stale = built < Math.max(newestSource(path.join(repoRoot, 'src', 'core')), statSync(path.join(repoRoot, 'src', 'cli.ts')).mtimeMs);
  } catch {
    stale = true;
  }
  if (stale) {
    // Build only the CLI bundle, with the options esbuild.js uses for it (a full build would also need every other
    // zone of the tree to compile, and would wipe dist/ under other runs).
    const script = `require('esbuild').buildSync({ entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', bundle: true, platform: 'node', format: 'cjs', target: 'node18', sourcemap: 'linked', banner: { js: '#!/usr/bin/env node' }, logLevel: 'error' })`;
    const res = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(res.status, 0, `building dist/cli.js failed: ${res.stderr}`);
  }
});

after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: string | Buffer, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
  });
}

/** Exit code, and exactly one stderr line starting with `tcp-lens: ` and carrying no stack trace. */
function assertOneLineError(res: SpawnSyncReturns<string>, code: number, pattern: RegExp): void {
  assert.equal(res.status, code, `exit code; stderr: ${res.stderr}`);
  assert.equal(res.stdout, '');
  const lines = res.stderr.split('\n');
  assert.equal(lines.length, 2, `one line on stderr, got: ${JSON.stringify(res.stderr)}`);
  assert.equal(lines[1], '');
  assert.ok(lines[0]!.startsWith('tcp-lens: '), lines[0]);
  assert.ok(!res.stderr.split('\n').some((l) => l.trimStart().startsWith('at ')) && !res.stderr.includes('Error:'), 'no stack trace');
  assert.match(lines[0]!, pattern);
}

// Relative to the repository (the CLI runs there): messages that quote the file name then read the same wherever the
// repository is cloned (the CLI shortens long names).
const input = (name: string): string => path.relative(repoRoot, fixturePath('golden', 'inputs', name));
const EMPTY_MODEL = { schema: 1, blocks: [], sockets: [], stateCounts: {}, segments: [], connections: [], findings: [], unparsed: [] };

test('--help documents the commands and the exit codes; --version prints the package version', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.equal(help.stderr, '');
  assert.match(help.stdout, /tcp-lens explain \[--json\] \[--lang en\|zh-cn\] \[--format FORMAT\] FILE\|-/);
  assert.match(help.stdout, /tcp-lens diagram \[--connection N\]/);
  for (const code of ['0  ok', '1  explain ran and found', '2  usage error', '3  input error', '4  not available']) assert.ok(help.stdout.includes(code), code);
  assert.equal(run(['explain', '-h']).stdout, help.stdout);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const version = run(['--version']);
  assert.equal(version.status, 0);
  assert.equal(version.stdout, `${pkg.version}\n`);
});

test('usage errors exit 2 with one line', () => {
  const file = input('07_time_wait_300_ss_-tanp.txt');
  assertOneLineError(run([]), 2, /no command given: use explain or diagram \(see tcp-lens --help\)$/);
  assertOneLineError(run(['explian', file]), 2, /unknown command 'explian'/);
  assertOneLineError(run(['explain', '--bogus', file]), 2, /unknown option '--bogus'/);
  assertOneLineError(run(['explain', '--lang', 'fr', file]), 2, /--lang must be en or zh-cn, not 'fr'/);
  assertOneLineError(run(['explain', '--format=pcap', file]), 2, /--format must be one of auto, netstat, ss, tcpdump, tshark/);
  assertOneLineError(run(['explain', '--lang']), 2, /--lang needs a value/);
  assertOneLineError(run(['explain']), 2, /explain needs a FILE \(or - for standard input\)/);
  assertOneLineError(run(['explain', file, file]), 2, /explain reads one FILE, got 2/);
  assertOneLineError(run(['diagram', '--connection', 'two', file]), 2, /--connection needs a connection number, not 'two'/);
  assertOneLineError(run(['explain', '--connection', '1', file]), 2, /--connection is for the diagram command/);
  assertOneLineError(run(['explain', '--json=yes', file]), 2, /--json takes no value/);
});

test('input errors exit 3 with one line: missing file, directory, path through a file, pcap, binary, gzip', () => {
  assertOneLineError(run(['explain', path.join(tmp, 'nope.txt')]), 3, /cannot read .*nope\.txt: no such file$/);
  assertOneLineError(run(['explain', tmp]), 3, /is a directory, not a file of tool output$/);
  const file = path.join(tmp, 'plain.txt');
  writeFileSync(file, 'x\n');
  assertOneLineError(run(['explain', path.join(file, 'child')]), 3, /cannot read .*plain\.txt\/child: a path component is not a directory$/);
  assertOneLineError(
    run(['explain', input('03_connection_refused_capture.pcap')]),
    3,
    /is a packet capture \(pcap\), not text: run 'tcpdump -nn -r .*capture\.pcap' or 'tshark -r .*capture\.pcap'/,
  );
  const binary = path.join(tmp, 'random.bin');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00]));
  assertOneLineError(run(['explain', binary]), 3, /looks binary \(it contains NUL bytes\)/);
  const gz = path.join(tmp, 'a.gz');
  writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]));
  assertOneLineError(run(['explain', '--json', gz]), 3, /is gzip-compressed: decompress it first/);
  assertOneLineError(run(['explain', '/dev/null']), 3, /\/dev\/null is not a regular file$/);
});

test('an unreadable file exits 3 (skipped as root, who can read anything)', (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root');
    return;
  }
  const file = path.join(tmp, 'secret.txt');
  writeFileSync(file, 'x\n', { mode: 0o000 });
  assertOneLineError(run(['explain', file]), 3, /cannot read .*secret\.txt: permission denied$/);
});

test('an empty file is an empty model (JSON) or a one-paragraph report (text), exit 0', () => {
  const empty = path.join(tmp, 'empty.txt');
  writeFileSync(empty, '');
  const json = run(['explain', '--json', empty]);
  assert.equal(json.status, 0);
  assert.equal(json.stderr, '');
  assert.deepEqual(JSON.parse(json.stdout), EMPTY_MODEL);
  const text = run(['explain', empty]);
  assert.equal(text.status, 0);
  assert.equal(text.stdout, `TCP Lens report — ${empty}\n0 lines · 0 blocks\n\nNo netstat, ss, tcpdump or tshark output recognised.\n`);
  const stdin = run(['explain', '--json', '-'], '');
  assert.deepEqual(JSON.parse(stdin.stdout), EMPTY_MODEL);
});

test('a 10 MB line inside an ss table is cut, listed as not understood, and the rows around it still count', () => {
  const [header, ...rows] = readFixture('golden', 'inputs', '07_time_wait_300_ss_-tanp.txt').split('\n');
  const big = path.join(tmp, 'big-line.txt');
  writeFileSync(big, [header, rows[0], 'x'.repeat(10 * 1024 * 1024), ...rows.slice(1)].join('\n'));
  const res = run(['explain', '--json', big]);
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout) as { stateCounts: Record<string, number>; unparsed: { line: number; text: string }[]; blocks: unknown[] };
  assert.deepEqual(out.stateCounts, { 'TIME-WAIT': 300 });
  assert.equal(out.blocks.length, 1);
  assert.equal(out.unparsed.length, 1);
  assert.equal(out.unparsed[0]!.line, 3);
  assert.equal(out.unparsed[0]!.text, 'x'.repeat(240) + '…');
  assert.ok(res.stdout.length < 200_000, 'the huge line is not echoed');
});

test('explain --json on a real snapshot: 1-based lines, finding messages in the chosen language', () => {
  const res = run(['explain', '--json', input('13_v6_close_wait_fin_wait2_ss_-tanp.txt')]);
  assert.equal(res.status, 0);
  const out = JSON.parse(res.stdout) as {
    blocks: { format: string; firstLine: number; lastLine: number }[];
    sockets: { line: number; state: string }[];
    findings: { code: string; lines: number[]; message: string }[];
  };
  assert.deepEqual(out.blocks.map((b) => [b.format, b.firstLine, b.lastLine]), [['ss', 1, 4]]);
  assert.deepEqual(out.sockets.map((s) => [s.line, s.state]), [
    [2, 'LISTEN'],
    [3, 'CLOSE-WAIT'],
    [4, 'FIN-WAIT-2'],
  ]);
  assert.deepEqual(out.findings.map((f) => [f.code, f.lines]), [['close-wait-pileup', [3]]]);
  assert.match(out.findings[0]!.message, /^1 socket in CLOSE-WAIT/);
  const zh = JSON.parse(run(['explain', '--json', '--lang', 'zh-cn', input('13_v6_close_wait_fin_wait2_ss_-tanp.txt')]).stdout) as typeof out;
  assert.match(zh.findings[0]!.message, /^1 个套接字处于 CLOSE-WAIT，在本地 \[::1\]:8080 上，属于进程 python3 \(pid 645\)：/);
});

test('standard input gives the same JSON as the file', () => {
  const file = input('07_time_wait_300_netstat_-ant.txt');
  const fromFile = run(['explain', '--json', file]);
  const fromStdin = run(['explain', '--json', '-'], readFileSync(file));
  assert.equal(fromStdin.status, 0);
  assert.equal(fromStdin.stdout, fromFile.stdout);
});

test('UTF-16LE with BOM and GB18030 files read like the UTF-8 original', () => {
  const utf8 = input('windows_zh-CN_close_wait_4_netstat_-ano.txt');
  const expected = run(['explain', '--json', utf8]).stdout;
  assert.match(expected, /"stateCounts": \{"LISTEN":13,"CLOSE-WAIT":4\}/);
  const utf16 = path.join(tmp, 'utf16.txt');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(utf8, 'utf8'), 'utf16le')]));
  assert.equal(run(['explain', '--json', utf16]).stdout, expected);
  const gb = run(['explain', '--json', input('windows_zh-CN_close_wait_4_netstat_-ano.gb18030.txt')]);
  assert.equal(gb.status, 0);
  assert.equal(gb.stdout, expected);
});

test('exit 1 when a finding has severity error (an overflowing ss accept queue)', () => {
  const [header, listen] = readFixture('golden', 'inputs', '13_v6_listen_ss_-lnt.txt').split('\n');
  // Synthetic: the real LISTEN row with Recv-Q 17 over its backlog of 16.
  const file = path.join(tmp, 'overflow.txt');
  writeFileSync(file, `${header}\n${listen!.replace(/^LISTEN 0 {6}16/, 'LISTEN 17     16')}\n`);
  const res = run(['explain', file]);
  assert.equal(res.status, 1);
  assert.match(res.stdout, /\[ERROR\] +accept-queue-full · line 2\n/);
  assert.equal(res.stderr, '');
});

test('exit 1 on a capture of refused connections (connection-refused is an error); JSON ids from 1', () => {
  const res = run(['explain', '--json', input('03_connection_refused_tcpdump_nn.txt')]);
  assert.equal(res.status, 1);
  assert.equal(res.stderr, '');
  assert.equal(res.stdout, readFixture('golden', '03_connection_refused_tcpdump_nn.json'));
});

test('--format netstat picks the netstat family by detection; a wrong forced format reads no sockets', () => {
  const linux = JSON.parse(run(['explain', '--json', '--format', 'netstat', input('07_time_wait_300_netstat_-ant.txt')]).stdout) as { blocks: { format: string }[]; sockets: unknown[] };
  assert.deepEqual(linux.blocks.map((b) => b.format), ['netstat-linux']);
  assert.equal(linux.sockets.length, 300);
  const windows = JSON.parse(run(['explain', '--json', '--format', 'netstat', input('windows_zh-CN_close_wait_4_netstat_-ano.txt')]).stdout) as { blocks: { format: string }[]; sockets: unknown[] };
  assert.deepEqual(windows.blocks.map((b) => b.format), ['netstat-windows']);
  assert.equal(windows.sockets.length, 17);
  const forced = JSON.parse(run(['explain', '--json', '--format', 'tcpdump', input('13_v6_close_wait_fin_wait2_netstat_-natp.txt')]).stdout) as { blocks: unknown[]; sockets: unknown[] };
  assert.equal(forced.sockets.length, 0);
  assert.equal(forced.blocks.length, 0);
});

test('human report on the terminal path: English and Chinese, exit 0', () => {
  const en = run(['explain', input('07_time_wait_300_ss_-tanp.txt')]);
  assert.equal(en.status, 0);
  assert.match(en.stdout, /^TCP Lens report — .*07_time_wait_300_ss_-tanp\.txt\n301 lines · 1 block · 300 sockets\n\n1 finding: 0 errors, 0 warnings, 1 info\n\n\[INFO\] +time-wait-pileup · lines 2–301 \(300\)\n/);
  assert.ok(!en.stdout.includes('\u001b['), 'no colour when not on a terminal');
  const zh = run(['explain', input('07_time_wait_300_ss_-tanp.txt')], undefined, { LANG: 'zh_CN.UTF-8' });
  assert.match(zh.stdout, /^TCP Lens 分析报告 — .*\n301 行，1 段输出，300 个套接字\n\n1 条发现：0 个错误，0 个警告，1 条提示\n\n\[提示\] +time-wait-pileup · 第 2–301 行（共 300 行）\n/);
});

test('diagram: mermaid for connection N (1-based), default the first; one-line errors otherwise', () => {
  const file = input('03_connection_refused_tcpdump_nn.txt');
  const model = analyse(readFixture('golden', 'inputs', '03_connection_refused_tcpdump_nn.txt'));
  const first = run(['diagram', file]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stderr, '');
  assert.ok(first.stdout.startsWith('sequenceDiagram\n'));
  // The CLI prints exactly what the library builds for the model's connection 0 (#1).
  assert.equal(first.stdout, connectionDiagramText(model, 0, 'en'));
  assert.equal(run(['diagram', '--connection', '1', file]).stdout, first.stdout);
  const third = run(['diagram', '--connection=3', file]);
  assert.equal(third.status, 0);
  assert.equal(third.stdout, connectionDiagramText(model, 2, 'en'));
  assert.notEqual(third.stdout, first.stdout);
  assert.equal(run(['diagram', '--lang', 'zh-cn', file]).stdout, connectionDiagramText(model, 0, 'zh-cn'));
  assertOneLineError(run(['diagram', '--connection', '4', file]), 3, /diagram: there is no connection 4; .*03_connection_refused_tcpdump_nn\.txt has connections 1–3$/);
  assertOneLineError(run(['diagram', '--connection', '0', file]), 3, /there is no connection 0;/);
  assertOneLineError(
    run(['diagram', input('13_v6_close_wait_fin_wait2_ss_-tanp.txt')]),
    3,
    /diagram: no TCP connection found in .*ss_-tanp\.txt \(diagram needs tcpdump or tshark output\)$/,
  );
  assertOneLineError(run(['diagram', '--json', file]), 2, /--json is for the explain command/);
});
