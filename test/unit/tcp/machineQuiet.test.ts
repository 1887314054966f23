import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { CLOSED_TCB, makeSegment, step, stepReceive, stepReceiveQuiet, stepSent, stepSentQuiet, tcbInState, type MachineSegment, type Tcb } from '../../../src/core/tcp/machine';

// Control blocks in every state the replay meets, with numbers (iss 100, irs 500) as after a handshake.
function tcbs(): Tcb[] {
  const listen = step(CLOSED_TCB, { type: 'open', mode: 'passive', iss: 100 }).tcb;
  const synSent = step(CLOSED_TCB, { type: 'open', mode: 'active', iss: 100 }).tcb;
  const synRcvd = step(listen, { type: 'receive', seg: makeSegment({ syn: true, seq: 500 }) }).tcb;
  const simRcvd = step(synSent, { type: 'receive', seg: makeSegment({ syn: true, seq: 500 }) }).tcb;
  const numbers = { iss: 100, sndUna: 101, sndNxt: 101, irs: 500, rcvNxt: 501 };
  const withFin = { ...numbers, sndNxt: 102, finSeq: 101 };
  return [
    CLOSED_TCB,
    listen,
    synSent,
    synRcvd,
    simRcvd,
    tcbInState('ESTABLISHED', numbers),
    tcbInState('ESTABLISHED'), // joined mid-stream: no numbers yet
    tcbInState('FIN-WAIT-1', withFin),
    tcbInState('FIN-WAIT-2', { ...withFin, sndUna: 102 }),
    tcbInState('CLOSE-WAIT', { ...numbers, rcvNxt: 502, peerFinSeq: 501 }),
    tcbInState('CLOSING', { ...withFin, rcvNxt: 502, peerFinSeq: 501 }),
    tcbInState('LAST-ACK', { ...withFin, rcvNxt: 502, peerFinSeq: 501 }),
    tcbInState('TIME-WAIT', { ...withFin, sndUna: 102, rcvNxt: 502, peerFinSeq: 501 }),
  ];
}

// Segments from the peer: handshake, data and ACKs at, before and beyond RCV.NXT, FINs, RSTs, bad ACKs.
function segments(): MachineSegment[] {
  const out: MachineSegment[] = [];
  for (const seq of [499, 500, 501, 502, 600]) {
    for (const ackNo of [50, 100, 101, 102, 200]) {
      out.push(
        makeSegment({ syn: true, seq }),
        makeSegment({ syn: true, ack: true, seq, ackNo }),
        makeSegment({ ack: true, seq, ackNo }),
        makeSegment({ ack: true, seq, ackNo, len: 10 }),
        makeSegment({ fin: true, ack: true, seq, ackNo }),
        makeSegment({ rst: true, seq }),
        makeSegment({ rst: true, ack: true, seq, ackNo }),
      );
    }
  }
  return out;
}

test('stepReceiveQuiet: the same step as stepReceive (control block, states, rule, error) without building replies', () => {
  let steps = 0;
  let replies = 0;
  for (const tcb of tcbs()) {
    for (const seg of segments()) {
      for (const lenient of [true, false]) {
        const full = stepReceive(tcb, seg, lenient);
        const quiet = stepReceiveQuiet(tcb, seg, lenient);
        assert.deepEqual({ ...quiet, emit: full.emit }, full, `${tcb.state} ${JSON.stringify(seg)} lenient=${String(lenient)}`);
        assert.equal(quiet.emit.length, 0);
        steps++;
        if (full.emit.length > 0) replies++;
      }
    }
  }
  assert.equal(steps, 13 * 175 * 2);
  // Most of these steps reply (an ACK, a RST, a SYN,ACK): the comparison covered the paths that build them.
  assert.ok(replies > steps / 2, `${replies} of ${steps} steps reply`);
});

test('stepSentQuiet: the same step as stepSent', () => {
  let steps = 0;
  const rules = new Set<string>();
  for (const tcb of tcbs()) {
    // Segments this end sends: its SYN (iss 100), SYN,ACK, data, FIN, RST, at and around its own numbers.
    for (const seq of [99, 100, 101, 102, 200]) {
      for (const seg of [
        makeSegment({ syn: true, seq }),
        makeSegment({ syn: true, ack: true, seq, ackNo: 501 }),
        makeSegment({ ack: true, seq, ackNo: 501, len: 10 }),
        makeSegment({ fin: true, ack: true, seq, ackNo: 501 }),
        makeSegment({ rst: true, seq }),
      ]) {
        const full = stepSent(tcb, seg);
        assert.deepEqual({ ...stepSentQuiet(tcb, seg) }, full, `${tcb.state} ${JSON.stringify(seg)}`);
        rules.add(full.rule);
        steps++;
      }
    }
  }
  assert.equal(steps, 13 * 25);
  assert.deepEqual(
    [...rules].sort(),
    ['sent-fin', 'sent-fin-again', 'sent-last-fin', 'sent-other', 'sent-reset', 'sent-syn', 'sent-syn-ack', 'sent-syn-ack-again', 'sent-syn-ack-simultaneous', 'sent-syn-again'],
  );
});

test('quiet steps leave stepReceive and stepSent building replies and results of their own', () => {
  const listen = step(CLOSED_TCB, { type: 'open', mode: 'passive', iss: 7 }).tcb;
  const syn = makeSegment({ syn: true, seq: 41 });
  assert.deepEqual(stepReceiveQuiet(listen, syn, true).emit, []);
  assert.deepEqual(stepReceive(listen, syn, true).emit, [makeSegment({ syn: true, ack: true, seq: 7, ackNo: 42 })]);
  assert.deepEqual(step(listen, { type: 'receive', seg: syn }).emit, [makeSegment({ syn: true, ack: true, seq: 7, ackNo: 42 })]);
  // Quiet steps share their result object; the others return a new one each.
  const synAck = makeSegment({ syn: true, ack: true, seq: 7, ackNo: 42 });
  assert.equal(stepSentQuiet(listen, synAck), stepReceiveQuiet(listen, syn, true));
  assert.notEqual(stepSent(listen, synAck), stepSent(listen, synAck));
  assert.notEqual(stepReceive(listen, syn, true), stepReceive(listen, syn, true));
});
