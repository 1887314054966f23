// tcpdump's own expected outputs (test/fixtures/tcpdump-tests: 807 files from the tcpdump repository, BSD licence,
// see LICENSE and SOURCE.txt there): no line makes the reader throw, every TCP packet line becomes exactly one segment,
// and nothing inside a block is left unread.
//
// "TCP line" is defined here without the reader: a line with a 4.x summary `: Flags [<tcp flag letters>|none]`, a -q
// summary `> dst: tcp N`, or a header cut before its flags `> dst:  [|tcp]`. (SOURCE.txt's figure of 17,228 counts
// every `Flags [` in the corpus; most of those are BGP path-attribute flags, GRE/Geneve/STP/OSPF flags and the like.
// 2,442 lines are TCP packets.) No TCP line is an exception.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parseText } from '../../../src/core/formats/detect';
import type { ParsedDocument, Segment } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';
import { fixturePath, readFixture } from '../support';

const files = readdirSync(fixturePath('tcpdump-tests'))
  .filter((f) => f.endsWith('.out'))
  .sort();

const TCP_LINE = [/: Flags \[(?:[SFPRUWEe.]{1,9}|none)\]/, /> \S+: tcp \d/, /> \S+:\s+\[\|tcp\]/];
const isTcpLine = (l: string): boolean => TCP_LINE.some((r) => r.test(l));

interface FileResult {
  lines: string[];
  doc: ParsedDocument;
}

const cache = new Map<string, FileResult>();
function read(file: string): FileResult {
  let r = cache.get(file);
  if (!r) {
    const text = readFixture('tcpdump-tests', file);
    r = { lines: splitLines(text), doc: parseText(text) };
    cache.set(file, r);
  }
  return r;
}

/** The line a segment's TCP summary is printed on (its source endpoint's line). */
function summaryLine(s: Segment): number {
  return s.tokens.find((t) => t.kind === 'srcEndpoint')!.line;
}

test('the whole corpus reads: no throw, every TCP line is one segment, nothing unparsed', () => {
  assert.equal(files.length, 807);
  let lineCount = 0;
  let tcpLines = 0;
  let segments = 0;
  const missed: string[] = [];
  const extra: string[] = [];
  const unparsed: string[] = [];
  const foreignBlocks: string[] = [];
  for (const file of files) {
    const { lines, doc } = read(file);
    lineCount += lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
    const bySummary = new Map<number, number>();
    for (const s of doc.segments) bySummary.set(summaryLine(s), (bySummary.get(summaryLine(s)) ?? 0) + 1);
    segments += doc.segments.length;
    lines.forEach((l, i) => {
      if (isTcpLine(l)) {
        tcpLines++;
        if (bySummary.get(i) !== 1) missed.push(`${file}:${i + 1}: ${l}`);
        bySummary.delete(i);
      }
    });
    for (const [i] of bySummary) extra.push(`${file}:${i + 1}: ${lines[i]}`);
    for (const u of doc.unparsed) unparsed.push(`${file}:${u.line + 1}: ${u.text}`);
    for (const b of doc.blocks) if (b.format !== 'tcpdump') foreignBlocks.push(`${file}:${b.firstLine + 1}: ${b.format}`);
  }
  assert.equal(lineCount, 93556);
  assert.deepEqual(missed, []);
  assert.deepEqual(extra, []);
  assert.equal(tcpLines, 2442);
  assert.equal(segments, 2442);
  assert.deepEqual(unparsed, []);
  assert.deepEqual(foreignBlocks, []);
});

test('corpus: the timestamp styles of the tcp-handshake tests (-t ... -ttttt, micro and nano)', () => {
  // Packet 2 and 3 of the same capture: 17:16:10.052027262 and 17:16:10.052115157 (from the -tttt nano file).
  const expect: [string, string, string, number[]][] = [
    ['tcp-handshake-micro.out', 'tcpdump -# -q', '17:16:10.052027', [62169.924505, 62170.052027, 62170.052115]],
    ['tcp-handshake-micro-t.out', 'tcpdump -# -t -q', '', []],
    ['tcp-handshake-micro-tt.out', 'tcpdump -# -tt -q', '1418145370.052027', [1418145369.924505, 1418145370.052027, 1418145370.052115]],
    ['tcp-handshake-micro-ttt.out', 'tcpdump -# -ttt -q', '00:00:00.127522', [0, 0.127522, 0.12761]],
    ['tcp-handshake-micro-tttt.out', 'tcpdump -# -tttt -q', '2014-12-09 17:16:10.052027', [1418145369.924505, 1418145370.052027, 1418145370.052115]],
    ['tcp-handshake-micro-ttttt.out', 'tcpdump -# -ttttt -q', '00:00:00.127522', [0, 0.127522, 0.12761]],
    ['tcp-handshake-nano.out', 'tcpdump -# --nano -q', '17:16:10.052027262', [62169.924505488, 62170.052027262, 62170.052115157]],
    ['tcp-handshake-nano-tt.out', 'tcpdump -# -tt --nano -q', '1418145370.052027262', [1418145369 + 0.924505488, 1418145370 + 0.052027262, 1418145370 + 0.052115157]],
    ['tcp-handshake-nano-ttt.out', 'tcpdump -# -ttt --nano -q', '00:00:00.127521774', [0, 0.127521774, 0.127609669]],
    ['tcp-handshake-nano-tttt.out', 'tcpdump -# -tttt --nano -q', '2014-12-09 17:16:10.052027262', [1418145369 + 0.924505488, 1418145370 + 0.052027262, 1418145370 + 0.052115157]],
    ['tcp-handshake-nano-ttttt.out', 'tcpdump -# -ttttt --nano -q', '00:00:00.127521774', [0, 0.127521774, 0.127609669]],
  ];
  for (const [file, variant, second, seconds] of expect) {
    const { doc } = read(file);
    assert.equal(doc.blocks[0]!.variant, variant, file);
    const segs = doc.segments;
    assert.equal(segs.length, 3);
    assert.deepEqual(
      segs.map((s) => s.number),
      [1, 2, 3],
    );
    if (second === '') {
      for (const s of segs) {
        assert.equal(s.time, undefined);
        assert.equal(s.timeSeconds, undefined);
      }
    } else {
      assert.equal(segs[1]!.time, second, file);
      segs.forEach((s, i) => assert.ok(Math.abs(s.timeSeconds! - seconds[i]!) < 2e-6, `${file} #${i + 1}: ${s.timeSeconds}`));
    }
    // -q prints no flags: the segment says so with an empty flag text.
    assert.deepEqual(segs[0]!.flags, []);
    assert.equal(segs[0]!.flagText, '');
    assert.equal(segs[0]!.len, 0);
    assert.deepEqual(segs[0]!.src, { address: '131.155.215.69', port: 46656 });
    assert.deepEqual(segs[0]!.dst, { address: '137.116.81.94', port: 80 });
  }
});

test('corpus: accurate-ECN flags, MPTCP options, truncation, jumbograms, bad options', () => {
  const accecn = read('accecn_handshake.out').doc.segments;
  assert.deepEqual(accecn[0]!.flags, ['SYN', 'ECE', 'CWR', 'AE']);
  assert.equal(accecn[0]!.flagText, 'SEWe');
  assert.deepEqual(accecn[1]!.flags, ['SYN', 'ACK', 'CWR']);
  assert.deepEqual(accecn[0]!.options!.raw, ['mss 1460', 'nop', 'wscale 6', 'sackOK', 'TS val 112147477 ecr 0']);
  // -v: the IP header line is the segment's first line.
  assert.equal(accecn[0]!.line, 0);
  assert.equal(accecn[0]!.lastLine, 1);

  const { lines: mpLines, doc: mp } = read('mptcp-v1.out');
  const synack = mp.segments[1]!;
  assert.deepEqual(synack.options!.raw, ['mss 1460', 'sackOK', 'TS val 3275212179 ecr 464494241', 'nop', 'wscale 8', 'mptcp 12 capable v1 flags [H] {0x29a6c86981ad933c}']);
  const mptcpTok = synack.tokens.find((t) => t.kind === 'option' && t.name === 'mptcp')!;
  assert.equal(mpLines[mptcpTok.line]!.slice(mptcpTok.start, mptcpTok.end), 'mptcp 12 capable v1 flags [H] {0x29a6c86981ad933c}');

  // The header cut before the flags, and options cut by the snapshot length.
  const cutEarly = read('tcp_header_heapoverflow.out').doc.segments;
  assert.equal(cutEarly.length, 1);
  assert.equal(cutEarly[0]!.truncated, true);
  assert.deepEqual(cutEarly[0]!.flags, []);
  const cutOptions = read('heapoverflow-tcp_print.out').doc.segments[0]!;
  assert.equal(cutOptions.truncated, true);
  assert.deepEqual(cutOptions.flags, ['ACK', 'URG', 'AE']);
  assert.equal(cutOptions.urg, 12336);
  // `length 58 [|tcp]`: the header is whole, only the RST payload's decoding was cut.
  const rstData = read('tcp_rst_data-trunc.out').doc.segments[0]!;
  assert.equal(rstData.truncated, undefined);
  assert.equal(rstData.len, 58);
  assert.equal(rstData.seq, 1617159969);
  assert.equal(rstData.seqEnd, 1617160027);

  // IPv6 jumbogram: the TCP summary prints bare ports after the addresses.
  const jumbo = read('bigtcp-ipv6-hbh.out').doc.segments[0]!;
  assert.deepEqual(jumbo.src, { address: '2604:1380:4091:ce00::d', port: 41851 });
  assert.deepEqual(jumbo.dst, { address: '2604:1380:4091:ce00::b', port: 43913 });
  assert.equal(jumbo.len, 80000);

  // `[bad opt]` ends tcpdump's printing: no `length` follows.
  const bad = read('scps_invalid.out').doc.segments;
  assert.equal(bad.length, 2);
  assert.deepEqual(bad[0]!.flags, ['SYN']);
  assert.equal(bad[0]!.options!.mss, 1452);
});

test('corpus: hex, ASCII and decoder lines extend their packet', () => {
  const capX = read('print-capX.out');
  const first = capX.doc.segments[0]!;
  assert.equal(first.line, 0);
  assert.equal(first.lastLine, 4);
  assert.ok(capX.lines[4]!.startsWith('\t0x0030:'));
  assert.equal(capX.doc.blocks[0]!.variant, 'tcpdump -# -tttt -x');
  const a = read('print-A.out');
  assert.equal(a.doc.segments.length, 10);
  assert.equal(a.doc.blocks[0]!.variant, 'tcpdump -# -tttt -A');
  const get = a.doc.segments[3]!;
  assert.equal(get.line, 9);
  // The request's ASCII runs to the blank lines before packet 5.
  assert.equal(get.lastLine, 17);
  assert.equal(a.lines[17], 'Connection: Keep-Alive');
  assert.equal(a.doc.segments[4]!.line, 20);
});
