// Every real ss/netstat capture we hold parses with nothing left over, and the reader's per-state counts equal a count
// made the way a shell pipeline makes it (split on blanks, take a column), not by the reader's own logic.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { canonicalState } from '../../../src/core/tcp/states';
import { splitLines } from '../../../src/core/text';
import { fixturePath, readFixture } from '../support';
import { awkHistogram, checkTokens, fields, sorted, stateTextHistogram, walk } from './socketTestSupport';
import type { SocketRow } from '../../../src/core/model';

function protoHistogram(rows: readonly SocketRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.proto, (counts.get(r.proto) ?? 0) + 1);
  return counts;
}

const SOCKETS = fixturePath('sockets');
const snapshotFiles = walk(SOCKETS).filter((f) => /\/snap_[^/]+\/(?:ss|netstat)_[^/]+$/.test(f));

/** Which table a snapshot file holds, how many header lines it starts with, and the awk column of the state. */
function tableKind(file: string): { format: 'ss' | 'netstat-linux'; skip: number; col: number } | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base === 'ss_-tanoie.txt' || base === 'ss_-tanp.txt' || base === 'ss_-lnt.txt') return { format: 'ss', skip: 1, col: 1 };
  if (base === 'netstat_-ant.txt' || base === 'netstat_-natp.txt') return { format: 'netstat-linux', skip: 2, col: 6 };
  return undefined; // netstat -s statistics, and the 07 shell-pipeline counts: no socket table
}

test('the snapshot corpus is all there', () => {
  const tables = snapshotFiles.filter((f) => tableKind(f));
  const snapshots = new Set(snapshotFiles.map((f) => f.slice(0, f.lastIndexOf('/'))));
  // 6 scenarios, 19 snapshots, 5 socket tables each, and netstat -s in every one.
  assert.equal(snapshots.size, 19);
  assert.equal(tables.length, 5 * 19);
  assert.equal(snapshotFiles.filter((f) => f.endsWith('/netstat_-s.txt')).length, 19);
});

for (const file of snapshotFiles) {
  const kind = tableKind(file);
  test(`snapshot ${file}`, () => {
    const text = readFixture('sockets', file);
    const lines = splitLines(text);
    const doc = parseText(text);
    assert.deepEqual(doc.unparsed, []);
    if (!kind) {
      // netstat -s (statistics), its grep, ss -s, and the 07 counts: never read as a socket table.
      assert.equal(doc.sockets.length, 0);
      assert.equal(doc.blocks.length, 0);
      return;
    }
    assert.equal(doc.blocks.length, 1);
    assert.equal(doc.blocks[0]!.format, kind.format);
    assert.equal(doc.blocks[0]!.firstLine, 0);
    const expected = awkHistogram(text, kind.skip, kind.col);
    assert.deepEqual(sorted(stateTextHistogram(doc.sockets)), sorted(expected));
    const protos = kind.format === 'ss' ? undefined : awkHistogram(text, kind.skip, 1);
    if (protos) assert.deepEqual(sorted(protoHistogram(doc.sockets)), sorted(protos));
    for (const row of doc.sockets) {
      // ss -t has no Netid column: the reader calls its rows tcp; netstat prints tcp or tcp6.
      if (kind.format === 'ss') assert.equal(row.proto, 'tcp');
      assert.equal(row.state, canonicalState(row.stateText));
      assert.notEqual(row.state, undefined);
    }
    // Header lines are furniture; every other non-blank line is a row or (ss -i) the row's second line.
    assert.deepEqual(doc.headerLines, kind.skip === 1 ? [0] : [0, 1]);
    const covered = doc.sockets.reduce((n, r) => n + (r.lastLine - r.line + 1), 0);
    assert.equal(covered + kind.skip, lines.filter((l) => l.trim() !== '').length);
    checkTokens(doc, lines);
  });
}

test('07_many_time_wait: counts match the shell pipelines run at capture time', () => {
  const dir = '07_many_time_wait/snap_1_after_300_connections';
  const read = (name: string): string => readFixture('sockets', dir, name);
  const netstat = parseText(read('netstat_-ant.txt')).sockets;
  const ssRows = parseText(read('ss_-tanoie.txt')).sockets;
  const ssTanp = parseText(read('ss_-tanp.txt')).sockets;

  // netstat -ant | grep -c TIME_WAIT  -> 300
  const grepC = Number(read('netstat_-ant_grep-c_TIME_WAIT.txt').trim());
  assert.equal(grepC, 300);
  assert.equal(netstat.filter((r) => r.stateText === 'TIME_WAIT').length, grepC);

  // netstat -ant | awk 'NR>2{print $6}' | sort | uniq -c  ->  "    300 TIME_WAIT"
  const histogram = (name: string): [string, number][] =>
    splitLines(read(name))
      .filter((l) => l.trim())
      .map((l) => {
        const [n, s] = fields(l);
        return [s!, Number(n)] as [string, number];
      });
  assert.deepEqual(histogram('netstat_-ant_state_histogram.txt'), [['TIME_WAIT', 300]]);
  assert.deepEqual(sorted(stateTextHistogram(netstat)), histogram('netstat_-ant_state_histogram.txt'));

  // ss -tan | awk 'NR>1{print $1}' | sort | uniq -c  ->  "    300 TIME-WAIT"
  assert.deepEqual(histogram('ss_-tan_state_histogram.txt'), [['TIME-WAIT', 300]]);
  assert.deepEqual(sorted(stateTextHistogram(ssRows)), histogram('ss_-tan_state_histogram.txt'));
  assert.deepEqual(sorted(stateTextHistogram(ssTanp)), histogram('ss_-tan_state_histogram.txt'));

  // ss -tan state time-wait | wc -l  ->  301 (300 rows and the header)
  assert.equal(Number(read('ss_-tan_state_time-wait_wc-l.txt').trim()), ssRows.filter((r) => r.state === 'TIME-WAIT').length + 1);

  // README ground truth: every TIME-WAIT socket is a client port 49050..51706 towards 127.0.0.1:8080, timer ~59 s.
  for (const rows of [netstat, ssRows]) {
    assert.equal(rows.length, 300);
    for (const r of rows) {
      assert.equal(r.state, 'TIME-WAIT');
      assert.equal(r.local.address, '127.0.0.1');
      assert.ok(typeof r.local.port === 'number' && r.local.port >= 49050 && r.local.port <= 51706);
      assert.deepEqual(r.remote, { address: '127.0.0.1', port: 8080 });
    }
  }
  const ports = new Set(ssRows.map((r) => r.local.port));
  assert.equal(ports.size, 300);
  assert.deepEqual(new Set(netstat.map((r) => r.local.port)), ports);
  for (const r of ssRows) {
    assert.equal(r.timer?.kind, 'timewait');
    assert.ok(r.timer!.expiresMs === 59_000 || r.timer!.expiresMs === 58_000);
  }
  assert.equal(parseText(read('ss_-s.txt')).sockets.length, 0);
});

// Third-party output: excerpts with chatter (markdown fences, prompts, help text) around real tables.
const STATE_WORDS = new Set([
  'LISTEN',
  'LISTENING',
  'ESTABLISHED',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'SYN_SENT',
  'SYN_RCVD',
  'SYN_RECEIVED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'LAST_ACK',
  'CLOSING',
  'CLOSED',
]);
const PROTO_WORD = /^(?:tcp|udp|icm|raw|TCP|UDP)\d*$/;

/** Rows as a person would count them: a protocol word among the first three fields, then at least two fields. */
function rowLike(text: string): { rows: number; states: Map<string, number> } {
  let rows = 0;
  const states = new Map<string, number>();
  for (const line of splitLines(text)) {
    const f = fields(line);
    const p = f.slice(0, 3).findIndex((w) => PROTO_WORD.test(w));
    if (p < 0 || f.length - p - 1 < 2) continue;
    rows++;
    const s = f.find((w) => STATE_WORDS.has(w)) ?? (/^\d+$/.test(f[p + 5] ?? '') && f[p]!.startsWith('raw') ? f[p + 5]! : '');
    states.set(s, (states.get(s) ?? 0) + 1);
  }
  return { rows, states };
}

const PUBLIC: Record<string, { format?: string; variant?: string; unparsed?: string[] }> = {
  'busybox/muninlite_issue14_busybox_v1.31.1_netstat_-s_usage_excerpt.txt': {},
  'busybox/rt2860v2-openwrt_issue11_mt7688_netstat_-an_excerpt.txt': { format: 'netstat-linux', variant: 'busybox netstat' },
  'freebsd/jc_freebsd12_netstat-Aa.out': { format: 'netstat-bsd', variant: 'freebsd netstat -A' },
  'freebsd/jc_freebsd12_netstat-AaT.out': { format: 'netstat-bsd', variant: 'freebsd netstat -A -T' },
  'freebsd/jc_freebsd12_netstat-AanP.out': { format: 'netstat-bsd', variant: 'freebsd netstat -A -P' },
  'freebsd/jc_freebsd12_netstat-Aax.out': { format: 'netstat-bsd', variant: 'freebsd netstat -A -x' },
  'freebsd/jc_freebsd12_netstat-aT.out': { format: 'netstat-bsd', variant: 'freebsd netstat -T' },
  'freebsd/jc_freebsd12_netstat-an.out': { format: 'netstat-bsd', variant: 'freebsd netstat' },
  'macos/jc_osx-10.14.6_netstat-Abn.out': { format: 'netstat-bsd', variant: 'macos netstat -A -b' },
  'macos/jc_osx-10.14.6_netstat-An.out': { format: 'netstat-bsd', variant: 'macos netstat -A' },
  'macos/jc_osx-10.14.6_netstat.out': { format: 'netstat-bsd', variant: 'bsd netstat' },
  'macos/node-netstat_issue26_macos-mojave_netstat_-v_-n_-p_tcp_excerpt.txt': { format: 'netstat-bsd', variant: 'macos netstat -v' },
  'windows_en/jc_windows-10_netstat-an.out': { format: 'netstat-windows', variant: 'windows netstat' },
  'windows_en/jc_windows-10_netstat-aon.out': { format: 'netstat-windows', variant: 'windows netstat -o' },
  'windows_en/jc_windows-10_netstat-aonb.out': { format: 'netstat-windows', variant: 'windows netstat -o -b' },
  'windows_en/jc_windows-10_netstat.out': { format: 'netstat-windows', variant: 'windows netstat' },
  // The index that served these excerpts cut the last row mid-way: those lines are reported, not guessed.
  'windows_zh-CN/billfeller_issue174_netstat_help_and_-ano_excerpt.txt': {
    format: 'netstat-windows',
    variant: 'windows netstat -o (zh-cn)',
    unparsed: ['  TCP    127.0.0'],
  },
  'windows_zh-CN/shadowsocksr-csharp_issue6_netstat_-ano_close_wait_excerpt.txt': {
    format: 'netstat-windows',
    variant: 'windows netstat -o (zh-cn)',
    unparsed: ['TCP    1'],
  },
};

test('every public sample is listed', () => {
  const files = walk(fixturePath('sockets', 'public')).filter((f) => !f.endsWith('SOURCE.txt'));
  assert.deepEqual(files, Object.keys(PUBLIC).sort());
});

for (const [file, expect] of Object.entries(PUBLIC)) {
  test(`public sample ${file}`, () => {
    const text = readFixture('sockets', 'public', file);
    const lines = splitLines(text);
    const doc = parseText(text);
    assert.deepEqual(
      doc.unparsed.map((u) => u.text),
      expect.unparsed ?? [],
    );
    if (!expect.format) {
      assert.equal(doc.sockets.length, 0);
      assert.equal(doc.blocks.length, 0);
      return;
    }
    assert.deepEqual(
      doc.blocks.map((b) => [b.format, b.variant]),
      [[expect.format, expect.variant]],
    );
    // The cut rows have fewer than two fields after the protocol, so the independent count leaves them out too.
    const counted = rowLike(text);
    assert.equal(doc.sockets.length, counted.rows);
    assert.deepEqual(sorted(stateTextHistogram(doc.sockets)), sorted(counted.states));
    // Help text, prompts and fences around the table are not rows.
    const block = doc.blocks[0]!;
    for (const r of doc.sockets) assert.ok(r.line >= block.firstLine && r.lastLine <= block.lastLine);
    checkTokens(doc, lines);
  });
}

// Robustness: real tables with lines damaged at random (seeded, so a failure replays). Whatever the damage, parsing
// never throws, every line of every block is accounted for (a row, a row's continuation, furniture, or listed as
// unparsed), and every token stays on its line.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s ^= s >>> 13;
    return s / 0x100000000;
  };
}

const NOISE = ['(', ')', '"', ':', '[', ']', '%', '\t', ' ', '/', '.', '*', '0', '9', 'x', '活', '\u0000', '\\', ',', '=', '<->'];

function damage(line: string, rnd: () => number): string {
  const kind = Math.floor(rnd() * 5);
  const at = Math.floor(rnd() * (line.length + 1));
  if (kind === 0) return line.slice(0, at);
  if (kind === 1) return line.slice(0, at) + NOISE[Math.floor(rnd() * NOISE.length)]! + line.slice(at);
  if (kind === 2) return line.slice(0, at) + line.slice(at + 1 + Math.floor(rnd() * 8));
  if (kind === 3) return line.slice(0, at) + NOISE[Math.floor(rnd() * NOISE.length)]!.repeat(1 + Math.floor(rnd() * 3000));
  return line;
}

test('damaged tables never throw and every block line gets a verdict', () => {
  const sources = [
    readFixture('sockets', '01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt'),
    readFixture('sockets', '13_ipv6_loopback/dual_stack_v4_mapped/snap_1_established', 'netstat_-natp.txt'),
    readFixture('jc', 'centos-7.7', 'ss-sudo-a.out'),
    readFixture('jc', 'centos-7.7', 'netstat-sudo-aeep.out'),
    readFixture('jc', 'osx-10.14.6', 'netstat-Abn.out'),
    readFixture('jc', 'freebsd12', 'netstat-AaT.out'),
    readFixture('jc', 'windows-10', 'netstat-aonb.out'),
    readFixture('sockets', 'public', 'windows_zh-CN', 'shadowsocksr-csharp_issue6_netstat_-ano_close_wait_excerpt.txt'),
  ].map((t) => splitLines(t).slice(0, 60));
  const rnd = prng(20261121);
  let rows = 0;
  let unparsed = 0;
  for (let round = 0; round < 400; round++) {
    const src = sources[round % sources.length]!;
    const lines = src.map((l) => (rnd() < 0.25 ? damage(l, rnd) : l));
    for (const format of ['auto', 'ss', 'netstat-linux', 'netstat-bsd', 'netstat-windows'] as const) {
      const doc = parseLines(lines, { format });
      const covered = new Set<number>([...doc.headerLines, ...doc.unparsed.map((u) => u.line)]);
      for (const r of doc.sockets) for (let i = r.line; i <= r.lastLine; i++) covered.add(i);
      for (const s of doc.segments) for (let i = s.line; i <= s.lastLine; i++) covered.add(i);
      for (const b of doc.blocks) {
        for (let i = b.firstLine; i <= b.lastLine; i++) {
          if (lines[i]!.trim() !== '') assert.ok(covered.has(i), `round ${round} ${format}: line ${i} ${JSON.stringify(lines[i]!.slice(0, 80))}`);
        }
      }
      for (const r of doc.sockets) {
        for (const t of r.tokens) {
          assert.ok(t.start >= 0 && t.start < t.end && t.end <= lines[t.line]!.length, `round ${round} ${format}: ${JSON.stringify(t)} on ${JSON.stringify(lines[t.line]!.slice(0, 200))} row ${r.line}-${r.lastLine}`);
        }
      }
      rows += doc.sockets.length;
      unparsed += doc.unparsed.length;
    }
  }
  assert.ok(rows > 10_000);
  assert.ok(unparsed > 100);
});
