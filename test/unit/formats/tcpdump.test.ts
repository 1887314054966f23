// The tcpdump reader, one feature at a time. Where a test builds a document, its lines are real lines (from the
// fixtures or shared/reference/formats.md) or real lines given another of tcpdump's documented prefixes; each case
// says which.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { daysFromCivil } from '../../../src/core/formats/packetCommon';
import type { PacketSegment } from '../../../src/core/formats/packetTypes';
import { tcpdumpReader } from '../../../src/core/formats/tcpdump';
import { LineBase } from '../../../src/core/lineRuns';
import type { ParsedDocument, Segment } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';
import { readFixture } from '../support';

// The first two packets of shared/samples/01_normal_client_close/four_way/tcpdump_nn.txt, without their timestamps.
const SYN_BODY =
  'IP 127.0.0.1.46548 > 127.0.0.1.8080: Flags [S], seq 2426382983, win 65495, options [mss 65495,sackOK,TS val 1114579837 ecr 0,nop,wscale 10], length 0';
const SYNACK_BODY =
  'IP 127.0.0.1.8080 > 127.0.0.1.46548: Flags [S.], seq 2017022054, ack 2426382984, win 65483, options [mss 65495,sackOK,TS val 1385129512 ecr 1114579837,nop,wscale 10], length 0';
const ACK_BODY = 'IP 127.0.0.1.46548 > 127.0.0.1.8080: Flags [.], ack 1, win 64, options [nop,nop,TS val 1114579837 ecr 1385129512], length 0';

function read(lines: string[]): ParsedDocument {
  return parseLines(lines);
}

function texts(lines: readonly string[], s: Segment, kind: string): string[] {
  return s.tokens.filter((t) => t.kind === kind).map((t) => lines[t.line]!.slice(t.start, t.end));
}

function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);
}

test('daysFromCivil agrees with Date.UTC across leap years and centuries', () => {
  const dates: [number, number, number][] = [
    [1970, 1, 1],
    [1969, 12, 31],
    [1900, 3, 1],
    [2000, 2, 29],
    [2000, 3, 1],
    [2024, 2, 29],
    [2026, 11, 21],
    [2100, 3, 1],
    [1995, 8, 15],
  ];
  for (const [y, m, d] of dates) assert.equal(daysFromCivil(y, m, d), Date.UTC(y, m - 1, d) / 86400000, `${y}-${m}-${d}`);
});

test('time of day (default): seconds since midnight, micro and nano precision, across midnight', () => {
  const lines = [`13:35:11.002394 ${SYN_BODY}`, `13:35:11.002409123 ${SYNACK_BODY}`];
  const doc = read(lines);
  assert.equal(doc.segments.length, 2);
  assert.equal(doc.segments[0]!.time, '13:35:11.002394');
  near(doc.segments[0]!.timeSeconds, 48911.002394, 'micro');
  near(doc.segments[1]!.timeSeconds, 48911.002409123, 'nano');
  assert.equal(doc.blocks[0]!.variant, 'tcpdump --nano');
  // A capture running past midnight keeps counting up on one scale.
  const wrap = read([`23:59:59.900000 ${SYN_BODY}`, `00:00:00.100000 ${SYNACK_BODY}`]);
  near(wrap.segments[1]!.timeSeconds! - wrap.segments[0]!.timeSeconds!, 0.2, 'midnight');
});

test('regression: a typo in one timestamp does not move every later packet to the next day or make the capture --nano', () => {
  // Found by editing a long capture: one digit typed into an hour (13 -> 137) sent the rest of the capture a day
  // ahead, and a digit typed into a fraction (7 digits) called the whole block --nano.
  const hour = read([`13:35:11.002394 ${SYN_BODY}`, `137:35:11.002409 ${SYNACK_BODY}`, `13:35:11.002500 ${SYN_BODY}`]);
  near(hour.segments[2]!.timeSeconds, 48911.0025, 'the packet after the typo');
  // Nor does it become the capture's end (every connection still open is judged against the end, so a typed hour
  // forced the whole capture's connections to be analysed again): it keeps its text, not a place on the time line.
  assert.equal(hour.segments[1]!.time, '137:35:11.002409');
  assert.equal(hour.segments[1]!.timeSeconds, undefined);
  const fraction = read([`13:35:11.002394 ${SYN_BODY}`, `13:35:11.0024097 ${SYNACK_BODY}`]);
  assert.equal(fraction.blocks[0]!.variant, 'tcpdump');
});

test('-t (no time), -tt (epoch), -tttt (date and time)', () => {
  const none = read([SYN_BODY, SYNACK_BODY]);
  assert.equal(none.segments.length, 2);
  assert.equal(none.segments[0]!.time, undefined);
  assert.equal(none.segments[0]!.timeSeconds, undefined);
  assert.equal(none.blocks[0]!.variant, 'tcpdump -t');
  // tests/tcp-handshake-micro-tt.out prints `1418145369.924505`.
  const tt = read([`1418145369.924505 ${SYN_BODY}`, `1418145370.052027 ${SYNACK_BODY}`]);
  near(tt.segments[1]!.timeSeconds, 1418145370.052027, '-tt');
  assert.equal(tt.segments[1]!.time, '1418145370.052027');
  assert.equal(tt.blocks[0]!.variant, 'tcpdump -tt');
  const tttt = read([`2014-12-09 17:16:09.924505 ${SYN_BODY}`]);
  near(tttt.segments[0]!.timeSeconds, 1418145369.924505, '-tttt');
  assert.equal(tttt.segments[0]!.time, '2014-12-09 17:16:09.924505');
  assert.equal(tttt.blocks[0]!.variant, 'tcpdump -tttt');
});

test('-ttt (delta) and -ttttt (since first): both print one more leading space; deltas are summed', () => {
  // Values from tests/tcp-handshake-micro-ttt.out and -ttttt.out (the same three packets).
  const ttt = read([` 00:00:00.000000 ${SYN_BODY}`, ` 00:00:00.127522 ${SYNACK_BODY}`, ` 00:00:00.000088 ${ACK_BODY}`]);
  assert.deepEqual(
    ttt.segments.map((s) => s.time),
    ['00:00:00.000000', '00:00:00.127522', '00:00:00.000088'],
  );
  near(ttt.segments[1]!.timeSeconds, 0.127522, '-ttt #2');
  near(ttt.segments[2]!.timeSeconds, 0.12761, '-ttt #3');
  assert.equal(ttt.blocks[0]!.variant, 'tcpdump -ttt');
  const ttttt = read([` 00:00:00.000000 ${SYN_BODY}`, ` 00:00:00.127522 ${SYNACK_BODY}`, ` 00:00:00.127610 ${ACK_BODY}`]);
  near(ttttt.segments[2]!.timeSeconds, 0.12761, '-ttttt #3');
  assert.equal(ttttt.blocks[0]!.variant, 'tcpdump -ttttt');
  // With -# the number comes first, then three spaces (tests/tcp-handshake-micro-ttt.out).
  const numbered = read([`    1   00:00:00.000000 ${SYN_BODY}`, `    2   00:00:00.127522 ${SYNACK_BODY}`, `    3   00:00:00.000088 ${ACK_BODY}`]);
  near(numbered.segments[2]!.timeSeconds, 0.12761, '-# -ttt #3');
  assert.deepEqual(
    numbered.segments.map((s) => s.number),
    [1, 2, 3],
  );
});

test('-#: the packet number and its token', () => {
  const lines = [`    1  13:35:11.002394 ${SYN_BODY}`, `   12  13:35:11.002409 ${SYNACK_BODY}`];
  const doc = read(lines);
  assert.deepEqual(
    doc.segments.map((s) => s.number),
    [1, 12],
  );
  assert.deepEqual(texts(lines, doc.segments[1]!, 'frameNumber'), ['12']);
  assert.deepEqual(texts(lines, doc.segments[1]!, 'time'), ['13:35:11.002409']);
  assert.equal(doc.blocks[0]!.variant, 'tcpdump -#');
});

test('-e: the link-level prefix is a header token and the endpoints are the IP ones', () => {
  // The link prefix of formats.md's -e example, in front of a TCP summary from the fixtures.
  const lines = [
    `12:00:00.000001 08:00:27:ce:14:39 > 08:00:27:63:49:66, ethertype IPv4 (0x0800), length 74: ${SYN_BODY.slice(3)}`,
  ];
  const doc = read(lines);
  const s = doc.segments[0]!;
  assert.deepEqual(s.src, { address: '127.0.0.1', port: 46548 });
  assert.deepEqual(texts(lines, s, 'header'), ['08:00:27:ce:14:39 > 08:00:27:63:49:66, ethertype IPv4 (0x0800), length 74:']);
  assert.equal(doc.blocks[0]!.variant, 'tcpdump -e');
  // Real -e output over InfiniBand (tests/ipoib-e.out).
  const real = splitLines(readFixture('tcpdump-tests', 'ipoib-e.out'));
  const ipoib = parseLines(real);
  const ssh = ipoib.segments.find((x) => x.len === 26)!;
  assert.deepEqual(ssh.dst, { address: '192.168.56.24', port: 22 });
  assert.deepEqual(texts(real, ssh, 'payload'), ['SSH: SSH-2.0-OpenSSH_7.5 FIPS']);
  assert.deepEqual(texts(real, ssh, 'header'), ['IPOIB, ethertype IPv4 (0x0800), length 122:']);
});

test('-i any: interface and direction columns, IPv6', () => {
  // formats.md: `lo    In  IP6 ::1.37662 > ::1.5000: ...`; the summaries are from 03_connection_refused.
  const lines = [
    '13:35:37.892376 lo    In  IP6 ::1.47790 > ::1.9999: Flags [S], seq 1416664607, win 65476, options [mss 65476,sackOK,TS val 2362501686 ecr 0,nop,wscale 10], length 0',
    '13:35:37.892400 lo    Out IP6 ::1.9999 > ::1.47790: Flags [R.], seq 0, ack 1416664608, win 0, length 0',
  ];
  const doc = read(lines);
  const [syn, rst] = doc.segments;
  assert.equal(syn!.iface, 'lo');
  assert.equal(syn!.direction, 'In');
  assert.equal(rst!.direction, 'Out');
  assert.deepEqual(syn!.src, { address: '::1', port: 47790 });
  assert.deepEqual(rst!.flags, ['RST', 'ACK']);
  assert.deepEqual(texts(lines, syn!, 'interface'), ['lo']);
  assert.deepEqual(texts(lines, syn!, 'direction'), ['In']);
  assert.deepEqual(texts(lines, syn!, 'ipHeader'), ['IP6']);
  assert.equal(doc.blocks[0]!.variant, 'tcpdump -i any');
});

test('[|tcp]: a header cut by the snapshot length', () => {
  // tests/tcp_header_heapoverflow.out and heapoverflow-tcp_print.out, behind a -v header line.
  const lines = [
    '    1  1995-08-15 05:27:12.999999 IP (tos 0x30, ttl 48, id 12336, offset 0, flags [none], proto TCP (6), length 12336, bad cksum 3030 (->eb7c)!)',
    '    48.48.48.48.12336 > 48.48.48.48.12336:  [|tcp]',
  ];
  const doc = read(lines);
  assert.equal(doc.segments.length, 1);
  const s = doc.segments[0]!;
  assert.equal(s.truncated, true);
  assert.equal(s.line, 0);
  assert.equal(s.lastLine, 1);
  assert.equal(s.number, 1);
  assert.deepEqual(s.flags, []);
});

test('hex dump lines (-X) extend their packet; tcpdump chatter is furniture', () => {
  const text = readFixture('packets', 'public/tcpdump_github_issues/tcpdump_issue128_freebsd_em0_rst_-X_excerpt.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.equal(doc.blocks.length, 1);
  assert.deepEqual(doc.unparsed, []);
  const [syn, rst] = doc.segments;
  assert.equal(syn!.line, 3);
  assert.equal(syn!.lastLine, 7);
  assert.deepEqual(syn!.src, { address: 'Orange', port: 5555 });
  assert.deepEqual(syn!.dst, { address: 'Banana', port: 6666 });
  assert.deepEqual(texts(lines, syn!, 'payload')[0], '0x0000:  4500 003c 005d 4000 4006 dca8 ac10 02c9  E..<.]@.@.......');
  assert.equal(rst!.line, 8);
  assert.equal(rst!.lastLine, 11);
  assert.deepEqual(rst!.flags, ['RST', 'ACK']);
  // `tcpdump: verbose output suppressed ...` and `listening on em0, ...` (line 0 is the shell prompt).
  assert.deepEqual(doc.headerLines, [0, 1, 2]);
  assert.equal(doc.blocks[0]!.variant, 'tcpdump -x');
});

test('a block with stdout and stderr pasted together: listening/captured lines are headers', () => {
  const out = readFixture('packets', '03_connection_refused/tcpdump_nn.txt').trimEnd();
  const err = readFixture('packets', '03_connection_refused/tcpdump_nn.stderr.txt').trimEnd();
  const [suppressed, listening, ...counts] = splitLines(err);
  const lines = [suppressed!, listening!, ...splitLines(out), ...counts];
  const doc = read(lines);
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.segments.length, 6);
  assert.deepEqual(doc.unparsed, []);
  assert.deepEqual(doc.headerLines, [0, 1, 8, 9, 10]);
  assert.equal(lines[8], '6 packets captured');
});

test('3.x summaries: the man-page rlogin example', () => {
  // tcpdump 3.9.8's tcpdump.1 (fixture), with its troff font/size escapes removed.
  const roff = splitLines(readFixture('packets', 'public/tcpdump_old_3x_4x/tcpdump-3.9.8_tcpdump.1_lines1500-1600.roff'));
  const lines = roff
    .filter((l) => l.includes('rtsg.1023'))
    .map((l) => l.replace('\\s-2\\f(CW', '').replace('\\fR\\s+2', ''));
  assert.equal(lines.length, 9);
  const doc = read(lines);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.segments.length, 9);
  assert.equal(doc.blocks[0]!.variant, 'tcpdump 3.x -t');
  const [syn, synack, ack, p1, , p2, , urg] = doc.segments;
  assert.deepEqual(syn!.src, { address: 'rtsg', port: 1023 });
  assert.deepEqual(syn!.dst, { address: 'csam', port: 'login' });
  assert.deepEqual(syn!.flags, ['SYN']);
  assert.equal(syn!.flagText, 'S');
  assert.equal(syn!.seq, 768512);
  assert.equal(syn!.seqEnd, 768512);
  assert.equal(syn!.len, 0);
  assert.equal(syn!.win, 4096);
  assert.deepEqual(syn!.options, { raw: ['mss 1024'], mss: 1024 });
  assert.deepEqual(synack!.flags, ['SYN', 'ACK']);
  assert.equal(synack!.ack, 768513);
  assert.deepEqual(ack!.flags, ['ACK']);
  assert.equal(ack!.flagText, '.');
  assert.equal(ack!.seq, undefined);
  assert.equal(ack!.ack, 1);
  assert.deepEqual(p1!.flags, ['PSH', 'ACK']);
  assert.equal(p1!.len, 1);
  assert.equal(p2!.seq, 2);
  assert.equal(p2!.seqEnd, 21);
  assert.equal(p2!.len, 19);
  assert.deepEqual(texts(lines, p2!, 'seq'), ['2:21(19)']);
  assert.equal(urg!.urg, 1);
  assert.equal(urg!.win, 4077);
});

test('3.x summaries with time, hex and ASCII dumps, and the old -v one-liner', () => {
  const x = parseText(readFixture('packets', 'public/tcpdump_old_3x_4x/tcpdump-3.9.8_tests_print-x.out'));
  assert.deepEqual(x.unparsed, []);
  assert.equal(x.segments.length, 10);
  const syn = x.segments[0]!;
  assert.deepEqual(syn.options, {
    raw: ['mss 16396', 'sackOK', 'timestamp 1306300950 0', 'nop', 'wscale 2'],
    mss: 16396,
    sackPermitted: true,
    tsVal: 1306300950,
    tsEcr: 0,
    wscale: 2,
  });
  assert.equal(syn.lastLine, 4);
  assert.equal(x.segments[3]!.len, 202);
  assert.equal(x.blocks[0]!.variant, 'tcpdump 3.x -x');
  const a = parseText(readFixture('packets', 'public/tcpdump_old_3x_4x/tcpdump-3.9.8_tests_print-A.out'));
  assert.deepEqual(a.unparsed, []);
  assert.equal(a.segments.length, 10);
  assert.equal(a.blocks[0]!.variant, 'tcpdump 3.x -A');
  const bgpLines = splitLines(readFixture('packets', 'public/tcpdump_old_3x_4x/tcpdump-3.9.8_tests_bgp_vpn_attrset.out'));
  const bgp = parseLines(bgpLines);
  assert.deepEqual(bgp.unparsed, []);
  assert.equal(bgp.segments.length, 1);
  const s = bgp.segments[0]!;
  assert.deepEqual(s.flags, ['PSH', 'ACK']);
  assert.equal(s.seq, 3293077573);
  assert.equal(s.seqEnd, 3293077694);
  assert.equal(s.len, 121);
  assert.equal(s.ack, 3348108582);
  assert.equal(s.win, 16384);
  assert.deepEqual(s.options!.raw, ['nop', 'nop', 'timestamp 383131 890299']);
  assert.deepEqual(texts(bgpLines, s, 'checksum'), ['cksum 0xcf18 (correct)']);
  assert.equal(s.lastLine, bgpLines.filter((l) => l !== '').length - 1);
});

test('-v two-line packets: the record starts on the IP header line', () => {
  const text = readFixture('packets', 'public/tcpdump_github_issues/phantun_issue159_-v_syn_synack_retrans_rst_excerpt.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  // The excerpt starts with a second line whose first line was cut off, and ends mid-line.
  assert.equal(doc.segments.length, 6);
  assert.equal(doc.segments[0]!.line, 1);
  assert.equal(doc.segments[0]!.lastLine, 1);
  assert.equal(doc.segments[0]!.time, undefined);
  assert.equal(doc.segments[1]!.line, 2);
  assert.equal(doc.segments[1]!.lastLine, 3);
  assert.equal(doc.segments[1]!.time, '09:56:26.275509');
  assert.deepEqual(doc.segments[1]!.src, { address: 'remote.host.ip', port: 21080 });
  assert.deepEqual(doc.segments[3]!.options, { raw: ['mss 536', 'nop', 'wscale 14'], mss: 536, wscale: 14 });
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [13],
  );
  assert.equal(lines[13], '    222.209.232.58.14720 > rem');
});

test('non-TCP packets are furniture, not segments and not unparsed', () => {
  const text = readFixture('packets', 'public/tcpdump_github_issues/nuttx_pr17683_syn_rst_test_log_excerpt.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.equal(doc.blocks.length, 1);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.segments.length, 4);
  const headers = doc.headerLines.map((i) => lines[i]!.slice(16, 25));
  assert.deepEqual(headers, ['ARP, Requ', 'ARP, Repl', 'IP 10.0.1', 'IP 119.29']);
  assert.deepEqual(doc.segments[3]!.flags, ['RST']);
  assert.equal(doc.segments[3]!.seq, 654321);
});

test('public excerpts: every complete packet line is read; lines cut by the excerpt are unparsed', () => {
  const cases: [string, number, number[]][] = [
    ['nprobe_issue354_loopback_refused_excerpt.txt', 2, []],
    ['zephyr_issue90086_syn_rst_wrong_ack_excerpt.txt', 1, [2]], // `ack 112` — cut by the index
    ['tcpdump_issue391_null_flags_excerpt.txt', 8, [15]], // `> 19` — cut mid-line
    // Lines hard-wrapped by the poster mid-field and then cut: no complete packet, so no block at all.
    ['paping_issue22_loopback_rst_wrapped_excerpt.txt', 0, []],
  ];
  for (const [file, segments, unparsed] of cases) {
    const doc = parseText(readFixture('packets', 'public/tcpdump_github_issues', file));
    assert.equal(doc.segments.length, segments, file);
    assert.deepEqual(
      doc.unparsed.map((u) => u.line),
      unparsed,
      file,
    );
  }
  const nullFlags = parseText(readFixture('packets', 'public/tcpdump_github_issues/tcpdump_issue391_null_flags_excerpt.txt'));
  // The same packet printed as `[S.]` without -v and as `[none]` with -v (the tcpdump 4.5 bug the issue is about).
  assert.deepEqual(nullFlags.segments[0]!.flags, ['SYN', 'ACK']);
  assert.deepEqual(nullFlags.segments[7]!.flags, []);
  assert.equal(nullFlags.segments[7]!.flagText, 'none');
  assert.equal(nullFlags.segments[7]!.seqEnd, 188);
});

test('a garbled line inside a block is unparsed; the block goes on', () => {
  const lines = [
    `13:35:11.002394 ${SYN_BODY}`,
    '%%% \u0000\u0007garbage ]]] [[[ > > : :',
    `13:35:11.002409 ${SYNACK_BODY}`,
    // A TCP line whose fields do not read.
    '13:35:11.002422 IP 127.0.0.1.46548 > 127.0.0.1.8080: Flags [.], ack 1x, win 64, length 0',
    '13:35:11.002423 IP 127.0.0.1.46548 > 127.0.0.1.8080: Flags [Q], ack 1, win 64, length 0',
    `13:35:11.002424 ${ACK_BODY}`,
  ];
  const doc = read(lines);
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.segments.length, 3);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [1, 3, 4],
  );
});

test('hostile input never throws: a 100k-character line, binary noise, unbalanced brackets', () => {
  const long = `13:35:11.002394 IP 127.0.0.1.1 > 127.0.0.1.2: Flags [S], seq 1, win 1, options [${'nop,'.repeat(25000)}`;
  assert.ok(long.length > 100000);
  const doc = read([`13:35:11.002394 ${SYN_BODY}`, long, `13:35:11.002409 ${SYNACK_BODY}`]);
  assert.equal(doc.segments.length, 2);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [1],
  );
  const noise: string[] = [];
  let seed = 7;
  for (let i = 0; i < 300; i++) {
    let l = '';
    for (let j = 0; j < 120; j++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      l += ' 0123456789.:>[]{}()<,SFPRUWEe-IPflagsseqacklength|tcp'[seed % 55];
    }
    noise.push(i % 3 === 0 ? `13:35:11.0${i} IP 1.2.3.4.5 > 6.7.8.9.10: Flags [${l}` : l);
  }
  assert.doesNotThrow(() => parseLines(noise));
  assert.doesNotThrow(() => parseLines(noise, { format: 'tcpdump' }));
  for (const l of noise) {
    assert.doesNotThrow(() => tcpdumpReader.startScore(l));
    const block = tcpdumpReader.begin(0, { sockets: [], segments: [] });
    assert.doesNotThrow(() => block.feed(l, 0));
  }
});

test('startScore: sure of TCP lines and tcpdump chatter, unsure of other packets, silent on the rest', () => {
  assert.equal(tcpdumpReader.startScore(`13:35:11.002394 ${SYN_BODY}`), 2);
  assert.equal(tcpdumpReader.startScore('listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes'), 2);
  assert.equal(tcpdumpReader.startScore('11 packets captured'), 2);
  assert.equal(
    tcpdumpReader.startScore('2026-11-21 13:35:11.002393 IP (tos 0x0, ttl 64, id 35802, offset 0, flags [DF], proto TCP (6), length 60)'),
    2,
  );
  assert.equal(tcpdumpReader.startScore('10:34:17.027825 ARP, Request who-has 10.0.1.2 tell 10.0.1.1, length 28'), 1);
  assert.equal(tcpdumpReader.startScore('10:34:25.263222 IP 10.0.1.2 > 119.29.29.29: ICMP echo request, id 12, seq 0, length 88'), 1);
  assert.equal(tcpdumpReader.startScore('tcp        0      0 127.0.0.1:8080          127.0.0.1:46548         ESTABLISHED'), 0);
  assert.equal(tcpdumpReader.startScore('ESTAB 0 0 127.0.0.1:8080 127.0.0.1:46548'), 0);
  assert.equal(tcpdumpReader.startScore('13:35:11 the client connected'), 0);
  assert.equal(
    tcpdumpReader.startScore('    1   0.000000    127.0.0.1 \u2192 127.0.0.1    TCP 74 46548 \u2192 8080 [SYN] Seq=0 Win=65495 Len=0'),
    0,
  );
});

test('tokens are built on first use, with the line numbers the lines had when read', () => {
  const text = readFixture('packets', '01_normal_client_close/four_way/tcpdump_tttt_S_v.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  const seg = doc.segments[3]!;
  // A record is plain data: its JSON is an object literal with its own fields and, read through getters, its lines
  // (no tokens in JSON).
  const plain = JSON.parse(JSON.stringify(seg)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(plain), ['block', 'line', 'lastLine', ...Object.keys(seg).filter((k) => k !== 'block')]);
  assert.deepEqual([plain.line, plain.lastLine], [seg.line, seg.lastLine]);
  assert.equal('tokens' in plain, false);
  assert.equal(plain.seq, 2426382984);
  // Incremental re-analysis moves records (shiftLines, or the base of their run): tokens not built yet are built at
  // the moved lines, tokens built already move when next read.
  const unbuilt = doc.segments[4]! as PacketSegment;
  unbuilt.shiftLines(5, 0);
  assert.deepEqual([unbuilt.line, unbuilt.lastLine], [13, 14]);
  assert.deepEqual([...new Set(unbuilt.tokens.map((t) => t.line))], [13, 14]);
  const built = doc.segments[5]! as PacketSegment;
  const [first, last] = [built.line, built.lastLine];
  const columns = built.tokens.map((t) => [t.start, t.end]);
  assert.deepEqual([...new Set(built.tokens.map((t) => t.line))], [first, last]);
  built.shiftLines(-2, 0);
  const base = new LineBase();
  built.rebase(base);
  base.delta = 7;
  assert.deepEqual([built.line, built.lastLine], [first + 5, last + 5]);
  assert.deepEqual([...new Set(built.tokens.map((t) => t.line))], [first + 5, last + 5]);
  assert.deepEqual(built.tokens.map((t) => [t.start, t.end]), columns);
  // The same tokens object on every read.
  assert.equal(seg.tokens, seg.tokens);
  assert.deepEqual(texts(lines, seg, 'seq'), ['seq 2426382984:2426382992']);
});

test('regression: a block without timestamps is -t only by its own segments, not an earlier block\'s', () => {
  const text = [
    '13:35:11.002394 IP 127.0.0.1.46548 > 127.0.0.1.8080: Flags [S], seq 2426382983, win 65495, length 0',
    '',
    '',
    '',
    'listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
  ].join('\n');
  const doc = parseText(text);
  assert.equal(doc.blocks.length, 2);
  assert.equal(doc.blocks[1]!.format, 'tcpdump');
  assert.doesNotMatch(doc.blocks[1]!.variant, /-t\b/);
});

test('regression: with -ttt/-ttttt every packet line starts with a space, yet each one is a packet of its own, not a tunnelled one', () => {
  // The reader took any indented TCP line inside a packet as a tunnelled packet sharing the outer packet's time, and
  // only a non-indented line started a new outer packet. -ttttt's lead space made every line indented, so the "outer
  // packet" stayed the block's first one: a -v second line pasted on its own (no time of its own) took the first
  // packet's time, and a re-read starting elsewhere in the block gave another. Lines: the real -ttttt capture, with
  // the -v second line of a real RST from 03_connection_refused's tcpdump_tttt_S_v.txt put after its fourth packet.
  const lines = splitLines(readFixture('packets', 'generated', 'tcpdump_any_nn_ttttt.txt'));
  const packetLines = lines.flatMap((l, i) => (/^ \d\d:/.test(l) ? [i] : []));
  const fourth = packetLines[3]!;
  const orphan = '    127.0.0.1.9999 > 127.0.0.1.46656: Flags [R.], cksum 0xca1d (correct), seq 0, ack 3132968867, win 0, length 0';
  const doc = [...lines.slice(0, fourth + 1), orphan, ...lines.slice(fourth + 1)];
  const segs = parseLines(doc, { format: 'auto' }).segments;
  const above = segs.find((g) => g.line === fourth)!;
  const inserted = segs.find((g) => g.line === fourth + 1)!;
  assert.equal(inserted.time, above.time);
  assert.notEqual(inserted.time, segs[0]!.time);
});
