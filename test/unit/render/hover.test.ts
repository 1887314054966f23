import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse } from '../../../src/core/analyse';
import { hoverAt, inlineCode } from '../../../src/core/render/hover';
import { readFixture } from '../support';

const SS = readFixture('sockets', '13_ipv6_loopback', 'v6_loopback', 'snap_2_client_fin_wait2_server_close_wait', 'ss_-tanp.txt');

function hoverOn(text: string, needle: string, lang: 'en' | 'zh-cn', occurrence = 0) {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i]!.indexOf(needle);
    if (col >= 0 && seen++ === occurrence) return hoverAt(analyse(text), lines[i]!, i, col + 1, lang);
  }
  throw new Error(`${needle} not in text`);
}

test('a CLOSE-WAIT cell of ss output explains the RFC 9293 state, in English and Chinese', () => {
  const en = hoverOn(SS, 'CLOSE-WAIT', 'en');
  assert.ok(en, 'hover expected');
  assert.match(en.markdown, /\*\*CLOSE-WAIT\*\*/);
  assert.match(en.markdown, /close\(\)/);
  const zh = hoverOn(SS, 'CLOSE-WAIT', 'zh-cn');
  assert.ok(zh);
  assert.match(zh.markdown, /\*\*CLOSE-WAIT\*\*/);
  assert.match(zh.markdown, /[\u4e00-\u9fff]/);
  assert.equal(zh.span.end - zh.span.start, 'CLOSE-WAIT'.length);
});

test('ss prints ESTAB: the hover names the spelling and the canonical state', () => {
  const text = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nESTAB 0      0      127.0.0.1:8080     127.0.0.1:46548\n';
  const h = hoverOn(text, 'ESTAB', 'en');
  assert.ok(h);
  assert.match(h.markdown, /`ESTAB`/);
  assert.match(h.markdown, /\*\*ESTABLISHED\*\*/);
});

test('a bare state word in prose is explained too', () => {
  const h = hoverOn('the server had 40 sockets in TIME_WAIT after the test', 'TIME_WAIT', 'en');
  assert.ok(h);
  assert.match(h.markdown, /\*\*TIME-WAIT\*\*/);
  assert.equal(h.span.start, 'the server had 40 sockets in '.length);
});

test('an ordinary word gets no hover', () => {
  const h = hoverOn('the server closed the connection', 'server', 'en');
  assert.equal(h, undefined);
});

test('a sysctl.conf line explains the key and the value set', () => {
  const line = 'net.ipv4.tcp_tw_reuse = 1';
  const h = hoverAt(analyse(line), line, 0, 5, 'en');
  assert.ok(h);
  assert.deepEqual([h.span.start, h.span.end], [0, 'net.ipv4.tcp_tw_reuse'.length]);
  assert.match(h.markdown, /tcp_tw_reuse/);
  const zh = hoverAt(analyse(line), line, 0, 5, 'zh-cn');
  assert.ok(zh);
  assert.match(zh.markdown, /[\u4e00-\u9fff]/);
});

test('an errno in a log line is explained, by name and by message', () => {
  const line = 'read tcp 10.0.0.2:51000->10.0.0.9:443: read: connection reset by peer (ECONNRESET)';
  const byName = hoverAt(analyse(line), line, 0, line.indexOf('ECONNRESET') + 2, 'en');
  assert.ok(byName);
  assert.match(byName.markdown, /ECONNRESET/);
  assert.match(byName.markdown, /RST/);
  const byMessage = hoverAt(analyse(line), line, 0, line.indexOf('reset by peer'), 'en');
  assert.ok(byMessage);
  assert.match(byMessage.markdown, /ECONNRESET/);
});

test('tcpdump flags and options are explained where they stand', () => {
  const text =
    '13:35:11.002409 IP 127.0.0.1.8080 > 127.0.0.1.46548: Flags [S.], seq 2017022054, ack 2426382984, win 65483, options [mss 65495,sackOK,TS val 1385129512 ecr 1114579837,nop,wscale 10], length 0\n';
  const flags = hoverOn(text, '[S.]', 'en');
  assert.ok(flags);
  assert.match(flags.markdown, /SYN/);
  assert.match(flags.markdown, /ACK/);
  const wscale = hoverOn(text, 'wscale 10', 'en');
  assert.ok(wscale);
  assert.match(wscale.markdown, /1024/, 'wscale 10 multiplies the window by 1024');
  const port = hoverOn(text, '8080', 'en');
  assert.ok(port);
  assert.match(port.markdown, /8080/);
});

// --- every token kind on real samples ------------------------------------------------------------------------

const TCPDUMP = readFixture('packets', '01_normal_client_close', 'four_way', 'tcpdump_nn.txt');
const SS_I = readFixture('sockets', '01_normal_client_close', 'four_way', 'snap_1_established', 'ss_-tanoie.txt');
const SS_L = readFixture('sockets', '01_normal_client_close', 'four_way', 'snap_1_established', 'ss_-lnt.txt');

test('tcpdump: seq range, ack, scaled window and length, in both languages', () => {
  const seq = hoverOn(TCPDUMP, 'seq 1:9', 'en');
  assert.ok(seq);
  assert.match(seq.markdown, /8 bytes/);
  const ack = hoverOn(TCPDUMP, 'ack 9,', 'en');
  assert.ok(ack);
  assert.match(ack.markdown, /9/);
  assert.match(ack.markdown, /next/i);
  // `win 64` after a handshake that announced wscale 10 on both SYNs: 64 << 10 = 65536 bytes.
  const win = hoverOn(TCPDUMP, 'win 64', 'en');
  assert.ok(win);
  assert.match(win.markdown, /65,?536/);
  const winZh = hoverOn(TCPDUMP, 'win 64', 'zh-cn');
  assert.ok(winZh);
  assert.match(winZh.markdown, /65,?536/);
  assert.match(winZh.markdown, /[\u4e00-\u9fff]/);
  const len = hoverOn(TCPDUMP, 'length 8', 'en');
  assert.ok(len);
  assert.match(len.markdown, /8 bytes of TCP payload/);
});

test('tcpdump: each option inside options [...] is explained on its own', () => {
  const expectations: [string, RegExp][] = [
    ['mss 65495', /MSS|segment size/i],
    ['sackOK', /SACK/],
    ['TS val 1114579837 ecr 0', /timestamp/i],
    ['wscale 10', /1024/],
  ];
  for (const [needle, pattern] of expectations) {
    const h = hoverOn(TCPDUMP, needle, 'en');
    assert.ok(h, needle);
    assert.match(h.markdown, pattern, needle);
    assert.equal(TCPDUMP.split('\n')[h.span.line]!.slice(h.span.start, h.span.end).startsWith(needle.split(' ')[0]!), true, needle);
  }
  const nop = hoverOn(TCPDUMP, 'nop', 'zh-cn');
  assert.ok(nop);
  assert.match(nop.markdown, /[\u4e00-\u9fff]/);
});

test('tcpdump: a packet line says its connection, its handshake step and both ends\' states, with links', () => {
  const synAck = hoverOn(TCPDUMP, '[S.]', 'en');
  assert.ok(synAck);
  assert.match(synAck.markdown, /Connection 1\*\*: `127\.0\.0\.1:46548` → `127\.0\.0\.1:8080`/);
  assert.doesNotMatch(synAck.markdown, /3\.x style/);
  assert.match(synAck.markdown, /handshake 2\/3/);
  assert.match(synAck.markdown, /server ~?LISTEN → ~?SYN-RECEIVED|server ~?SYN-RECEIVED/);
  assert.deepEqual(synAck.links?.map((l) => l.command), ['showDiagram', 'stepThrough']);
  // People count connections from 1 (as the report and the CLI do); links carry the rebuild's own id.
  assert.equal(synAck.links?.[0]?.args.connection, 0);
  const zh = hoverOn(TCPDUMP, '[S.]', 'zh-cn');
  assert.ok(zh);
  assert.match(zh.markdown, /连接 1/);
});

test('ss: Recv-Q and Send-Q mean queue length and backlog on a LISTEN row', () => {
  const lines = SS_L.split('\n');
  const row = lines.findIndex((l) => l.startsWith('LISTEN'));
  const model = analyse(SS_L);
  const sendQCol = lines[row]!.indexOf('16');
  const sendQ = hoverAt(model, lines[row]!, row, sendQCol, 'en');
  assert.ok(sendQ);
  assert.match(sendQ.markdown, /backlog/i);
  const recvQ = hoverAt(model, lines[row]!, row, lines[row]!.indexOf('0 '), 'en');
  assert.ok(recvQ);
  assert.match(recvQ.markdown, /accept/i);
});

test('ss -i: rtt, cwnd and wscale fields are explained', () => {
  for (const [needle, pattern] of [
    ['rtt:0.032/0.026', /round-trip|RTT/i],
    ['cwnd:11', /congestion window/i],
    ['wscale:10,10', /scale/i],
  ] as const) {
    const h = hoverOn(SS_I, needle, 'en');
    assert.ok(h, needle);
    assert.match(h.markdown, pattern, needle);
  }
  const zh = hoverOn(SS_I, 'cwnd:11', 'zh-cn');
  assert.ok(zh);
  assert.match(zh.markdown, /拥塞窗口/);
});

test('ss -o timers and ports are explained', () => {
  const text = 'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\nFIN-WAIT-2 0      0      10.0.0.141:50094  10.0.0.140:5000   timer:(keepalive,29sec,0)\nESTAB      0      0      10.0.0.141:50096  10.0.0.140:443    \n';
  const timer = hoverOn(text, 'timer:(keepalive', 'en');
  assert.ok(timer);
  assert.match(timer.markdown, /keep-?alive/i);
  assert.match(timer.markdown, /29/);
  const port = hoverOn(text, ':443', 'en');
  assert.ok(port);
  assert.match(port.markdown, /443/);
  assert.match(port.markdown, /HTTPS|https/);
});

test('user text in a hover cannot break out of its code span', () => {
  assert.equal(inlineCode('a`[x](command:evil)`\nb'), "`a'[x](command:evil)' b`");
});
