import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse } from '../../../src/core/analyse';
import { hoverAt } from '../../../src/core/render/hover';
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
