// Socket-table findings on real snapshots (test/fixtures/golden/inputs, see SOURCE.txt there), plus threshold
// boundaries built from real lines. Synthetic tables are made in the tests themselves, each from a real line whose
// numbers are changed; every such change is named where it is made.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse } from '../../../src/core/analyse';
import { DEFAULT_SOCKET_THRESHOLDS, socketFindings, resolveThresholds } from '../../../src/core/analysis/sockets';
import { parseText } from '../../../src/core/formats/detect';
import type { Finding } from '../../../src/core/model';
import { readFixture } from '../support';

const input = (name: string): string => readFixture('golden', 'inputs', name);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const codes = (findings: readonly Finding[]): string[] => findings.map((f) => f.code);
const CJK = /[\u4e00-\u9fff]/;

function only(findings: readonly Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `one ${code}, got ${codes(findings).join(', ') || 'none'}`);
  return hits[0]!;
}

test('07 ss -tanp: 300 TIME-WAIT sockets give one time-wait-pileup naming all 300 lines', () => {
  const model = analyse(input('07_time_wait_300_ss_-tanp.txt'));
  assert.deepEqual(model.stateCounts, { 'TIME-WAIT': 300 });
  assert.equal(model.sockets.length, 300);
  assert.deepEqual(codes(model.findings), ['time-wait-pileup']);
  const f = model.findings[0]!;
  assert.equal(f.severity, 'info');
  // Line 0 is the header; the 300 rows are lines 1..300 (0-based).
  assert.deepEqual(f.lines, range(1, 300));
  assert.deepEqual(f.lines, model.sockets.map((s) => s.line));
  assert.equal(
    f.message.en,
    '300 sockets in TIME-WAIT (threshold 200), towards 127.0.0.1:8080: this side closed these connections first; many short connections.',
  );
  assert.equal(f.message['zh-cn'], '300 个套接字处于 TIME-WAIT（阈值 200），都连向 127.0.0.1:8080：这些连接都是本端先关闭的，说明有大量短连接。');
  assert.match(f.fix!.en, /tcp_tw_reuse=1/);
  assert.match(f.fix!.en, /removed in Linux 4\.12/);
  assert.match(f.fix!['zh-cn'], /tcp_tw_recycle/);
});

test('07 netstat -ant: the same 300 TIME_WAIT rows, two header lines before them', () => {
  const model = analyse(input('07_time_wait_300_netstat_-ant.txt'));
  assert.deepEqual(model.stateCounts, { 'TIME-WAIT': 300 });
  const f = only(model.findings, 'time-wait-pileup');
  assert.deepEqual(f.lines, range(2, 301));
  assert.equal(model.findings.length, 1);
});

test('time-wait-pileup threshold: 300 fires at 300 and not at 301', () => {
  const doc = parseText(input('07_time_wait_300_ss_-tanp.txt'));
  assert.deepEqual(codes(socketFindings(doc.sockets, doc.blocks, { timeWait: 300 })), ['time-wait-pileup']);
  assert.deepEqual(codes(socketFindings(doc.sockets, doc.blocks, { timeWait: 301 })), []);
});

test('ephemeral-port-pressure: 300 ports towards 127.0.0.1:8080 against a small range (warning, then error)', () => {
  const doc = parseText(input('07_time_wait_300_ss_-tanp.txt'));
  // The default Linux range (28232 ports) is far away: 300 is 1%.
  assert.ok(!codes(socketFindings(doc.sockets, doc.blocks)).includes('ephemeral-port-pressure'));
  const warn = only(socketFindings(doc.sockets, doc.blocks, { ephemeralPortRange: 500 }), 'ephemeral-port-pressure');
  assert.equal(warn.severity, 'warning');
  assert.deepEqual(warn.lines, range(1, 300));
  assert.equal(warn.message.en, '127.0.0.1 uses 300 local ports towards 127.0.0.1:8080 (60% of the 500-port range; 300 in TIME-WAIT).');
  assert.equal(warn.message['zh-cn'], '127.0.0.1 连向 127.0.0.1:8080 占用了 300 个本地端口，达到端口范围（共 500 个）的 60%，其中 300 个处于 TIME-WAIT。');
  const err = only(socketFindings(doc.sockets, doc.blocks, { ephemeralPortRange: 330 }), 'ephemeral-port-pressure');
  assert.equal(err.severity, 'error');
  // 0.5 of 601 rounds up to 301 ports: 300 is one short.
  assert.ok(!codes(socketFindings(doc.sockets, doc.blocks, { ephemeralPortRange: 601 })).includes('ephemeral-port-pressure'));
  assert.ok(codes(socketFindings(doc.sockets, doc.blocks, { ephemeralPortRange: 600 })).includes('ephemeral-port-pressure'));
});

test('13 ss -tanp: one CLOSE-WAIT is an info finding that names the port and the owner', () => {
  const model = analyse(input('13_v6_close_wait_fin_wait2_ss_-tanp.txt'));
  assert.deepEqual(model.stateCounts, { LISTEN: 1, 'FIN-WAIT-2': 1, 'CLOSE-WAIT': 1 });
  assert.deepEqual(codes(model.findings), ['close-wait-pileup']);
  const f = model.findings[0]!;
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.lines, [2]);
  assert.equal(
    f.message.en,
    '1 socket in CLOSE-WAIT, on local [::1]:8080, owned by python3 (pid 645): the peer has closed, and the socket waits for this application to close too. If it is still there in a later snapshot, that is a leak.',
  );
  assert.match(f.fix!.en, /ss -tanp state close-wait/);
  assert.match(f.cause!['zh-cn'], /close\(\)/);
});

test('13 ss -tanoie (rows continued on a second line) and netstat -natp agree', () => {
  const ss = analyse(input('13_v6_close_wait_fin_wait2_ss_-tanoie.txt'));
  assert.deepEqual(codes(ss.findings), ['close-wait-pileup']);
  // Header 0, LISTEN 1 (+ continuation 2), CLOSE-WAIT 3.
  assert.deepEqual(ss.findings[0]!.lines, [3]);
  const netstat = analyse(input('13_v6_close_wait_fin_wait2_netstat_-natp.txt'));
  assert.deepEqual(codes(netstat.findings), ['close-wait-pileup']);
  assert.deepEqual(netstat.findings[0]!.lines, [3]);
  assert.match(netstat.findings[0]!.message.en, /on local \[::1\]:8080, owned by python3 \(pid 645\)/);
});

test('Windows zh-CN netstat -ano: 4 CLOSE_WAIT on 127.0.0.1:1080 stay below the warning threshold (info)', () => {
  const model = analyse(input('windows_zh-CN_close_wait_4_netstat_-ano.txt'));
  assert.equal(model.stateCounts['CLOSE-WAIT'], 4);
  assert.equal(model.stateCounts.LISTEN, 13);
  const f = only(model.findings, 'close-wait-pileup');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.lines, [16, 17, 18, 19]);
  assert.match(f.message.en, /^4 sockets in CLOSE-WAIT, on local 127\.0\.0\.1:1080, owned by pid 6176: the peers have closed/);
  assert.match(f.message['zh-cn'], /^4 个套接字处于 CLOSE-WAIT，都在本地 127\.0\.0\.1:1080 上，属于进程 pid 6176：/);
});

test('CLOSE-WAIT boundary: 4 is info, 5 is a warning (fifth row: a real row with the next client port)', () => {
  const text = input('windows_zh-CN_close_wait_4_netstat_-ano.txt');
  const lines = text.split('\n');
  const lastCloseWait = lines.findIndex((l) => l.includes('127.0.0.1:49460'));
  assert.ok(lastCloseWait > 0);
  // Synthetic: the real row for client port 49460 repeated with port 49461.
  const five = [...lines.slice(0, lastCloseWait + 1), lines[lastCloseWait]!.replace('49460', '49461'), ...lines.slice(lastCloseWait + 1)].join('\n');
  const model = analyse(five);
  assert.equal(model.stateCounts['CLOSE-WAIT'], 5);
  const f = only(model.findings, 'close-wait-pileup');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.lines, [16, 17, 18, 19, 20]);
  assert.match(f.message.en, /^5 sockets in CLOSE-WAIT \(threshold 5\), on local 127\.0\.0\.1:1080, owned by pid 6176: the peers closed, but this application never called close\(\)\.$/);
  // And the real 4 become a warning when the threshold is 4.
  const real = analyse(text, { thresholds: { closeWait: 4 } });
  assert.equal(only(real.findings, 'close-wait-pileup').severity, 'warning');
});

test('CLOSE-WAIT from ss lines: five rows of the real 13 server socket (peer ports 35552..35556)', () => {
  const [header, , closeWait] = input('13_v6_close_wait_fin_wait2_ss_-tanp.txt').split('\n');
  const rows = [35552, 35553, 35554, 35555, 35556].map((p) => closeWait!.replace('35552', String(p)));
  const warn = analyse([header, ...rows].join('\n'));
  const f = only(warn.findings, 'close-wait-pileup');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.lines, [1, 2, 3, 4, 5]);
  assert.equal(f.message.en, '5 sockets in CLOSE-WAIT (threshold 5), on local [::1]:8080, owned by python3 (pid 645): the peers closed, but this application never called close().');
  const four = analyse([header, ...rows.slice(0, 4)].join('\n'));
  assert.equal(only(four.findings, 'close-wait-pileup').severity, 'info');
});

test('accept-queue-full: ss LISTEN at its backlog is a warning, above it an error; netstat never', () => {
  // Real: header and LISTEN row of 13's ss -lnt (Recv-Q 0, Send-Q 16 = the backlog). Synthetic: Recv-Q set to 16, 17.
  const [header, listen] = input('13_v6_listen_ss_-lnt.txt').split('\n');
  assert.deepEqual(codes(analyse(`${header}\n${listen}`).findings), []);
  const at = (q: number): string => `${header}\n${listen!.replace(/^LISTEN 0 {6}16/, `LISTEN ${String(q).padEnd(6)} 16`)}`;
  assert.notEqual(at(16), `${header}\n${listen}`);
  assert.deepEqual(codes(analyse(at(15)).findings), []);
  const full = only(analyse(at(16)).findings, 'accept-queue-full');
  assert.equal(full.severity, 'warning');
  assert.deepEqual(full.lines, [1]);
  assert.equal(full.message.en, 'Listener [::1]:8080: the accept queue is full (Recv-Q 16 = backlog 16); the next connections will be dropped.');
  const over = only(analyse(at(17)).findings, 'accept-queue-full');
  assert.equal(over.severity, 'error');
  assert.equal(over.message['zh-cn'], '监听 [::1]:8080：全连接（accept）队列已溢出（Recv-Q 17 > backlog 16），新连接正在被丢弃。');
  assert.match(over.fix!.en, /somaxconn/);
  // netstat prints Send-Q 0 for LISTEN: a Recv-Q there proves nothing about the backlog.
  const netstat = input('13_v6_close_wait_fin_wait2_netstat_-natp.txt').split('\n');
  const listenRow = netstat[2]!.replace('tcp6       0      0 ::1:8080', 'tcp6      17      0 ::1:8080');
  assert.notEqual(listenRow, netstat[2]);
  const model = analyse([netstat[0], netstat[1], listenRow].join('\n'));
  assert.equal(model.sockets[0]!.recvQ, 17);
  assert.deepEqual(codes(model.findings), []);
});

test('queue backlogs: real healthy Send-Q 18288 is quiet; 65536 unread bytes warn; persist timer warns below the limit', () => {
  // Real row: scenario 10's sender during a 2 MB bulk transfer (netstat -ant).
  const header = 'Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  const row = 'tcp        0  18288 10.200.10.1:56152       10.200.11.2:8080        ESTABLISHED';
  assert.deepEqual(codes(analyse(`${header}\n${row}`).findings), []);
  // Synthetic: the same row with Recv-Q 65535 / 65536, and with Send-Q 70000.
  const recv = (q: number): string => `${header}\n${row.replace('tcp        0  18288', `tcp    ${String(q).padStart(5)}      0`)}`;
  assert.deepEqual(codes(analyse(recv(65535)).findings), []);
  const f = only(analyse(recv(65536)).findings, 'recv-queue-backlog');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.lines, [2]);
  assert.equal(f.message.en, '10.200.10.1:56152 ⇄ 10.200.11.2:8080 (ESTABLISHED): 65536 bytes received but not yet read by the application (Recv-Q ≥ 65536).');
  const send = only(analyse(`${header}\n${row.replace('18288', '70000')}`).findings, 'send-queue-backlog');
  assert.equal(send.severity, 'info');
  // Synthetic ss row from scenario 10 zero_window's README ground truth: sender ESTAB, Send-Q 65024, persist timer.
  const ss = 'State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\nESTAB 0      65024    10.200.12.1:38092  10.200.12.2:8080 timer:(persist,224ms,0)';
  const persist = analyse(ss);
  assert.equal(persist.sockets[0]!.timer?.kind, 'persist');
  const p = only(persist.findings, 'send-queue-backlog');
  assert.equal(p.severity, 'warning');
  assert.match(p.message.en, /persist timer is running: the peer advertises a zero window/);
});

test('state pile-ups at their thresholds: SYN-SENT 5, SYN-RECEIVED 20, FIN-WAIT-2 20, LAST-ACK 20', () => {
  const header = 'Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  // Real row shape from net-tools netstat (reference/formats.md); synthetic: the local port varies, the state is set.
  const rows = (n: number, state: string): string =>
    [header, ...range(1, n).map((i) => `tcp        0      0 10.10.11.210:${49600 + i}      8.8.8.8:53              ${state.padEnd(11)}`)].join('\n');
  const cases: [string, string, number, string][] = [
    ['SYN_SENT', 'syn-sent-stalled', 5, 'SYN-SENT'],
    ['SYN_RECV', 'syn-recv-flood', 20, 'SYN-RECEIVED'],
    ['FIN_WAIT2', 'fin-wait-2-pileup', 20, 'FIN-WAIT-2'],
    ['LAST_ACK', 'last-ack-pileup', 20, 'LAST-ACK'],
  ];
  for (const [printed, code, limit, rfc] of cases) {
    const below = analyse(rows(limit - 1, printed));
    assert.equal(below.stateCounts[rfc as 'SYN-SENT'], limit - 1, printed);
    assert.deepEqual(codes(below.findings), [], `${printed} x${limit - 1}`);
    const at = only(analyse(rows(limit, printed)).findings, code);
    assert.equal(at.severity, 'warning');
    assert.deepEqual(at.lines, range(2, limit + 1));
    assert.ok(at.message.en.startsWith(`${limit} sockets in ${rfc} (threshold ${limit}), towards 8.8.8.8:53: `), at.message.en);
    assert.ok(at.message['zh-cn'].startsWith(`${limit} 个套接字处于 ${rfc}（阈值 ${limit}），都连向 8.8.8.8:53：`), at.message['zh-cn']);
    for (const text of [at.message, at.cause!, at.fix!]) {
      assert.ok(text.en.length > 20 && !CJK.test(text.en), `${code} en`);
      assert.ok(CJK.test(text['zh-cn']), `${code} zh-cn`);
    }
  }
});

test('each table is judged on its own: ss and netstat of the same moment give one finding each', () => {
  const text = `${input('07_time_wait_300_ss_-tanp.txt')}\n${input('07_time_wait_300_netstat_-ant.txt')}`;
  const model = analyse(text);
  assert.equal(model.blocks.length, 2);
  assert.deepEqual(model.blocks.map((b) => b.format), ['ss', 'netstat-linux']);
  // Counts add up over the document (the contract's stateCounts); findings stay per table.
  assert.deepEqual(model.stateCounts, { 'TIME-WAIT': 600 });
  const tw = model.findings.filter((f) => f.code === 'time-wait-pileup');
  assert.equal(tw.length, 2);
  assert.equal(tw[0]!.lines.length, 300);
  assert.equal(tw[1]!.lines.length, 300);
  assert.ok(tw[0]!.lines[299]! < tw[1]!.lines[0]!);
});

test('thresholds: missing or nonsense values keep the defaults', () => {
  assert.deepEqual(resolveThresholds(), DEFAULT_SOCKET_THRESHOLDS);
  const t = resolveThresholds({ closeWait: Number.NaN, timeWait: -1, synSent: 7 });
  assert.equal(t.closeWait, 5);
  assert.equal(t.timeWait, 200);
  assert.equal(t.synSent, 7);
});
