import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { endpointPort, explain, explainToken, pickLang, zhSpacing } from '../../../src/core/knowledge/index';

test('pickLang maps locale tags to the two languages', () => {
  assert.equal(pickLang('zh-cn'), 'zh-cn');
  assert.equal(pickLang('zh-CN'), 'zh-cn');
  assert.equal(pickLang('zh_CN'), 'zh-cn');
  assert.equal(pickLang('zh-Hans'), 'zh-cn');
  assert.equal(pickLang('zh'), 'zh-cn');
  assert.equal(pickLang('en-US'), 'en');
  assert.equal(pickLang('de'), 'en');
  assert.equal(pickLang('zhx'), 'en');
  assert.equal(pickLang(undefined), 'en');
  assert.equal(pickLang(''), 'en');
});

test('explain(state) takes any printed spelling and returns the RFC state', () => {
  const ex = explain('state', 'ESTAB', 'en')!;
  assert.equal(ex.title, 'ESTABLISHED');
  assert.ok(ex.markdown.startsWith('`ESTAB` is how `ss` (iproute2) prints'));
  assert.ok(ex.markdown.includes('**ESTABLISHED**: An open connection'));
  const rfc = explain('state', 'TIME-WAIT', 'zh-cn')!;
  assert.ok(rfc.markdown.startsWith('**TIME-WAIT**：'), 'an RFC name needs no spelling preamble');
  assert.equal(explain('state', 'UNCONN', 'en')!.title, '`UNCONN`');
  assert.equal(explain('state', 'KAPUTT', 'en'), undefined);
});

test('explain covers every kind', () => {
  assert.match(explain('flags', '[S.]', 'en')!.markdown, /^\*\*Answering a SYN\*\*/);
  assert.equal(explain('flags', '[S.]', 'zh-cn')!.title, '标志 `[S.]`');
  assert.equal(explain('flag', 'S', 'en')!.title, 'SYN (synchronize)');
  assert.equal(explain('field', 'win', 'en')!.title, 'Window');
  assert.equal(explain('field', 'bogus', 'en'), undefined);
  assert.match(explain('seq', 'seq 1:9', 'en')!.markdown, /^Bytes 1 to 8 of this direction: 8 bytes/);
  assert.match(explain('ack', 'ack 9', 'en')!.markdown, /^Acknowledges every byte up to 8; expects byte 9 next\./);
  assert.match(explain('ack', 'Ack=1', 'en')!.markdown, /up to 0; expects byte 1 next/);
  assert.match(explain('win', 'win 64', 'en', { wscale: 10 })!.markdown, /64 × 1024 = 65536 bytes/);
  assert.match(explain('win', 'Win=65536', 'en')!.markdown, /tshark already applied the window scale/);
  assert.match(explain('checksum', 'cksum 0xfe30 (incorrect -> 0x83db)', 'en')!.markdown, /checksum offload/);
  assert.match(explain('recvQ', '16', 'en', { state: 'LISTEN', tool: 'ss', otherQueue: 16 })!.markdown, /queue is full/);
  assert.match(explain('sendQ', '16', 'en', { state: 'LISTEN', tool: 'ss' })!.markdown, /^The accept-queue limit: 16/);
  assert.match(explain('timer', 'timer:(keepalive,29sec,0)', 'en')!.markdown, /fires in 29 s/);
  assert.equal(explain('ssInfo', 'rtt:0.24/0.112', 'en')!.title, '`rtt`');
  assert.match(explain('ssInfo', 'rtt', 'en', { value: '0.24/0.112' })!.markdown, /Smoothed RTT 0\.24 ms/);
  assert.match(explain('ssInfo', 'pacing_rate 105429759224bps', 'en')!.markdown, /105 Gbit\/s/);
  assert.match(explain('option', 'mss 65495', 'en')!.markdown, /MTU of 65535 over IPv4/);
  assert.equal(explain('sysctl', 'net.ipv4.tcp_tw_reuse = 1', 'en')!.title, '`net.ipv4.tcp_tw_reuse`');
  assert.match(explain('sysctl', 'tcp_fin_timeout', 'en', { value: '30' })!.markdown, /30 s\. The default is `60`\./);
  assert.equal(explain('errno', 'Connection reset by peer', 'en')!.title, '`ECONNRESET`');
  assert.equal(explain('errno', '54', 'en', { platform: 'bsd' })!.title, '`ECONNRESET`');
  assert.equal(explain('port', 'ssh', 'en')!.title, 'Port `ssh`');
  assert.equal(explain('socketOption', 'tcp_nodelay', 'en')!.title, '`TCP_NODELAY`');
});

test('explainToken works from a reader token kind and its text', () => {
  assert.equal(explainToken('state', 'FIN_WAIT2', 'en')!.title, 'FIN-WAIT-2');
  assert.match(explainToken('flags', 'P.', 'en', { len: 8 })!.markdown, /\*\*Carrying data\*\* \(8 bytes\)/);
  assert.match(explainToken('seq', '1:9', 'en')!.markdown, /8 bytes/);
  assert.match(explainToken('length', 'length 8', 'en')!.markdown, /^8 bytes of TCP payload/);
  assert.match(explainToken('length', 'Len=0', 'zh-cn')!.markdown, /^本报文带 0 字节 TCP 负载/);
  assert.match(explainToken('urg', 'urg 0', 'en')!.markdown, /^Urgent pointer 0\./);
  assert.match(explainToken('localAddress', '127.0.0.1:8080', 'en')!.markdown, /^\*\*8080\*\* HTTP \(alternate\)/);
  assert.match(explainToken('remoteAddress', '[::1]:ssh', 'en')!.markdown, /^\*\*22\*\* SSH/);
  assert.match(explainToken('srcEndpoint', '127.0.0.1.46548', 'en')!.markdown, /ephemeral range of Linux/);
  assert.match(explainToken('ssInfo', '0.24/0.112', 'en', { name: 'rtt' })!.markdown, /Smoothed RTT 0\.24 ms/);
  assert.match(explainToken('ssInfo', 'cwnd:10', 'en', { name: 'cwnd' })!.markdown, /10 segments/);
  assert.match(explainToken('timer', 'timer:(timewait,59sec,0)', 'en')!.markdown, /fires in 59 s/);
  assert.match(explainToken('option', 'TS val 1114579837 ecr 0', 'en')!.markdown, /Timestamps/);
  assert.equal(explainToken('remoteAddress', '0.0.0.0:*', 'en'), undefined);
  assert.equal(explainToken('time', '13:35:11.002394', 'en'), undefined);
});

test('endpointPort reads the port of every address style', () => {
  assert.equal(endpointPort('127.0.0.1:8080'), '8080');
  assert.equal(endpointPort('[::ffff:192.168.0.174]:48074'), '48074');
  assert.equal(endpointPort('::1.47368'), '47368');
  assert.equal(endpointPort('kbrazil-mac.attl.62979'), '62979');
  assert.equal(endpointPort('localhost:ssh'), 'ssh');
  assert.equal(endpointPort('*.*'), undefined);
  assert.equal(endpointPort('0.0.0.0:*'), undefined);
});

test('zhSpacing puts one space between Chinese and Latin, none between Chinese', () => {
  assert.equal(zhSpacing('是`ss`对RFC 9293的写法'), '是 `ss` 对 RFC 9293 的写法');
  assert.equal(zhSpacing('是 德语环境'), '是德语环境');
  assert.equal(zhSpacing('`ESTAB`：已建立'), '`ESTAB`：已建立');
});
