import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { run, segmentLabel, type Break, type Flight, type ScriptItem, type Step } from '../../../src/core/stepper/engine';
import { scenarioById, SCENARIOS } from '../../../src/core/stepper/scenarios';
import { trackFromSteps } from '../../../src/core/stepper/track';

/**
 * The zero-window scenario and the engine's flow-control model. Numbers: both ISNs are 0, so the client's data
 * occupies sequence numbers 1..2000 and the server's buffer is 1000 bytes; the RTO sits on tcp_rto_min (200 ms) and
 * the wire's one-way delay is 20 ms.
 */
const script = scenarioById('zero-window')!.script;

/** Every segment that reached the server: delivered data, in the order the machine accepted it. */
function dataAccepted(steps: readonly Step[]): Flight[] {
  return steps.filter((s) => s.kind === 'deliver' && s.side === 'server' && s.rule === 'rcv-data').map((s) => s.segment!);
}

test('zero window: the first 1000 bytes fill the window, the next 1000 wait in the send queue', () => {
  const steps = run(script);
  const sends = steps.filter((s) => s.kind === 'app' && s.side === 'client' && s.text.en.startsWith('Client: send('));
  assert.equal(sends.length, 2);
  assert.equal(sends[0]!.sent.length, 1);
  assert.equal(sends[0]!.sent[0]!.seg.seq, 1);
  assert.equal(sends[0]!.sent[0]!.seg.len, 1000);
  assert.match(sends[0]!.text.en, /fill the peer's window exactly \(window-full\)/);
  assert.deepEqual(sends[1]!.sent, []);
  assert.equal(sends[1]!.rule, undefined);
  assert.equal(sends[1]!.after.client.sendQ, 2000);
  assert.match(sends[1]!.text['zh-cn'], /发送缓冲区/);
});

test('zero window: the receiver\'s ACK of the full buffer advertises win=0, and the sender then sends nothing new', () => {
  const steps = run(script);
  const fill = steps.find((s) => s.kind === 'deliver' && s.side === 'server' && s.rule === 'rcv-data')!;
  assert.equal(fill.after.server.recvQ, 1000);
  assert.equal(fill.after.server.window, 0);
  assert.equal(fill.sent.length, 1);
  const zeroAck = fill.sent[0]!;
  assert.deepEqual({ ack: zeroAck.seg.ack, ackNo: zeroAck.seg.ackNo, len: zeroAck.seg.len, win: zeroAck.win }, { ack: true, ackNo: 1001, len: 0, win: 0 });

  const learnt = steps.findIndex((s) => s.kind === 'deliver' && s.side === 'client' && s.segment?.win === 0);
  const reopened = steps.findIndex((s) => s.index > learnt && s.kind === 'deliver' && s.side === 'client' && (s.segment?.win ?? 0) > 0);
  assert.ok(learnt > 0 && reopened > learnt, `${learnt} < ${reopened}`);
  assert.deepEqual(steps[learnt]!.after.client.timers, ['persist']);
  // Between the two, everything the client puts on the wire is a probe: no data, nothing beyond SND.NXT = 1001.
  const clientSent = steps.slice(learnt, reopened).flatMap((s) => s.sent.filter((f) => f.from === 'client'));
  assert.equal(clientSent.length, 3);
  for (const f of clientSent) {
    assert.equal(f.seg.len, 0);
    assert.ok(!f.seg.syn && !f.seg.fin && !f.seg.rst && f.seg.ack);
  }
  // The window opens: the queued 1000 bytes go out at once, from SND.NXT.
  const flushed = steps[reopened]!.sent.filter((f) => f.from === 'client');
  assert.equal(flushed.length, 1);
  assert.deepEqual({ seq: flushed[0]!.seg.seq, len: flushed[0]!.seg.len }, { seq: 1001, len: 1000 });
  assert.deepEqual(steps[reopened]!.after.client.timers, ['retransmission']);
});

test('zero window: probes carry SEQ = SND.UNA - 1 and no data, and back off 200, 400, 800 ms', () => {
  const steps = run(script);
  const probes = steps.filter((s) => s.kind === 'timeout' && s.side === 'client');
  assert.equal(probes.length, 3);
  for (const p of probes) {
    assert.equal(p.rule, undefined); // no machine event: the engine's persist timer
    assert.equal(p.sent.length, 1);
    assert.deepEqual(
      { seq: p.sent[0]!.seg.seq, ackNo: p.sent[0]!.seg.ackNo, len: p.sent[0]!.seg.len, ack: p.sent[0]!.seg.ack },
      { seq: 1000, ackNo: 1, len: 0, ack: true }, // SND.UNA is 1001
    );
    assert.equal(p.after.client.state, 'ESTABLISHED');
    assert.match(p.text.en, /SEQ = SND\.UNA - 1 = 1000/);
  }
  // The zero window reached the client at 100 ms. The timer starts at the RTO (200 ms) and is re-armed, doubled,
  // when each probe's answer (40 ms later) still says win=0.
  assert.deepEqual(probes.map((p) => p.timeMs), [300, 300 + 40 + 400, 740 + 40 + 800]);
  // Each probe is answered by the receiver's machine with an ACK for RCV.NXT that still carries win=0.
  for (const p of probes) {
    const answer = steps.find((s) => s.kind === 'deliver' && s.side === 'server' && s.segment?.id === p.sent[0]!.id)!;
    assert.equal(answer.rule, 'unacceptable-ack');
    assert.deepEqual({ ackNo: answer.sent[0]!.seg.ackNo, len: answer.sent[0]!.seg.len, win: answer.sent[0]!.win }, { ackNo: 1001, len: 0, win: 0 });
  }
});

test('zero window: the read opens the window and the receiver sends a window update <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>', () => {
  const steps = run(script);
  const reads = steps.filter((s) => s.kind === 'app' && s.side === 'server' && s.text.en.startsWith('Server: read('));
  assert.equal(reads.length, 2);
  const first = reads[0]!;
  assert.equal(first.timeMs, 1700); // the zero window at 100 ms, then the application slept 1.6 s
  assert.equal(first.after.server.recvQ, 0);
  assert.equal(first.after.server.window, 1000);
  assert.equal(first.sent.length, 1);
  const update = first.sent[0]!;
  assert.deepEqual(
    { seq: update.seg.seq, ackNo: update.seg.ackNo, ack: update.seg.ack, len: update.seg.len, fin: update.seg.fin, win: update.win },
    { seq: 1, ackNo: 1001, ack: true, len: 0, fin: false, win: 1000 },
  );
  // It is the next thing the client receives that opens the window.
  const next = steps.find((s) => s.index > first.index && s.kind === 'deliver' && s.side === 'client')!;
  assert.equal(next.segment!.id, update.id);
  assert.equal(next.sent[0]!.seg.len, 1000);
  // The second read opens the window again after the last 1000 bytes filled it.
  assert.equal(reads[1]!.sent[0]!.win, 1000);
  assert.equal(reads[1]!.sent[0]!.seg.ackNo, 2001);
});

test('zero window: all 2000 bytes arrive exactly once, in order, and both ends stay ESTABLISHED', () => {
  const steps = run(script);
  const accepted = dataAccepted(steps);
  assert.deepEqual(accepted.map((f) => [f.seg.seq, f.seg.len]), [[1, 1000], [1001, 1000]]);
  const established = steps.findIndex((s) => s.after.client.state === 'ESTABLISHED' && s.after.server.state === 'ESTABLISHED');
  assert.equal(established, 4);
  for (const s of steps.slice(established)) {
    assert.equal(s.after.client.state, 'ESTABLISHED', `step ${s.index}`);
    assert.equal(s.after.server.state, 'ESTABLISHED', `step ${s.index}`);
  }
  for (const s of steps) assert.ok((s.after.server.recvQ ?? 0) <= 1000, `step ${s.index}: the buffer never overflows`);
  const last = steps[steps.length - 1]!;
  assert.deepEqual(
    { recvQ: last.after.server.recvQ, window: last.after.server.window, sendQ: last.after.client.sendQ, timers: [...last.after.client.timers, ...last.after.server.timers] },
    { recvQ: 0, window: 1000, sendQ: 0, timers: [] },
  );
  assert.equal(steps.filter((s) => s.rule === 'retransmit').length, 0);
});

test('zero window: the track labels carry win=N for the end with a bounded buffer and nothing for the other', () => {
  const steps = run(script);
  const track = trackFromSteps(steps);
  const labels = track.filter((s) => s.segment).map((s) => `${s.segment!.from}: ${s.segment!.label}`);
  assert.ok(labels.includes('server: SYN, ACK seq=0 ack=1 win=1000'), labels.join('\n'));
  assert.ok(labels.includes('server: ACK seq=1 ack=1001 win=0'));
  assert.ok(labels.includes('server: ACK seq=1 ack=1001 win=1000'));
  assert.ok(labels.includes('client: ACK seq=1000 ack=1'));
  assert.ok(labels.filter((l) => l.startsWith('client:')).every((l) => !l.includes('win=')));
  const fill = track.find((s) => s.segment?.label === 'PSH, ACK seq=1 ack=1 len=1000' && s.side === 'server')!;
  assert.deepEqual(fill.inFlight, [{ from: 'server', label: 'ACK seq=1 ack=1001 win=0' }]);
  assert.deepEqual({ recvQ: fill.after.server.recvQ, window: fill.after.server.window }, { recvQ: 1000, window: 0 });
  assert.equal(segmentLabel({ syn: false, ack: true, fin: false, rst: false, seq: 5, ackNo: 9, len: 3 }, 0), 'PSH, ACK seq=5 ack=9 win=0 len=3');
});

test('flow control is off by default: no other scenario has a win on any segment or a queue on any end', () => {
  for (const scenario of SCENARIOS.filter((s) => s.id !== 'zero-window')) {
    for (const s of run(scenario.script)) {
      for (const f of [...s.sent, ...s.inFlight]) assert.equal(f.win, undefined, `${scenario.id} step ${s.index}`);
      assert.equal(s.after.client.recvQ, undefined);
      assert.equal(s.after.server.window, undefined);
      assert.ok(!s.after.client.timers.includes('persist') && !s.after.server.timers.includes('persist'));
    }
  }
});

test('break it: dropping the window update leaves both ends waiting until the next probe\'s answer opens the window', () => {
  const base = run(script);
  const read = base.find((s) => s.text.en.startsWith('Server: read('))!;
  const steps = run(script, [{ kind: 'drop', atStep: read.index + 1 }]);
  assert.equal(steps[read.index + 1]!.kind, 'lost');
  assert.equal(steps[read.index + 1]!.segment!.win, 1000);
  // The client still believes the window is shut and probes again (the fourth probe, 1600 ms after the third's answer).
  const probe4 = steps.find((s) => s.index > read.index && s.kind === 'timeout' && s.side === 'client')!;
  assert.equal(probe4.timeMs, 1620 + 1600);
  assert.equal(probe4.sent[0]!.seg.seq, 1000);
  const answer = steps.find((s) => s.index > probe4.index && s.kind === 'deliver' && s.side === 'server')!;
  assert.equal(answer.sent[0]!.win, 1000);
  assert.deepEqual(dataAccepted(steps).map((f) => [f.seg.seq, f.seg.len]), [[1, 1000], [1001, 1000]]);
  assert.equal(steps[steps.length - 1]!.after.client.state, 'ESTABLISHED');
});

test('break it: a receiver that dies during the zero window is probed with back-off until the sender gives up (ETIMEDOUT, no RST)', () => {
  const base = run(script);
  const learnt = base.findIndex((s) => s.kind === 'deliver' && s.side === 'client' && s.segment?.win === 0);
  const steps = run(script, [{ kind: 'crash', atStep: learnt + 1, side: 'server' }]);
  const probes = steps.filter((s) => s.kind === 'timeout' && s.side === 'client' && s.rule === undefined);
  assert.equal(probes.length, 4); // tcp_retries2, shortened to 4 like the retransmissions
  const gaps = probes.slice(1).map((p, i) => p.timeMs - probes[i]!.timeMs);
  assert.deepEqual(gaps, [400, 800, 1600]); // unanswered: re-armed from each probe, doubling
  const giveUp = steps[steps.length - 1]!;
  assert.equal(giveUp.kind, 'timeout');
  assert.equal(giveUp.rule, 'user-timeout');
  assert.equal(giveUp.error, 'ETIMEDOUT');
  assert.equal(giveUp.timeMs - probes[3]!.timeMs, 3200);
  assert.deepEqual(giveUp.sent, []);
  assert.equal(giveUp.after.client.state, 'CLOSED');
  assert.equal(giveUp.after.client.sendQ, 0);
});

test('break it: a receiver that reboots during the zero window answers the probe with RST', () => {
  const base = run(script);
  const learnt = base.findIndex((s) => s.kind === 'deliver' && s.side === 'client' && s.segment?.win === 0);
  const steps = run(script, [{ kind: 'reboot', atStep: learnt + 1, side: 'server' }]);
  const rst = steps.find((s) => s.side === 'server' && s.rule === 'closed-reply-reset')!;
  assert.equal(rst.segment!.seg.seq, 1000); // the probe
  assert.equal(rst.sent[0]!.seg.rst, true);
  assert.ok(steps.some((s) => s.error === 'ECONNRESET' && s.after.client.state === 'CLOSED'));
});

test('break it: every break at every step of the zero-window scenario ends quietly, never overflows, never duplicates data', () => {
  const base = run(script);
  let runs = 0;
  for (let k = 0; k <= base.length; k++) {
    const breaks: Break[] = [
      { kind: 'drop', atStep: k },
      { kind: 'crash', atStep: k, side: 'client' },
      { kind: 'crash', atStep: k, side: 'server' },
      { kind: 'reboot', atStep: k, side: 'server' },
      { kind: 'abort', atStep: k, side: 'client' },
    ];
    for (const b of breaks) {
      const steps = run(script, [b]);
      const label = `${b.kind}@${k}`;
      assert.ok(steps.length < 80, `${label} ends on its own (${steps.length} steps)`);
      for (const s of steps) assert.ok((s.after.server.recvQ ?? 0) <= 1000, `${label} step ${s.index}`);
      // Whatever reached the server's application arrived in order and once: contiguous from sequence number 1.
      let next = 1;
      for (const f of dataAccepted(steps)) {
        assert.equal(f.seg.seq, next, label);
        next += f.seg.len;
      }
      assert.ok(next <= 2001, label);
      // No data ever goes beyond the right edge (SEG.ACK + SEG.WND) of the windows the client has received so far.
      let edge = 0;
      for (const s of steps) {
        const f = s.segment;
        if (s.kind === 'deliver' && s.side === 'client' && f?.win !== undefined && f.seg.ack) edge = Math.max(edge, f.seg.ackNo + f.win);
        for (const out of s.sent) {
          if (out.from === 'client' && out.seg.len > 0) assert.ok(out.seg.seq + out.seg.len <= edge, `${label} step ${s.index}: ${out.seg.seq}+${out.seg.len} > ${edge}`);
        }
      }
      runs++;
    }
  }
  assert.equal(runs, (base.length + 1) * 5);
});

test('window-full with a partial window: only what fits goes out, the rest follows the window update', () => {
  const partial: ScriptItem[] = [
    { kind: 'rcvbuf', side: 'server', bytes: 1000 },
    { kind: 'app', side: 'server', call: 'listen' },
    { kind: 'app', side: 'client', call: 'connect' },
    { kind: 'settle' },
    { kind: 'app', side: 'client', call: 'send', len: 1500 },
    { kind: 'settle' },
    { kind: 'app', side: 'server', call: 'read', len: 600 },
    { kind: 'settle' },
  ];
  const steps = run(partial);
  const send = steps.find((s) => s.text.en.startsWith('Client: send(1500)'))!;
  assert.deepEqual(send.sent.map((f) => [f.seg.seq, f.seg.len]), [[1, 1000]]);
  assert.equal(send.after.client.sendQ, 1500);
  assert.match(send.text.en, /Only 1000 bytes fit .* the other 500 wait/);
  // read(600) from a full buffer: the window goes 0 -> 600, an update is sent, and 500 of the queued bytes fit.
  const read = steps.find((s) => s.text.en.startsWith('Server: read(600)'))!;
  assert.equal(read.sent[0]!.win, 600);
  assert.deepEqual(dataAccepted(steps).map((f) => [f.seg.seq, f.seg.len]), [[1, 1000], [1001, 500]]);
  const last = steps[steps.length - 1]!;
  assert.deepEqual({ recvQ: last.after.server.recvQ, window: last.after.server.window }, { recvQ: 900, window: 100 });
});

test('a read that does not double the window sends no update (Linux tcp_cleanup_rbuf)', () => {
  const steps = run([
    { kind: 'rcvbuf', side: 'server', bytes: 1000 },
    { kind: 'app', side: 'server', call: 'listen' },
    { kind: 'app', side: 'client', call: 'connect' },
    { kind: 'settle' },
    { kind: 'app', side: 'client', call: 'send', len: 600 },
    { kind: 'settle' },
    { kind: 'app', side: 'server', call: 'read', len: 100 }, // 400 -> 500: not doubled
    { kind: 'app', side: 'server', call: 'read', len: 500 }, // 500 -> 1000: doubled
  ]);
  const reads = steps.filter((s) => s.text.en.startsWith('Server: read('));
  assert.deepEqual(reads.map((s) => s.sent.map((f) => f.win)), [[], [1000]]);
  assert.deepEqual(reads.map((s) => s.after.server.window), [500, 1000]);
});

test('close() behind queued data: the FIN waits until the last queued byte is sent', () => {
  const steps = run([
    { kind: 'rcvbuf', side: 'server', bytes: 1000 },
    { kind: 'app', side: 'server', call: 'listen' },
    { kind: 'app', side: 'client', call: 'connect' },
    { kind: 'settle' },
    { kind: 'app', side: 'client', call: 'send', len: 1000 },
    { kind: 'app', side: 'client', call: 'send', len: 300 },
    { kind: 'app', side: 'client', call: 'close' },
    { kind: 'settle' },
    { kind: 'app', side: 'server', call: 'read', len: 1000 },
    { kind: 'settle' },
  ]);
  const close = steps.find((s) => s.text.en.startsWith('Client: close()'))!;
  assert.equal(close.after.client.state, 'ESTABLISHED');
  assert.deepEqual(close.sent, []);
  const fin = steps.find((s) => s.sent.some((f) => f.seg.fin))!;
  assert.equal(fin.side, 'client');
  assert.deepEqual(fin.sent.map((f) => [f.seg.seq, f.seg.len, f.seg.fin]), [[1001, 300, false], [1301, 0, true]]);
  assert.equal(fin.after.client.state, 'FIN-WAIT-1');
  assert.equal(steps[steps.length - 1]!.after.client.state, 'FIN-WAIT-2');
  assert.equal(steps[steps.length - 1]!.after.server.state, 'CLOSE-WAIT');
});

test('zero window: the lesson names the sysctl keys and what ss and tcpdump show, in English and Chinese', () => {
  const scenario = scenarioById('zero-window')!;
  const keys = ['net.ipv4.tcp_rmem', 'net.core.rmem_max', 'net.ipv4.tcp_adv_win_scale', 'net.ipv4.tcp_moderate_rcvbuf'];
  for (const key of keys) assert.ok(scenario.sysctls.includes(key), key);
  for (const lang of ['en', 'zh-cn'] as const) {
    for (const word of [...keys, 'Recv-Q', 'Send-Q', '`win 0`', 'SND.UNA - 1', 'ESTABLISHED']) assert.ok(scenario.lesson[lang].includes(word), `${lang}: ${word}`);
  }
  assert.match(scenario.lesson['zh-cn'], /零窗口探测/);
  assert.match(scenario.title['zh-cn'], /零窗口/);
});
