import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  describeErrno,
  errnoByName,
  errnoByNumber,
  ERRNOS,
  findErrnos,
  lookupErrno,
} from '../../../src/core/knowledge/errno';
import { readFixture } from '../support';

// Linux asm-generic/errno.h numbers and Winsock codes, written out independently.
const LINUX: [string, number][] = [
  ['ECONNRESET', 104],
  ['ECONNREFUSED', 111],
  ['ETIMEDOUT', 110],
  ['EPIPE', 32],
  ['EADDRINUSE', 98],
  ['EADDRNOTAVAIL', 99],
  ['ECONNABORTED', 103],
  ['EHOSTUNREACH', 113],
  ['ENETUNREACH', 101],
  ['EAGAIN', 11],
  ['EINPROGRESS', 115],
  ['EMFILE', 24],
  ['ENFILE', 23],
  ['ENOBUFS', 105],
  ['ENOTCONN', 107],
  ['EISCONN', 106],
];
const WINDOWS: [string, number, string][] = [
  ['WSAECONNRESET', 10054, 'ECONNRESET'],
  ['WSAECONNREFUSED', 10061, 'ECONNREFUSED'],
  ['WSAETIMEDOUT', 10060, 'ETIMEDOUT'],
  ['WSAEADDRINUSE', 10048, 'EADDRINUSE'],
  ['WSAEADDRNOTAVAIL', 10049, 'EADDRNOTAVAIL'],
  ['WSAECONNABORTED', 10053, 'ECONNABORTED'],
  ['WSAEHOSTUNREACH', 10065, 'EHOSTUNREACH'],
  ['WSAENETUNREACH', 10051, 'ENETUNREACH'],
  ['WSAEWOULDBLOCK', 10035, 'EAGAIN'],
  ['WSAEMFILE', 10024, 'EMFILE'],
  ['WSAENOBUFS', 10055, 'ENOBUFS'],
  ['WSAENOTCONN', 10057, 'ENOTCONN'],
  ['WSAEISCONN', 10056, 'EISCONN'],
];

test('lookup by name and by Linux number', () => {
  for (const [name, n] of LINUX) {
    assert.equal(errnoByName(name)?.linux, n, name);
    assert.equal(errnoByNumber(n)?.name, name, String(n));
    assert.equal(lookupErrno(n)?.name, name);
    assert.equal(lookupErrno(String(n))?.name, name);
    assert.equal(lookupErrno(name.toLowerCase())?.name, name);
  }
  assert.equal(lookupErrno('EWOULDBLOCK')?.name, 'EAGAIN');
  assert.equal(lookupErrno(9999), undefined);
});

test('Windows twins by name and by code', () => {
  for (const [name, code, linux] of WINDOWS) {
    const e = errnoByName(name);
    assert.equal(e?.name, linux, name);
    assert.equal(e.windows?.code, code);
    assert.equal(lookupErrno(code)?.name, linux, String(code));
    assert.equal(lookupErrno(code, 'windows')?.name, linux);
  }
  assert.equal(lookupErrno(104, 'windows'), undefined);
});

test('BSD/macOS numbers on request', () => {
  assert.equal(lookupErrno(54, 'bsd')?.name, 'ECONNRESET');
  assert.equal(lookupErrno(61, 'bsd')?.name, 'ECONNREFUSED');
  assert.equal(lookupErrno(60, 'bsd')?.name, 'ETIMEDOUT');
  assert.equal(lookupErrno(35, 'bsd')?.name, 'EAGAIN');
});

test('lookup by message text, as runtimes print it', () => {
  const cases: [string, string][] = [
    ['Connection reset by peer', 'ECONNRESET'],
    ['read: connection reset by peer', 'ECONNRESET'],
    ['java.net.SocketException: Connection reset', 'ECONNRESET'],
    ['Error: socket hang up', 'ECONNRESET'],
    ['An existing connection was forcibly closed by the remote host.', 'ECONNRESET'],
    ['远程主机强迫关闭了一个现有的连接。', 'ECONNRESET'],
    ['connect: connection refused', 'ECONNREFUSED'],
    ['No connection could be made because the target machine actively refused it.', 'ECONNREFUSED'],
    ['由于目标计算机积极拒绝，无法连接。', 'ECONNREFUSED'],
    ['curl: (7) Failed to connect to 10.0.0.5 port 80: 拒绝连接', 'ECONNREFUSED'],
    ['dial tcp 10.0.0.5:5432: connect: connection timed out', 'ETIMEDOUT'],
    ['write: broken pipe', 'EPIPE'],
    ['BrokenPipeError: [Errno 32] Broken pipe', 'EPIPE'],
    ['listen tcp :8080: bind: address already in use', 'EADDRINUSE'],
    ['connect: cannot assign requested address', 'EADDRNOTAVAIL'],
    ['accept4: too many open files', 'EMFILE'],
    ['Too many open files in system', 'ENFILE'],
    ['No route to host', 'EHOSTUNREACH'],
    ['connect: network is unreachable', 'ENETUNREACH'],
    ['Software caused connection abort', 'ECONNABORTED'],
    ['Resource temporarily unavailable', 'EAGAIN'],
    ['Transport endpoint is not connected', 'ENOTCONN'],
    ['Error: connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'],
    ['OSError: [Errno 99] Cannot assign requested address', 'EADDRNOTAVAIL'],
    ['socket error errno=110', 'ETIMEDOUT'],
    ['Socket error 10054', 'ECONNRESET'],
  ];
  for (const [text, name] of cases) assert.equal(lookupErrno(text)?.name, name, text);
  assert.equal(lookupErrno('everything is fine'), undefined);
});

test('findErrnos returns positions, keeps the earliest longest match', () => {
  const text = 'ConnectionResetError: [Errno 104] Connection reset by peer';
  const found = findErrnos(text);
  assert.deepEqual(
    found.map((m) => [m.info.name, m.by, text.slice(m.start, m.end)]),
    [
      ['ECONNRESET', 'phrase', 'ConnectionResetError'],
      ['ECONNRESET', 'number', '104'],
      ['ECONNRESET', 'message', 'Connection reset by peer'],
    ],
  );
  const two = findErrnos('first ETIMEDOUT, then WSAECONNREFUSED');
  assert.deepEqual(two.map((m) => m.info.name), ['ETIMEDOUT', 'ECONNREFUSED']);
  assert.equal(findErrnos('Too many open files in system')[0]!.info.name, 'ENFILE');
});

test('real application logs from the refused-connection capture', () => {
  // Python prints ConnectionRefusedError(111, 'Connection refused'); OpenBSD nc prints "... failed: Connection refused".
  const py = readFixture('knowledge', 'refused_app_client_v4.log');
  const nc = readFixture('knowledge', 'refused_app_nc_v4.log');
  assert.equal(lookupErrno(py)?.name, 'ECONNREFUSED');
  assert.equal(lookupErrno(nc)?.name, 'ECONNREFUSED');
  const pyHits = findErrnos(py);
  assert.ok(pyHits.some((m) => m.by === 'phrase'));
  assert.ok(pyHits.some((m) => m.by === 'message'));
});

test('every entry says what happened in TCP and what to check, in both languages', () => {
  for (const e of ERRNOS) {
    assert.ok(e.tcpEvent.en.length > 20 && e.tcpEvent['zh-cn'].length > 5, e.name);
    assert.ok(e.check.en.length > 10 && e.check['zh-cn'].length > 5, e.name);
    assert.ok(e.message.length > 5);
  }
  const reset = describeErrno(errnoByName('ECONNRESET')!, 'en');
  assert.ok(reset.startsWith('`ECONNRESET` (Linux 104, macOS/FreeBSD 54): "Connection reset by peer"'));
  assert.ok(reset.includes('`WSAECONNRESET` (10054)'));
  assert.ok(reset.includes('**RST arrived**'));
  const zh = describeErrno(errnoByName('ECONNRESET')!, 'zh-cn');
  assert.ok(zh.includes('Windows 对应 `WSAECONNRESET`（10054）："远程主机强迫关闭了一个现有的连接"'));
});
