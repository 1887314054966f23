import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TcpState } from '../../../src/core/model';
import { canonicalState, TCP_STATES } from '../../../src/core/tcp/states';
import {
  describeState,
  describeStateTransitions,
  explainStateSpelling,
  lookupStateSpelling,
  STATE_SPELLINGS,
  stateInfo,
  STATES,
} from '../../../src/core/knowledge/states';
import type { StateTool } from '../../../src/core/knowledge/states';
import { sysctlInfo } from '../../../src/core/knowledge/sysctl';
import { socketOptionInfo } from '../../../src/core/knowledge/socketOptions';
import { readFixture } from '../support';

const LOCALIZED_FIELDS = ['summary', 'meaning', 'waitingFor', 'heldBy', 'duration', 'pileUp', 'fix'] as const;

test('all eleven RFC 9293 states have knowledge, in RFC order', () => {
  assert.equal(STATES.length, 11);
  assert.deepEqual(
    STATES.map((s) => s.state),
    [...TCP_STATES],
  );
});

test('every state has every field, non-empty, in both languages', () => {
  for (const s of STATES) {
    for (const f of LOCALIZED_FIELDS) {
      const text = s[f];
      assert.ok(text.en.trim().length > 10, `${s.state}.${f}.en is empty`);
      assert.ok(text['zh-cn'].trim().length > 4, `${s.state}.${f}.zh-cn is empty`);
      assert.notEqual(text.en, text['zh-cn'], `${s.state}.${f} is not translated`);
    }
    assert.ok(s.holders.length > 0, `${s.state} has no holder`);
  }
});

test('the sysctl keys and socket options a fix names all exist in their tables', () => {
  for (const s of STATES) {
    for (const k of s.sysctls) {
      assert.ok(sysctlInfo(k), `${s.state} names unknown sysctl ${k}`);
      const short = k.slice(k.lastIndexOf('.') + 1);
      for (const lang of ['en', 'zh-cn'] as const) {
        assert.ok(s.fix[lang].includes(short), `${s.state} lists ${k} but its ${lang} fix does not talk about it`);
      }
    }
    for (const o of s.socketOptions) assert.ok(socketOptionInfo(o), `${s.state} names unknown socket option ${o}`);
  }
});

test('CLOSE-WAIT is fixed in code, not with sysctls', () => {
  const cw = stateInfo('CLOSE-WAIT');
  assert.deepEqual(cw.sysctls, []);
  assert.match(cw.fix.en, /No sysctl fixes CLOSE-WAIT/);
  assert.match(cw.fix['zh-cn'], /没有任何内核参数能解决 CLOSE-WAIT/);
});

test('who holds what: closers and openers as RFC 9293 defines them', () => {
  const expected: Record<TcpState, string> = {
    LISTEN: 'server',
    'SYN-SENT': 'client',
    'SYN-RECEIVED': 'server',
    ESTABLISHED: 'both',
    'FIN-WAIT-1': 'active-closer',
    'FIN-WAIT-2': 'active-closer',
    'CLOSE-WAIT': 'passive-closer',
    CLOSING: 'active-closer',
    'LAST-ACK': 'passive-closer',
    'TIME-WAIT': 'active-closer',
    CLOSED: 'none',
  };
  for (const s of STATES) assert.equal(s.holders[0], expected[s.state], s.state);
  const synchronized = STATES.filter((s) => s.synchronized).map((s) => s.state);
  assert.deepEqual(synchronized, ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT']);
});

test('durations carry the Linux 6.18 numbers', () => {
  assert.match(stateInfo('TIME-WAIT').duration.en, /fixed \*\*60 s\*\*/);
  assert.match(stateInfo('SYN-SENT').duration.en, /131 s/);
  assert.match(stateInfo('SYN-RECEIVED').duration.en, /63 s/);
  assert.match(stateInfo('FIN-WAIT-2').duration.en, /`tcp_fin_timeout` \(default 60 s\)/);
});

test('pile-up findings use the finding codes of shared/design.md', () => {
  const design = new Set([
    'close-wait-pileup',
    'time-wait-pileup',
    'syn-recv-flood',
    'syn-sent-stalled',
    'fin-wait-2-pileup',
    'last-ack-pileup',
  ]);
  const used = STATES.flatMap((s) => (s.pileUpFinding ? [s.pileUpFinding] : []));
  assert.equal(used.length, 6);
  for (const c of used) assert.ok(design.has(c), c);
});

// Every spelling each tool prints, written out from the tools' sources (see shared/reference/formats.md).
const PRINTED: Record<string, readonly [string, TcpState | undefined][]> = {
  ss: [
    ['ESTAB', 'ESTABLISHED'],
    ['SYN-SENT', 'SYN-SENT'],
    ['SYN-RECV', 'SYN-RECEIVED'],
    ['FIN-WAIT-1', 'FIN-WAIT-1'],
    ['FIN-WAIT-2', 'FIN-WAIT-2'],
    ['TIME-WAIT', 'TIME-WAIT'],
    ['UNCONN', undefined],
    ['CLOSE-WAIT', 'CLOSE-WAIT'],
    ['LAST-ACK', 'LAST-ACK'],
    ['LISTEN', 'LISTEN'],
    ['CLOSING', 'CLOSING'],
  ],
  'net-tools': [
    ['ESTABLISHED', 'ESTABLISHED'],
    ['SYN_SENT', 'SYN-SENT'],
    ['SYN_RECV', 'SYN-RECEIVED'],
    ['FIN_WAIT1', 'FIN-WAIT-1'],
    ['FIN_WAIT2', 'FIN-WAIT-2'],
    ['TIME_WAIT', 'TIME-WAIT'],
    ['CLOSE', 'CLOSED'],
    ['CLOSE_WAIT', 'CLOSE-WAIT'],
    ['LAST_ACK', 'LAST-ACK'],
    ['LISTEN', 'LISTEN'],
    ['CLOSING', 'CLOSING'],
    ['UNKNOWN', undefined],
  ],
  bsd: [
    ['CLOSED', 'CLOSED'],
    ['LISTEN', 'LISTEN'],
    ['SYN_SENT', 'SYN-SENT'],
    ['SYN_RCVD', 'SYN-RECEIVED'],
    ['ESTABLISHED', 'ESTABLISHED'],
    ['CLOSE_WAIT', 'CLOSE-WAIT'],
    ['FIN_WAIT_1', 'FIN-WAIT-1'],
    ['CLOSING', 'CLOSING'],
    ['LAST_ACK', 'LAST-ACK'],
    ['FIN_WAIT_2', 'FIN-WAIT-2'],
    ['TIME_WAIT', 'TIME-WAIT'],
  ],
  windows: [
    ['LISTENING', 'LISTEN'],
    ['ESTABLISHED', 'ESTABLISHED'],
    ['TIME_WAIT', 'TIME-WAIT'],
    ['CLOSE_WAIT', 'CLOSE-WAIT'],
    ['SYN_SENT', 'SYN-SENT'],
    ['SYN_RECEIVED', 'SYN-RECEIVED'],
    ['FIN_WAIT_1', 'FIN-WAIT-1'],
    ['FIN_WAIT_2', 'FIN-WAIT-2'],
    ['LAST_ACK', 'LAST-ACK'],
    ['CLOSING', 'CLOSING'],
    ['CLOSED', 'CLOSED'],
    ['DELETE_TCB', undefined],
    ['BOUND', undefined],
  ],
};

test('every spelling a tool prints maps to the right state and names that tool', () => {
  for (const [tool, rows] of Object.entries(PRINTED)) {
    for (const [text, state] of rows) {
      const sp = lookupStateSpelling(text);
      assert.ok(sp, `${tool} ${text} unknown`);
      assert.equal(sp.state, state, `${tool} ${text}`);
      assert.ok(sp.tools.includes(tool as StateTool), `${text} does not list ${tool}`);
    }
  }
  // busybox prints net-tools' spellings.
  for (const [text] of PRINTED['net-tools']!) {
    if (text === 'UNKNOWN') continue;
    assert.ok(lookupStateSpelling(text)!.tools.includes('busybox'), text);
  }
});

test('spellings agree with the readers\' canonicalState (src/core/tcp/states.ts)', () => {
  for (const sp of STATE_SPELLINGS) {
    assert.equal(canonicalState(sp.text), sp.state, sp.text);
  }
});

test('lookups ignore case and surrounding spaces', () => {
  assert.equal(lookupStateSpelling(' estab ')?.state, 'ESTABLISHED');
  assert.equal(lookupStateSpelling('fin_wait1')?.state, 'FIN-WAIT-1');
  assert.equal(lookupStateSpelling('NOT_A_STATE'), undefined);
});

test('explaining a spelling names the tool that prints it', () => {
  assert.match(explainStateSpelling('ESTAB', 'en')!, /`ESTAB` is how `ss` \(iproute2\) prints RFC 9293's \*\*ESTABLISHED\*\*/);
  assert.match(explainStateSpelling('FIN_WAIT1', 'en')!, /net-tools.*busybox.*\*\*FIN-WAIT-1\*\*/);
  assert.match(explainStateSpelling('LISTENING', 'en')!, /Windows `netstat`.*\*\*LISTEN\*\*/);
  assert.match(explainStateSpelling('SYN_RCVD', 'en')!, /macOS \/ FreeBSD `netstat`.*\*\*SYN-RECEIVED\*\*/);
  assert.match(explainStateSpelling('CLOSE', 'en')!, /\*\*CLOSED\*\*[\s\S]*`TCP_CLOSE`/);
  assert.match(explainStateSpelling('CLOSE', 'zh-cn')!, /是 Linux 的 `netstat`（net-tools）和 busybox 的 `netstat` 对 RFC 9293 \*\*CLOSED\*\* 状态的写法/);
  assert.match(explainStateSpelling('UNCONN', 'en')!, /Not a TCP state name/);
  assert.match(explainStateSpelling('TIMED_WAIT', 'en')!, /old Windows documentation/);
  assert.equal(explainStateSpelling('FOO', 'en'), undefined);
});

test('describeState renders every part under its heading', () => {
  const en = describeState('CLOSE-WAIT', 'en');
  for (const h of ['Who waits for what:', 'Held by:', 'How long:', 'When many pile up:', 'What to do:']) {
    assert.ok(en.includes(h), h);
  }
  assert.ok(en.startsWith('**CLOSE-WAIT**: The peer has closed its side'));
  const zh = describeState('CLOSE-WAIT', 'zh-cn');
  for (const h of ['谁在等什么：', '通常由谁持有：', '持续多久：', '大量堆积时：', '怎么处理：']) assert.ok(zh.includes(h), h);
});

/** The state column of a real table, by the layout each tool prints. */
function stateColumn(text: string, pick: (fields: string[]) => string | undefined): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    const s = pick(f);
    if (s) out.push(s);
  }
  return out;
}

test('real tables: every state printed by ss, net-tools, macOS, FreeBSD and Windows is understood', () => {
  const cases: { file: string; tool: StateTool; pick: (f: string[]) => string | undefined; expect: Record<string, number> }[] = [
    {
      file: 'half_close_snap1_ss_-tanoie.txt',
      tool: 'ss',
      pick: (f) => (f[0] && /^[A-Z]/.test(f[0]) && f[0] !== 'State' ? f[0] : undefined),
      expect: { LISTEN: 1, 'FIN-WAIT-2': 1, 'CLOSE-WAIT': 1 },
    },
    {
      file: 'half_close_snap1_netstat_-ant.txt',
      tool: 'net-tools',
      pick: (f) => (f[0] === 'tcp' ? f[5] : undefined),
      expect: { LISTEN: 1, FIN_WAIT2: 1, CLOSE_WAIT: 1 },
    },
    {
      file: 'jc_ubuntu-18.04_ss-sudo-a.out',
      tool: 'ss',
      pick: (f) => (f[0] === 'tcp' ? f[1] : undefined),
      expect: { LISTEN: 4 },
    },
    {
      file: 'jc_osx-10.14.6_netstat.out',
      tool: 'bsd',
      pick: (f) => (f[0]?.startsWith('tcp') ? f[5] : undefined),
      expect: { ESTABLISHED: 47, CLOSE_WAIT: 5, TIME_WAIT: 1 },
    },
    {
      file: 'jc_freebsd12_netstat-an.out',
      tool: 'bsd',
      pick: (f) => (f[0]?.startsWith('tcp') ? f[5] : undefined),
      expect: { ESTABLISHED: 1, LISTEN: 3 },
    },
    {
      file: 'jc_windows-10_netstat-aon.out',
      tool: 'windows',
      pick: (f) => (f[0] === 'TCP' ? f[3] : undefined),
      expect: { ESTABLISHED: 32, LISTENING: 39 },
    },
    {
      file: 'windows_zh-CN_netstat_-ano_close_wait_excerpt.txt',
      tool: 'windows',
      pick: (f) => (f[0] === 'TCP' && f.length >= 5 ? f[3] : undefined),
      expect: { LISTENING: 13, CLOSE_WAIT: 4 },
    },
  ];
  for (const c of cases) {
    const states = stateColumn(readFixture('knowledge', c.file), c.pick);
    const counts: Record<string, number> = {};
    for (const s of states) counts[s] = (counts[s] ?? 0) + 1;
    assert.deepEqual(counts, c.expect, c.file);
    for (const s of states) {
      const sp = lookupStateSpelling(s);
      assert.ok(sp?.state, `${c.file}: ${s}`);
      assert.ok(sp.tools.includes(c.tool), `${c.file}: ${s} does not list ${c.tool}`);
      assert.ok(explainStateSpelling(s, 'en') && explainStateSpelling(s, 'zh-cn'));
    }
  }
});

test('each state lists its ways in and out with RFC 9293 labels', () => {
  for (const s of STATES) {
    const en = describeStateTransitions(s.state, 'en');
    assert.ok(en.includes('**Ways in:**'), `${s.state} has no way in`);
    assert.ok(en.includes('**Ways out:**'), `${s.state} has no way out`);
    assert.ok(describeStateTransitions(s.state, 'zh-cn').includes('**怎么进入：**'));
  }
  const fw1 = describeStateTransitions('FIN-WAIT-1', 'en');
  assert.ok(fw1.includes('- from ESTABLISHED: `CLOSE / snd FIN`'));
  assert.ok(fw1.includes('- to TIME-WAIT: `rcv FIN + ACK of FIN / snd ACK`'));
  assert.ok(fw1.includes('- to CLOSED: `rcv RST / delete TCB`'));
  const tw = describeStateTransitions('TIME-WAIT', 'en');
  assert.ok(tw.includes('- to CLOSED: `Timeout=2MSL / delete TCB`'));
  assert.ok(tw.includes('- stays in TIME-WAIT: `rcv FIN / snd ACK, restart 2MSL timer`'));
  assert.ok(describeStateTransitions('LISTEN', 'en').includes('- to SYN-RECEIVED: `rcv SYN / snd SYN,ACK`'));
});
