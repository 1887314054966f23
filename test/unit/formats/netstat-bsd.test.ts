// macOS / FreeBSD netstat reader on real output (jc's fixtures and a GitHub issue excerpt).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseText } from '../../../src/core/formats/detect';
import { netstatBsdReader } from '../../../src/core/formats/netstatBsd';
import { splitLines } from '../../../src/core/text';
import { readFixture } from '../support';

test('FreeBSD netstat -an: dot-joined ports, *.*, tcp4/tcp6/udp4/udp6, UDP with no state', () => {
  const text = readFixture('jc', 'freebsd12', 'netstat-an.out');
  const doc = parseText(text);
  assert.deepEqual(doc.blocks, [{ format: 'netstat-bsd', variant: 'freebsd netstat', firstLine: 0, lastLine: 7 }]);
  assert.deepEqual(doc.headerLines, [0, 1]);
  assert.deepEqual(doc.unparsed, []);
  assert.deepEqual(
    doc.sockets.map((r) => [r.proto, r.recvQ, r.sendQ, r.local, r.remote, r.stateText, r.state]),
    [
      ['tcp4', 0, 0, { address: '192.168.71.163', port: 22 }, { address: '192.168.71.1', port: 56321 }, 'ESTABLISHED', 'ESTABLISHED'],
      ['tcp4', 0, 0, { address: '127.0.0.1', port: 25 }, { address: '*', port: '*' }, 'LISTEN', 'LISTEN'],
      ['tcp4', 0, 0, { address: '*', port: 22 }, { address: '*', port: '*' }, 'LISTEN', 'LISTEN'],
      ['tcp6', 0, 0, { address: '*', port: 22 }, { address: '*', port: '*' }, 'LISTEN', 'LISTEN'],
      ['udp4', 0, 0, { address: '*', port: 514 }, { address: '*', port: '*' }, '', undefined],
      ['udp6', 0, 0, { address: '*', port: 514 }, { address: '*', port: '*' }, '', undefined],
    ],
  );
  // "Active UNIX domain sockets" (line 8) ends the block; its rows are not sockets of ours.
  assert.equal(splitLines(text)[8], 'Active UNIX domain sockets');
});

test('FreeBSD -A (Tcpcb), -T (Rexmit/OOORcv/0-win, blank for UDP), -P (Log ID), -x (buffers and timers)', () => {
  const aa = parseText(readFixture('jc', 'freebsd12', 'netstat-Aa.out')).sockets;
  assert.deepEqual([aa[0]!.info, aa[0]!.local, aa[0]!.remote], [{ Tcpcb: 'fffff80003df43d0' }, { address: '192.168.71.1', port: 'ssh' }, { address: '192.168.71.1', port: 56321 }]);
  assert.deepEqual(aa[1]!.local, { address: 'localhost', port: 'smtp' });

  const at = parseText(readFixture('jc', 'freebsd12', 'netstat-aT.out')).sockets;
  assert.deepEqual(
    at.map((r) => [r.proto, r.recvQ, r.sendQ, r.info, r.stateText]),
    [
      ['tcp4', undefined, undefined, { Rexmit: '3', OOORcv: '0', '0-win': '0' }, ''],
      ['tcp4', undefined, undefined, { Rexmit: '0', OOORcv: '0', '0-win': '0' }, ''],
      ['tcp4', undefined, undefined, { Rexmit: '0', OOORcv: '0', '0-win': '0' }, ''],
      ['tcp6', undefined, undefined, { Rexmit: '0', OOORcv: '0', '0-win': '0' }, ''],
      ['udp4', undefined, undefined, undefined, ''],
      ['udp6', undefined, undefined, undefined, ''],
    ],
  );
  assert.deepEqual(at[4]!.local, { address: '*', port: 'syslog' });

  const anp = parseText(readFixture('jc', 'freebsd12', 'netstat-AanP.out')).sockets;
  assert.deepEqual(anp[0]!.info, { Tcpcb: 'fffff80003df43d0', 'Log ID': '-' });
  assert.equal(anp[0]!.state, 'ESTABLISHED');

  const ax = parseText(readFixture('jc', 'freebsd12', 'netstat-Aax.out')).sockets;
  assert.equal(ax[0]!.stateText, '');
  assert.equal(ax[0]!.info!['R-HIWA'], '65700');
  assert.equal(ax[0]!.info!.keep, '5079.93');
  assert.equal(ax[4]!.info!['S-BMAX'], '73728');
  assert.equal(ax[4]!.info!.rexmt, undefined);
});

test('macOS netstat: resolved and truncated names, tcp46/udp46, icm4, CLOSE_WAIT with data queued', () => {
  const lines = splitLines(readFixture('jc', 'osx-10.14.6', 'netstat.out'));
  const doc = parseText(lines.join('\n'));
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.blocks[0]!.lastLine, 159); // "Active Multipath Internet connections" ends it
  const at = (line: number) => doc.sockets.find((r) => r.line === line)!;
  // `tcp4      31      0  kbrazil-mac.attl.62664 93.87.236.35.bc..sunpr CLOSE_WAIT`
  assert.deepEqual(
    [at(15).recvQ, at(15).local, at(15).remote, at(15).state],
    [31, { address: 'kbrazil-mac.attl', port: 62664 }, { address: '93.87.236.35.bc.', port: 'sunpr' }, 'CLOSE-WAIT'],
  );
  // `tcp6 ... fe80::aede:48ff:.61677 fe80::aede:48ff:.49617`: IPv6 cut to the column width, port after the dot.
  const v6 = doc.sockets.find((r) => r.local.address === 'fe80::aede:48ff:')!;
  assert.deepEqual([v6.local.port, v6.remote.port], [61677, 49617]);
  // grep '^udp46' netstat.out: *.61224 *.mdns *.mdns *.mdns *.mdns *.*
  assert.deepEqual(
    doc.sockets.filter((r) => r.proto === 'udp46').map((r) => r.local.port),
    [61224, 'mdns', 'mdns', 'mdns', 'mdns', '*'],
  );
  const icmp = doc.sockets.find((r) => r.proto === 'icm4')!;
  assert.deepEqual([icmp.recvQ, icmp.stateText, icmp.state], [8136, '', undefined]);
});

test('macOS -A (Socket, Flowhash) and -b (rxbytes, txbytes), UDP rows keep their byte counts', () => {
  const doc = parseText(readFixture('jc', 'osx-10.14.6', 'netstat-Abn.out'));
  assert.equal(doc.blocks[0]!.variant, 'macos netstat -A -b');
  const first = doc.sockets[0]!;
  assert.deepEqual(first.info, { Socket: '7fb03cb94d505aed', Flowhash: 'cedd0cbf', rxbytes: '4958', txbytes: '3996' });
  assert.deepEqual(first.local, { address: '192.168.1.221', port: 5486 });
  // `7fb03cb939ad73cd        0 icm4    8136      0  *.*   *.*   1325516          0`: no state, then the byte counts.
  const icmp = doc.sockets.find((r) => r.proto === 'icm4')!;
  assert.deepEqual([icmp.stateText, icmp.info], ['', { Socket: '7fb03cb939ad73cd', Flowhash: '0', rxbytes: '1325516', txbytes: '0' }]);
});

test('macOS netstat -v: pid column becomes the process; a row cut by the excerpt keeps what it has', () => {
  const doc = parseText(readFixture('sockets', 'public', 'macos', 'node-netstat_issue26_macos-mojave_netstat_-v_-n_-p_tcp_excerpt.txt'));
  assert.deepEqual(doc.blocks, [{ format: 'netstat-bsd', variant: 'macos netstat -v', firstLine: 1, lastLine: 10 }]);
  const cw = doc.sockets.filter((r) => r.state === 'CLOSE-WAIT');
  assert.deepEqual(
    cw.map((r) => [r.recvQ, r.local.port, r.remote, r.process, r.info!.options]),
    [
      [24, 52040, { address: '140.82.114.4', port: 443 }, { name: '', pid: 9811 }, '0x00000008'],
      [24, 52036, { address: '140.82.114.4', port: 443 }, { name: '', pid: 9811 }, '0x00000008'],
    ],
  );
  const cut = doc.sockets[doc.sockets.length - 1]!;
  assert.deepEqual([cut.line, cut.info], [10, { rhiwat: '131072', shiwat: '1324' }]);
  assert.equal(cut.process, undefined);
});

test('the reader starts on BSD titles, headers and dot-style rows only', () => {
  assert.equal(netstatBsdReader.startScore('Active Internet connections'), 2);
  assert.equal(netstatBsdReader.startScore('Active Internet connections (including servers)'), 2);
  assert.equal(netstatBsdReader.startScore('Active Internet connections (servers and established)'), 0);
  assert.equal(netstatBsdReader.startScore('Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)'), 2);
  assert.equal(netstatBsdReader.startScore('Proto Recv-Q Send-Q Local Address           Foreign Address         State'), 0);
  assert.equal(netstatBsdReader.startScore('tcp4       0      0  127.0.0.1.25           *.*                    LISTEN'), 1);
  assert.equal(netstatBsdReader.startScore('7fb03cb94bcb6475 4ca24b6e tcp4      31      0  192.168.1.221.5442 35.236.87.93.8081  CLOSE_WAIT'), 1);
  assert.equal(netstatBsdReader.startScore('tcp        0      0 127.0.0.1:8080          0.0.0.0:*               LISTEN'), 0);
  assert.equal(netstatBsdReader.startScore('fffff80003ab6100 stream      0      0                0 fffff80003ab6200'), 0);
  assert.equal(netstatBsdReader.startScore('           10001        1       -1        9        0   131072   131072 com.apple.flow-divert'), 0);
});
