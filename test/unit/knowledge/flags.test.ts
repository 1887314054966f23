import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TcpFlag } from '../../../src/core/model';
import {
  describeFlagSet,
  explainFlagSet,
  FLAGS,
  lookupFlag,
  parseFlagSet,
  spellFlags,
} from '../../../src/core/knowledge/flags';
import type { SegmentRole } from '../../../src/core/knowledge/flags';
import { readFixture } from '../support';

test('tcpdump 4.x letters and tshark names map to flags', () => {
  const cases: [string, TcpFlag[]][] = [
    ['[S]', ['SYN']],
    ['[S.]', ['SYN', 'ACK']],
    ['[.]', ['ACK']],
    ['[P.]', ['PSH', 'ACK']],
    ['[F.]', ['FIN', 'ACK']],
    ['[FP.]', ['FIN', 'PSH', 'ACK']],
    ['[R]', ['RST']],
    ['[R.]', ['RST', 'ACK']],
    ['[none]', []],
    ['[SEW]', ['SYN', 'ECE', 'CWR']],
    ['[S.E]', ['SYN', 'ACK', 'ECE']],
    ['[SEWe]', ['SYN', 'ECE', 'CWR', 'AE']],
    ['[FSRP.UEW]', ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR']],
    ['Flags [P.],', ['PSH', 'ACK']],
    ['S.', ['SYN', 'ACK']],
    ['[SYN]', ['SYN']],
    ['[SYN, ACK]', ['SYN', 'ACK']],
    ['[PSH, ACK]', ['PSH', 'ACK']],
    ['[FIN, PSH, ACK]', ['FIN', 'PSH', 'ACK']],
    ['[RST, ACK]', ['RST', 'ACK']],
    ['[SYN, ECN, CWR]', ['SYN', 'ECE', 'CWR']],
    ['[SYN, ECE, CWR, NS]', ['SYN', 'ECE', 'CWR', 'AE']],
    ['<None>', []],
    ['RST', ['RST']],
  ];
  for (const [text, flags] of cases) {
    const p = parseFlagSet(text);
    assert.ok(p, text);
    assert.deepEqual(p.flags, flags, text);
    assert.deepEqual(p.unknown, [], text);
  }
  assert.equal(parseFlagSet('[SYN, ACK]')!.style, 'tshark');
  assert.equal(parseFlagSet('[S.]')!.style, 'tcpdump');
  assert.deepEqual(parseFlagSet('[SX]')!.unknown, ['X']);
  assert.equal(parseFlagSet(''), undefined);
});

test('tcpdump 3.x: letters S F R P, `.` for none of them, ACK from the ack field', () => {
  assert.deepEqual(parseFlagSet('S', { style: 'tcpdump-3' })!.flags, ['SYN']);
  assert.deepEqual(parseFlagSet('S', { style: 'tcpdump-3', hasAck: true })!.flags, ['SYN', 'ACK']);
  assert.deepEqual(parseFlagSet('.', { style: 'tcpdump-3', hasAck: true })!.flags, ['ACK']);
  assert.deepEqual(parseFlagSet('FP', { style: 'tcpdump-3', hasAck: true })!.flags, ['FIN', 'PSH', 'ACK']);
  assert.equal(spellFlags(['SYN', 'ACK'], 'tcpdump-3'), 'S');
  assert.equal(spellFlags(['ACK'], 'tcpdump-3'), '.');
  assert.equal(spellFlags(['FIN', 'SYN', 'CWR', 'ECE'], 'tcpdump-3'), 'SFWE');
});

test('every one of the 512 flag combinations survives spell -> parse in tcpdump and tshark style', () => {
  const all = FLAGS.map((f) => f.flag);
  for (let mask = 0; mask < 1 << all.length; mask++) {
    const flags = all.filter((_, i) => mask & (1 << i));
    for (const style of ['tcpdump', 'tshark'] as const) {
      const text = spellFlags(flags, style);
      assert.deepEqual(parseFlagSet(`[${text}]`, { style })!.flags, flags, `${style} ${text}`);
    }
  }
  assert.equal(spellFlags(['ACK', 'SYN'], 'tcpdump'), 'S.');
  assert.equal(spellFlags(['ACK', 'SYN'], 'tshark'), 'SYN, ACK');
  assert.equal(spellFlags([], 'tcpdump'), 'none');
  assert.equal(spellFlags([], 'tshark'), '<None>');
});

test('single flags by any name', () => {
  assert.equal(lookupFlag('.')!.flag, 'ACK');
  assert.equal(lookupFlag('S')!.flag, 'SYN');
  assert.equal(lookupFlag('e')!.flag, 'AE');
  assert.equal(lookupFlag('ECN')!.flag, 'ECE');
  assert.equal(lookupFlag('psh')!.flag, 'PSH');
  assert.equal(lookupFlag('X'), undefined);
});

test('what the segment is doing, by flags and length', () => {
  const cases: [string, number | undefined, SegmentRole][] = [
    ['[S]', 0, 'open'],
    ['[S.]', 0, 'answer-syn'],
    ['[.]', 0, 'ack'],
    ['[.]', 1448, 'data'],
    ['[P.]', 8, 'data'],
    ['[P.]', undefined, 'data'],
    ['[F.]', 0, 'close'],
    ['[FP.]', 20, 'close-with-data'],
    ['[R]', 0, 'reset'],
    ['[R.]', 0, 'reset'],
    ['[none]', 0, 'no-flags'],
    ['[F]', 0, 'unusual'],
    ['[FSRP.UEW]', 0, 'unusual'],
    ['[SF]', 0, 'unusual'],
    ['[SYN, ACK]', 0, 'answer-syn'],
    ['<None>', 0, 'no-flags'],
  ];
  for (const [text, len, role] of cases) {
    assert.equal(explainFlagSet(text, { len })!.role, role, `${text} len ${len}`);
  }
  assert.match(explainFlagSet('[R.]')!.meaning.en, /ECONNREFUSED/);
  assert.match(explainFlagSet('[R]')!.meaning.en, /seq is copied from that segment's ack/);
  assert.match(explainFlagSet('[SEW]')!.meaning.en, /the client asks to use ECN/);
  assert.match(explainFlagSet('[SEWe]')!.meaning.en, /Accurate ECN/);
  assert.match(explainFlagSet('[S.W]')!.meaning.en, /agrees to Accurate ECN/);
  assert.match(explainFlagSet('[S.E]')!.meaning.en, /agrees to use ECN/);
  assert.match(explainFlagSet('[.E]', { len: 0 })!.meaning.en, /ECE: a router marked congestion/);
  assert.match(explainFlagSet('[FP.]', { len: 20 })!.meaning['zh-cn'], /最后 20 字节数据/);
});

/** `Flags [X]` and `length N` of every tcpdump 4.x line in a file. */
function tcpdumpSegments(text: string): { flags: string; len: number }[] {
  const out: { flags: string; len: number }[] = [];
  for (const line of text.split('\n')) {
    const f = line.indexOf('Flags [');
    if (f < 0) continue;
    const close = line.indexOf(']', f);
    const l = line.lastIndexOf(', length ');
    const len = l < 0 ? NaN : parseInt(line.slice(l + 9), 10);
    out.push({ flags: line.slice(f + 6, close + 1), len });
  }
  return out;
}

test('real tcpdump captures: the role agrees with flags and length on every line', () => {
  const four = tcpdumpSegments(readFixture('knowledge', 'four_way_tcpdump_nn.txt'));
  assert.equal(four.length, 11);
  assert.deepEqual(
    four.map((s) => explainFlagSet(s.flags, { len: s.len })!.role),
    ['open', 'answer-syn', 'ack', 'data', 'ack', 'data', 'ack', 'close', 'ack', 'close', 'ack'],
  );
  const refused = tcpdumpSegments(readFixture('knowledge', 'refused_tcpdump_tttt_S_v.txt'));
  assert.equal(refused.length, 6);
  assert.deepEqual(
    refused.map((s) => explainFlagSet(s.flags, { len: s.len })!.role),
    ['open', 'reset', 'open', 'reset', 'open', 'reset'],
  );
  const accecn = tcpdumpSegments(readFixture('knowledge', 'tcpdump-tests_accecn_handshake.out'));
  assert.deepEqual(
    accecn.map((s) => s.flags),
    ['[SEWe]', '[S.W]', '[.W]', '[P.Ee]', '[.Ee]', '[.Ee]'],
  );
  assert.deepEqual(
    accecn.map((s) => explainFlagSet(s.flags, { len: s.len })!.role),
    ['open', 'answer-syn', 'ack', 'data', 'ack', 'data'],
  );
  const eight = tcpdumpSegments(readFixture('knowledge', 'tcpdump-tests_tcp_eight_lowest_weight_flags_set.out'));
  assert.equal(explainFlagSet(eight[0]!.flags)!.role, 'unusual');
  const nullFlags = tcpdumpSegments(readFixture('knowledge', 'tcpdump_issue391_null_flags_excerpt.txt'));
  const noneLines = nullFlags.filter((s) => s.flags === '[none]');
  assert.ok(noneLines.length >= 1);
  for (const s of noneLines) assert.equal(explainFlagSet(s.flags, { len: s.len })!.role, 'no-flags');
  const nuttx = tcpdumpSegments(readFixture('knowledge', 'nuttx_pr17683_syn_rst_excerpt.txt'));
  const resets = nuttx.filter((s) => s.flags.startsWith('[R'));
  assert.deepEqual(resets.map((s) => s.flags).sort(), ['[R.]', '[R]']);
  for (const s of resets) assert.equal(explainFlagSet(s.flags, { len: s.len })!.role, 'reset');
});

test('real tshark captures: bracketed flag names', () => {
  const roles: SegmentRole[] = [];
  for (const line of readFixture('knowledge', 'four_way_tshark.txt').split('\n')) {
    const a = line.indexOf('[');
    if (a < 0) continue;
    const b = line.indexOf(']', a);
    const len = parseInt(line.slice(line.indexOf('Len=') + 4), 10);
    const ex = explainFlagSet(line.slice(a, b + 1), { len });
    assert.ok(ex, line);
    assert.equal(ex.style, 'tshark');
    roles.push(ex.role);
  }
  assert.deepEqual(roles, ['open', 'answer-syn', 'ack', 'data', 'ack', 'data', 'ack', 'close', 'ack', 'close', 'ack']);
  const refused = readFixture('knowledge', 'refused_tshark.txt').split('\n').filter((l) => l.includes('[RST, ACK]'));
  assert.equal(refused.length, 1);
  const rst = explainFlagSet('[RST, ACK]', { len: 0 })!;
  assert.equal(rst.role, 'reset');
  assert.deepEqual(rst.flags, ['RST', 'ACK']);
});

test('real tcpdump 3.9 output: letters plus the ack field', () => {
  const roles: SegmentRole[] = [];
  for (const line of readFixture('knowledge', 'tcpdump-3.9.8_tests_print-x.out').split('\n')) {
    const colon = line.indexOf(': ', line.indexOf(' > '));
    if (line.indexOf(' > ') < 0 || colon < 0) continue;
    const rest = line.slice(colon + 2);
    const letters = rest.slice(0, rest.indexOf(' '));
    const hasAck = rest.includes(' ack ');
    const open = rest.indexOf('(');
    const len = open >= 0 && /^\d/.test(rest.split(' ')[1] ?? '') ? parseInt(rest.slice(open + 1), 10) : 0;
    roles.push(explainFlagSet(letters, { style: 'tcpdump-3', hasAck, len })!.role);
  }
  assert.deepEqual(roles, ['open', 'answer-syn', 'ack', 'data', 'ack', 'data', 'ack', 'close', 'close', 'ack']);
});

test('describeFlagSet lists each flag with the tool\'s own spelling', () => {
  const en = describeFlagSet('[S.]', 'en')!;
  assert.ok(en.startsWith('**Answering a SYN**'));
  assert.ok(en.includes('- `S` SYN (synchronize): '));
  assert.ok(en.includes('- `.` ACK (acknowledgment): '));
  const zh = describeFlagSet('[SYN, ACK]', 'zh-cn')!;
  assert.ok(zh.includes('- `SYN` SYN（同步）：'));
  assert.ok(describeFlagSet('.', 'en', { style: 'tcpdump-3', hasAck: true })!.includes('tcpdump 3.x style'));
  assert.ok(describeFlagSet('[SX]', 'en')!.includes('Not understood: `X`'));
  assert.equal(describeFlagSet('[XY]', 'en'), undefined);
});
