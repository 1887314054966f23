// Connection findings on real captures: the shared samples and the scenarios recorded by scripts/capture/record.sh.
// Expectations come from each scenario's ground truth: its README and the applications' own logs (app_*.log), which
// say what the programs did and what errors they saw.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseText } from '../../../src/core/formats/detect';
import { analyseSegments, type SegmentsAnalysis } from '../../../src/core/analysis/segments';
import type { Finding, ParsedDocument } from '../../../src/core/model';
import { readFixture } from '../support';
import { CAPTURE_SETS } from '../tcp/captureSets';

function load(file: string): { doc: ParsedDocument; r: SegmentsAnalysis } {
  const doc = parseText(readFixture('captures', file));
  return { doc, r: analyseSegments(doc.segments) };
}

function appLog(dir: string, name: string): string[] {
  return readFixture('captures', dir, `app_${name}.log`).split('\n').filter(Boolean);
}

function only(r: SegmentsAnalysis, code: string, connection?: number): Finding {
  const f = r.findings.filter((x) => x.code === code && (connection === undefined || x.connection === connection));
  assert.equal(f.length, 1, `${code}: ${f.length} findings`);
  return f[0]!;
}

/** Times (seconds) between consecutive lines, from the segments on those lines. */
function gaps(doc: ParsedDocument, lines: readonly number[]): number[] {
  const t = lines.map((l) => doc.segments.find((s) => s.line === l)!.timeSeconds!);
  return t.slice(1).map((x, k) => x - t[k]!);
}

const ALL_CODES = [
  'handshake',
  'connection-refused',
  'syn-retransmission',
  'synack-retransmission',
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'duplicate-ack',
  'out-of-order',
  'previous-segment-not-captured',
  'acked-unseen-segment',
  'zero-window',
  'zero-window-probe',
  'window-full',
  'window-update',
  'keep-alive',
  'reset',
  'half-close',
  'simultaneous-open',
  'simultaneous-close',
  'port-reuse',
  'delayed-ack-stall',
  'mid-stream-start',
];

test('every finding code occurs in the captures, in both languages, anchored on real segment lines', () => {
  const seen = new Set<string>();
  for (const set of CAPTURE_SETS) {
    for (const text of set.texts) {
      const { doc, r } = load(text);
      const segmentLines = new Set(doc.segments.map((s) => s.line));
      for (const f of r.findings) {
        seen.add(f.code);
        assert.ok(['error', 'warning', 'info'].includes(f.severity));
        assert.ok(f.lines.length > 0, `${text} ${f.code}: no line`);
        for (let k = 1; k < f.lines.length; k++) assert.ok(f.lines[k]! > f.lines[k - 1]!, `${text} ${f.code}: lines ascending`);
        for (const l of f.lines) assert.ok(segmentLines.has(l), `${text} ${f.code}: line ${l} is a segment`);
        for (const text2 of [f.message, f.cause, f.fix]) {
          if (!text2) continue;
          assert.ok(text2.en.length > 10 && !/[\u4e00-\u9fff]/.test(text2.en), `${f.code}: English text`);
          assert.ok(/[\u4e00-\u9fff]/.test(text2['zh-cn']), `${f.code}: Chinese text`);
        }
        assert.equal(typeof f.connection, 'number');
      }
    }
  }
  assert.deepEqual(ALL_CODES.filter((c) => !seen.has(c)), []);
});

test('handshake: info with the initial RTT and the negotiated options (01 four_way)', () => {
  const { r } = load('01_normal_client_close/four_way/tshark.txt');
  const f = only(r, 'handshake');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.lines, [0, 1, 2]);
  assert.match(f.message.en, /127\.0\.0\.1:46548 connected to the server 127\.0\.0\.1:8080 \(initial RTT 0\.028 ms\)/);
  assert.match(f.message.en, /MSS 65495\/65495, wscale 10\/10, SACK, timestamps/);
  assert.match(f.message['zh-cn'], /三次握手/);
});

test('connection refused (03): one error per refused SYN, naming the port and ECONNREFUSED', () => {
  const { r } = load('03_connection_refused/tcpdump_nn.txt');
  const refused = r.findings.filter((f) => f.code === 'connection-refused');
  assert.deepEqual(refused.map((f) => f.lines), [[0, 1], [2, 3], [4, 5]]);
  for (const f of refused) {
    assert.equal(f.severity, 'error');
    assert.match(f.message.en, /ECONNREFUSED/);
    assert.match(f.fix!.en, /ss -lnt \| grep ':999[89]'/);
  }
  // The refusing RST is not reported a second time as a plain reset.
  assert.equal(r.findings.filter((f) => f.code === 'reset').length, 0);
});

test('SYN back-off (rec_syn_backoff): 3 dropped SYNs, then an unanswered connect() that gives up with ETIMEDOUT', () => {
  const dir = 'rec_syn_backoff';
  const { doc, r } = load(`${dir}/tcpdump_nn.txt`);
  assert.equal(r.connections.length, 2);
  const answered = only(r, 'syn-retransmission', 0);
  assert.equal(answered.severity, 'warning');
  assert.equal(answered.lines.length, 4); // the relay dropped 3 (README), the 4th got through
  assert.equal(r.connections[0]!.open, 'handshake');
  for (const g of gaps(doc, answered.lines)) assert.ok(Math.abs(g - 1) < 0.1, String(g));
  const dead = only(r, 'syn-retransmission', 1);
  assert.equal(dead.severity, 'error');
  assert.equal(r.connections[1]!.open, 'unanswered');
  assert.match(dead.message.en, /ETIMEDOUT/);
  assert.match(dead.message.en, /linear 1 s timer before exponential back-off/);
  // Linux 6.18: five ~1 s gaps, then 2, 4, 8, 16, 32 s - and the application saw ETIMEDOUT after the last wait.
  const g = gaps(doc, dead.lines);
  assert.equal(g.length, 10);
  g.forEach((x, k) => {
    const expected = k < 5 ? 1 : 2 ** (k - 4);
    assert.ok(Math.abs(x - expected) <= expected * 0.1, `gap ${k}: ${x} vs ${expected}`);
  });
  const failed = appLog(dir, 'client_unanswered').find((l) => l.includes('connect failed'))!;
  assert.match(failed, /ETIMEDOUT/);
  const seconds = Number(/after ([\d.]+) s/.exec(failed)![1]);
  assert.ok(seconds > g.reduce((a, b) => a + b, 0), `connect() failed after ${seconds} s, after the last SYN`);
});

/** Lines of a text whose tcpdump flags are exactly `flags` (an independent count from the raw text). */
function rawLines(file: string, flags: string): number[] {
  return readFixture('captures', file)
    .split('\n')
    .flatMap((l, i) => (l.includes(`Flags [${flags}]`) ? [i] : []));
}

test('SYN,ACK retransmissions seen from the server (rec_synack)', () => {
  const file = 'rec_synack/tcpdump_nn.txt';
  const { r } = load(file);
  const f = only(r, 'synack-retransmission');
  // The relay dropped the first two SYN,ACKs (README): at least three were sent, every one is listed.
  const synAcks = rawLines(file, 'S.');
  assert.ok(synAcks.length >= 3);
  assert.deepEqual(f.lines, synAcks);
  assert.match(f.message.en, new RegExp(`sent its SYN,ACK ${synAcks.length} times`));
  // The client retransmitted its SYN as well, and the handshake completed.
  assert.deepEqual(only(r, 'syn-retransmission').lines, rawLines(file, 'S'));
  assert.equal(r.connections[0]!.handshakeComplete, true);
});

test('keep-alive (rec_keepalive): probes every second, then the kernel gives up with a RST and ETIMEDOUT', () => {
  const dir = 'rec_keepalive';
  const { doc, r } = load(`${dir}/tcpdump_nn.txt`);
  const ka = only(r, 'keep-alive');
  assert.equal(ka.lines.length, 6); // 3 answered while the relay passed everything, 3 unanswered (TCP_KEEPCNT=3)
  for (const g of gaps(doc, ka.lines)) assert.ok(Math.abs(g - 1) < 0.1, String(g));
  assert.equal(r.perSegment.filter((p) => p.analysis.includes('keep-alive-ack')).length, 3);
  const reset = only(r, 'reset');
  assert.match(reset.cause!.en, /keep-alive probes that went unanswered/);
  assert.match(reset.cause!.en, /ETIMEDOUT/);
  assert.ok(appLog(dir, 'client').some((l) => l.includes('recv error ETIMEDOUT')));
});

test('zero window (rec_zero_window): window closes, Linux probes it, the receiver reopens it after its 3 s stall', () => {
  const dir = 'rec_zero_window';
  const { r } = load(`${dir}/tcpdump_nn.txt`);
  const zw = only(r, 'zero-window');
  assert.match(zw.message.en, /^The server 10\.201\.5\.2:8080 advertised a zero receive window/);
  const probes = only(r, 'zero-window-probe');
  assert.equal(probes.lines.length, 3);
  assert.match(probes.cause!.en, /Wireshark 4\.0 labels these "TCP Keep-Alive"/);
  const update = only(r, 'window-update');
  // The receiver did not read for 3 s after accepting (app_receiver.log); the window was 0 for a bit less.
  const stall = Number(/stall of ([\d.]+) s/.exec(update.message.en)![1]);
  assert.ok(stall > 2.5 && stall < 3.1, String(stall));
  assert.ok(appLog(dir, 'receiver').some((l) => l.includes('start reading')));
  assert.ok(only(r, 'window-full').lines.length > 10);
  // No keep-alive finding: the sender had no SO_KEEPALIVE.
  assert.equal(r.findings.filter((f) => f.code === 'keep-alive').length, 0);
});

test('delayed-ACK stall (rec_delayed_ack): one stall per request the application measured at ~40 ms', () => {
  const dir = 'rec_delayed_ack';
  const { r } = load(`${dir}/tcpdump_nn.txt`);
  const f = only(r, 'delayed-ack-stall');
  const slow = appLog(dir, 'client').filter((l) => /answered after \d+\.\d ms/.test(l) && Number(/after ([\d.]+) ms/.exec(l)![1]) > 30);
  assert.equal(slow.length, 7);
  assert.equal(f.lines.length, 3 * slow.length); // data, delayed ACK, next small segment
  assert.match(f.message.en, /^7 stalls of 4\d ms on average/);
  assert.match(f.message.en, /about 40 ms: the Linux minimum delayed-ACK timeout/);
  assert.match(f.fix!.en, /TCP_NODELAY/);
  assert.match(f.fix!.en, /TCP_QUICKACK/);
  assert.match(f.fix!['zh-cn'], /TCP_NODELAY/);
});

test('resets (rec_resets): SO_LINGER 0 abort from ESTABLISHED, and late data answered by a closed socket', () => {
  const dir = 'rec_resets';
  const { r } = load(`${dir}/tcpdump_nn.txt`);
  assert.equal(r.connections.length, 2);
  const abort = only(r, 'reset', 0);
  assert.equal(r.connections[0]!.reset!.by, 'server');
  assert.equal(r.connections[0]!.reset!.senderState, 'ESTABLISHED');
  assert.equal(abort.severity, 'error');
  assert.match(abort.message.en, /ECONNRESET/);
  assert.match(abort.cause!.en, /SO_LINGER \{on, 0 s\}/);
  assert.ok(appLog(dir, 'client_8091').some((l) => l.includes('ECONNRESET')));
  const late = only(r, 'reset', 1);
  assert.equal(r.connections[1]!.reset!.by, 'client');
  assert.equal(r.connections[1]!.reset!.senderState, 'FIN-WAIT-2');
  assert.equal(r.connections[1]!.reset!.receiverState, 'CLOSE-WAIT');
  assert.match(late.cause!.en, /data arrives after close\(\)/);
  assert.match(late.message.en, /EPIPE/);
  assert.ok(appLog(dir, 'server_late').some((l) => l.includes('EPIPE')));
  // Not a half-close: the client had closed the socket, it answered the late data with RST.
  assert.equal(r.findings.filter((f) => f.code === 'half-close').length, 0);
});

test('half-close (05): five 1000-byte segments after the client\'s FIN, acknowledged by the client', () => {
  const { r } = load('05_half_close/tcpdump_nn.txt');
  const f = only(r, 'half-close');
  assert.match(f.message.en, /kept sending \(5 segments, 5000 bytes\)/);
  assert.deepEqual(f.lines, [7, 8, 10, 12, 14, 16]);
  assert.match(f.cause!.en, /shutdown\(SHUT_WR\)/);
});

test('simultaneous open and close (rec_simultaneous): both ends through SYN-RECEIVED, then CLOSING, both TIME-WAIT', () => {
  for (const file of ['tcpdump_nn.txt', 'tshark.txt']) {
    const { r } = load(`rec_simultaneous/${file}`);
    const c = r.connections[0]!;
    assert.equal(c.open, 'simultaneous');
    assert.equal(c.close, 'simultaneous');
    assert.deepEqual(c.timeWait, ['client', 'server']);
    assert.equal(c.finalStates.client.state, 'TIME-WAIT');
    assert.equal(c.finalStates.server.state, 'TIME-WAIT');
    assert.equal(only(r, 'simultaneous-open').lines.length, 2);
    assert.equal(only(r, 'simultaneous-close').lines.length, 2);
    assert.deepEqual(r.perSegment.slice(0, 4).map((p) => p.step.label), ['simultaneous open 1/4', 'simultaneous open 2/4', 'simultaneous open 3/4', 'simultaneous open 4/4']);
    // Each end's own SYN,ACK proves SYN-RECEIVED; each end's FIN proves FIN-WAIT-1 and the crossing FIN takes it to CLOSING.
    const after = r.perSegment.map((p) => p.after);
    assert.deepEqual([after[2]!.client.state, after[2]!.client.certain], ['SYN-RECEIVED', true]);
    assert.deepEqual([after[3]!.server.state, after[3]!.server.certain], ['SYN-RECEIVED', true]);
    const fins = r.perSegment.map((p, i) => [p, i] as const).filter(([p]) => p.step.phase === 'simultaneous-close');
    assert.equal(fins.length, 4);
    assert.ok(r.perSegment.some((p) => p.after.client.state === 'CLOSING'));
    assert.ok(r.perSegment.some((p) => p.after.server.state === 'CLOSING'));
    assert.equal(r.findings.filter((f) => f.code === 'handshake').length, 0);
  }
});

test('port reuse (rec_port_reuse): the second SYN from port 45000 starts connection 2 while the server is in TIME-WAIT', () => {
  for (const file of ['tcpdump_nn.txt', 'tcpdump_tttt_S_v.txt', 'tshark.txt']) {
    const { r } = load(`rec_port_reuse/${file}`);
    assert.equal(r.connections.length, 2, file);
    const [first, second] = r.connections as [SegmentsAnalysis['connections'][0], SegmentsAnalysis['connections'][0]];
    for (const c of [first, second]) {
      assert.deepEqual([c.client.endpoint.port, c.server.endpoint.port], [45000, 8094]);
      assert.equal(c.close, 'server-first'); // the server closes first each time (README)
      assert.deepEqual(c.timeWait, ['server']);
      assert.equal(c.client.bytes, 6);
      assert.equal(c.server.bytes, 15);
    }
    assert.equal(first.portReuse, false);
    assert.equal(second.portReuse, true);
    assert.equal(second.previous, 0);
    assert.ok(r.perSegment[second.segmentIndexes[0]!]!.analysis.includes('port-reuse'));
    assert.equal(only(r, 'port-reuse').connection, 1);
    // Fresh relative numbers for the new connection: its SYN,ACK acknowledges relative 1.
    assert.equal(r.perSegment[second.segmentIndexes[1]!]!.relAck, 1, file);
  }
});

test('spurious retransmissions (rec_spurious): ACKs dropped, data not; seen from the receiver', () => {
  const file = 'rec_spurious/tcpdump_nn.txt';
  const { r } = load(file);
  const f = only(r, 'spurious-retransmission');
  // Independently from the raw text: data segments repeating a seq range that was already sent.
  const seen = new Set<string>();
  const repeats: number[] = [];
  readFixture('captures', file)
    .split('\n')
    .forEach((l, i) => {
      const m = /10\.201\.6\.1\.\d+ > .*seq (\d+:\d+)/.exec(l);
      if (!m) return;
      if (seen.has(m[1]!)) repeats.push(i);
      seen.add(m[1]!);
    });
  assert.ok(repeats.length >= 2, String(repeats.length));
  assert.deepEqual(f.lines, repeats);
  assert.match(f.message.en, new RegExp(`^The client 10\\.201\\.6\\.1:\\d+ resent ${repeats.length} segments the peer had already acknowledged`));
  // The receiver answers each with a duplicate ACK carrying a D-SACK block.
  assert.deepEqual(only(r, 'duplicate-ack').lines, repeats.map((l) => l + 1));
});

test('mid-stream start (rec_mid_stream): roles guessed from the ports, both ends assumed ESTABLISHED', () => {
  const dir = 'rec_mid_stream';
  const { r } = load(`${dir}/tcpdump_nn.txt`);
  const c = r.connections[0]!;
  assert.equal(c.open, 'mid-stream');
  assert.equal(c.rolesGuessed, true);
  const connected = appLog(dir, 'client').find((l) => l.includes('connected'))!;
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(connected)![1]);
  assert.deepEqual([c.client.endpoint.port, c.server.endpoint.port], [port, 8095]);
  assert.equal(only(r, 'mid-stream-start').lines[0], 0);
  assert.equal(r.perSegment[0]!.before.client.state, 'ESTABLISHED');
  assert.equal(r.perSegment[0]!.before.client.certain, false);
  assert.equal(c.close, 'client-first');
  // No false gaps: the first pure ACK's sequence number is taken from the peer's ACK.
  assert.equal(r.findings.filter((f) => f.code === 'acked-unseen-segment' || f.code === 'previous-segment-not-captured').length, 0);
});

test('capture gap (rec_capture_gap): a missing segment shows as a gap and as ACKed data the capture never had', () => {
  const { r } = load('rec_capture_gap/tcpdump_nn.txt');
  assert.equal(only(r, 'previous-segment-not-captured').lines.length, 1);
  assert.equal(only(r, 'acked-unseen-segment').lines.length, 2);
});

test('packet loss (10): timeout and fast retransmissions, duplicate ACKs, reordering, gaps at the receiver', () => {
  const sender = load('10_packet_loss/loss_10pct_2MB/sender_tcpdump_nn.txt').r;
  assert.equal(only(sender, 'retransmission').lines.length, 78);
  assert.equal(only(sender, 'fast-retransmission').lines.length, 63);
  assert.equal(only(sender, 'out-of-order').lines.length, 10);
  assert.equal(only(sender, 'duplicate-ack').lines.length, 175);
  // 63 + 78 + 10 = 151 resent segments = the 151 packets the router dropped (README).
  const receiver = load('10_packet_loss/loss_10pct_2MB/receiver_tshark.txt').r;
  assert.equal(only(receiver, 'previous-segment-not-captured').lines.length, 123);
  assert.match(only(receiver, 'previous-segment-not-captured').cause!.en, /on the receiving host this is real loss/);
});

test('messages written when read (rec_port_reuse): they read, spread, serialise and compare like plain texts', () => {
  const { r } = load('rec_port_reuse/tcpdump_nn.txt');
  const reuse = only(r, 'port-reuse');
  const expected = {
    en: 'Port reuse: the 4-tuple 127.0.0.1:45000 -> 127.0.0.1:8094 carried connection #1 earlier in this capture; this SYN starts a new connection on it (a new initial sequence number).',
    'zh-cn': '端口复用：四元组 127.0.0.1:45000 -> 127.0.0.1:8094 在本次抓包中先前承载过连接 #1；这个 SYN（新的初始序列号）在它上面开始了新连接。',
  };
  assert.equal(reuse.message.en, expected.en);
  assert.equal(reuse.message['zh-cn'], expected['zh-cn']);
  // JSON (the CLI, the golden files) sees a plain { en, zh-cn } object, in that key order.
  assert.equal(JSON.stringify(reuse.message), JSON.stringify(expected));
  assert.deepEqual(JSON.parse(JSON.stringify(reuse)).message, expected);
  // A copy of the finding (incrementalConnections renumbers findings by spreading them) keeps its message.
  assert.equal({ ...reuse, connection: 7 }.message.en, expected.en);
  // The handshake's text comes from the ends and the iRTT it was made with.
  const hs = r.findings.filter((f) => f.code === 'handshake');
  assert.equal(hs.length, 2);
  assert.match(hs[0]!.message.en, /^Three-way handshake: the client 127\.0\.0\.1:45000 connected to the server 127\.0\.0\.1:8094 \(initial RTT [\d.]+ ms\); options MSS 65495\/65495/);
  // Two analyses of the same text give findings that compare equal; messages of other connections (other ISNs and
  // byte counts in their ends) do not, nor messages of another kind.
  assert.deepEqual(load('rec_port_reuse/tcpdump_nn.txt').r.findings, r.findings);
  assert.notDeepEqual(hs[0]!.message, hs[1]!.message);
  assert.notDeepEqual(hs[1]!.message, reuse.message);
});
