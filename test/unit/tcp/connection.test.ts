// Connection rebuild and state inference on real captures, checked against each scenario's ground truth
// (test/fixtures/captures/<scenario>/README.txt, copied from shared/samples) and against the three text formats of
// the same packets, which must rebuild to the same connections and the same relative numbers.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseText } from '../../../src/core/formats/detect';
import { analyseSegments, type SegmentsAnalysis } from '../../../src/core/analysis/segments';
import { N_WIN, NormTable, stepLabel, type EndsState, type SeqStyle } from '../../../src/core/tcp/connection';
import type { ParsedDocument } from '../../../src/core/model';
import { readFixture } from '../support';
import { RECORDED } from './captureSets';

function load(file: string): { doc: ParsedDocument; r: SegmentsAnalysis } {
  const doc = parseText(readFixture('captures', file));
  return { doc, r: analyseSegments(doc.segments) };
}

/** `CLOSED/LISTEN?`: client/server states, `?` marking an inferred one. */
function ends(e: EndsState): string {
  const one = (s: { state: string; certain: boolean }): string => s.state + (s.certain ? '' : '?');
  return `${one(e.client)}/${one(e.server)}`;
}

const FORMATS: readonly [string, SeqStyle][] = [
  ['tcpdump_nn.txt', 'tcpdump-relative'],
  ['tcpdump_tttt_S_v.txt', 'absolute'],
  ['tshark.txt', 'relative'],
];

test('01 four_way: client closes first, server ACKs its FIN separately 44 ms later, client ends in TIME-WAIT', () => {
  for (const [file, style] of FORMATS) {
    const { r } = load(`01_normal_client_close/four_way/${file}`);
    assert.equal(r.connections.length, 1, file);
    const c = r.connections[0]!;
    assert.deepEqual([c.client.endpoint.address, c.client.endpoint.port, c.server.endpoint.port], ['127.0.0.1', 46548, 8080]);
    assert.equal(c.seqStyle, style, file);
    assert.equal(c.open, 'handshake');
    assert.equal(c.handshakeComplete, true);
    assert.equal(c.close, 'client-first');
    assert.equal(c.firstFin, 'client');
    assert.deepEqual(c.timeWait, ['client']);
    assert.equal(c.halfClose, false);
    assert.equal(ends(c.finalStates), 'TIME-WAIT/CLOSED?');
    assert.deepEqual([c.client.bytes, c.server.bytes], [8, 20]);
    assert.deepEqual([c.client.segments, c.server.segments], [6, 5]);
    assert.deepEqual([c.client.mss, c.client.wscale, c.server.wscale], [65495, 10, 10]);
    // The teardown has four segments: FIN, ACK (the delayed one), FIN, ACK.
    assert.deepEqual(
      r.perSegment.map((p) => p.step.label),
      ['handshake 1/3', 'handshake 2/3', 'handshake 3/3', 'data', 'ack', 'data', 'ack', 'teardown 1/4', 'teardown 2/4', 'teardown 3/4', 'teardown 4/4'],
    );
    // Duration 13:35:11.002394 -> 13:35:14.080234 (tcpdump -nn clock).
    assert.ok(Math.abs(c.durationMs! - 3077.84) < 0.01, String(c.durationMs));
  }
});

test('01 four_way: both ends state by state, certain where the end\'s own segment proves it', () => {
  const { r } = load('01_normal_client_close/four_way/tcpdump_nn.txt');
  assert.deepEqual(
    r.perSegment.map((p) => `${ends(p.before)} -> ${ends(p.after)}`),
    [
      // SYN: the client is certainly SYN-SENT; the listener's SYN-RECEIVED is inferred (it has not answered yet).
      'CLOSED/LISTEN? -> SYN-SENT/SYN-RECEIVED?',
      // SYN,ACK proves SYN-RECEIVED; the client's ESTABLISHED rests on the SYN,ACK reaching it.
      'SYN-SENT/SYN-RECEIVED? -> ESTABLISHED?/SYN-RECEIVED',
      'ESTABLISHED?/SYN-RECEIVED -> ESTABLISHED/ESTABLISHED?',
      'ESTABLISHED/ESTABLISHED? -> ESTABLISHED/ESTABLISHED?',
      'ESTABLISHED/ESTABLISHED? -> ESTABLISHED/ESTABLISHED',
      'ESTABLISHED/ESTABLISHED -> ESTABLISHED/ESTABLISHED',
      'ESTABLISHED/ESTABLISHED -> ESTABLISHED/ESTABLISHED',
      // The FIN's sender is certainly FIN-WAIT-1; the receiver's CLOSE-WAIT is inferred until it acknowledges.
      'ESTABLISHED/ESTABLISHED -> FIN-WAIT-1/CLOSE-WAIT?',
      'FIN-WAIT-1/CLOSE-WAIT? -> FIN-WAIT-2?/CLOSE-WAIT',
      'FIN-WAIT-2?/CLOSE-WAIT -> TIME-WAIT?/LAST-ACK',
      // The last ACK acknowledges the server's FIN, which carried the ACK of the client's FIN: TIME-WAIT is proven.
      'TIME-WAIT?/LAST-ACK -> TIME-WAIT/CLOSED?',
    ],
  );
  assert.deepEqual(
    r.perSegment.map((p) => `${p.senderRule}|${p.receiverRule}`).slice(7),
    ['sent-fin|rcv-fin', 'sent-other|fin-acked', 'sent-last-fin|rcv-fin-time-wait', 'sent-other|last-ack-fin-acked'],
  );
  assert.equal(stepLabel(r.perSegment[8]!.step, 'zh-cn'), '挥手 2/4');
});

test('01 three_way: the server\'s FIN carries the ACK of the client\'s FIN, so the close has three segments', () => {
  for (const [file] of FORMATS) {
    const { r } = load(`01_normal_client_close/three_way/${file}`);
    const c = r.connections[0]!;
    assert.equal(c.client.endpoint.port, 48684);
    assert.equal(c.close, 'client-first');
    assert.deepEqual(c.timeWait, ['client']);
    assert.deepEqual(r.perSegment.slice(7).map((p) => p.step.label), ['teardown 1/3', 'teardown 2/3', 'teardown 3/3'], file);
    assert.deepEqual(r.perSegment.slice(7).map((p) => ends(p.after)), ['FIN-WAIT-1/CLOSE-WAIT?', 'TIME-WAIT?/LAST-ACK', 'TIME-WAIT/CLOSED?']);
  }
});

test('03 refused: three SYNs answered by RST,ACK (IPv4, IPv6, nc): refused, reset, client CLOSED', () => {
  for (const file of ['tcpdump_nn.txt', 'tcpdump_tttt_S_v.txt']) {
    const { r } = load(`03_connection_refused/${file}`);
    assert.deepEqual(
      r.connections.map((c) => [c.client.endpoint.address, c.client.endpoint.port, c.server.endpoint.port, c.open, c.close]),
      [
        ['127.0.0.1', 46656, 9999, 'refused', 'reset'],
        ['::1', 47790, 9999, 'refused', 'reset'],
        ['127.0.0.1', 44072, 9998, 'refused', 'reset'],
      ],
    );
    for (const c of r.connections) {
      // The server end never had a socket: CLOSED before (inferred) and after sending the RST (certain).
      assert.equal(ends(c.finalStates), 'CLOSED?/CLOSED');
      assert.equal(c.reset?.by, 'server');
      assert.equal(c.reset?.receiverState, 'SYN-SENT');
      assert.equal(c.handshakeComplete, false);
    }
    assert.deepEqual(r.perSegment.map((p) => p.step.label), ['handshake 1/3', 'refused', 'handshake 1/3', 'refused', 'handshake 1/3', 'refused']);
    assert.deepEqual(r.perSegment.map((p) => p.receiverRule), ['closed-reply-reset', 'syn-sent-refused', 'closed-reply-reset', 'syn-sent-refused', 'closed-reply-reset', 'syn-sent-refused']);
  }
});

test('05 half-close: the client shuts down its side, the server sends 5 x 1000 bytes after the FIN, client TIME-WAIT', () => {
  for (const [file] of FORMATS) {
    const { r } = load(`05_half_close/${file}`);
    const c = r.connections[0]!;
    assert.equal(c.client.endpoint.port, 57206);
    assert.equal(c.halfClose, true, file);
    assert.equal(c.firstFin, 'client');
    assert.equal(c.close, 'client-first');
    assert.deepEqual(c.timeWait, ['client']);
    assert.deepEqual([c.client.bytes, c.server.bytes], [8, 5020]);
    // While the server sends after the client's FIN: client FIN-WAIT-2 (proven by its ACKs), server CLOSE-WAIT.
    const during = r.perSegment.slice(9, 18);
    for (const p of during) assert.equal(ends(p.after), 'FIN-WAIT-2/CLOSE-WAIT', file);
    // The server's first segment after the FIN both acknowledges it and carries 1000 bytes (teardown 2/4).
    assert.equal(r.perSegment[8]!.step.label, 'teardown 2/4');
    assert.equal(r.perSegment.filter((p) => p.step.phase === 'half-close-data').length, 4);
  }
});

test('07 many TIME-WAIT: 300 connections from distinct client ports, all closed by the client, all TIME-WAIT on the client', () => {
  for (const [file] of FORMATS) {
    const { r } = load(`07_many_time_wait/${file}`);
    assert.equal(r.connections.length, 300, file);
    const ports = new Set(r.connections.map((c) => c.client.endpoint.port));
    assert.equal(ports.size, 300);
    assert.ok(ports.has(49050) && ports.has(51706));
    for (const c of r.connections) {
      assert.equal(c.server.endpoint.port, 8080);
      assert.equal(c.segmentIndexes.length, 10);
      assert.equal(c.close, 'client-first');
      assert.deepEqual(c.timeWait, ['client']);
      assert.equal(c.finalStates.client.state, 'TIME-WAIT');
      assert.equal(c.portReuse, false);
    }
    // FIN / FIN+ACK / ACK: every close is the three-segment kind.
    assert.equal(r.perSegment.filter((p) => p.step.label === 'teardown 2/3').length, 300);
  }
});

test('10 loss: one connection carrying 2097152 bytes, seen from both capture points', () => {
  for (const side of ['sender', 'receiver']) {
    for (const [file] of FORMATS) {
      const { r } = load(`10_packet_loss/loss_10pct_2MB/${side}_${file}`);
      assert.equal(r.connections.length, 1);
      const c = r.connections[0]!;
      assert.deepEqual([c.client.endpoint.address, c.client.endpoint.port, c.server.endpoint.address], ['10.200.10.1', 56152, '10.200.11.2']);
      assert.equal(c.client.bytes, 2097152, `${side} ${file}`);
      assert.equal(c.server.bytes, 0);
      assert.equal(c.close, 'client-first');
      assert.equal(ends(c.finalStates), 'TIME-WAIT/CLOSED?');
    }
  }
  // The sender's capture holds every transmission (2162 packets), the receiver's only what got through (2011).
  assert.equal(load('10_packet_loss/loss_10pct_2MB/sender_tcpdump_nn.txt').r.connections[0]!.segmentIndexes.length, 2162);
  assert.equal(load('10_packet_loss/loss_10pct_2MB/receiver_tcpdump_nn.txt').r.connections[0]!.segmentIndexes.length, 2011);
});

test('13 IPv6 loopback and an IPv4 client on a dual-stack listener', () => {
  const v6 = load('13_ipv6_loopback/v6_loopback/tcpdump_nn.txt').r.connections[0]!;
  assert.deepEqual([v6.client.endpoint.address, v6.client.endpoint.port, v6.server.endpoint.port], ['::1', 35552, 8080]);
  assert.equal(v6.client.mss, 65476);
  assert.deepEqual(v6.timeWait, ['client']);
  const dual = load('13_ipv6_loopback/dual_stack_v4_mapped/tcpdump_nn.txt').r.connections[0]!;
  assert.deepEqual([dual.client.endpoint.address, dual.client.endpoint.port, dual.server.endpoint.port], ['127.0.0.1', 38388, 8081]);
  assert.deepEqual(dual.timeWait, ['client']);
});

test('the three text formats of the same packets give the same relative numbers, windows in bytes and states', () => {
  const dirs = [
    '01_normal_client_close/four_way',
    '05_half_close',
    '07_many_time_wait',
    '13_ipv6_loopback/v6_loopback',
    '10_packet_loss/loss_10pct_2MB/sender_',
    '10_packet_loss/loss_10pct_2MB/receiver_',
    ...RECORDED.map((name) => `rec_${name}`),
  ];
  let compared = 0;
  for (const d of dirs) {
    const prefix = d.endsWith('_') ? d : `${d}/`;
    const [nn, sv, ts] = FORMATS.map(([f]) => load(`${prefix}${f}`).r);
    for (let i = 0; i < ts!.perSegment.length; i++) {
      const t = ts!.perSegment[i]!;
      for (const other of [nn!, sv!]) {
        const o = other.perSegment[i]!;
        // tcpdump prints no seq on a segment without payload/SYN/FIN/RST; everything printed must agree.
        if (o.relSeq !== undefined) assert.equal(o.relSeq, t.relSeq, `${d} #${i + 1} seq`);
        assert.equal(o.relAck, t.relAck, `${d} #${i + 1} ack`);
        assert.equal(o.window, t.window, `${d} #${i + 1} window`);
        assert.equal(ends(o.after), ends(t.after), `${d} #${i + 1} states`);
        compared++;
      }
    }
  }
  assert.ok(compared > 15000, String(compared));
});

test('iRTT is the SYN -> ACK of the SYN,ACK time, as Wireshark measures it', () => {
  // tshark -r capture.pcap -T fields -e tcp.analysis.initial_rtt: 0.000028 s (four_way), 0.000056 s (loss sender).
  const four = load('01_normal_client_close/four_way/tshark.txt').r.connections[0]!;
  assert.equal(four.irttMs, 0.028);
  const loss = load('10_packet_loss/loss_10pct_2MB/sender_tshark.txt').r.connections[0]!;
  assert.equal(loss.irttMs, 0.056);
});

test('time passes: TIME-WAIT ends after 60 s of capture, an unanswered connect() gives up after its last timeout', () => {
  // rec_syn_backoff: connection 1 closes at +3 s (client TIME-WAIT) and the capture goes on for two more minutes.
  const lines = readFixture('captures', 'rec_syn_backoff/tcpdump_nn.txt').split('\n').filter(Boolean);
  const { r } = load('rec_syn_backoff/tcpdump_nn.txt');
  const first = r.connections[0]!;
  assert.deepEqual(first.timeWait, ['client']);
  assert.equal(ends(first.finalStates), 'CLOSED?/CLOSED?');
  // Its client was in TIME-WAIT right after the last ACK (certain: that ACK covers the server's FIN).
  assert.equal(ends(r.perSegment[first.segmentIndexes[first.segmentIndexes.length - 1]!]!.after), 'TIME-WAIT/CLOSED?');
  // Connection 2's last SYN is the last packet: nothing says the kernel gave up yet.
  assert.equal(ends(r.connections[1]!.finalStates), 'SYN-SENT/CLOSED?');
  // Synthetic continuation (to test the rule): a later packet of another connection, copied from 01 four_way's first
  // line with a new time. The last SYN was at 15:51:09.33, 33.8 s after the one before: the kernel's next (and last)
  // wait is twice that, 67.6 s. At 15:52:10 it may still be waiting; at 15:52:30 it has given up (ETIMEDOUT).
  const other = readFixture('captures', '01_normal_client_close/four_way/tcpdump_nn.txt').split('\n')[0]!.slice(15);
  for (const [time, expected] of [
    ['15:52:10.000000', 'SYN-SENT/CLOSED?'],
    ['15:52:30.000000', 'CLOSED?/CLOSED?'],
  ] as const) {
    const doc = parseText([...lines, time + other].join('\n') + '\n');
    const c = analyseSegments(doc.segments).connections[1]!;
    assert.equal(c.open, 'unanswered');
    assert.equal(ends(c.finalStates), expected, time);
  }
});

test('NormTable keeps 32-bit windows in its Uint32Array and any other number aside, each read back unchanged', () => {
  const t = new NormTable(4);
  // 65535 scaled by 2^14 (RFC 7323's largest shift) is the largest window a scaled 16-bit field can give.
  const windows = [0, 65535 * 16384, 2 ** 33, 1.5];
  for (let i = 0; i < windows.length; i++) t.bits[i] = t.setWindow(i, windows[i]!);
  assert.deepEqual([0, 1, 2, 3].map((i) => t.windowOf(i)), windows);
  assert.deepEqual([...t.win], [0, 65535 * 16384, 0, 0]);
  assert.deepEqual([0, 1, 2, 3].map((i) => t.bits[i] === N_WIN), [true, true, false, false]);
  assert.equal(new NormTable(1).windowOf(0), undefined);
});
