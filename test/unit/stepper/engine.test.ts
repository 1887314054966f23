import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TcpState } from '../../../src/core/model';
import { run, SIDES, type Break, type Step } from '../../../src/core/stepper/engine';
import { scenarioById, SCENARIOS } from '../../../src/core/stepper/scenarios';

/**
 * Every state change RFC 9293 allows for one end, written here independently of the machine: the figure's arrows,
 * plus what its text adds (RST or ABORT from any synchronized state to CLOSED, RST in a passive SYN-RECEIVED back to
 * LISTEN, FIN-WAIT-1 straight to TIME-WAIT on a FIN that acknowledges ours, give-up timeouts, and a host restart
 * forgetting everything).
 */
const ALLOWED = new Set<string>([
  'CLOSED>LISTEN',
  'CLOSED>SYN-SENT',
  'LISTEN>CLOSED',
  'LISTEN>SYN-RECEIVED',
  'LISTEN>SYN-SENT',
  'SYN-SENT>CLOSED',
  'SYN-SENT>SYN-RECEIVED',
  'SYN-SENT>ESTABLISHED',
  'SYN-RECEIVED>ESTABLISHED',
  'SYN-RECEIVED>FIN-WAIT-1',
  'SYN-RECEIVED>LISTEN',
  'SYN-RECEIVED>CLOSED',
  'ESTABLISHED>FIN-WAIT-1',
  'ESTABLISHED>CLOSE-WAIT',
  'FIN-WAIT-1>FIN-WAIT-2',
  'FIN-WAIT-1>CLOSING',
  'FIN-WAIT-1>TIME-WAIT',
  'FIN-WAIT-2>TIME-WAIT',
  'CLOSE-WAIT>LAST-ACK',
  'CLOSING>TIME-WAIT',
  'LAST-ACK>CLOSED',
  'TIME-WAIT>CLOSED',
  // RST received, ABORT, or give-up from every synchronized state
  'ESTABLISHED>CLOSED',
  'FIN-WAIT-1>CLOSED',
  'FIN-WAIT-2>CLOSED',
  'CLOSE-WAIT>CLOSED',
  'CLOSING>CLOSED',
]);

function assertLegal(steps: readonly Step[], label: string): void {
  let prev: Record<string, TcpState> = { client: 'CLOSED', server: 'CLOSED' };
  for (const s of steps) {
    for (const side of SIDES) {
      assert.equal(s.before[side], prev[side], `${label} step ${s.index}: before state of ${side} continues the last step`);
      const from = s.before[side];
      const to = s.after[side].state;
      if (from === to) continue;
      const restart = s.kind === 'reboot' && s.side === side;
      assert.ok(restart || ALLOWED.has(`${from}>${to}`), `${label} step ${s.index}: ${side} ${from} -> ${to} is not an RFC 9293 transition`);
      assert.ok(restart || s.side === side, `${label} step ${s.index}: only the end the step happened at may change state`);
    }
    prev = { client: s.after.client.state, server: s.after.server.state };
  }
}

const trace = (steps: readonly Step[]): string[] => steps.map((s) => `${s.after.client.state}/${s.after.server.state}`);

/** Collapse repeats so the expected sequences below read like the textbook. */
function changes(steps: readonly Step[]): string[] {
  const out: string[] = [];
  for (const t of trace(steps)) if (out[out.length - 1] !== t) out.push(t);
  return out;
}

const EXPECTED: Record<string, string[]> = {
  'normal-open': ['CLOSED/LISTEN', 'SYN-SENT/LISTEN', 'SYN-SENT/SYN-RECEIVED', 'ESTABLISHED/SYN-RECEIVED', 'ESTABLISHED/ESTABLISHED'],
  'close-client-first': [
    'CLOSED/LISTEN', 'SYN-SENT/LISTEN', 'SYN-SENT/SYN-RECEIVED', 'ESTABLISHED/SYN-RECEIVED', 'ESTABLISHED/ESTABLISHED',
    'FIN-WAIT-1/ESTABLISHED', 'FIN-WAIT-1/CLOSE-WAIT', 'FIN-WAIT-2/CLOSE-WAIT', 'FIN-WAIT-2/LAST-ACK', 'TIME-WAIT/LAST-ACK',
    'TIME-WAIT/CLOSED', 'CLOSED/CLOSED',
  ],
  'close-server-first': [
    'CLOSED/LISTEN', 'SYN-SENT/LISTEN', 'SYN-SENT/SYN-RECEIVED', 'ESTABLISHED/SYN-RECEIVED', 'ESTABLISHED/ESTABLISHED',
    'ESTABLISHED/FIN-WAIT-1', 'CLOSE-WAIT/FIN-WAIT-1', 'CLOSE-WAIT/FIN-WAIT-2', 'LAST-ACK/FIN-WAIT-2', 'LAST-ACK/TIME-WAIT',
    'CLOSED/TIME-WAIT', 'CLOSED/CLOSED',
  ],
  'three-segment-close': [
    'CLOSED/LISTEN', 'SYN-SENT/LISTEN', 'SYN-SENT/SYN-RECEIVED', 'ESTABLISHED/SYN-RECEIVED', 'ESTABLISHED/ESTABLISHED',
    'FIN-WAIT-1/ESTABLISHED', 'FIN-WAIT-1/CLOSE-WAIT', 'FIN-WAIT-1/LAST-ACK', 'TIME-WAIT/LAST-ACK', 'TIME-WAIT/CLOSED', 'CLOSED/CLOSED',
  ],
  'simultaneous-open': ['SYN-SENT/CLOSED', 'SYN-SENT/SYN-SENT', 'SYN-SENT/SYN-RECEIVED', 'SYN-RECEIVED/SYN-RECEIVED', 'ESTABLISHED/SYN-RECEIVED', 'ESTABLISHED/ESTABLISHED'],
  'simultaneous-close': [
    'CLOSED/LISTEN', 'SYN-SENT/LISTEN', 'SYN-SENT/SYN-RECEIVED', 'ESTABLISHED/SYN-RECEIVED', 'ESTABLISHED/ESTABLISHED',
    'FIN-WAIT-1/ESTABLISHED', 'FIN-WAIT-1/FIN-WAIT-1', 'FIN-WAIT-1/CLOSING', 'CLOSING/CLOSING', 'TIME-WAIT/CLOSING',
    'TIME-WAIT/TIME-WAIT', 'CLOSED/TIME-WAIT', 'CLOSED/CLOSED',
  ],
  refused: ['SYN-SENT/CLOSED', 'CLOSED/CLOSED'],
};

test('every scenario follows RFC 9293 transitions at every step', () => {
  assert.ok(SCENARIOS.length >= 15);
  for (const scenario of SCENARIOS) {
    const steps = run(scenario.script);
    assert.ok(steps.length > 0, scenario.id);
    assertLegal(steps, scenario.id);
    for (const s of steps) {
      assert.ok(s.text.en.length > 0 && /[\u4e00-\u9fff]/.test(s.text['zh-cn']), `${scenario.id} step ${s.index} explains itself in both languages`);
    }
  }
});

test('textbook scenarios pass through exactly the textbook states', () => {
  for (const [id, expected] of Object.entries(EXPECTED)) {
    const scenario = scenarioById(id);
    assert.ok(scenario, id);
    assert.deepEqual(changes(run(scenario.script)), expected, id);
  }
});

test('the three-segment close sends FIN,ACK from the server without a separate ACK', () => {
  const steps = run(scenarioById('three-segment-close')!.script);
  // What the wire carried: segments delivered to the client after it sent its FIN.
  const serverSegmentsAfterClientFin = steps
    .slice(steps.findIndex((s) => s.after.client.state === 'FIN-WAIT-1'))
    .filter((s) => s.kind === 'deliver' && s.side === 'client')
    .map((s) => s.segment!);
  assert.equal(serverSegmentsAfterClientFin.length, 1);
  assert.ok(serverSegmentsAfterClientFin[0]!.seg.fin && serverSegmentsAfterClientFin[0]!.seg.ack);
  assert.match(steps.find((s) => s.rule === 'close-last-fin')!.text.en, /merged/);
});

test('refused: connect() fails with ECONNREFUSED after one RST', () => {
  const steps = run(scenarioById('refused')!.script);
  const last = steps[steps.length - 1]!;
  assert.equal(last.error, 'ECONNREFUSED');
  assert.ok(steps.some((s) => s.segment?.seg.rst && s.segment.from === 'server'));
});

test('RST abort leaves no TIME-WAIT and the peer sees ECONNRESET', () => {
  const steps = run(scenarioById('rst-abort')!.script);
  assert.ok(!steps.some((s) => s.after.client.state === 'TIME-WAIT' || s.after.server.state === 'TIME-WAIT'));
  assert.equal(steps[steps.length - 1]!.error, 'ECONNRESET');
});

test('lost SYN: retransmitted on the 1 s linear timer, then connected', () => {
  const steps = run(scenarioById('lost-syn')!.script);
  const retransmits = steps.filter((s) => s.rule === 'retransmit' && s.side === 'client');
  assert.equal(retransmits.length, 2);
  assert.deepEqual(retransmits.map((s) => s.timeMs), [1000, 2000]);
  assert.equal(steps[steps.length - 1]!.after.client.state, 'ESTABLISHED');
});

test('lost final ACK: the server retransmits its FIN and the client in TIME-WAIT acknowledges it again', () => {
  const steps = run(scenarioById('lost-final-ack')!.script);
  assert.ok(steps.some((s) => s.rule === 'time-wait-fin-again' && s.side === 'client' && s.after.client.state === 'TIME-WAIT'));
  assert.ok(steps.some((s) => s.rule === 'last-ack-fin-acked' && s.after.server.state === 'CLOSED'));
});

test('SYN flood: the half-open connection is retried tcp_synack_retries times, then the listener is LISTEN again', () => {
  const steps = run(scenarioById('syn-flood')!.script);
  assert.equal(steps.filter((s) => s.rule === 'retransmit' && s.side === 'server').length, 5);
  assert.equal(steps[steps.length - 1]!.after.server.state, 'LISTEN');
});

test('full accept queue: client ESTABLISHED while the server stays SYN-RECEIVED and resends SYN-ACK', () => {
  const steps = run(scenarioById('accept-queue-full')!.script);
  assert.ok(steps.some((s) => s.after.client.state === 'ESTABLISHED' && s.after.server.state === 'SYN-RECEIVED' && s.rule === 'retransmit'));
  assert.equal(steps[steps.length - 1]!.after.server.state, 'ESTABLISHED');
});

test('keep-alive finds a dead peer: probes, then ETIMEDOUT', () => {
  const steps = run(scenarioById('keepalive-dead-peer')!.script);
  assert.equal(steps.filter((s) => s.rule === 'keepalive-probe').length, 3);
  const giveUp = steps.find((s) => s.rule === 'keepalive-give-up');
  assert.ok(giveUp);
  assert.equal(giveUp.error, 'ETIMEDOUT');
  assert.equal(giveUp.after.client.state, 'CLOSED');
});

test('break it: every break at every step of every scenario continues legally and ends', () => {
  let runs = 0;
  for (const scenario of SCENARIOS) {
    const base = run(scenario.script);
    for (let k = 0; k <= base.length; k++) {
      const breaks: Break[] = [
        { kind: 'drop', atStep: k },
        { kind: 'crash', atStep: k, side: 'client' },
        { kind: 'crash', atStep: k, side: 'server' },
        { kind: 'reboot', atStep: k, side: 'server' },
        { kind: 'abort', atStep: k, side: 'client' },
      ];
      for (const b of breaks) {
        const steps = run(scenario.script, [b]);
        assertLegal(steps, `${scenario.id} + ${b.kind}@${k}`);
        assert.ok(steps.length <= 80, `${scenario.id} + ${b.kind}@${k} ends`);
        // Steps before the break are untouched: the run is deterministic.
        assert.deepEqual(trace(steps.slice(0, k)), trace(base.slice(0, k)));
        runs++;
      }
    }
  }
  assert.ok(runs > 500, `${runs} runs`);
});

test('break it: dropping the SYN of a normal open makes the client retransmit it, and the handshake completes', () => {
  const steps = run(scenarioById('normal-open')!.script, [{ kind: 'drop', atStep: 2 }]);
  assert.equal(steps[2]!.kind, 'lost');
  assert.ok(steps[2]!.segment?.seg.syn);
  assert.equal(steps[3]!.rule, 'retransmit');
  assert.equal(steps[3]!.side, 'client');
  assert.equal(steps[steps.length - 1]!.after.client.state, 'ESTABLISHED');
  assert.equal(steps[steps.length - 1]!.after.server.state, 'ESTABLISHED');
});

test('break it: a server that reboots mid-connection answers the next data with RST, and the client gets ECONNRESET', () => {
  const scenario = scenarioById('close-client-first')!;
  const base = run(scenario.script);
  const established = base.findIndex((s) => s.after.server.state === 'ESTABLISHED' && s.after.client.state === 'ESTABLISHED');
  const steps = run(scenario.script, [{ kind: 'reboot', atStep: established + 1, side: 'server' }]);
  assert.ok(steps.some((s) => s.rule === 'closed-reply-reset' && s.side === 'server'));
  assert.ok(steps.some((s) => s.error === 'ECONNRESET' && s.after.client.state === 'CLOSED'));
});

test('break it: a client that crashes after its FIN leaves the server retransmitting its FIN until it gives up', () => {
  const scenario = scenarioById('close-client-first')!;
  const base = run(scenario.script);
  const lastAck = base.findIndex((s) => s.after.server.state === 'LAST-ACK');
  const steps = run(scenario.script, [{ kind: 'crash', atStep: lastAck + 1, side: 'client' }]);
  const last = steps[steps.length - 1]!;
  assert.equal(last.after.server.state, 'CLOSED');
  assert.ok(steps.filter((s) => s.rule === 'retransmit' && s.side === 'server').length >= 2);
  assert.ok(steps.some((s) => s.rule === 'give-up' && s.side === 'server'));
});
