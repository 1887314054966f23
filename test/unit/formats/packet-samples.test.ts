// Every real tcpdump/tshark capture we hold (test/fixtures/packets, copied from shared/samples) reads with nothing left
// over, and the segment count equals what the tools themselves reported (tcpdump's `N packets captured` on stderr,
// tshark's last frame number) and a count made without the reader (lines carrying `: Flags [` / an arrow).
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseText } from '../../../src/core/formats/detect';
import type { ParsedDocument, Segment } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';
import { fixturePath, readFixture } from '../support';

const ROOT = fixturePath('packets');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

const captureFiles = walk(ROOT)
  .map((f) => path.relative(ROOT, f))
  .filter((f) => !f.startsWith('public') && !f.startsWith('generated') && /(?:tcpdump_nn|tcpdump_tttt_S_v|tshark)\.txt$/.test(f))
  .sort();

function load(rel: string): { text: string; lines: string[]; doc: ParsedDocument } {
  const text = readFixture('packets', rel);
  return { text, lines: splitLines(text), doc: parseText(text) };
}

/** `11 packets captured` from the tcpdump run's stderr. */
function capturedCount(rel: string): number {
  const stderr = readFixture('packets', rel.replace(/\.txt$/, '.stderr.txt'));
  const m = /^(\d+) packets? captured$/m.exec(stderr);
  assert.ok(m, `no 'packets captured' line in the stderr of ${rel}`);
  return Number(m[1]);
}

/** Every non-blank line of the block is a segment's line, one of its continuation lines, or furniture. */
function assertEveryLineAccounted(doc: ParsedDocument, lines: readonly string[]): void {
  const covered = new Set<number>(doc.headerLines);
  for (const s of doc.segments) for (let i = s.line; i <= s.lastLine; i++) covered.add(i);
  for (const b of doc.blocks) {
    for (let i = b.firstLine; i <= b.lastLine; i++) {
      if (lines[i]!.trim() !== '') assert.ok(covered.has(i), `line ${i} is in a block but not accounted for: ${lines[i]}`);
    }
  }
}

test('the packet capture corpus is all there', () => {
  // 01 (two runs), 03, 05, 07, 10 (sender + receiver), 13 (two runs): 9 captures x 3 text renderings.
  assert.equal(captureFiles.length, 27);
});

for (const rel of captureFiles) {
  test(`capture ${rel}`, () => {
    const { lines, doc } = load(rel);
    const isTshark = rel.endsWith('tshark.txt');
    assert.deepEqual(doc.unparsed, []);
    assert.equal(doc.blocks.length, 1);
    const block = doc.blocks[0]!;
    assert.equal(block.format, isTshark ? 'tshark' : 'tcpdump');
    assert.equal(block.firstLine, 0);
    assertEveryLineAccounted(doc, lines);
    const segs = doc.segments;
    if (isTshark) {
      const rows = lines.filter((l) => l.includes(' \u2192 '));
      const lastFrame = Number(/^\s*(\d+)\s/.exec(rows[rows.length - 1]!)![1]);
      assert.equal(segs.length, lastFrame);
      assert.equal(segs.length, rows.length);
      assert.deepEqual(
        segs.map((s) => s.number),
        rows.map((_, i) => i + 1),
      );
      for (const s of segs) assert.equal(s.source, 'tshark');
    } else {
      assert.equal(segs.length, capturedCount(rel));
      assert.equal(segs.length, lines.filter((l) => l.includes(': Flags [')).length);
      for (const s of segs) assert.equal(s.source, 'tcpdump');
      const verbose = rel.endsWith('tcpdump_tttt_S_v.txt');
      assert.equal(block.variant, verbose ? 'tcpdump -tttt -v' : 'tcpdump');
    }
    // Time only moves forward in these captures, and each segment's lines are in order.
    for (let i = 1; i < segs.length; i++) {
      assert.ok(segs[i]!.timeSeconds! >= segs[i - 1]!.timeSeconds!, `time goes back at segment ${i}`);
      assert.ok(segs[i]!.line > segs[i - 1]!.lastLine);
    }
    for (const s of segs) {
      assert.ok(s.lastLine >= s.line);
      // Every token lies on one of the segment's lines, inside the text.
      for (const t of s.tokens) {
        assert.ok(t.line >= s.line && t.line <= s.lastLine);
        assert.ok(t.start < t.end && t.end <= lines[t.line]!.length, `token ${t.kind} out of range`);
      }
    }
  });
}

function tokenText(lines: readonly string[], s: Segment, kind: string, name?: string): string[] {
  return s.tokens.filter((t) => t.kind === kind && (name === undefined || t.name === name)).map((t) => lines[t.line]!.slice(t.start, t.end));
}

test('01 four-way close, tcpdump -nn: exact fields', () => {
  const { lines, doc } = load('01_normal_client_close/four_way/tcpdump_nn.txt');
  const [syn, synack, ack, push, , , , fin] = doc.segments;
  assert.deepEqual(syn!.src, { address: '127.0.0.1', port: 46548 });
  assert.deepEqual(syn!.dst, { address: '127.0.0.1', port: 8080 });
  assert.deepEqual(syn!.flags, ['SYN']);
  assert.equal(syn!.flagText, 'S');
  assert.equal(syn!.seq, 2426382983);
  assert.equal(syn!.seqEnd, 2426382983);
  assert.equal(syn!.ack, undefined);
  assert.equal(syn!.win, 65495);
  assert.equal(syn!.len, 0);
  assert.equal(syn!.time, '13:35:11.002394');
  assert.ok(Math.abs(syn!.timeSeconds! - (13 * 3600 + 35 * 60 + 11.002394)) < 1e-9);
  assert.deepEqual(syn!.options, {
    raw: ['mss 65495', 'sackOK', 'TS val 1114579837 ecr 0', 'nop', 'wscale 10'],
    mss: 65495,
    wscale: 10,
    sackPermitted: true,
    tsVal: 1114579837,
    tsEcr: 0,
  });
  assert.deepEqual(tokenText(lines, syn!, 'option').length, 5);
  assert.deepEqual(tokenText(lines, syn!, 'option', 'TS'), ['TS val 1114579837 ecr 0']);
  assert.deepEqual(synack!.flags, ['SYN', 'ACK']);
  assert.equal(synack!.flagText, 'S.');
  assert.equal(synack!.ack, 2426382984);
  assert.equal(synack!.win, 65483);
  assert.deepEqual(ack!.flags, ['ACK']);
  assert.equal(ack!.seq, undefined);
  assert.equal(ack!.ack, 1);
  assert.equal(ack!.win, 64);
  assert.deepEqual(ack!.options!.raw, ['nop', 'nop', 'TS val 1114579837 ecr 1385129512']);
  assert.deepEqual(push!.flags, ['PSH', 'ACK']);
  assert.equal(push!.seq, 1);
  assert.equal(push!.seqEnd, 9);
  assert.equal(push!.len, 8);
  assert.deepEqual(tokenText(lines, push!, 'seq'), ['seq 1:9']);
  assert.deepEqual(tokenText(lines, push!, 'length'), ['length 8']);
  assert.deepEqual(tokenText(lines, push!, 'payload'), ['HTTP']);
  assert.deepEqual(tokenText(lines, push!, 'flags'), ['Flags [P.]']);
  assert.deepEqual(tokenText(lines, push!, 'srcEndpoint'), ['127.0.0.1.46548']);
  assert.deepEqual(tokenText(lines, push!, 'ipHeader'), ['IP']);
  assert.deepEqual(fin!.flags, ['FIN', 'ACK']);
  assert.equal(fin!.seq, 9);
  assert.equal(fin!.ack, 21);
  assert.equal(fin!.line, 7);
});

test('01 four-way close, tcpdump -tttt -S -v: two-line packets, absolute numbers, date-times', () => {
  const { lines, doc } = load('01_normal_client_close/four_way/tcpdump_tttt_S_v.txt');
  const syn = doc.segments[0]!;
  assert.equal(syn.line, 0);
  assert.equal(syn.lastLine, 1);
  assert.equal(syn.time, '2026-11-21 13:35:11.002393');
  // The printed civil time read as UTC (Date is fine in a test; core computes it without Date).
  assert.ok(Math.abs(syn.timeSeconds! - (Date.UTC(2026, 10, 21, 13, 35, 11) / 1000 + 0.002393)) < 1e-6);
  assert.deepEqual(tokenText(lines, syn, 'ipHeader'), [
    'IP (tos 0x0, ttl 64, id 35802, offset 0, flags [DF], proto TCP (6), length 60)',
  ]);
  assert.equal(syn.tokens.find((t) => t.kind === 'ipHeader')!.line, 0);
  assert.equal(syn.tokens.find((t) => t.kind === 'flags')!.line, 1);
  assert.deepEqual(tokenText(lines, syn, 'checksum'), ['cksum 0xfe30 (incorrect -> 0xd986)']);
  const push = doc.segments[3]!;
  assert.equal(push.line, 6);
  assert.equal(push.lastLine, 7);
  assert.equal(push.seq, 2426382984);
  assert.equal(push.seqEnd, 2426382992);
  assert.equal(push.ack, 2017022055);
  assert.equal(push.len, 8);
  const last = doc.segments[10]!;
  assert.equal(last.line, 20);
  assert.equal(last.lastLine, 21);
  assert.deepEqual(last.flags, ['ACK']);
  assert.equal(last.ack, 2017022076);
  assert.deepEqual(tokenText(lines, last, 'checksum'), ['cksum 0x687f (correct)']);
});

test('01 four-way close, tshark: relative numbers, scaled window, WS multiplier', () => {
  const { lines, doc } = load('01_normal_client_close/four_way/tshark.txt');
  const synack = doc.segments[1]!;
  assert.equal(synack.number, 2);
  assert.equal(synack.time, '0.000015');
  assert.equal(synack.timeSeconds, 0.000015);
  assert.deepEqual(synack.src, { address: '127.0.0.1', port: 8080 });
  assert.deepEqual(synack.dst, { address: '127.0.0.1', port: 46548 });
  assert.deepEqual(synack.flags, ['SYN', 'ACK']);
  assert.equal(synack.flagText, 'SYN, ACK');
  assert.equal(synack.seq, 0);
  assert.equal(synack.ack, 1);
  assert.equal(synack.win, 65483);
  assert.equal(synack.len, 0);
  assert.deepEqual(synack.options, {
    raw: ['MSS=65495', 'SACK_PERM', 'TSval=1385129512 TSecr=1114579837', 'WS=1024'],
    mss: 65495,
    wscale: 10,
    sackPermitted: true,
    tsVal: 1385129512,
    tsEcr: 1114579837,
  });
  assert.deepEqual(tokenText(lines, synack, 'flags'), ['[SYN, ACK]']);
  assert.deepEqual(tokenText(lines, synack, 'srcEndpoint'), ['127.0.0.1', '8080']);
  const push = doc.segments[3]!;
  assert.deepEqual(push.flags, ['PSH', 'ACK']);
  assert.equal(push.seq, 1);
  assert.equal(push.seqEnd, 9);
  assert.equal(push.len, 8);
  assert.equal(push.win, 65536);
  assert.equal(push.toolAnalysis, undefined);
});

test('03 connection refused: RST+ACK with seq 0 in all three renderings', () => {
  const nn = load('03_connection_refused/tcpdump_nn.txt').doc.segments;
  assert.deepEqual(
    nn.map((s) => s.flagText),
    ['S', 'R.', 'S', 'R.', 'S', 'R.'],
  );
  assert.deepEqual(nn[1]!.flags, ['RST', 'ACK']);
  assert.equal(nn[1]!.seq, 0);
  assert.equal(nn[1]!.ack, 3132968867);
  assert.equal(nn[1]!.win, 0);
  assert.deepEqual(nn[2]!.src, { address: '::1', port: 47790 });
  assert.deepEqual(nn[3]!.dst, { address: '::1', port: 47790 });
  const v = load('03_connection_refused/tcpdump_tttt_S_v.txt').doc.segments;
  // IPv4 packets take two lines with -v, IPv6 ones one.
  assert.deepEqual(
    v.map((s) => [s.line, s.lastLine]),
    [
      [0, 1],
      [2, 3],
      [4, 4],
      [5, 5],
      [6, 7],
      [8, 9],
    ],
  );
  const ts = load('03_connection_refused/tshark.txt').doc.segments;
  assert.deepEqual(ts[1]!.flags, ['RST', 'ACK']);
  assert.equal(ts[1]!.seq, 1);
  assert.equal(ts[1]!.ack, 1);
  assert.equal(ts[1]!.options, undefined);
});

test('05 half close, tshark: the reassembly label is kept as printed', () => {
  const { doc } = load('05_half_close/tshark.txt');
  const nine = doc.segments[8]!;
  assert.equal(nine.number, 9);
  assert.equal(nine.len, 1000);
  assert.equal(nine.seq, 21);
  assert.equal(nine.seqEnd, 1021);
  assert.deepEqual(nine.toolAnalysis, ['TCP segment of a reassembled PDU']);
  assert.deepEqual(doc.segments[7]!.flags, ['FIN', 'ACK']);
});

test('07 many TIME-WAIT, tcpdump -v: decoded payload lines belong to their packet', () => {
  const { lines, doc } = load('07_many_time_wait/tcpdump_tttt_S_v.txt');
  const hello = doc.segments.find((s) => s.line === 1986)!;
  assert.equal(hello.lastLine, 1988);
  assert.equal(lines[1988], '\tHELLO 100');
  assert.equal(hello.len, 10);
  assert.equal(hello.seq, 3732831080);
  assert.equal(hello.seqEnd, 3732831090);
  assert.deepEqual(tokenText(lines, hello, 'payload'), ['HTTP, length: 10', 'HELLO 100']);
  // 300 connections x 10 packets; 200 of them carry a HELLO line (the others were cut by the capture filter window).
  const withPayloadLine = doc.segments.filter((s) => s.lastLine === s.line + 2);
  assert.equal(withPayloadLine.length, lines.filter((l) => l.startsWith('\tHELLO ')).length);
});

test('10 packet loss, receiver tcpdump -nn: SACK blocks', () => {
  const { lines, doc } = load('10_packet_loss/loss_10pct_2MB/receiver_tcpdump_nn.txt');
  const withSack = doc.segments.filter((s) => s.options?.sack);
  // The README's "385 lines carry sack" is `grep -c sack`, which also counts the two SYNs' `sackOK`.
  assert.equal(lines.filter((l) => l.includes('sack')).length, 385);
  assert.equal(withSack.length, lines.filter((l) => /sack \d \{/.test(l)).length);
  assert.equal(withSack.length, 383);
  const byBlocks = [1, 2, 3].map((n) => withSack.filter((s) => s.options!.sack!.length === n).length);
  assert.deepEqual(byBlocks, [240, 99, 44]);
  const first = withSack[0]!;
  assert.equal(first.ack, 18825);
  assert.equal(first.win, 74);
  assert.deepEqual(first.options!.sack, [[20273, 21721]]);
  assert.deepEqual(first.options!.raw, ['nop', 'nop', 'TS val 2452861725 ecr 3136006464', 'nop', 'nop', 'sack 1 {20273:21721}']);
  const twoBlocks = withSack.find((s) => s.options!.sack!.length === 2)!;
  assert.equal(twoBlocks.options!.raw[twoBlocks.options!.raw.length - 1], `sack 2 {${twoBlocks.options!.sack![0]!.join(':')}}{${twoBlocks.options!.sack![1]!.join(':')}}`);
});

/** How many segments carry an analysis label that starts with `prefix`. */
function countLabel(segs: readonly Segment[], prefix: string): number {
  return segs.filter((s) => s.toolAnalysis?.some((a) => a.startsWith(prefix))).length;
}

test('10 packet loss, tshark: analysis labels match the README ground truth', () => {
  const receiver = load('10_packet_loss/loss_10pct_2MB/receiver_tshark.txt').doc.segments;
  assert.equal(countLabel(receiver, 'TCP Previous segment not captured'), 123);
  assert.equal(countLabel(receiver, 'TCP Fast Retransmission'), 57);
  assert.equal(countLabel(receiver, 'TCP Retransmission'), 70);
  assert.equal(countLabel(receiver, 'TCP Out-Of-Order'), 7);
  assert.equal(countLabel(receiver, 'TCP Dup ACK '), 175);
  const sender = load('10_packet_loss/loss_10pct_2MB/sender_tshark.txt');
  const s = sender.doc.segments;
  assert.equal(countLabel(s, 'TCP Fast Retransmission'), 63);
  assert.equal(countLabel(s, 'TCP Retransmission'), 78);
  assert.equal(countLabel(s, 'TCP Out-Of-Order'), 10);
  assert.equal(countLabel(s, 'TCP Dup ACK '), 175);
  // A label glued to the last field without a space: `TSecr=2452861725[Reassembly error, ...]`.
  const glued = s[48]!;
  assert.equal(glued.number, 49);
  assert.equal(glued.options!.tsEcr, 2452861725);
  assert.deepEqual(glued.toolAnalysis, [
    'TCP Fast Retransmission',
    'Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)',
  ]);
  // SLE/SRE pairs are SACK blocks, in the order printed.
  const dup = s.find((x) => x.toolAnalysis?.includes('TCP Dup ACK 36#11'))!;
  assert.deepEqual(dup.options!.sack, [
    [35665, 37113],
    [20273, 34217],
  ]);
  assert.deepEqual(tokenText(sender.lines, dup, 'option', 'sack'), ['SLE=35665 SRE=37113', 'SLE=20273 SRE=34217']);
  assert.deepEqual(tokenText(sender.lines, dup, 'analysis'), ['[TCP Dup ACK 36#11]']);
});

test('13 IPv6 loopback, tcpdump -v: IP6 one-liners with the header in front', () => {
  const { lines, doc } = load('13_ipv6_loopback/v6_loopback/tcpdump_tttt_S_v.txt');
  const syn = doc.segments[0]!;
  assert.deepEqual(syn.src, { address: '::1', port: 35552 });
  assert.deepEqual(syn.dst, { address: '::1', port: 8080 });
  assert.equal(syn.line, 0);
  assert.equal(syn.lastLine, 0);
  assert.deepEqual(tokenText(lines, syn, 'ipHeader'), ['IP6 (flowlabel 0xd4154, hlim 64, next-header TCP (6) payload length: 40)']);
  assert.deepEqual(tokenText(lines, syn, 'srcEndpoint'), ['::1.35552']);
  assert.equal(syn.options!.wscale, 10);
});

// ---------------------------------------------------------------------------------------------------------------
// packets/generated: one capture (tcpdump -i any, in a private namespace) rendered by tcpdump with 17 option sets and by
// tshark with 4 time formats (see generated/SOURCE.txt). Every rendering must yield the same 23 TCP segments.
// ---------------------------------------------------------------------------------------------------------------

const GENERATED = walk(path.join(ROOT, 'generated'))
  .map((f) => path.basename(f))
  .filter((f) => f.endsWith('.txt') && !f.endsWith('.stderr.txt') && f !== 'SOURCE.txt')
  .sort();
const TCPDUMP_ANY = GENERATED.filter((f) => f.startsWith('tcpdump_any_'));
const TSHARK_ANY = GENERATED.filter((f) => f.startsWith('tshark_any') && !f.includes('_P_x'));

/** What every rendering agrees on: endpoints (ports as numbers), flags and payload length. */
function shape(s: Segment): string {
  return `${s.src.address}.${s.src.port}>${s.dst.address}.${s.dst.port} ${s.flags.join('+')} ${s.len}`;
}

const reference = load('generated/tcpdump_any_nn.txt').doc.segments.map(shape);

test('generated: 17 tcpdump and 4 tshark renderings of one capture', () => {
  assert.equal(TCPDUMP_ANY.length, 17);
  assert.equal(TSHARK_ANY.length, 4);
  assert.equal(capturedCount('generated/capture.txt'), 25);
  assert.equal(reference.length, 23);
  assert.deepEqual(reference.slice(20), ['::1.5000>::1.51868 ACK 0', '127.0.0.1.39992>127.0.0.1.9999 SYN 0', '127.0.0.1.9999>127.0.0.1.39992 RST+ACK 0']);
});

const VARIANTS: Record<string, string> = {
  'tcpdump_any_nn.txt': 'tcpdump -i any',
  'tcpdump_any_resolved.txt': 'tcpdump -i any',
  'tcpdump_any_nn_e.txt': 'tcpdump -e -i any',
  'tcpdump_any_nn_number.txt': 'tcpdump -# -i any',
  'tcpdump_any_nn_t.txt': 'tcpdump -t -i any',
  'tcpdump_any_nn_tt.txt': 'tcpdump -tt -i any',
  'tcpdump_any_nn_ttt.txt': 'tcpdump -ttt -i any',
  'tcpdump_any_nn_tttt.txt': 'tcpdump -tttt -i any',
  'tcpdump_any_nn_ttttt.txt': 'tcpdump -ttttt -i any',
  'tcpdump_any_nn_nano.txt': 'tcpdump --nano -i any',
  'tcpdump_any_nn_S.txt': 'tcpdump -i any',
  'tcpdump_any_nn_v.txt': 'tcpdump -v -i any',
  'tcpdump_any_nn_vv.txt': 'tcpdump -v -i any',
  'tcpdump_any_nn_q.txt': 'tcpdump -i any -q',
  'tcpdump_any_nn_x.txt': 'tcpdump -i any -x',
  'tcpdump_any_nn_X.txt': 'tcpdump -i any -x',
  'tcpdump_any_nn_A.txt': 'tcpdump -i any -A',
};

for (const file of TCPDUMP_ANY) {
  test(`generated ${file}`, () => {
    const { lines, doc } = load(`generated/${file}`);
    assert.deepEqual(doc.unparsed, []);
    assert.equal(doc.blocks.length, 1);
    assert.equal(doc.blocks[0]!.variant, VARIANTS[file]);
    assertEveryLineAccounted(doc, lines);
    const segs = doc.segments;
    assert.equal(segs.length, lines.filter((l) => l.includes(': Flags [') || l.includes(': tcp ')).length);
    if (file === 'tcpdump_any_nn_q.txt') {
      // -q prints neither flags nor sequence numbers: only endpoints and length agree.
      assert.deepEqual(
        segs.map((s) => `${s.src.address}.${s.src.port}>${s.dst.address}.${s.dst.port} ${s.len}`),
        reference.map((r) => r.replace(/ \S+ (\d+)$/, ' $1')),
      );
      assert.ok(segs.every((s) => s.flagText === '' && s.seq === undefined));
    } else if (file === 'tcpdump_any_resolved.txt') {
      assert.deepEqual(segs[0]!.src, { address: 'localhost', port: 57860 });
      assert.deepEqual(segs[0]!.dst, { address: 'localhost', port: 'http-alt' });
      assert.deepEqual(
        segs.map((s) => s.flags.join('+')),
        reference.map((r) => r.split(' ')[1]),
      );
    } else {
      assert.deepEqual(segs.map(shape), reference);
    }
    for (const s of segs) {
      assert.equal(s.iface, 'lo');
      assert.equal(s.direction, 'In');
    }
    // The non-TCP packets (DNS over UDP, ICMP) are furniture.
    const furniture = doc.headerLines.map((i) => lines[i]!);
    assert.ok(furniture.some((l) => l.includes(file.endsWith('_q.txt') ? ': UDP, length 29' : 'A? example.com.')));
    assert.ok(furniture.some((l) => l.includes('ICMP')));
  });
}

test('generated: timestamps on one scale per style', () => {
  const first = (file: string): readonly Segment[] => load(`generated/${file}`).doc.segments;
  const clock = first('tcpdump_any_nn.txt');
  const base = 15 * 3600 + 2 * 60 + 34.849066;
  assert.equal(clock[0]!.time, '15:02:34.849066');
  assert.ok(Math.abs(clock[0]!.timeSeconds! - base) < 1e-9);
  const epoch = first('tcpdump_any_nn_tt.txt');
  assert.equal(epoch[0]!.time, '1795273354.849066');
  assert.ok(Math.abs(epoch[0]!.timeSeconds! - 1795273354.849066) < 1e-6);
  const date = first('tcpdump_any_nn_tttt.txt');
  assert.equal(date[0]!.time, '2026-11-21 15:02:34.849066');
  assert.ok(Math.abs(date[0]!.timeSeconds! - 1795273354.849066) < 1e-6);
  const nano = first('tcpdump_any_nn_nano.txt');
  assert.equal(nano[0]!.time, '15:02:34.849066000');
  const none = first('tcpdump_any_nn_t.txt');
  assert.ok(none.every((s) => s.time === undefined && s.timeSeconds === undefined));
  // -ttt (gaps, summed) and -ttttt (since the first packet) land on the same scale, and agree with the clock.
  const ttt = first('tcpdump_any_nn_ttt.txt');
  const ttttt = first('tcpdump_any_nn_ttttt.txt');
  for (let i = 0; i < clock.length; i++) {
    const sinceFirst = clock[i]!.timeSeconds! - base;
    assert.ok(Math.abs(ttt[i]!.timeSeconds! - sinceFirst) < 2e-6, `-ttt #${i}`);
    assert.ok(Math.abs(ttttt[i]!.timeSeconds! - sinceFirst) < 2e-6, `-ttttt #${i}`);
    assert.ok(Math.abs(epoch[i]!.timeSeconds! - date[i]!.timeSeconds!) < 1e-6, `-tt vs -tttt #${i}`);
  }
  // The last -ttt value is a gap of 15 us, not a time since the start.
  assert.equal(ttt[22]!.time, '00:00:00.000014');
});

test('generated: -S, -v, -x, -A, -e details', () => {
  const abs = load('generated/tcpdump_any_nn_S.txt').doc.segments;
  assert.equal(abs[3]!.seq, 3798854982);
  assert.equal(abs[3]!.seqEnd, 3798855000);
  assert.equal(abs[3]!.ack, 2001160531);
  const v = load('generated/tcpdump_any_nn_v.txt');
  const push = v.doc.segments[3]!;
  assert.equal(push.line, 6);
  assert.equal(push.lastLine, 8);
  assert.equal(v.lines[8], '\tGET / HTTP/1.0');
  assert.deepEqual(push.tokens.filter((t) => t.kind === 'interface').map((t) => t.line), [6]);
  const hex = load('generated/tcpdump_any_nn_X.txt');
  assert.equal(hex.doc.segments[0]!.lastLine, 4);
  const ascii = load('generated/tcpdump_any_nn_A.txt');
  assert.equal(ascii.doc.segments[0]!.lastLine, 2);
  assert.equal(ascii.doc.segments[1]!.line, 4);
  const e = load('generated/tcpdump_any_nn_e.txt');
  const hdr = e.doc.segments[0]!.tokens.find((t) => t.kind === 'header')!;
  assert.equal(e.lines[0]!.slice(hdr.start, hdr.end), 'ifindex 1 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 80:');
  const eth = load('generated/tcpdump_ethernet_nn_e.txt');
  assert.deepEqual(eth.doc.unparsed, []);
  assert.equal(eth.doc.segments.length, 11);
  assert.equal(eth.doc.blocks[0]!.variant, 'tcpdump -e');
  assert.deepEqual(eth.doc.segments.map(shape), load('01_normal_client_close/four_way/tcpdump_nn.txt').doc.segments.map(shape));
});

for (const file of TSHARK_ANY) {
  test(`generated ${file}`, () => {
    const { lines, doc } = load(`generated/${file}`);
    assert.deepEqual(doc.unparsed, []);
    assert.equal(doc.blocks.length, 1);
    assertEveryLineAccounted(doc, lines);
    // 25 frames; 20 show TCP's summary. Frames 4 and 8 (HTTP) and 6 (`TCP ... HTTP/1.0 200 OK`) had their Info replaced
    // by HTTP's, 24 is DNS and 25 ICMP: furniture.
    assert.equal(doc.segments.length, 20);
    assert.deepEqual(
      doc.headerLines.map((i) => Number(/^\s*(\d+)/.exec(lines[i]!)![1])),
      [4, 6, 8, 24, 25],
    );
    // Each tshark segment matches tcpdump's packet of the same number (tcpdump's ack/seq are relative too).
    for (const s of doc.segments) {
      assert.equal(shape(s), reference[s.number! - 1], `frame ${s.number}`);
    }
  });
}

test('generated: tshark time columns', () => {
  const rel = load('generated/tshark_any.txt').doc.segments;
  const ad = load('generated/tshark_any_t_ad.txt').doc.segments;
  const e = load('generated/tshark_any_t_e.txt').doc.segments;
  const dd = load('generated/tshark_any_t_dd.txt').doc.segments;
  assert.equal(ad[0]!.time, '2026-11-21 15:02:34.849066');
  assert.equal(e[0]!.time, '1795273354.849066');
  for (let i = 0; i < rel.length; i++) {
    assert.ok(Math.abs(ad[i]!.timeSeconds! - e[i]!.timeSeconds!) < 1e-6);
    assert.ok(Math.abs(e[i]!.timeSeconds! - e[0]!.timeSeconds! - rel[i]!.timeSeconds!) < 2e-6);
  }
  // -t dd: the gap to the previous displayed frame, as printed.
  assert.equal(dd[1]!.time, '0.000014');
});
