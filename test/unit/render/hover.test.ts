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
