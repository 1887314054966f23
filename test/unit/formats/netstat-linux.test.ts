// Linux net-tools / BusyBox netstat reader: exact fields on real output; synthetic lines say what they were built from.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { netstatLinuxReader } from '../../../src/core/formats/netstatLinux';
import type { SocketRow } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';
import { readFixture } from '../support';

function tokenTexts(lines: readonly string[], row: SocketRow): [string, string][] {
  return row.tokens.map((t) => [t.kind, lines[t.line]!.slice(t.start, t.end)]);
}

test('netstat -natp: header lines, rows, programs, "-" for sockets without one', () => {
  const text = readFixture('sockets', '13_ipv6_loopback/dual_stack_v4_mapped/snap_1_established', 'netstat_-natp.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.deepEqual(doc.blocks, [{ format: 'netstat-linux', variant: 'netstat -p', firstLine: 0, lastLine: 5 }]);
  assert.deepEqual(doc.headerLines, [0, 1]);
  assert.deepEqual(doc.unparsed, []);
  assert.deepEqual(
    doc.sockets.map((r) => [r.line, r.proto, r.local, r.remote, r.stateText, r.state, r.recvQ, r.sendQ, r.process]),
    [
      [2, 'tcp', { address: '127.0.0.1', port: 38388 }, { address: '127.0.0.1', port: 8081 }, 'ESTABLISHED', 'ESTABLISHED', 0, 0, { name: 'python3', pid: 731 }],
      [3, 'tcp6', { address: '::', port: 8081 }, { address: '::', port: '*' }, 'LISTEN', 'LISTEN', 0, 0, { name: 'python3', pid: 729 }],
      [4, 'tcp6', { address: '127.0.0.1', port: 8081 }, { address: '127.0.0.1', port: 38388 }, 'ESTABLISHED', 'ESTABLISHED', 0, 0, { name: 'python3', pid: 729 }],
      [5, 'tcp6', { address: '::1', port: 35552 }, { address: '::1', port: 8080 }, 'TIME_WAIT', 'TIME-WAIT', 0, 0, undefined],
    ],
  );
  assert.deepEqual(tokenTexts(lines, doc.sockets[3]!), [
    ['proto', 'tcp6'],
    ['recvQ', '0'],
    ['sendQ', '0'],
    ['localAddress', '::1:35552'],
    ['remoteAddress', '::1:8080'],
    ['state', 'TIME_WAIT'],
    ['process', '-'],
  ]);
});

test('net-tools state spellings: FIN_WAIT2, CLOSE_WAIT', () => {
  const doc = parseText(readFixture('sockets', '13_ipv6_loopback/v6_loopback/snap_2_client_fin_wait2_server_close_wait', 'netstat_-ant.txt'));
  assert.deepEqual(
    doc.sockets.map((r) => [r.stateText, r.state]),
    [
      ['LISTEN', 'LISTEN'],
      ['CLOSE_WAIT', 'CLOSE-WAIT'],
      ['FIN_WAIT2', 'FIN-WAIT-2'],
    ],
  );
});

test('netstat -aeep: resolved names, User and Inode, program names with blanks, raw and UDP rows', () => {
  const lines = splitLines(readFixture('jc', 'centos-7.7', 'netstat-sudo-aeep.out'));
  const doc = parseLines(lines);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.blocks[0]!.variant, 'netstat -e -p');
  // `tcp6 0 0 localhost:ssh localhost:38134 ESTABLISHED root 63129 6492/sshd: kbrazil`
  const ssh = doc.sockets.find((r) => r.line === 6)!;
  assert.deepEqual(ssh.local, { address: 'localhost', port: 'ssh' });
  assert.deepEqual(ssh.remote, { address: 'localhost', port: 38134 });
  assert.equal(ssh.state, 'ESTABLISHED');
  assert.deepEqual(ssh.process, { name: 'sshd: kbrazil', pid: 6492 });
  assert.deepEqual(ssh.info, { user: 'root', inode: '63129' });
  assert.deepEqual(
    tokenTexts(lines, ssh).filter(([k]) => k === 'user' || k === 'inode' || k === 'process'),
    [
      ['user', 'root'],
      ['inode', '63129'],
      ['process', '6492/sshd: kbrazil'],
    ],
  );
  // `udp 0 0 0.0.0.0:bootpc 0.0.0.0:* (blank state) root 20830 1029/dhclient`
  const dhcp = doc.sockets.find((r) => r.line === 8)!;
  assert.deepEqual([dhcp.proto, dhcp.stateText, dhcp.state, dhcp.local.port, dhcp.info!.user], ['udp', '', undefined, 'bootpc', 'root']);
  // `raw6 0 0 [::]:ipv6-icmp [::]:* 7 root 20819 878/NetworkManager`: raw prints its state as a number.
  const raw = doc.sockets.find((r) => r.proto === 'raw6')!;
  assert.deepEqual([raw.stateText, raw.state, raw.local, raw.process], ['7', undefined, { address: '::', port: 'ipv6-icmp' }, { name: 'NetworkManager', pid: 878 }]);
  // The Active UNIX domain sockets section is not TCP: it ends the block and nothing in it is read.
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.blocks[0]!.lastLine, 11);
  assert.equal(doc.sockets.length, 10);
});

test('UDP rows with an empty state; connected UDP keeps ESTABLISHED as text but no TCP state', () => {
  const noState = parseText(readFixture('jc', 'generic', 'netstat-no-state.out'));
  assert.deepEqual(
    noState.sockets.map((r) => [r.proto, r.local, r.stateText, r.state, r.process]),
    [
      ['udp', { address: '0.0.0.0', port: 5353 }, '', undefined, { name: 'avahi-daemon: r', pid: 442 }],
      ['udp', { address: '0.0.0.0', port: 49926 }, '', undefined, { name: 'avahi-daemon: r', pid: 442 }],
      ['udp6', { address: '::', port: 5353 }, '', undefined, { name: 'avahi-daemon: r', pid: 442 }],
      ['udp6', { address: '::', port: 35569 }, '', undefined, { name: 'avahi-daemon: r', pid: 442 }],
    ],
  );
  const fedora = parseText(readFixture('jc', 'fedora32', 'netstat.out'));
  assert.deepEqual(
    fedora.sockets.map((r) => [r.proto, r.local, r.remote, r.stateText, r.state]),
    [
      ['tcp', { address: 'localhost.localdoma', port: 'ssh' }, { address: '192.168.71.1', port: 52882 }, 'ESTABLISHED', 'ESTABLISHED'],
      ['udp', { address: 'localhost.locald', port: 'bootpc' }, { address: '192.168.71.254', port: 'bootps' }, 'ESTABLISHED', undefined],
    ],
  );
  assert.equal(fedora.blocks[0]!.lastLine, 3);
});

test('-o timers: off, on, keepalive, timewait, probe, unkn-N', () => {
  // The `on`/`timewait` rows are reference/formats.md's real lines; the others are fixture rows with each timer
  // kind net-tools prints (netstat.c: off/on/keepalive/timewait/probe/unkn-%d, "(%2.2f/%ld/%d)").
  const header = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name     Timer';
  const doc = parseLines([
    'Active Internet connections (servers and established)',
    header,
    'tcp        0      0 127.0.0.1:8080          0.0.0.0:*               LISTEN      16572/python3        off (0.00/0/0)',
    'tcp        0      1 10.10.11.210:49654      8.8.8.8:53              SYN_SENT    -                    on (0.30/2/0)',
    'tcp        0      0 127.0.0.1:8080          127.0.0.1:46548         ESTABLISHED 16572/python3        keepalive (7192.50/0/0)',
    'tcp6       0      0 192.168.5.2:80          10.10.14.8:51144        TIME_WAIT   -                    timewait (19.58/0/0)',
    'tcp        0     44 127.0.0.1:46548         127.0.0.1:8080          ESTABLISHED 16614/python3        probe (1.20/0/3)',
    'tcp        0      0 127.0.0.1:46550         127.0.0.1:8080          ESTABLISHED 16614/python3        unkn-5 (0.00/0/0)',
  ]);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.blocks[0]!.variant, 'netstat -p -o');
  assert.deepEqual(
    doc.sockets.map((r) => r.timer),
    [
      { kind: 'off', expiresMs: 0, retransmits: 0, text: 'off (0.00/0/0)' },
      { kind: 'on', expiresMs: 300, retransmits: 2, text: 'on (0.30/2/0)' },
      { kind: 'keepalive', expiresMs: 7_192_500, retransmits: 0, text: 'keepalive (7192.50/0/0)' },
      { kind: 'timewait', expiresMs: 19_580, retransmits: 0, text: 'timewait (19.58/0/0)' },
      { kind: 'probe', expiresMs: 1200, retransmits: 0, text: 'probe (1.20/0/3)' },
      { kind: 'unkn-5', expiresMs: 0, retransmits: 0, text: 'unkn-5 (0.00/0/0)' },
    ],
  );
  assert.deepEqual(doc.sockets[0]!.process, { name: 'python3', pid: 16572 });
  assert.equal(doc.sockets[1]!.process, undefined);
  assert.equal(doc.sockets[4]!.sendQ, 44);
  // Without -p: `netstat -ant -o` puts the timer right after the state.
  const bare = parseLines(['tcp        0      1 10.10.11.210:49654      8.8.8.8:53              SYN_SENT    on (0.30/2/0)']);
  assert.deepEqual(bare.sockets[0]!.timer, { kind: 'on', expiresMs: 300, retransmits: 2, text: 'on (0.30/2/0)' });
});

test('translated state names: VERBUNDEN is ESTABLISHED, an unknown word is kept and not counted', () => {
  // The fixture's rows with the state column as a German-locale net-tools prints it (po/de.po: VERBUNDEN), and one
  // with a word we have no translation for.
  const lines = splitLines(readFixture('sockets', '01_normal_client_close/four_way/snap_1_established', 'netstat_-ant.txt'));
  const doc = parseLines([lines[0]!, lines[1]!, lines[3]!.replace('ESTABLISHED', 'VERBUNDEN  '), lines[4]!.replace('ESTABLISHED', 'ESTABELECIDA')]);
  assert.deepEqual(doc.unparsed, []);
  assert.deepEqual(
    doc.sockets.map((r) => [r.stateText, r.state, r.local.port]),
    [
      ['VERBUNDEN', 'ESTABLISHED', 8080],
      ['ESTABELECIDA', undefined, 46548],
    ],
  );
});

test('BusyBox: recognised by its header padding or tcp rows with IPv6 addresses', () => {
  const doc = parseText(readFixture('sockets', 'public', 'busybox', 'rt2860v2-openwrt_issue11_mt7688_netstat_-an_excerpt.txt'));
  assert.equal(doc.blocks[0]!.variant, 'busybox netstat');
  assert.deepEqual(
    doc.sockets.filter((r) => r.proto === 'raw').map((r) => [r.stateText, r.local]),
    [
      ['2', { address: '0.0.0.0', port: 2 }],
      ['2', { address: '0.0.0.0', port: 2 }],
      ['2', { address: '0.0.0.0', port: 2 }],
    ],
  );
  // BusyBox prints `tcp` for an IPv6 socket (formats.md); net-tools would print tcp6.
  const v6 = parseLines(['tcp        0      0 :::22                   :::*                    LISTEN      ']);
  assert.equal(v6.blocks[0]!.variant, 'busybox netstat');
  assert.deepEqual(v6.sockets[0]!.local, { address: '::', port: 22 });
  const netTools = parseText(readFixture('jc', 'ubuntu-18.04', 'netstat-sudo-lnp-space.out'));
  assert.equal(netTools.blocks[0]!.variant, 'netstat -p');
});

test('garbled lines inside a block are listed; the block goes on', () => {
  const lines = splitLines(readFixture('sockets', '01_normal_client_close/four_way/snap_1_established', 'netstat_-natp.txt'));
  const doc = parseLines([
    lines[0]!,
    lines[1]!,
    lines[2]!,
    'tcp        0      0 127.0.0.1:8080', // cut short
    'tcp        x      0 127.0.0.1:8080          127.0.0.1:46548         ESTABLISHED 16572/python3',
    'tcp        0      0 127.0.0.1:8080          127.0.0.1:46548         ESTABLISHED garbage here',
    'tcp        0      0 127.0.0.1.8080          127.0.0.1.46548         ESTABLISHED 16572/python3',
    lines[3]!,
    '%%%% \u0000\u0007 %%%%',
    lines[4]!,
  ]);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [3, 4, 5, 6, 8],
  );
  assert.deepEqual(
    doc.sockets.map((r) => r.line),
    [2, 7, 9],
  );
  assert.equal(doc.blocks.length, 1);
});

test('a 100k-character line does not throw', () => {
  const lines = splitLines(readFixture('sockets', '01_normal_client_close/four_way/snap_1_established', 'netstat_-natp.txt'));
  const long = lines[3]! + ' x'.repeat(50_000);
  const doc = parseLines([lines[0]!, lines[1]!, lines[2]!, long, lines[4]!]);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [3],
  );
  assert.equal(doc.sockets.length, 2);
  assert.doesNotThrow(() => parseLines(['tcp ' + '0 '.repeat(60_000)]));
  assert.doesNotThrow(() => parseLines(['tcp        0      0 ' + ':'.repeat(100_000)]));
});

test('the reader starts on net-tools titles, headers and rows only', () => {
  assert.equal(netstatLinuxReader.startScore('Active Internet connections (servers and established)'), 2);
  assert.equal(netstatLinuxReader.startScore('Active Internet connections (w/o servers)'), 2);
  assert.equal(netstatLinuxReader.startScore('Active Internet connections'), 0); // BSD's bare title
  assert.equal(netstatLinuxReader.startScore('Active Internet connections (including servers)'), 0);
  assert.equal(netstatLinuxReader.startScore('Proto Recv-Q Send-Q Local Address           Foreign Address         State'), 2);
  assert.equal(netstatLinuxReader.startScore('Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)'), 0);
  assert.equal(netstatLinuxReader.startScore('tcp6       0      0 :::22                   :::*                    LISTEN'), 1);
  assert.equal(netstatLinuxReader.startScore('tcp4       0      0  127.0.0.1.25           *.*                    LISTEN'), 0);
  assert.equal(netstatLinuxReader.startScore('tcp6       0      0 *.22                   *.*                    LISTEN'), 0);
  assert.equal(netstatLinuxReader.startScore('unix  2      [ ACC ]     STREAM     LISTENING     8981     /run/systemd/journal/stdout'), 0);
  assert.equal(netstatLinuxReader.startScore('Tcp:'), 0);
  assert.equal(netstatLinuxReader.startScore('    7 segments received'), 0);
});
