// Windows netstat reader on real output: English (jc's Windows 10 fixtures, CRLF) and zh-CN (GitHub issue excerpts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { netstatWindowsReader } from '../../../src/core/formats/netstatWindows';
import { splitLines } from '../../../src/core/text';
import { readFixture } from '../support';

test('netstat -ano: CRLF, blank line and title, two-space indent, LISTENING, [::]:0, PID', () => {
  const text = readFixture('jc', 'windows-10', 'netstat-aon.out');
  assert.ok(text.includes('\r\n'));
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.deepEqual(doc.blocks, [{ format: 'netstat-windows', variant: 'windows netstat -o', firstLine: 1, lastLine: 211 }]);
  assert.deepEqual(doc.headerLines, [1, 3]);
  assert.deepEqual(doc.unparsed, []);
  const first = doc.sockets[0]!;
  assert.deepEqual(
    [first.line, first.proto, first.local, first.remote, first.stateText, first.state, first.process, first.recvQ],
    [4, 'tcp', { address: '0.0.0.0', port: 135 }, { address: '0.0.0.0', port: 0 }, 'LISTENING', 'LISTEN', { name: '', pid: 1712 }, undefined],
  );
  assert.deepEqual(
    first.tokens.map((t) => [t.kind, lines[t.line]!.slice(t.start, t.end)]),
    [
      ['proto', 'TCP'],
      ['localAddress', '0.0.0.0:135'],
      ['remoteAddress', '0.0.0.0:0'],
      ['state', 'LISTENING'],
      ['process', '1712'],
    ],
  );
  const v6 = doc.sockets.find((r) => r.local.address === '::')!;
  assert.deepEqual([v6.local, v6.remote, v6.state], [{ address: '::', port: 135 }, { address: '::', port: 0 }, 'LISTEN']);
  // `  UDP    [fe80::244e:2f1e:2096:62b2%9]:1900  *:*      8844`: no state, zone inside the brackets.
  const udp = doc.sockets.find((r) => r.line === 210)!;
  assert.deepEqual(
    [udp.proto, udp.local, udp.remote, udp.stateText, udp.state, udp.process],
    ['udp', { address: 'fe80::244e:2f1e:2096:62b2', port: 1900, zone: '9' }, { address: '*', port: '*' }, '', undefined, { name: '', pid: 8844 }],
  );
});

test('netstat -an and plain netstat: no PID column; resolved peer names', () => {
  const an = parseText(readFixture('jc', 'windows-10', 'netstat-an.out'));
  assert.equal(an.blocks[0]!.variant, 'windows netstat');
  assert.equal(an.sockets.filter((r) => r.process !== undefined).length, 0);
  assert.equal(an.sockets.filter((r) => r.proto === 'udp' && r.stateText === '').length, an.sockets.filter((r) => r.proto === 'udp').length);
  const plain = parseText(readFixture('jc', 'windows-10', 'netstat.out'));
  assert.deepEqual(plain.sockets[0]!.remote, { address: 'api', port: 1032 });
  assert.equal(plain.sockets.length, 32);
});

test('netstat -anob: owner lines belong to the row above', () => {
  const text = readFixture('jc', 'windows-10', 'netstat-aonb.out');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.blocks[0]!.variant, 'windows netstat -o -b');
  const [rpc, hostd, system] = doc.sockets;
  // `  TCP 0.0.0.0:135 ... 1712` / `  RpcSs` / ` [svchost.exe]`
  assert.deepEqual([rpc!.line, rpc!.lastLine, rpc!.process, rpc!.info], [4, 6, { name: 'svchost.exe', pid: 1712 }, { service: 'RpcSs', owner: 'svchost.exe' }]);
  assert.deepEqual(
    rpc!.tokens.filter((t) => t.line > 4).map((t) => [t.kind, t.name, lines[t.line]!.slice(t.start, t.end)]),
    [
      ['process', 'service', 'RpcSs'],
      ['process', 'owner', '[svchost.exe]'],
    ],
  );
  assert.deepEqual([hostd!.line, hostd!.lastLine, hostd!.process], [7, 8, { name: 'vmware-hostd.exe', pid: 9396 }]);
  // PID 4 (System): `Can not obtain ownership information`; the PID stays, no name is invented.
  assert.deepEqual([system!.line, system!.lastLine, system!.process, system!.info], [9, 10, { name: '', pid: 4 }, { owner: 'Can not obtain ownership information' }]);
  // The last row: UDP with a zone, then SSDPSRV and [svchost.exe] on the last two lines.
  const last = doc.sockets[doc.sockets.length - 1]!;
  let lastText = lines.length - 1;
  while (lines[lastText]!.trim() === '') lastText--;
  assert.equal(lines[lastText], ' [svchost.exe]');
  assert.deepEqual([last.lastLine, last.process, last.info], [lastText, { name: 'svchost.exe', pid: 8844 }, { service: 'SSDPSRV', owner: 'svchost.exe' }]);
  assert.equal(doc.sockets.length, 318);
});

test('zh-CN: Chinese title and column header, rows read, the row cut by the excerpt listed', () => {
  const text = readFixture('sockets', 'public', 'windows_zh-CN', 'billfeller_issue174_netstat_help_and_-ano_excerpt.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.equal(lines[41], '活动连接');
  assert.deepEqual(doc.blocks, [{ format: 'netstat-windows', variant: 'windows netstat -o (zh-cn)', firstLine: 41, lastLine: 46 }]);
  // The prompt lines (1: netstat /?, 39: netstat -ano) and the Chinese title and header are furniture; the help
  // text between them is nobody's block.
  assert.deepEqual(doc.headerLines, [1, 39, 41, 43]);
  assert.deepEqual(
    doc.sockets.map((r) => [r.line, r.local, r.remote, r.stateText, r.state, r.process]),
    [
      [44, { address: '127.0.0.1', port: 8411 }, { address: '127.0.0.1', port: 58296 }, 'TIME_WAIT', 'TIME-WAIT', { name: '', pid: 0 }],
      [45, { address: '127.0.0.1', port: 8411 }, { address: '127.0.0.1', port: 58298 }, 'TIME_WAIT', 'TIME-WAIT', { name: '', pid: 0 }],
    ],
  );
  assert.deepEqual(doc.unparsed, [{ line: 46, text: '  TCP    127.0.0' }]);

  const ssr = parseText(readFixture('sockets', 'public', 'windows_zh-CN', 'shadowsocksr-csharp_issue6_netstat_-ano_close_wait_excerpt.txt'));
  const closeWait = ssr.sockets.filter((r) => r.state === 'CLOSE-WAIT');
  assert.deepEqual(
    closeWait.map((r) => [r.local.port, r.remote.port, r.process?.pid]),
    [
      [1080, 49456, 6176],
      [1080, 49458, 6176],
      [1080, 49459, 6176],
      [1080, 49460, 6176],
    ],
  );
  assert.equal(ssr.sockets.filter((r) => r.state === 'LISTEN').length, 13);
});

test('garbled lines inside a block are listed; indented chatter after a row is not an owner line', () => {
  const lines = splitLines(readFixture('jc', 'windows-10', 'netstat-aon.out'));
  const doc = parseLines([
    ...lines.slice(0, 6),
    '  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4      extra',
    '  TCP    0.0.0.0:445            garbage                LISTENING       4',
    '  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       notapid',
    '  TCP    0.0.0.0:445            0.0.0.0:0',
    '  this is not an owner line, it has words',
    lines[6]!,
  ]);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    doc.sockets.map((r) => r.line),
    [4, 5, 11],
  );
  assert.doesNotThrow(() => parseLines(['  TCP    ' + '['.repeat(100_000)]));
  assert.doesNotThrow(() => parseLines([lines[3]!, lines[4]!, ' [' + 'x'.repeat(100_000) + ']']));
});

test('the reader starts on Windows titles, headers and rows only', () => {
  assert.equal(netstatWindowsReader.startScore('Active Connections'), 2);
  assert.equal(netstatWindowsReader.startScore('活动连接'), 2);
  assert.equal(netstatWindowsReader.startScore('  Proto  Local Address          Foreign Address        State           PID'), 2);
  assert.equal(netstatWindowsReader.startScore('  协议  本地地址          外部地址        状态           PID'), 2);
  assert.equal(netstatWindowsReader.startScore('  TCP    [::]:135               [::]:0                 LISTENING       1712'), 1);
  assert.equal(netstatWindowsReader.startScore('  UDP    0.0.0.0:53             *:*'), 1);
  assert.equal(netstatWindowsReader.startScore('Proto Recv-Q Send-Q Local Address           Foreign Address         State'), 0);
  assert.equal(netstatWindowsReader.startScore('TCP       2         2         0'), 0);
  assert.equal(netstatWindowsReader.startScore('  -p proto      显示 proto 指定的协议的连接'), 0);
});
