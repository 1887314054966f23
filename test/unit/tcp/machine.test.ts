// The RFC 9293 machine on its own: two ends exchanging the segments the machine emits, with a wire that can drop
// one. Every expectation is a transition RFC 9293 section 3.10 prescribes (section numbers in the test names).
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  CLOSED_TCB,
  DIAGRAM_EDGES,
  copyTcb,
  RULES,
  makeSegment,
  seqAdd,
  seqGt,
  seqLt,
  step,
  stepReceive,
  stepSent,
  tcbInState,
  type MachineEvent,
  type MachineSegment,
  type Tcb,
} from '../../../src/core/tcp/machine';
import { TCP_STATES } from '../../../src/core/tcp/states';

/** Two ends and a wire. `drop` lists which emitted segments (0-based, in emission order) the wire loses. */
class Pair {
  a: Tcb = CLOSED_TCB;
  b: Tcb = CLOSED_TCB;
  readonly log: string[] = [];
  private wire: { to: 'a' | 'b'; seg: MachineSegment }[] = [];
  private sent = 0;
  constructor(private readonly drop: ReadonlySet<number> = new Set()) {}

  on(end: 'a' | 'b', event: MachineEvent): void {
    const r = step(this[end], event);
    this[end] = r.tcb;
    this.log.push(`${end}:${r.rule}:${r.from}->${r.to}`);
    for (const seg of r.emit) {
      const n = this.sent++;
      if (!this.drop.has(n)) this.wire.push({ to: end === 'a' ? 'b' : 'a', seg });
    }
  }

  /** Deliver everything in flight, including what the deliveries emit, until the wire is empty. */
  flush(limit = 50): void {
    while (this.wire.length > 0 && limit-- > 0) {
      const { to, seg } = this.wire.shift()!;
      this.on(to, { type: 'receive', seg });
    }
  }

  states(): string {
    return `${this.a.state}/${this.b.state}`;
  }
}

function opened(): Pair {
  const p = new Pair();
  p.on('b', { type: 'open', mode: 'passive', iss: 5000 });
  p.on('a', { type: 'open', mode: 'active', iss: 100 });
  p.flush();
  return p;
}

test('sequence arithmetic wraps modulo 2^32 (3.4)', () => {
  assert.equal(seqAdd(0xffffffff, 1), 0);
  assert.equal(seqAdd(5, -6), 0xffffffff);
  assert.ok(seqLt(0xfffffff0, 0x10));
  assert.ok(seqGt(0x10, 0xfffffff0));
  assert.ok(!seqLt(7, 7));
});

test('three-way handshake: CLOSED/LISTEN -> ESTABLISHED on both ends (3.5, 3.10.7.2-4)', () => {
  const p = opened();
  assert.equal(p.states(), 'ESTABLISHED/ESTABLISHED');
  assert.deepEqual(p.log, [
    'b:passive-open:CLOSED->LISTEN',
    'a:active-open:CLOSED->SYN-SENT',
    'b:listen-rcv-syn:LISTEN->SYN-RECEIVED',
    'a:syn-sent-rcv-syn-ack:SYN-SENT->ESTABLISHED',
    'b:syn-received-ack:SYN-RECEIVED->ESTABLISHED',
  ]);
  assert.equal(p.a.sndNxt, 101);
  assert.equal(p.a.rcvNxt, 5001);
  assert.equal(p.b.rcvNxt, 101);
});

test('lost SYN: the retransmission timer resends it with the same ISN (3.10.8)', () => {
  const p = new Pair(new Set([0]));
  p.on('b', { type: 'open', mode: 'passive' });
  p.on('a', { type: 'open', mode: 'active', iss: 7 });
  p.flush();
  assert.equal(p.states(), 'SYN-SENT/LISTEN');
  p.on('a', { type: 'timeout', timer: 'retransmission' });
  assert.equal(p.a.retries, 1);
  p.flush();
  assert.equal(p.states(), 'ESTABLISHED/ESTABLISHED');
  // tcp_syn_retries exhausted: connect() fails with ETIMEDOUT.
  const q = new Pair(new Set([0, 1]));
  q.on('a', { type: 'open', mode: 'active' });
  q.on('a', { type: 'timeout', timer: 'retransmission' });
  const r = step(q.a, { type: 'timeout', timer: 'retransmission', giveUp: true });
  assert.equal(r.to, 'CLOSED');
  assert.equal(r.error, 'ETIMEDOUT');
});

test('connection refused: RST,ACK to a SYN -> CLOSED with ECONNREFUSED (3.10.7.1, 3.10.7.3)', () => {
  const p = new Pair();
  p.on('a', { type: 'open', mode: 'active', iss: 3132968866 });
  p.flush(); // b is CLOSED: it answers the SYN with <SEQ=0><ACK=ISN+1><CTL=RST,ACK>
  assert.equal(p.states(), 'CLOSED/CLOSED');
  assert.equal(p.a.error, 'ECONNREFUSED');
  assert.ok(p.log.includes('b:closed-reply-reset:CLOSED->CLOSED'));
  assert.ok(p.log.includes('a:syn-sent-refused:SYN-SENT->CLOSED'));
});

test('four-way close: FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT; CLOSE-WAIT -> LAST-ACK -> CLOSED (3.6)', () => {
  const p = opened();
  p.on('a', { type: 'close' });
  assert.equal(p.a.state, 'FIN-WAIT-1');
  p.flush();
  assert.equal(p.states(), 'FIN-WAIT-2/CLOSE-WAIT');
  p.on('b', { type: 'close' });
  assert.equal(p.b.state, 'LAST-ACK');
  p.flush();
  assert.equal(p.states(), 'TIME-WAIT/CLOSED');
  p.on('a', { type: 'timeout', timer: 'time-wait' });
  assert.equal(p.states(), 'CLOSED/CLOSED');
});

test('simultaneous close: both FINs cross, both ends go through CLOSING to TIME-WAIT (3.6, figure 13)', () => {
  const p = opened();
  p.on('a', { type: 'close' });
  p.on('b', { type: 'close' }); // both FINs are on the wire before either arrives
  assert.equal(p.states(), 'FIN-WAIT-1/FIN-WAIT-1');
  p.flush();
  assert.equal(p.states(), 'TIME-WAIT/TIME-WAIT');
  assert.ok(p.log.includes('a:rcv-fin-simultaneous:FIN-WAIT-1->CLOSING'));
  assert.ok(p.log.includes('b:closing-fin-acked:CLOSING->TIME-WAIT'));
});

test('simultaneous open: SYNs cross, both ends go SYN-SENT -> SYN-RECEIVED -> ESTABLISHED (3.5, figure 8)', () => {
  const p = new Pair();
  p.on('a', { type: 'open', mode: 'active', iss: 100 });
  p.on('b', { type: 'open', mode: 'active', iss: 300 });
  p.flush();
  assert.equal(p.states(), 'ESTABLISHED/ESTABLISHED');
  assert.ok(p.log.includes('a:syn-sent-rcv-syn:SYN-SENT->SYN-RECEIVED'));
  assert.ok(p.log.includes('b:syn-sent-rcv-syn:SYN-SENT->SYN-RECEIVED'));
  assert.ok(p.log.includes('a:syn-received-ack:SYN-RECEIVED->ESTABLISHED'));
  assert.ok(p.log.includes('b:syn-received-ack:SYN-RECEIVED->ESTABLISHED'));
});

test('half-close: data keeps flowing to the end that sent FIN (3.6)', () => {
  const p = opened();
  p.on('a', { type: 'close' });
  p.flush();
  p.on('b', { type: 'send', len: 1000 });
  p.flush();
  assert.equal(p.states(), 'FIN-WAIT-2/CLOSE-WAIT');
  assert.equal(p.a.rcvNxt, 5001 + 1000);
  // After CLOSE the application cannot send any more.
  assert.equal(step(p.a, { type: 'send', len: 5 }).rule, 'send-refused');
});

test('lost final ACK: LAST-ACK resends FIN, TIME-WAIT re-ACKs it and restarts 2MSL (why TIME-WAIT exists)', () => {
  // Emissions in order: SYN, SYN-ACK, ACK, FIN(a), ACK(b), FIN(b), then a's last ACK (index 6), which is lost.
  const lossy = new Pair(new Set([6]));
  lossy.on('b', { type: 'open', mode: 'passive', iss: 5000 });
  lossy.on('a', { type: 'open', mode: 'active', iss: 100 });
  lossy.flush();
  lossy.on('a', { type: 'close' });
  lossy.flush();
  lossy.on('b', { type: 'close' });
  lossy.flush();
  assert.equal(lossy.states(), 'TIME-WAIT/LAST-ACK');
  lossy.on('b', { type: 'timeout', timer: 'retransmission' });
  lossy.flush();
  assert.ok(lossy.log.includes('a:time-wait-fin-again:TIME-WAIT->TIME-WAIT'));
  assert.equal(lossy.states(), 'TIME-WAIT/CLOSED');
});

test('reset: a RST at RCV.NXT closes an ESTABLISHED end with ECONNRESET; an old one is ignored (3.10.7.4, RFC 5961)', () => {
  const p = opened();
  const atNext = step(p.b, { type: 'receive', seg: makeSegment({ rst: true, seq: p.b.rcvNxt! }) });
  assert.equal(atNext.to, 'CLOSED');
  assert.equal(atNext.error, 'ECONNRESET');
  const old = step(p.b, { type: 'receive', seg: makeSegment({ rst: true, seq: seqAdd(p.b.rcvNxt!, -10) }) });
  assert.equal(old.rule, 'reset-ignored');
  const ahead = step(p.b, { type: 'receive', seg: makeSegment({ rst: true, seq: seqAdd(p.b.rcvNxt!, 10) }) });
  assert.equal(ahead.rule, 'challenge-ack');
  assert.equal(ahead.emit.length, 1);
  assert.equal(ahead.emit[0]!.ack, true);
});

test('abort: SO_LINGER 0 close sends RST from ESTABLISHED; the peer gets ECONNRESET (3.10.5)', () => {
  const p = opened();
  p.on('a', { type: 'abort' });
  assert.equal(p.a.state, 'CLOSED');
  p.flush();
  assert.equal(p.b.state, 'CLOSED');
  assert.equal(p.b.error, 'ECONNRESET');
});

test('a RST during the handshake sends a passive SYN-RECEIVED end back to LISTEN (3.10.7.4)', () => {
  const b = step(step(CLOSED_TCB, { type: 'open', mode: 'passive', iss: 1 }).tcb, {
    type: 'receive',
    seg: makeSegment({ syn: true, seq: 40 }),
  }).tcb;
  assert.equal(b.state, 'SYN-RECEIVED');
  const r = step(b, { type: 'receive', seg: makeSegment({ rst: true, seq: 41 }) });
  assert.equal(r.to, 'LISTEN');
});

test('keep-alive: a probe at RCV.NXT - 1 is unacceptable and answered by an ACK; the timer gives up with ETIMEDOUT', () => {
  const p = opened();
  const probe = step(p.a, { type: 'timeout', timer: 'keepalive' });
  assert.equal(probe.rule, 'keepalive-probe');
  assert.equal(probe.emit[0]!.seq, 100);
  const answer = step(p.b, { type: 'receive', seg: probe.emit[0]! });
  assert.equal(answer.rule, 'unacceptable-ack');
  assert.equal(answer.to, 'ESTABLISHED');
  assert.equal(answer.emit[0]!.ackNo, 101);
  const dead = step(p.a, { type: 'timeout', timer: 'keepalive', giveUp: true });
  assert.equal(dead.to, 'CLOSED');
  assert.equal(dead.error, 'ETIMEDOUT');
});

test('capture replay: `sent` applies the user call a segment proves; lenient receive bridges segments the capture missed', () => {
  // A FIN from ESTABLISHED proves close(); from CLOSE-WAIT it is the passive close.
  const est = tcbInState('ESTABLISHED', { sndNxt: 9, rcvNxt: 21 });
  assert.equal(step(est, { type: 'sent', seg: makeSegment({ fin: true, ack: true, seq: 9, ackNo: 21 }) }).to, 'FIN-WAIT-1');
  const cw = tcbInState('CLOSE-WAIT', { sndNxt: 21, rcvNxt: 10 });
  assert.equal(step(cw, { type: 'sent', seg: makeSegment({ fin: true, ack: true, seq: 21, ackNo: 10 }) }).to, 'LAST-ACK');
  // A FIN beyond RCV.NXT: strict processing drops it (the gap never arrived); lenient replay takes it.
  const strict = step(est, { type: 'receive', seg: makeSegment({ fin: true, ack: true, seq: 500, ackNo: 9 }) });
  assert.equal(strict.to, 'ESTABLISHED');
  const lenient = step(est, { type: 'receive', seg: makeSegment({ fin: true, ack: true, seq: 500, ackNo: 9 }), lenient: true });
  assert.equal(lenient.to, 'CLOSE-WAIT');
  assert.equal(lenient.tcb.rcvNxt, 501);
});

test('every state is reachable by events alone, and the diagram covers all eleven', () => {
  const seen = new Set<string>();
  const record = (p: Pair): void => {
    for (const line of p.log) seen.add(line.split('->')[1]!);
  };
  const p1 = opened();
  p1.on('a', { type: 'close' });
  p1.flush();
  p1.on('b', { type: 'close' });
  p1.flush();
  record(p1);
  const p2 = opened();
  p2.on('a', { type: 'close' });
  p2.on('b', { type: 'close' });
  p2.flush();
  record(p2);
  seen.add('LISTEN');
  assert.deepEqual([...TCP_STATES].filter((s) => !seen.has(s)), []);
  const inDiagram = new Set(DIAGRAM_EDGES.flatMap((e) => [e.from, e.to]));
  assert.equal(inDiagram.size, 11);
  assert.equal(DIAGRAM_EDGES.filter((e) => e.inFigure).length, 19);
  // Every rule has both languages.
  for (const [id, r] of Object.entries(RULES)) {
    assert.ok(r.text.en.length > 0 && r.text['zh-cn'].length > 0, id);
  }
});

test('copyTcb copies every field in CLOSED_TCB\'s key order, and the replay entries step like step() with an event', () => {
  const t = tcbInState('ESTABLISHED', { iss: 100, sndUna: 101, sndNxt: 109, irs: 500, rcvNxt: 501, retries: 2 });
  const copy = copyTcb(t);
  assert.notEqual(copy, t);
  assert.deepEqual(Object.keys(copy), Object.keys(CLOSED_TCB));
  assert.deepEqual(copy, { ...t });
  // A listener receives a SYN (3.10.7.2), then the SYN,ACK is seen leaving it.
  const listen = step(CLOSED_TCB, { type: 'open', mode: 'passive', iss: 7 }).tcb;
  const syn = makeSegment({ syn: true, seq: 41 });
  const viaEvent = step(listen, { type: 'receive', seg: syn, lenient: true });
  const direct = stepReceive(listen, syn, true);
  assert.deepEqual(direct, viaEvent);
  assert.equal(direct.rule, 'listen-rcv-syn');
  assert.deepEqual(Object.keys(direct.tcb), Object.keys(CLOSED_TCB));
  const synAck = makeSegment({ syn: true, ack: true, seq: 7, ackNo: 42 });
  assert.deepEqual(stepSent(direct.tcb, synAck), step(direct.tcb, { type: 'sent', seg: synAck }));
  assert.equal(stepSent(direct.tcb, synAck).rule, 'sent-syn-ack-again');
  // A FIN seen leaving an ESTABLISHED end (3.10.4): FIN-WAIT-1, the FIN's sequence number kept.
  const fin = makeSegment({ fin: true, ack: true, seq: 109, ackNo: 501 });
  const closing = stepSent(t, fin);
  assert.deepEqual(closing, step(t, { type: 'sent', seg: fin }));
  assert.equal(closing.tcb.state, 'FIN-WAIT-1');
  assert.equal(closing.tcb.finSeq, 109);
  assert.equal(closing.tcb.sndNxt, 110);
  assert.equal(t.state, 'ESTABLISHED'); // the input control block is not changed
});
