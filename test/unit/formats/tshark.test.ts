// The tshark reader. Lines are real tshark output (fixtures, or the examples in shared/reference/formats.md); where a
// test changes a real line it says how and why.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { tsharkReader } from '../../../src/core/formats/tshark';
import type { Segment } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';
import { readFixture } from '../support';

// formats.md: a tshark 2.x+ line (SMB handshake) and a 1.x line with `->`, `>` and a resolved port name.
const MODERN =
  '    1   0.000000   10.0.0.102 \u2192 10.0.0.90    TCP 74 41663 \u2192 445 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=2458692588 TSecr=0 WS=128';
const OLD = '  1 0.000000000 172.17.120.253 -> 172.17.134.77 TCP 66 62232 > http [SYN] Seq=0 Win=64240 Len=0 MSS=1288 WS=256 SACK_PERM=1';

// Frames 2 and 3 of packets/01_normal_client_close/four_way/tshark.txt.
const SYNACK =
  '    2   0.000015    127.0.0.1 \u2192 127.0.0.1    TCP 74 8080 \u2192 46548 [SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=1385129512 TSecr=1114579837 WS=1024';
const ACK =
  '    3   0.000028    127.0.0.1 \u2192 127.0.0.1    TCP 66 46548 \u2192 8080 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1114579837 TSecr=1385129512';

function texts(lines: readonly string[], s: Segment, kind: string): string[] {
  return s.tokens.filter((t) => t.kind === kind).map((t) => lines[t.line]!.slice(t.start, t.end));
}

test('2.x+ summary: every column and option', () => {
  const lines = [MODERN];
  const doc = parseLines(lines);
  assert.equal(doc.blocks[0]!.format, 'tshark');
  assert.equal(doc.blocks[0]!.variant, 'tshark');
  const s = doc.segments[0]!;
  assert.equal(s.number, 1);
  assert.equal(s.time, '0.000000');
  assert.equal(s.timeSeconds, 0);
  assert.deepEqual(s.src, { address: '10.0.0.102', port: 41663 });
  assert.deepEqual(s.dst, { address: '10.0.0.90', port: 445 });
  assert.deepEqual(s.flags, ['SYN']);
  assert.equal(s.flagText, 'SYN');
  assert.equal(s.seq, 0);
  assert.equal(s.seqEnd, 0);
  assert.equal(s.ack, undefined);
  assert.equal(s.win, 29200);
  assert.equal(s.len, 0);
  assert.equal(s.source, 'tshark');
  assert.deepEqual(s.options, {
    raw: ['MSS=1460', 'SACK_PERM', 'TSval=2458692588 TSecr=0', 'WS=128'],
    mss: 1460,
    sackPermitted: true,
    tsVal: 2458692588,
    tsEcr: 0,
    wscale: 7,
  });
  assert.deepEqual(texts(lines, s, 'frameNumber'), ['1']);
  assert.deepEqual(texts(lines, s, 'time'), ['0.000000']);
  assert.deepEqual(texts(lines, s, 'srcEndpoint'), ['10.0.0.102', '41663']);
  assert.deepEqual(texts(lines, s, 'dstEndpoint'), ['10.0.0.90', '445']);
  assert.deepEqual(texts(lines, s, 'proto'), ['TCP']);
  assert.deepEqual(texts(lines, s, 'flags'), ['[SYN]']);
  assert.deepEqual(texts(lines, s, 'seq'), ['Seq=0']);
  assert.deepEqual(texts(lines, s, 'win'), ['Win=29200']);
  assert.deepEqual(texts(lines, s, 'length'), ['Len=0']);
  assert.deepEqual(
    s.tokens.filter((t) => t.kind === 'option').map((t) => t.name),
    ['mss', 'sackOK', 'TS', 'wscale'],
  );
});

test('1.x summary: `->` between addresses, `>` between ports, port names, SACK_PERM=1', () => {
  const doc = parseLines([OLD]);
  assert.equal(doc.blocks[0]!.variant, 'tshark 1.x');
  const s = doc.segments[0]!;
  assert.deepEqual(s.src, { address: '172.17.120.253', port: 62232 });
  assert.deepEqual(s.dst, { address: '172.17.134.77', port: 'http' });
  assert.equal(s.time, '0.000000000');
  assert.deepEqual(s.options, { raw: ['MSS=1288', 'WS=256', 'SACK_PERM=1'], mss: 1288, wscale: 8, sackPermitted: true });
});

test('analysis labels before the ports and after the fields go to toolAnalysis, as printed', () => {
  // formats.md: "Analysis prefixes like [TCP Retransmission], [TCP Dup ACK 3841746#1], [TCP ACKed unseen segment]
  // precede the ports". The real frame 3 with such labels put where tshark puts them.
  const labels = ['TCP Keep-Alive', 'TCP ZeroWindow', 'TCP ACKed unseen segment'];
  const lines = labels.map((l) => ACK.replace('46548 \u2192', `[${l}] 46548 \u2192`));
  lines.push(ACK.replace('TCP 66 ', 'TCP 66 [TCP Retransmission] [TCP Dup ACK 12#1] '));
  const doc = parseLines(lines);
  assert.deepEqual(
    doc.segments.map((s) => s.toolAnalysis),
    [['TCP Keep-Alive'], ['TCP ZeroWindow'], ['TCP ACKed unseen segment'], ['TCP Retransmission', 'TCP Dup ACK 12#1']],
  );
  assert.deepEqual(texts(lines, doc.segments[3]!, 'analysis'), ['[TCP Retransmission]', '[TCP Dup ACK 12#1]']);
  assert.deepEqual(doc.segments[3]!.src, { address: '127.0.0.1', port: 46548 });
});

test('flags: combinations, <None>, ECN bits under old and new names', () => {
  // tshark names: FIN SYN RST PSH ACK URG ECE CWR and NS (AE since Wireshark 4.2); 1.x said ECN for ECE.
  const flagSets: [string, string[]][] = [
    ['FIN, PSH, ACK', ['FIN', 'PSH', 'ACK']],
    ['RST', ['RST']],
    ['SYN, ECN, CWR', ['SYN', 'ECE', 'CWR']],
    ['SYN, ECE, CWR, AE', ['SYN', 'ECE', 'CWR', 'AE']],
    ['ACK, URG, NS', ['ACK', 'URG', 'AE']],
    ['<None>', []],
  ];
  const lines = flagSets.map(([f]) => ACK.replace('[ACK]', `[${f}]`));
  const doc = parseLines(lines);
  assert.deepEqual(
    doc.segments.map((s) => s.flags),
    flagSets.map(([, f]) => f),
  );
  assert.deepEqual(
    doc.segments.map((s) => s.flagText),
    flagSets.map(([f]) => f),
  );
});

test('rows of other protocols, and rows whose Info a higher layer replaced, are furniture', () => {
  const text = readFixture('packets', 'generated/tshark_any.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.segments.length, 20);
  assert.deepEqual(
    doc.headerLines.map((i) => lines[i]!.slice(44).trim()),
    [
      'HTTP 90 GET / HTTP/1.0',
      'TCP 93 HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]',
      'HTTP 72 HTTP/1.0 200 OK',
      'DNS 77 Standard query 0x1234 A example.com',
      'ICMP 105 Destination unreachable (Port unreachable)',
    ],
  );
  // IPv6 addresses, right-aligned in their column.
  const v6 = doc.segments.find((s) => s.number === 11)!;
  assert.deepEqual(v6.src, { address: '::1', port: 51868 });
  assert.deepEqual(v6.dst, { address: '::1', port: 5000 });
});

test('-P -x: hex lines and data-source headings extend their row', () => {
  const text = readFixture('packets', 'generated/tshark_any_P_x.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.segments.length, 20);
  const first = doc.segments[0]!;
  assert.equal(first.line, 0);
  assert.equal(first.lastLine, 6);
  assert.equal(texts(lines, first, 'payload').length, 5);
  assert.ok(lines[6]!.startsWith('0040  04 02 08 0a'));
  // Frame 8 (HTTP) is furniture, and so are its `Frame (72 bytes):` / `Reassembled TCP (21 bytes):` dumps.
  const eight = lines.findIndex((l) => /^\s+8\s/.test(l));
  for (let i = eight; i < eight + 10; i++) {
    if (lines[i]!.trim() !== '') assert.ok(doc.headerLines.includes(i), `line ${i}: ${lines[i]}`);
  }
  assert.equal(lines[eight + 2], 'Frame (72 bytes):');
});

test('tshark chatter is furniture', () => {
  const stderr = readFixture('packets', '01_normal_client_close/four_way/tshark.stderr.txt').trimEnd();
  const lines = [stderr, SYNACK, ACK];
  const doc = parseLines(lines);
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.blocks[0]!.format, 'tshark');
  assert.deepEqual(doc.headerLines, [0]);
  assert.equal(doc.segments.length, 2);
});

test('a garbled TCP row is unparsed and the block goes on; hostile input never throws', () => {
  const lines = [
    SYNACK,
    ACK.replace('Ack=1 ', 'Ack=1x '),
    ACK.replace('TSecr=1385129512', 'TSecr=1385129512 ???'),
    ACK.replace('TSecr=1385129512', ''), // TSval without TSecr
    ACK,
  ];
  const doc = parseLines(lines);
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.segments.length, 2);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [1, 2, 3],
  );
  const long = `${ACK} ${'SLE=1 '.repeat(20000)}`;
  assert.ok(long.length > 100000);
  assert.doesNotThrow(() => parseLines([SYNACK, long, ACK]));
  let seed = 11;
  const noise: string[] = [];
  for (let i = 0; i < 300; i++) {
    let l = `  ${i} 0.00000${i} 1.2.3.4 \u2192 5.6.7.8 TCP 66 `;
    for (let j = 0; j < 100; j++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      l += ' 0123456789=[]\u2192>-SeqAckWinLenSLESRETSvalecr,'[seed % 46];
    }
    noise.push(l);
  }
  assert.doesNotThrow(() => parseLines(noise));
  assert.doesNotThrow(() => parseLines(noise, { format: 'tshark' }));
  for (const l of noise) assert.doesNotThrow(() => tsharkReader.startScore(l));
});

test('startScore: sure of TCP rows, unsure of other rows, silent on tcpdump and socket tables', () => {
  assert.equal(tsharkReader.startScore(MODERN), 2);
  assert.equal(tsharkReader.startScore(OLD), 2);
  assert.equal(tsharkReader.startScore('   24   0.402527    127.0.0.1 \u2192 127.0.0.1    DNS 77 Standard query 0x1234 A example.com'), 1);
  assert.equal(tsharkReader.startScore('Running as user "root" and group "root". This could be dangerous.'), 2);
  assert.equal(
    tsharkReader.startScore(
      '13:35:11.002394 IP 127.0.0.1.46548 > 127.0.0.1.8080: Flags [S], seq 2426382983, win 65495, options [mss 65495], length 0',
    ),
    0,
  );
  assert.equal(tsharkReader.startScore('tcp        0      0 127.0.0.1:8080          127.0.0.1:46548         ESTABLISHED'), 0);
  assert.equal(tsharkReader.startScore('11 packets captured'), 0);
});
