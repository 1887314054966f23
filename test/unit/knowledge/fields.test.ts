import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  explainAck,
  explainChecksum,
  explainRecvQ,
  explainSendQ,
  explainSeq,
  explainTimer,
  explainWin,
  FIELDS,
  parseSeq,
  parseTimer,
  ssDurationMs,
} from '../../../src/core/knowledge/fields';
import { explainSsField, humanBps, parseSkmem, ssFieldInfo, SS_FIELDS } from '../../../src/core/knowledge/ssInfo';
import { explainTcpOption, lookupTcpOption, sackBlocks, TCP_OPTIONS } from '../../../src/core/knowledge/options';
import { readFixture } from '../support';

test('seq ranges: `seq 1:9` is bytes 1..8, 8 bytes', () => {
  assert.deepEqual(parseSeq('seq 1:9'), { first: 1, end: 9, bytes: 8 });
  assert.deepEqual(parseSeq('1:21'), { first: 1, end: 21, bytes: 20 });
  assert.deepEqual(parseSeq('seq 2426382983,'), { first: 2426382983, end: 2426382983, bytes: 0 });
  assert.deepEqual(parseSeq('928549246:928549246(0)'), { first: 928549246, end: 928549246, bytes: 0 }); // tcpdump 3.x
  assert.deepEqual(parseSeq('1:203(202)'), { first: 1, end: 203, bytes: 202 });
  assert.deepEqual(parseSeq('Seq=1'), { first: 1, end: 1, bytes: 0 });
  assert.deepEqual(parseSeq('4294967290:6'), { first: 4294967290, end: 6, bytes: 12 }); // wraps at 2^32
  assert.equal(parseSeq('seq x'), undefined);
  assert.equal(parseSeq('1:2:3'), undefined);
  assert.equal(explainSeq('seq 1:9', 'en'), 'Bytes 1 to 8 of this direction: 8 bytes; the next segment should start at 9.');
  assert.equal(explainSeq('seq 1:9', 'zh-cn'), '携带本方向的第 1 到第 8 字节，共 8 字节；下一个报文应从 9 开始。');
  assert.match(explainSeq('seq 21', 'en')!, /no data in this segment/);
});

test('ack: everything up to N-1, byte N next', () => {
  assert.equal(explainAck(9, 'en'), 'Acknowledges every byte up to 8; expects byte 9 next.');
  assert.equal(explainAck(9, 'zh-cn'), '确认对端第 8 字节及之前的全部数据；下一个期望收到第 9 字节。');
  assert.equal(explainAck(0, 'en'), 'Acknowledges every byte up to 4294967295; expects byte 0 next.');
});

test('win: raw in tcpdump, scaled in tshark, never scaled on SYN', () => {
  // four_way capture: wscale 10 on both SYNs, then `win 64` => 65536 bytes; tshark prints Win=65536 for the same ACK.
  const four = readFixture('knowledge', 'four_way_tcpdump_nn.txt').split('\n');
  assert.ok(four[0]!.includes('wscale 10'));
  assert.ok(four[2]!.includes('win 64,'));
  assert.equal(explainWin(64, 'en', { wscale: 10 }).bytes, 65536);
  assert.ok(readFixture('knowledge', 'four_way_tshark.txt').split('\n')[2]!.includes('Win=65536'));
  assert.equal(explainWin(65536, 'en', { source: 'tshark' }).bytes, 65536);
  assert.equal(explainWin(65495, 'en', { wscale: 10, syn: true }).bytes, 65495);
  assert.equal(explainWin(64, 'en').bytes, undefined);
  assert.match(explainWin(64, 'en').text, /cannot be known/);
  assert.match(explainWin(0, 'en').text, /\*\*Zero window\*\*/);
  assert.equal(explainWin(512, 'en', { wscale: 7 }).text, 'Raw window field 512; with wscale 7: 512 × 128 = 65536 bytes.');
});

test('checksum incorrect on loopback is offload, not corruption (real -v capture)', () => {
  const lines = readFixture('knowledge', 'refused_tcpdump_tttt_S_v.txt').split('\n');
  const incorrect = lines.filter((l) => l.includes('(incorrect ->'));
  const correct = lines.filter((l) => l.includes('(correct)'));
  // Loopback: the SYNs and the IPv6 RST carry an unfilled (offloaded) checksum; the IPv4 RSTs are complete.
  assert.equal(incorrect.length, 4);
  assert.equal(correct.length, 2);
  for (const l of incorrect) assert.match(explainChecksum(l, 'en')!, /normal here.*checksum offload/);
  for (const l of correct) assert.equal(explainChecksum(l, 'en'), 'The checksum is correct.');
  assert.match(explainChecksum('cksum 0x1 (incorrect -> 0x2)', 'en', { outgoing: false })!, /received from the network/);
  assert.equal(explainChecksum('cksum 0x1', 'en'), undefined);
});

test('Recv-Q/Send-Q: LISTEN in ss is the accept queue; otherwise unread and unacknowledged bytes', () => {
  // half_close snapshot: `LISTEN 0 16 127.0.0.1:8080` in ss, `tcp 0 0 127.0.0.1:8080 0.0.0.0:* LISTEN` in netstat.
  const ss = readFixture('knowledge', 'half_close_snap1_ss_-tanoie.txt').split('\n').find((l) => l.startsWith('LISTEN'))!;
  const [, recvQ, sendQ] = ss.split(/\s+/);
  assert.deepEqual([recvQ, sendQ], ['0', '16']);
  assert.match(explainSendQ(16, 'en', { state: 'LISTEN', tool: 'ss' }), /^The accept-queue limit: 16/);
  assert.match(explainRecvQ(0, 'en', { state: 'LISTEN', tool: 'ss', other: 16 }), /^0 finished handshakes .*limit 16.*keeps up/);
  assert.match(explainRecvQ(16, 'en', { state: 'LISTEN', tool: 'ss', other: 16 }), /\*\*The queue is full\*\*/);
  const nt = readFixture('knowledge', 'half_close_snap1_netstat_-ant.txt').split('\n').find((l) => l.includes('LISTEN'))!;
  assert.equal(nt.split(/\s+/)[2], '0');
  assert.match(explainSendQ(0, 'en', { state: 'LISTEN', tool: 'netstat-linux' }), /always prints 0 on LISTEN rows/);
  assert.match(explainRecvQ(3020, 'en', { state: 'ESTABLISHED' }), /^3020 bytes arrived but the application has not read them/);
  assert.match(explainSendQ(165, 'zh-cn', { state: 'ESTABLISHED' }), /^165 字节已由应用写入、但对端还没确认/);
});

test('ss timer times: print_ms_timer format', () => {
  const cases: [string, number][] = [
    ['59sec', 59000],
    ['2min5sec', 125000],
    ['118min', 7080000],
    ['020ms', 20],
    ['6.060ms', 6060],
    ['1.595ms', 1595],
    ['', 0],
  ];
  for (const [t, ms] of cases) assert.equal(ssDurationMs(t), ms, t);
  assert.equal(ssDurationMs('soon'), undefined);
});

test('timers from real ss -o output and from net-tools lines in formats.md', () => {
  const timers = readFixture('knowledge', 'many_time_wait_snap1_ss_-tanoie.txt').match(/timer:\([^)]*\)/g)!;
  assert.equal(timers.length, 300);
  for (const t of timers) {
    const p = parseTimer(t)!;
    assert.deepEqual([p.kind, p.style, p.expiresMs, p.probes], ['timewait', 'ss', 59000, 0]);
  }
  assert.match(explainTimer(timers[0]!, 'en')!, /^`timewait`: Time left in TIME-WAIT[\s\S]*fires in 59 s\./);
  // net-tools `netstat -o` lines quoted in shared/reference/formats.md
  assert.deepEqual(parseTimer('on (0.30/2/0)'), { kind: 'on', style: 'netstat', expiresMs: 300, retransmits: 2, probes: 0 });
  assert.deepEqual(parseTimer('timewait (19.58/0/0)'), { kind: 'timewait', style: 'netstat', expiresMs: 19580, retransmits: 0, probes: 0 });
  assert.match(explainTimer('on (0.30/2/0)', 'en')!, /fires in 0\.3 s, 2 retransmissions so far\./);
  assert.match(explainTimer('timer:(keepalive,29sec,0)', 'zh-cn')!, /29 秒后触发/);
  assert.match(explainTimer('timer:(on,,0)', 'en')!, /fires in 0 s/);
  assert.match(explainTimer('probe (1.00/0/3)', 'en')!, /zero-window probe[\s\S]*3 unanswered probes/);
  assert.equal(parseTimer('timer:nothing'), undefined);
});

/** Every name ss printed after a row (-e/-o) and on its -i line, from a real `ss -tanoie` file. */
function ssNames(text: string): { names: Set<string>; values: [string, string][] } {
  const names = new Set<string>();
  const values: [string, string][] = [];
  const spaced = new Set(['send', 'pacing_rate', 'delivery_rate']);
  for (const line of text.split('\n')) {
    let tokens: string[];
    if (line.startsWith('\t')) tokens = line.trim().split(/\s+/);
    else if (/^[A-Z]/.test(line) && !line.startsWith('State')) tokens = line.trim().split(/\s+/).slice(5);
    else continue;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (!tok) continue;
      if (spaced.has(tok)) {
        names.add(tok);
        values.push([tok, tokens[++i]!]);
        continue;
      }
      const colon = tok.indexOf(':');
      const name = colon > 0 ? tok.slice(0, colon) : tok;
      names.add(name);
      if (colon > 0) values.push([name, tok.slice(colon + 1)]);
      if (name === 'bbr' && colon > 0) {
        for (const sub of tok.slice(colon + 2, -1).split(',')) names.add(`bbr.${sub.slice(0, sub.indexOf(':'))}`);
      }
    }
  }
  return { names, values };
}

test('every ss -i/-e/-o field in real captures is explained', () => {
  const all = new Set<string>();
  const values: [string, string][] = [];
  for (const f of ['half_close_snap1_ss_-tanoie.txt', 'packet_loss_sender_snap1_ss_-tanoie.txt', 'many_time_wait_snap1_ss_-tanoie.txt']) {
    const r = ssNames(readFixture('knowledge', f));
    r.names.forEach((n) => all.add(n));
    values.push(...r.values);
  }
  for (const n of ['rtt', 'retrans', 'bytes_retrans', 'busy', 'ssthresh', 'bbr.pacing_gain', 'ino', 'sk', 'cgroup', '<->', '-->', '<--', 'timer', 'app_limited']) {
    assert.ok(all.has(n), `fixtures lack ${n}`);
  }
  for (const n of all) assert.ok(ssFieldInfo(n), `ss field ${n} is not explained`);
  for (const [name, value] of values) {
    const en = explainSsField(name, value, 'en');
    assert.ok(en && explainSsField(name, value, 'zh-cn'), `${name}:${value}`);
  }
  assert.equal(explainSsField('retrans', '0/74', 'en')!.split('\n\n')[1], '0 segment(s) being retransmitted now, 74 retransmissions in total. Retransmissions mean loss on the path (or an aggressive RTO).');
  assert.equal(explainSsField('rtt', '0.356/0.265', 'en')!.split('\n\n')[1], 'Smoothed RTT 0.356 ms, varying by 0.265 ms.');
  assert.equal(explainSsField('send', '48395815385bps', 'en')!.split('\n\n')[1], '48.4 Gbit/s.');
  assert.equal(explainSsField('busy', '96ms', 'en')!.split('\n\n')[1], '96 ms.');
  assert.match(explainSsField('wscale', '10,10', 'en')!, /Peer's shift 10 \(its advertised windows are multiplied by 1024\)/);
  assert.equal(explainSsField('snd_wnd', '583680', 'en')!.split('\n\n')[1], '583680 bytes (570 KiB)');
  assert.equal(explainSsField('nonsense', '1', 'en'), undefined);
});

test('skmem subfields (ss -m format from the ss man page; the samples have no -m run)', () => {
  // Built from the documented layout skmem:(r<rmem_alloc>,rb<rcv_buf>,t<wmem_alloc>,tb<snd_buf>,f<fwd_alloc>,
  // w<wmem_queued>,o<opt_mem>,bl<back_log>,d<sock_drop>); values are illustrative.
  const text = 'skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d3)';
  assert.deepEqual(parseSkmem(text), [
    ['r', 0],
    ['rb', 131072],
    ['t', 0],
    ['tb', 2626560],
    ['f', 0],
    ['w', 0],
    ['o', 0],
    ['bl', 0],
    ['d', 3],
  ]);
  const md = explainSsField('skmem', text.slice(6), 'en')!;
  assert.ok(md.includes('- `rb131072` = 128 KiB: Receive buffer limit'));
  assert.ok(md.includes('- `d3` = 3: Packets dropped for this socket'));
  assert.equal(parseSkmem('skmem:(x1)'), undefined);
  for (const k of ['r', 'rb', 't', 'tb', 'f', 'w', 'o', 'bl', 'd']) assert.ok(ssFieldInfo(`skmem.${k}`), k);
});

test('rates are printed in human units', () => {
  assert.equal(humanBps('1417191488bps'), '1.4 Gbit/s');
  assert.equal(humanBps('105429759224bps'), '105 Gbit/s');
  assert.equal(humanBps('900bps'), '900 bit/s');
  assert.equal(humanBps('fast'), undefined);
});

test('TCP options: every option in the real captures is known, with values explained', () => {
  const seen = new Set<string>();
  for (const f of ['four_way_tcpdump_nn.txt', 'refused_tcpdump_tttt_S_v.txt', 'tcpdump-tests_accecn_handshake.out']) {
    for (const m of readFixture('knowledge', f).matchAll(/options \[([^\]]*)\]/g)) {
      for (const opt of m[1]!.split(',')) {
        seen.add(opt.split(' ')[0]!);
        assert.ok(lookupTcpOption(opt), `${f}: ${opt}`);
      }
    }
  }
  assert.deepEqual([...seen].sort(), ['TS', 'eol', 'exp-acc0', 'mss', 'nop', 'sackOK', 'wscale']);
  for (const m of readFixture('knowledge', 'four_way_tshark.txt').matchAll(/ (MSS|SACK_PERM|TSval|TSecr|WS)(=\d+)?/g)) {
    assert.ok(lookupTcpOption(m[0]), m[0]);
  }
  // tcpdump 3.x: <mss 16396,sackOK,timestamp 1306300950 0,nop,wscale 2>
  for (const opt of 'mss 16396,sackOK,timestamp 1306300950 0,nop,wscale 2'.split(',')) assert.ok(lookupTcpOption(opt), opt);
  assert.equal(lookupTcpOption('unknown-161')?.id, 'unknown');
  assert.equal(lookupTcpOption('exp-tfo cookiereq')?.id, 'tfo');
  assert.equal(lookupTcpOption('md5 shared secret not supplied with -M, can\'t check - 02f7')?.id, 'md5');
  assert.equal(lookupTcpOption('mptcp 12 capable v1 flags [H]')?.id, 'mptcp');
  assert.equal(lookupTcpOption('SLE=1449')?.id, 'sack');
  assert.equal(lookupTcpOption('bogus 1'), undefined);

  assert.match(explainTcpOption('wscale 7', 'en')!, /Shift 7, a multiplier of 128: a printed `win 512` means 65536 bytes\./);
  assert.match(explainTcpOption('WS=1024', 'en')!, /Shift 10, a multiplier of 1024/);
  assert.match(explainTcpOption('mss 1460', 'en')!, /MTU of 1500 over IPv4, 1520 over IPv6/);
  assert.match(explainTcpOption('TS val 1114579837 ecr 0', 'en')!, /normally the first SYN/);
  assert.match(explainTcpOption('timestamp 1306300950 0', 'en')!, /normally the first SYN/);
  assert.match(explainTcpOption('sack 2 {1449:2897}{4345:5793}', 'en')!, /Blocks received: 1449–2896 \(1448 bytes\), 4345–5792 \(1448 bytes\)\./);
  assert.deepEqual(sackBlocks('SLE=1449 SRE=2897 SLE=4345 SRE=5793'), [
    [1449, 2897],
    [4345, 5793],
  ]);
  for (const o of TCP_OPTIONS) assert.ok(o.meaning.en && o.meaning['zh-cn'] && o.name.en && o.name['zh-cn'], o.id);
});

test('every field, ss field and option has text in both languages', () => {
  for (const f of FIELDS) assert.ok(f.meaning.en.length > 20 && f.meaning['zh-cn'].length > 5, f.id);
  for (const f of SS_FIELDS) assert.ok(f.meaning.en.length > 5 && f.meaning['zh-cn'].length > 2, f.name);
  assert.equal(new Set(SS_FIELDS.map((f) => f.name)).size, SS_FIELDS.length);
});
