// ss reader: exact fields on real captures, plus lines built from real ones where a capture lacks the case
// (each synthetic line says what it was built from).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { ssReader } from '../../../src/core/formats/ss';
import { ssDurationMs, ssTimer } from '../../../src/core/formats/socketCommon';
import type { SocketRow } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';
import { readFixture } from '../support';

const snap = (scenario: string, file: string): string => readFixture('sockets', scenario, file);

function tokenText(lines: readonly string[], row: SocketRow, kind: string, name?: string): string[] {
  return row.tokens
    .filter((t) => t.kind === kind && (name === undefined || t.name === name))
    .map((t) => lines[t.line]!.slice(t.start, t.end));
}

test('timer expiry units as print_ms_timer prints them', () => {
  assert.equal(ssDurationMs('59sec'), 59_000);
  assert.equal(ssDurationMs('1min23sec'), 83_000);
  assert.equal(ssDurationMs('12min'), 720_000);
  assert.equal(ssDurationMs('118min'), 7_080_000);
  // seconds '.' milliseconds 'ms': 6.060ms is 6 s + 60 ms, not 6.06 ms (README_COMMON.txt, ss.c print_ms_timer).
  assert.equal(ssDurationMs('6.060ms'), 6060);
  assert.equal(ssDurationMs('1.595ms'), 1595);
  assert.equal(ssDurationMs('020ms'), 20);
  assert.equal(ssDurationMs('999ms'), 999);
  assert.equal(ssDurationMs(''), 0);
  assert.equal(ssDurationMs('2h'), 7_200_000);
  assert.equal(ssDurationMs('1d'), 86_400_000);
  assert.equal(ssDurationMs('sec'), undefined);
  assert.equal(ssDurationMs('5parsecs'), undefined);
  assert.equal(ssDurationMs('6.ms'), undefined);
});

test('timer items: kind, expiry, retransmissions', () => {
  assert.deepEqual(ssTimer('timer:(on,,0)'), { kind: 'on', expiresMs: 0, retransmits: 0, text: 'timer:(on,,0)' });
  assert.deepEqual(ssTimer('timer:(on,6.060ms,3)'), { kind: 'on', expiresMs: 6060, retransmits: 3, text: 'timer:(on,6.060ms,3)' });
  assert.deepEqual(ssTimer('timer:(on,020ms,0)'), { kind: 'on', expiresMs: 20, retransmits: 0, text: 'timer:(on,020ms,0)' });
  assert.deepEqual(ssTimer('timer:(keepalive,29sec,0)')?.expiresMs, 29_000);
  assert.deepEqual(ssTimer('timer:(keepalive,1min23sec,0)')?.expiresMs, 83_000);
  assert.deepEqual(ssTimer('timer:(persist,1.200ms,2)'), { kind: 'persist', expiresMs: 1200, retransmits: 2, text: 'timer:(persist,1.200ms,2)' });
  assert.equal(ssTimer('timer:(on,5zz,0)'), undefined);
  assert.equal(ssTimer('timer:(on,5sec)'), undefined);
});

test('ss -tanoie: -e items on the row, -i items on the tab line attached to it', () => {
  const text = snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  assert.deepEqual(doc.blocks, [{ format: 'ss', variant: 'ss -e -i', firstLine: 0, lastLine: 6 }]);
  assert.deepEqual(doc.headerLines, [0]);
  assert.equal(doc.sockets.length, 3);
  const [listen, server, client] = doc.sockets as [SocketRow, SocketRow, SocketRow];

  assert.equal(listen.line, 1);
  assert.equal(listen.lastLine, 2);
  assert.equal(listen.stateText, 'LISTEN');
  assert.equal(listen.state, 'LISTEN');
  // LISTEN: Recv-Q is the accept queue now, Send-Q the backlog (16 here).
  assert.equal(listen.recvQ, 0);
  assert.equal(listen.sendQ, 16);
  assert.deepEqual(listen.local, { address: '127.0.0.1', port: 8080 });
  assert.deepEqual(listen.remote, { address: '0.0.0.0', port: '*' });
  assert.deepEqual(listen.info, { ino: '42691', sk: '1010', cgroup: 'unreachable:1', shutdown: '<->', cc: 'bbr', cwnd: '10' });

  assert.equal(server.line, 3);
  assert.equal(server.lastLine, 4);
  assert.deepEqual(server.remote, { address: '127.0.0.1', port: 46548 });
  assert.equal(server.info!.rtt, '0.032/0.026');
  assert.equal(server.info!.wscale, '10,10');
  assert.equal(server.info!.bytes_received, '8');
  assert.equal(server.info!.send, '90112000000bps');
  assert.equal(server.info!.pacing_rate, '325725462640bps');
  assert.equal(server.info!.bbr, '(bw:2759406248bps,mrtt:0.023,pacing_gain:2.88672,cwnd_gain:2.88672)');
  assert.equal(server.info!.app_limited, 'app_limited');
  assert.equal(server.info!.busy, '4ms');
  assert.equal(server.info!.snd_wnd, '65536');
  assert.deepEqual(tokenText(lines, server, 'ssInfo', 'send'), ['send 90112000000bps']);
  assert.deepEqual(tokenText(lines, server, 'ssInfo', 'rtt'), ['rtt:0.032/0.026']);
  assert.deepEqual(tokenText(lines, server, 'ssInfo', 'ino'), ['ino:42693']);
  assert.deepEqual(tokenText(lines, server, 'localAddress'), ['127.0.0.1:8080']);
  assert.deepEqual(tokenText(lines, server, 'state'), ['ESTAB']);
  // Every -i item on line 4 is a token of the row; none of them is unparsed.
  const onInfoLine = server.tokens.filter((t) => t.line === 4);
  // One token per blank-separated word, except `send X`, `pacing_rate X`, `delivery_rate X`: one token per pair.
  assert.equal(onInfoLine.length, lines[4]!.trim().split(/ +/).length - 3);
  assert.equal(client.info!.minrtt, '0.014');
  assert.equal(client.lastLine, 6);
});

test('ss -tanoie: timers, shutdown markers, v4-mapped and IPv6 addresses', () => {
  const closing = parseText(snap('01_normal_client_close/four_way/snap_2_client_closed_server_not_yet', 'ss_-tanoie.txt'));
  const fw2 = closing.sockets.find((r) => r.stateText === 'FIN-WAIT-2')!;
  assert.equal(fw2.state, 'FIN-WAIT-2');
  assert.deepEqual(fw2.local, { address: '127.0.0.1', port: 46548 });
  assert.deepEqual(fw2.timer, { kind: 'timewait', expiresMs: 59_000, retransmits: 0, text: 'timer:(timewait,59sec,0)' });
  assert.equal(fw2.process, undefined);
  const cw = closing.sockets.find((r) => r.stateText === 'CLOSE-WAIT')!;
  assert.equal(cw.info!.shutdown, '-->');
  assert.equal(closing.blocks[0]!.variant, 'ss -o -e -i');

  const dual = parseText(snap('13_ipv6_loopback/dual_stack_v4_mapped/snap_1_established', 'ss_-tanoie.txt'));
  assert.deepEqual(
    dual.sockets.map((r) => [r.stateText, r.local, r.remote]),
    [
      ['ESTAB', { address: '127.0.0.1', port: 38388 }, { address: '127.0.0.1', port: 8081 }],
      ['LISTEN', { address: '*', port: 8081 }, { address: '*', port: '*' }],
      ['ESTAB', { address: '::ffff:127.0.0.1', port: 8081 }, { address: '::ffff:127.0.0.1', port: 38388 }],
      ['TIME-WAIT', { address: '::1', port: 35552 }, { address: '::1', port: 8080 }],
    ],
  );
  assert.equal(dual.sockets[1]!.info!.v6only, '0');
  const v6 = parseText(snap('13_ipv6_loopback/v6_loopback/snap_1_established', 'ss_-tanoie.txt'));
  assert.deepEqual(v6.sockets[0]!.remote, { address: '::', port: '*' });
});

test('ss -tanp: first user of users:(...) is the process', () => {
  const doc = parseText(snap('05_half_close/snap_1_client_fin_sent_server_still_sending', 'ss_-tanp.txt'));
  assert.deepEqual(
    doc.sockets.map((r) => [r.stateText, r.process]),
    [
      ['LISTEN', { name: 'python3', pid: 17747 }],
      ['FIN-WAIT-2', { name: 'python3', pid: 17750 }],
      ['CLOSE-WAIT', { name: 'python3', pid: 17747 }],
    ],
  );
  assert.equal(doc.blocks[0]!.variant, 'ss -p');
  // Several users: the first one is the row's process, all of them stay in info.users.
  const wide = parseText(readFixture('jc', 'generic', 'ss-wide.out'));
  const smtp = wide.sockets.find((r) => r.local.port === 587 && r.local.address === '0.0.0.0')!;
  assert.deepEqual(smtp.process, { name: 'master', pid: 1978854 });
  assert.ok(smtp.info!.users!.startsWith('(("master",pid=1978854,fd=86),("smtpd",pid=320188,fd=6)'));
  assert.equal(smtp.info!.cgroup, '/system.slice/system-postfix.slice/postfix@-.service');
});

test("glued header 'Peer Address:PortProcess' is a header", () => {
  const text = snap('01_normal_client_close/four_way/snap_3_both_closed', 'ss_-tanoie.txt');
  assert.ok(splitLines(text)[0]!.includes('Peer Address:PortProcess'));
  const doc = parseText(text);
  assert.deepEqual(doc.headerLines, [0]);
  assert.deepEqual(doc.sockets.map((r) => [r.line, r.stateText, r.local.port, r.timer?.expiresMs]), [[1, 'TIME-WAIT', 46548, 59_000]]);
});

test('-H: no header, columns inferred from the first words', () => {
  // The rows of ss_-tanp.txt (05_half_close) without their header line, as `ss -Htanp` prints them.
  const rows = splitLines(snap('05_half_close/snap_1_client_fin_sent_server_still_sending', 'ss_-tanp.txt')).slice(1);
  const doc = parseLines(rows);
  assert.deepEqual(doc.unparsed, []);
  assert.deepEqual(doc.blocks, [{ format: 'ss', variant: 'ss -H -p', firstLine: 0, lastLine: 2 }]);
  assert.deepEqual(
    doc.sockets.map((r) => [r.stateText, r.local.port, r.remote.port]),
    [
      ['LISTEN', 8080, '*'],
      ['FIN-WAIT-2', 57206, 8080],
      ['CLOSE-WAIT', 8080, 57206],
    ],
  );
  // `ss -Htn state established`: neither Netid nor State; just the queues and the endpoints.
  const noState = parseLines(['0      0          127.0.0.1:8080     127.0.0.1:46548', '0      0          127.0.0.1:46548    127.0.0.1:8080']);
  assert.deepEqual(noState.unparsed, []);
  assert.deepEqual(
    noState.sockets.map((r) => [r.proto, r.stateText, r.state, r.local.port, r.remote.port]),
    [
      ['tcp', '', undefined, 8080, 46548],
      ['tcp', '', undefined, 46548, 8080],
    ],
  );
  // `ss -Hantup`: Netid and State (the row of reference/formats.md, from a real ss -tulpen).
  const both = parseLines([
    'tcp   LISTEN   0        4096               0.0.0.0:9187           0.0.0.0:*      users:(("prometheus-post",pid=1671,fd=3)) uid:128 ino:32721 sk:10 <->',
  ]);
  const r = both.sockets[0]!;
  assert.deepEqual([r.proto, r.state, r.recvQ, r.sendQ, r.process, r.info!.uid], ['tcp', 'LISTEN', 0, 4096, { name: 'prometheus-post', pid: 1671 }, '128']);
});

test('-O: the -i items on the row line itself', () => {
  // ss -O prints the second line's items after the first line's, with no newline (ss.c: `if (!oneline) out("\n\t")`).
  const lines = splitLines(snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt'));
  const oneLine = [lines[0]!, lines[3]! + lines[4]!.slice(1), lines[5]! + lines[6]!.slice(1)];
  const doc = parseLines(oneLine);
  assert.deepEqual(doc.unparsed, []);
  assert.equal(doc.blocks[0]!.variant, 'ss -e -O');
  const [a, b] = doc.sockets as [SocketRow, SocketRow];
  assert.equal(a.line, 1);
  assert.equal(a.lastLine, 1);
  assert.equal(a.info!.rtt, '0.032/0.026');
  assert.equal(a.info!.ino, '42693');
  assert.equal(b.info!.rtt, '0.043/0.024');
  assert.deepEqual(tokenText(oneLine, a, 'ssInfo', 'delivery_rate'), ['delivery_rate 2759410520bps']);
});

test('IPv6 zone and interface suffixes: %lo, [::]:*', () => {
  const doc = parseText(readFixture('jc', 'ubuntu-18.04', 'ss-sudo-tulpen.out'));
  const resolver = doc.sockets.find((r) => r.proto === 'tcp' && r.local.zone === 'lo')!;
  assert.deepEqual(resolver.local, { address: '127.0.0.53', port: 53, zone: 'lo' });
  assert.deepEqual(resolver.process, { name: 'systemd-resolve', pid: 1117 });
  assert.equal(resolver.info!.uid, '101');
  const virbr = doc.sockets.find((r) => r.local.zone === 'virbr0')!;
  assert.deepEqual(virbr.local, { address: '0.0.0.0', port: 67, zone: 'virbr0' });
});

test('ss -a: unix, netlink and packet rows are read but carry no TCP state', () => {
  const lines = splitLines(readFixture('jc', 'centos-7.7', 'ss-sudo-a.out'));
  const doc = parseLines(lines);
  assert.deepEqual(doc.unparsed, []);
  const byLine = new Map(doc.sockets.map((r) => [r.line, r]));
  // line 44: `u_dgr  UNCONN 0 0 /run/systemd/notify 8971   * 0`
  assert.deepEqual(
    [byLine.get(44)!.proto, byLine.get(44)!.local, byLine.get(44)!.remote],
    ['u_dgr', { address: '/run/systemd/notify', port: 8971 }, { address: '*', port: 0 }],
  );
  // line 41: `nl  UNCONN 0 0 genl:NetworkManager/878  *`: the owner process of a netlink socket.
  assert.deepEqual(byLine.get(41)!.local, { address: 'genl', port: 'NetworkManager/878' });
  assert.deepEqual(byLine.get(41)!.process, { name: 'NetworkManager', pid: 878 });
  // line 43: `p_raw UNCONN 0 0 *:ens33 *`: the interface is the zone.
  assert.deepEqual(byLine.get(43)!.local, { address: '*', port: '', zone: 'ens33' });
  const unixEstab = doc.sockets.filter((r) => r.proto === 'u_str' && r.stateText === 'ESTAB');
  assert.ok(unixEstab.length > 0);
  for (const r of unixEstab) assert.equal(r.state, undefined);
  const tcpEstab = doc.sockets.filter((r) => r.proto === 'tcp' && r.stateText === 'ESTAB');
  assert.deepEqual(
    tcpEstab.map((r) => [r.state, r.local, r.remote]),
    [
      ['ESTABLISHED', { address: '::1', port: 'ssh' }, { address: '::1', port: 38134 }],
      ['ESTABLISHED', { address: '::1', port: 38134 }, { address: '::1', port: 'ssh' }],
    ],
  );
});

test('garbled and hostile lines inside a block are listed, not read, and never throw', () => {
  const lines = splitLines(snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanp.txt'));
  const hostile = [
    lines[0]!,
    lines[1]!,
    'ESTAB  0      0          127.0.0.1:8080', // cut after the local address
    'ESTAB  x      0          127.0.0.1:8080     127.0.0.1:46548',
    'ESTAB  0      0          127.0.0.1:8080     127.0.0.1:46548 timer:(on,banana,0)',
    'LISTEN 0      16         127.0.0.1:8080       0.0.0.0:*     users:((',
    lines[2]!,
    '\t rtt:(((((((((((((((((((((((((',
    lines[3]!,
  ];
  const doc = parseLines(hostile);
  assert.deepEqual(
    doc.unparsed.map((u) => u.line),
    [2, 3, 4, 5, 7],
  );
  assert.deepEqual(
    doc.sockets.map((r) => r.line),
    [1, 6, 8],
  );
  assert.equal(doc.blocks.length, 1);
  assert.equal(doc.sockets[1]!.lastLine, 6);
});

test('a 100k-character line does not throw and costs one capped line', () => {
  const lines = splitLines(snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt'));
  const huge = 'ESTAB  0      0          127.0.0.1:8080     127.0.0.1:46548 ' + 'ts '.repeat(34_000);
  assert.ok(huge.length > 100_000);
  const doc = parseLines([lines[0]!, huge, '\t' + 'x:'.repeat(50_000), lines[3]!, lines[4]!]);
  assert.equal(doc.sockets.length, 2);
  assert.equal(doc.sockets[0]!.info!.ts, 'ts');
  assert.equal(doc.sockets[0]!.lastLine, 2);
  for (const t of doc.sockets[0]!.tokens) assert.ok(t.end <= 4096);
  const alone = parseLines(['('.repeat(100_000)]);
  assert.equal(alone.sockets.length, 0);
});

test('the reader starts on ss headers and rows only', () => {
  assert.equal(ssReader.startScore('State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process'), 2);
  assert.equal(ssReader.startScore('Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess'), 2);
  assert.equal(ssReader.startScore('Recv-Q Send-Q Local Address:Port Peer Address:Port'), 2);
  assert.equal(ssReader.startScore('ESTAB  0      0          127.0.0.1:8080     127.0.0.1:46548'), 1);
  assert.equal(ssReader.startScore('tcp        0      0 127.0.0.1:8080          0.0.0.0:*               LISTEN'), 0);
  assert.equal(ssReader.startScore('Proto Recv-Q Send-Q Local Address           Foreign Address         State'), 0);
  assert.equal(ssReader.startScore('TCP:   306 (estab 0, closed 306, orphaned 0, timewait 300)'), 0);
  assert.equal(ssReader.startScore('\t ts sack bbr wscale:10,10 rto:204'), 0);
  assert.equal(ssReader.startScore('    1 active connection openings'), 0);
});

test('rows work out their tokens once, on demand; JSON and deepEqual see the data, not the machinery', () => {
  const text = snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt');
  const row = parseText(text).sockets[1]!;
  const first = row.tokens;
  assert.equal(row.tokens, first);
  assert.equal(first.filter((t) => t.line === 4).length > 20, true);
  // JSON gives every field, in the order the readers always gave them (the columns shared between rows included).
  const json = JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['block', 'line', 'proto', 'local', 'remote', 'stateText', 'lastLine', 'recvQ', 'sendQ', 'state', 'info']);
  assert.deepEqual(
    [json.block, json.line, json.proto, json.local, json.remote, json.stateText, json.lastLine, json.recvQ, json.sendQ, json.state],
    [0, 3, 'tcp', { address: '127.0.0.1', port: 8080 }, { address: '127.0.0.1', port: 46548 }, 'ESTAB', 4, 0, 0, 'ESTABLISHED'],
  );
  assert.equal((json.info as Record<string, string>).rtt, '0.032/0.026');
  // deepEqual compares the shared columns too: the same row read twice is equal, one with another state is not.
  assert.deepEqual(parseText(text).sockets[1], row);
  const lines = splitLines(text);
  lines[3] = lines[3]!.replace('ESTAB  0', 'LAST-ACK 0');
  const changed = parseText(lines.join('\n')).sockets[1]!;
  assert.equal(changed.state, 'LAST-ACK');
  assert.deepEqual([changed.line, changed.local, changed.remote, changed.info], [row.line, row.local, row.remote, row.info]);
  assert.notDeepStrictEqual(changed, row);
});

test('a row moves itself after an edit above it (shiftLines): line, block, lastLine and tokens, built first', () => {
  const text = snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt');
  const lines = splitLines(text);
  const doc = parseText(text);
  const [listen, estab] = [doc.sockets[0]!, doc.sockets[1]!];
  const before = estab.tokens.map((t) => [t.line, t.start, t.end, lines[t.line]!.slice(t.start, t.end)] as const);
  const moving = estab as unknown as { shiftLines(delta: number, blockDelta: number): void };
  moving.shiftLines(3, 2);
  (listen as unknown as typeof moving).shiftLines(0, 2);
  assert.deepEqual([estab.block, estab.line, estab.lastLine, estab.stateText, estab.recvQ], [2, 6, 7, 'ESTAB', 0]);
  assert.deepEqual([listen.block, listen.line, listen.lastLine, listen.stateText, listen.sendQ], [2, 1, 2, 'LISTEN', 16]);
  // The tokens were worked out on the lines the row was read from, then moved: the same columns, 3 lines down.
  assert.deepEqual(
    estab.tokens.map((t) => [t.line, t.start, t.end]),
    before.map(([l, s, e]) => [l + 3, s, e]),
  );
  assert.ok(before.some(([l, , , t]) => l === 4 && t === 'rtt:0.032/0.026'));
  const json = JSON.parse(JSON.stringify(estab)) as { block: number; line: number; lastLine: number };
  assert.deepEqual([json.block, json.line, json.lastLine], [2, 6, 7]);
});

test('a row of an editor document (its own text) moved before its tokens are built builds them at its new line, -i line included', () => {
  // The editor reads a document from its line array, so rows keep their text; an inserted line above a 100,000-row
  // table moved every row after building its tokens, which cost a tokenizing pass over the whole table; now they wait.
  const text = snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanoie.txt');
  const reference = parseLines(splitLines(text)).sockets[1]!.tokens.map((t) => [t.line + 3, t.start, t.end, t.kind]);
  const estab = parseLines(splitLines(text)).sockets[1]!;
  (estab as unknown as { shiftLines(delta: number, blockDelta: number): void }).shiftLines(3, 0);
  assert.deepEqual([estab.line, estab.lastLine], [6, 7]);
  assert.deepEqual(
    estab.tokens.map((t) => [t.line, t.start, t.end, t.kind]),
    reference,
  );
  assert.ok(estab.tokens.some((t) => t.line === 7), 'the -i line\'s tokens moved too');
});

test('a header without State (ss state established) or with Netid but no State', () => {
  // The header ss prints when one state is filtered (columns[] in ss.c with State disabled), over fixture rows.
  const rows = splitLines(snap('01_normal_client_close/four_way/snap_1_established', 'ss_-tanp.txt')).slice(2);
  const noState = parseLines(['Recv-Q Send-Q Local Address:Port  Peer Address:Port Process', ...rows.map((r) => r.slice(7))]);
  assert.deepEqual(noState.unparsed, []);
  assert.deepEqual(noState.headerLines, [0]);
  assert.deepEqual(
    noState.sockets.map((r) => [r.stateText, r.recvQ, r.local.port, r.process?.pid]),
    [
      ['', 0, 8080, 16572],
      ['', 0, 46548, 16614],
    ],
  );
  const netidOnly = parseLines([
    'Netid Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
    ...rows.map((r) => 'tcp   ' + r.slice(7)),
  ]);
  assert.deepEqual(netidOnly.unparsed, []);
  assert.deepEqual(
    netidOnly.sockets.map((r) => [r.proto, r.stateText, r.remote.port]),
    [
      ['tcp', '', 46548],
      ['tcp', '', 8080],
    ],
  );
});
