import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeSocketOption, socketOptionInfo, SOCKET_OPTIONS } from '../../../src/core/knowledge/socketOptions';
import { sysctlInfo } from '../../../src/core/knowledge/sysctl';

const REQUIRED = [
  'SO_LINGER',
  'TCP_NODELAY',
  'TCP_QUICKACK',
  'SO_KEEPALIVE',
  'TCP_KEEPIDLE',
  'TCP_KEEPINTVL',
  'TCP_KEEPCNT',
  'SO_REUSEADDR',
  'SO_REUSEPORT',
  'TCP_USER_TIMEOUT',
  'SO_RCVBUF',
  'SO_SNDBUF',
  'TCP_DEFER_ACCEPT',
  'TCP_FASTOPEN',
];

test('every option is there with a C snippet that sets it, and texts in both languages', () => {
  for (const name of REQUIRED) {
    const o = socketOptionInfo(name);
    assert.ok(o, name);
    assert.ok(o.code.c, `${name} has no C snippet`);
    assert.ok(o.code.c.includes(`${o.level}, ${name}`), `${name}: C snippet does not call setsockopt(fd, ${o.level}, ${name}, ...)`);
    for (const f of ['what', 'seenAs', 'when', 'caution'] as const) {
      assert.ok(o[f].en.length > 5 && o[f]['zh-cn'].length > 2, `${name}.${f}`);
    }
    for (const k of o.sysctls) assert.ok(sysctlInfo(k), `${name} names unknown sysctl ${k}`);
    if (o.code.python) assert.ok(o.code.python.includes(`socket.${name}`), `${name}: Python snippet`);
  }
  assert.equal(new Set(SOCKET_OPTIONS.map((o) => o.name)).size, SOCKET_OPTIONS.length);
  assert.equal(socketOptionInfo('so_linger')?.name, 'SO_LINGER');
  assert.equal(socketOptionInfo('SO_NOTHING'), undefined);
});

test('SO_LINGER 0 is explained as an RST abort', () => {
  const o = socketOptionInfo('SO_LINGER')!;
  assert.match(o.what.en, /timeout 0: `close\(\)` aborts: it discards unsent data and sends RST/);
  assert.match(o.seenAs.en, /`\[R\.\]` instead of `\[F\.\]`/);
  const md = describeSocketOption(o, 'en');
  assert.ok(md.includes('```c\nstruct linger lg = { .l_onoff = 1, .l_linger = 0 };'));
  assert.ok(md.includes('```go\nconn.(*net.TCPConn).SetLinger(0)\n```'));
  assert.ok(md.includes('```java\nsocket.setSoLinger(true, 0);\n```'));
  assert.ok(md.includes('```js\nsocket.resetAndDestroy();'));
  assert.ok(describeSocketOption(o, 'zh-cn').includes('**在抓包和套接字表中：**'));
});
