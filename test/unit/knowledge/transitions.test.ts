import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TcpState } from '../../../src/core/model';
import { TCP_STATES } from '../../../src/core/tcp/states';
import {
  describeTransition,
  FIGURE_TRANSITIONS,
  findTransitions,
  transitionLabel,
  TRANSITIONS,
  transitionsFrom,
} from '../../../src/core/knowledge/transitions';

// RFC 9293 section 3.3.2, Figure 5, read arrow by arrow: [from, to, event, action].
const RFC9293_FIGURE_5: readonly [TcpState, TcpState, string, string][] = [
  ['CLOSED', 'LISTEN', 'passive OPEN', 'create TCB'],
  ['CLOSED', 'SYN-SENT', 'active OPEN', 'create TCB, snd SYN'],
  ['LISTEN', 'CLOSED', 'CLOSE', 'delete TCB'],
  ['LISTEN', 'SYN-RECEIVED', 'rcv SYN', 'snd SYN,ACK'],
  ['LISTEN', 'SYN-SENT', 'SEND', 'snd SYN'],
  ['SYN-RECEIVED', 'LISTEN', 'rcv RST', ''],
  ['SYN-SENT', 'SYN-RECEIVED', 'rcv SYN', 'snd SYN,ACK'],
  ['SYN-SENT', 'CLOSED', 'CLOSE', 'delete TCB'],
  ['SYN-RECEIVED', 'ESTABLISHED', 'rcv ACK of SYN', 'x'],
  ['SYN-SENT', 'ESTABLISHED', 'rcv SYN,ACK', 'snd ACK'],
  ['SYN-RECEIVED', 'FIN-WAIT-1', 'CLOSE', 'snd FIN'],
  ['ESTABLISHED', 'FIN-WAIT-1', 'CLOSE', 'snd FIN'],
  ['ESTABLISHED', 'CLOSE-WAIT', 'rcv FIN', 'snd ACK'],
  ['FIN-WAIT-1', 'FIN-WAIT-2', 'rcv ACK of FIN', 'x'],
  ['FIN-WAIT-1', 'CLOSING', 'rcv FIN', 'snd ACK'],
  ['CLOSE-WAIT', 'LAST-ACK', 'CLOSE', 'snd FIN'],
  ['FIN-WAIT-2', 'TIME-WAIT', 'rcv FIN', 'snd ACK'],
  ['CLOSING', 'TIME-WAIT', 'rcv ACK of FIN', 'x'],
  ['LAST-ACK', 'CLOSED', 'rcv ACK of FIN', 'x'],
  ['TIME-WAIT', 'CLOSED', 'Timeout=2MSL', 'delete TCB'],
];

const VALID = new Set<string>(TCP_STATES);

test('every transition goes between valid RFC 9293 states', () => {
  assert.ok(TRANSITIONS.length > 20);
  for (const t of TRANSITIONS) {
    assert.ok(VALID.has(t.from), `bad from ${t.from}`);
    assert.ok(VALID.has(t.to), `bad to ${t.to}`);
    assert.ok(t.event.length > 0);
    assert.ok(t.explanation.en.length > 10 && t.explanation['zh-cn'].length > 4);
  }
});

test('all 20 arrows of RFC 9293 Figure 5 are present, labelled as the RFC writes them', () => {
  assert.equal(FIGURE_TRANSITIONS.length, RFC9293_FIGURE_5.length);
  for (const [from, to, event, action] of RFC9293_FIGURE_5) {
    const hit = FIGURE_TRANSITIONS.find((t) => t.from === from && t.to === to && t.event === event);
    assert.ok(hit, `missing ${from} -> ${to} on ${event}`);
    assert.equal(hit.action, action, `${from} -> ${to} action`);
  }
  assert.equal(transitionLabel(FIGURE_TRANSITIONS.find((t) => t.from === 'LISTEN' && t.to === 'SYN-RECEIVED')!), 'rcv SYN / snd SYN,ACK');
  assert.equal(transitionLabel(FIGURE_TRANSITIONS.find((t) => t.from === 'SYN-RECEIVED' && t.to === 'LISTEN')!), 'rcv RST');
});

test('the figure\'s omissions are present: Note 2 and RST from every synchronized state', () => {
  const note2 = findTransitions('FIN-WAIT-1', 'TIME-WAIT');
  assert.equal(note2.length, 1);
  assert.equal(note2[0]!.origin, 'note');
  assert.equal(note2[0]!.action, 'snd ACK');
  for (const s of ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'] as const) {
    const rst = findTransitions(s, 'CLOSED').filter((t) => t.event === 'rcv RST');
    assert.equal(rst.length, 1, `rcv RST from ${s}`);
    assert.equal(rst[0]!.origin, 'note');
  }
  // A refused connect: RST in SYN-SENT.
  assert.equal(findTransitions('SYN-SENT', 'CLOSED').filter((t) => t.event === 'rcv RST').length, 1);
  // SYN-RECEIVED goes back to LISTEN after a passive open (figure) or to CLOSED after an active one (note).
  assert.deepEqual(
    TRANSITIONS.filter((t) => t.from === 'SYN-RECEIVED' && t.event === 'rcv RST').map((t) => t.to).sort(),
    ['CLOSED', 'LISTEN'],
  );
  // A retransmitted FIN in TIME-WAIT is acknowledged again and restarts the timer.
  const again = findTransitions('TIME-WAIT', 'TIME-WAIT');
  assert.equal(again.length, 1);
  assert.equal(again[0]!.event, 'rcv FIN');
});

test('no transition is listed twice', () => {
  const keys = TRANSITIONS.map((t) => `${t.from}|${t.to}|${t.event}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('with the figure alone, every state is reachable from CLOSED and CLOSED from every state', () => {
  const next = (from: TcpState) => FIGURE_TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);
  const reach = (start: TcpState, edges: (s: TcpState) => TcpState[]): Set<TcpState> => {
    const seen = new Set<TcpState>([start]);
    const todo = [start];
    while (todo.length) {
      for (const n of edges(todo.pop()!)) {
        if (seen.has(n)) continue;
        seen.add(n);
        todo.push(n);
      }
    }
    return seen;
  };
  assert.equal(reach('CLOSED', next).size, 11);
  const prev = (to: TcpState) => FIGURE_TRANSITIONS.filter((t) => t.to === to).map((t) => t.from);
  assert.equal(reach('CLOSED', prev).size, 11);
});

test('transitionsFrom ESTABLISHED lists the ways out', () => {
  const events = transitionsFrom('ESTABLISHED').map((t) => `${t.event}>${t.to}`).sort();
  assert.deepEqual(events, ['ABORT>CLOSED', 'CLOSE>FIN-WAIT-1', 'USER TIMEOUT>CLOSED', 'rcv FIN>CLOSE-WAIT', 'rcv RST>CLOSED']);
});

test('describeTransition says where a transition comes from', () => {
  const t = findTransitions('FIN-WAIT-1', 'TIME-WAIT')[0]!;
  assert.match(describeTransition(t, 'en'), /^\*\*FIN-WAIT-1 → TIME-WAIT\*\* `rcv FIN \+ ACK of FIN \/ snd ACK` \(left out of RFC 9293 Figure 5/);
  assert.match(describeTransition(t, 'zh-cn'), /RFC 9293 图 5 未画出/);
  const fig = FIGURE_TRANSITIONS[0]!;
  assert.equal(describeTransition(fig, 'en').split('\n')[0], '**CLOSED → LISTEN** `passive OPEN / create TCB`');
});
