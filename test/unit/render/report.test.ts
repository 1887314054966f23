// The human report (terminal text and Markdown) in English and Simplified Chinese, on real inputs.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse } from '../../../src/core/analyse';
import { buildReport, displayWidth, escapeMarkdown, lineRanges, renderMarkdown, renderText, wrap } from '../../../src/core/render/report';
import { stateInfo } from '../../../src/core/knowledge/states';
import { readFixture } from '../support';

const input = (name: string): string => readFixture('golden', 'inputs', name);

test('report model: findings sorted by severity, counts per severity, per-block state counts', () => {
  // Two tables: the real Windows zh-CN excerpt (4 CLOSE_WAIT, info) and a real ss LISTEN row whose Recv-Q is set
  // over its backlog (synthetic, error): the error must come first although it is later in the document.
  const [lntHeader, listen] = input('13_v6_listen_ss_-lnt.txt').split('\n');
  const text = `${input('windows_zh-CN_close_wait_4_netstat_-ano.txt')}\n\n\n\n${lntHeader}\n${listen!.replace(/^LISTEN 0 {6}16/, 'LISTEN 17     16')}\n`;
  const model = analyse(text);
  assert.deepEqual(model.findings.map((f) => f.code), ['close-wait-pileup', 'accept-queue-full']);
  const report = buildReport(model);
  assert.deepEqual(report.findings.map((f) => [f.code, f.severity]), [
    ['accept-queue-full', 'error'],
    ['close-wait-pileup', 'info'],
  ]);
  assert.deepEqual(report.severityCounts, { error: 1, warning: 0, info: 1 });
  assert.equal(report.blocks.length, 2);
  assert.deepEqual(report.blocks[0]!.stateCounts, { LISTEN: 13, 'CLOSE-WAIT': 4 });
  assert.deepEqual(report.blocks[1]!.stateCounts, { LISTEN: 1 });
  assert.deepEqual(report.states.map((s) => [s.state, s.count]), [
    ['LISTEN', 14],
    ['CLOSE-WAIT', 4],
  ]);
  assert.equal(report.socketCount, 18);
});

test('English text report of the Windows zh-CN excerpt', () => {
  const out = renderText(buildReport(analyse(input('windows_zh-CN_close_wait_4_netstat_-ano.txt'))), 'en', { title: 'netstat.txt', width: 100 });
  const expected = [
    'TCP Lens report — netstat.txt',
    '21 lines · 1 block · 17 sockets',
    '',
    '1 finding: 0 errors, 0 warnings, 1 info',
    '',
    '[INFO]    close-wait-pileup · lines 17–20 (4)',
    '          4 sockets in CLOSE-WAIT, on local 127.0.0.1:1080, owned by pid 6176: the peers have',
    '          closed, and the sockets wait for this application to close too. If they are still there in',
    '          a later snapshot, that is a leak.',
  ];
  assert.deepEqual(out.split('\n').slice(0, expected.length), expected);
  assert.ok(out.includes('\n          Cause  CLOSE-WAIT means the peer sent FIN and the kernel acknowledged it.'));
  assert.ok(out.includes('\n          Fix    Fix it in the code: close the socket on every path'));
  // State notes come from the knowledge base.
  assert.ok(out.endsWith(['', 'Socket states', `  LISTEN      13  ${stateInfo('LISTEN').summary.en}`, `  CLOSE-WAIT   4  ${stateInfo('CLOSE-WAIT').summary.en}`, '', 'Blocks', '  netstat-windows (windows netstat -o (zh-cn))  2–21  17 sockets; LISTEN 13, CLOSE-WAIT 4', '', 'Lines not understood (1)', '  21  TCP    1', ''].join('\n')), out);
  for (const line of out.split('\n')) assert.ok(displayWidth(line) <= 100, line);
});

test('Chinese text report: same structure, Chinese words, wrapped by display width', () => {
  const out = renderText(buildReport(analyse(input('windows_zh-CN_close_wait_4_netstat_-ano.txt'))), 'zh-cn', { width: 80 });
  const lines = out.split('\n');
  assert.deepEqual(lines.slice(0, 6), [
    'TCP Lens 分析报告',
    '21 行，1 段输出，17 个套接字',
    '',
    '1 条发现：0 个错误，0 个警告，1 条提示',
    '',
    '[提示] close-wait-pileup · 第 17–20 行（共 4 行）',
  ]);
  assert.ok(lines[6]!.startsWith('       4 个套接字处于 CLOSE-WAIT，都在本地 127.0.0.1:1080 上，属于进程 pid 6176：'), lines[6]);
  assert.ok(out.includes('\n       原因  CLOSE-WAIT 表示对端发来了 FIN'));
  assert.ok(out.includes(`\n套接字状态\n  LISTEN      13  ${stateInfo('LISTEN').summary['zh-cn']}\n  CLOSE-WAIT   4  ${stateInfo('CLOSE-WAIT').summary['zh-cn']}\n`));
  assert.ok(out.includes('\n未能识别的行（1）\n  21  TCP    1\n'));
  for (const line of lines) {
    // Closing punctuation may overflow by one full-width character (two columns) rather than start a line.
    assert.ok(displayWidth(line) <= 82, `${displayWidth(line)}: ${line}`);
    assert.ok(!/^\s*[，。：；）、]/.test(line.trimStart()) || line.trim() === '', `line starts with closing punctuation: ${line}`);
    assert.ok(!/（$/.test(line), `line ends with an opening bracket: ${line}`);
  }
});

test('a capture: findings of one code keep together, repeated advice is written once, connections numbered from 1', () => {
  const out = renderText(buildReport(analyse(input('03_connection_refused_tcpdump_nn.txt'))), 'en');
  const lines = out.split('\n');
  assert.deepEqual(lines.slice(0, 6), [
    'TCP Lens report',
    '7 lines · 1 block · 6 segments · 3 connections',
    '',
    '3 findings: 3 errors, 0 warnings, 0 info',
    '',
    '[ERROR]   connection-refused · connection 1 · lines 1–2 (2)',
  ]);
  assert.deepEqual(
    lines.filter((l) => l.startsWith('[')),
    [
      '[ERROR]   connection-refused · connection 1 · lines 1–2 (2)',
      '[ERROR]   connection-refused · connection 2 · lines 3–4 (2)',
      '[ERROR]   connection-refused · connection 3 · lines 5–6 (2)',
    ],
  );
  // Connections 1 and 2 both go to port 9999: the same fix is not repeated for 2; connection 3 (port 9998) differs.
  assert.equal(lines.filter((l) => l.trimStart().startsWith('Fix ')).length, 2);
  assert.equal(lines.filter((l) => l.trimStart().startsWith('Cause ')).length, 3);
  assert.ok(out.includes('\nConnections\n  #1  127.0.0.1:46656 → 127.0.0.1:9999\n      2 segments, lines 1–2; refused: the SYN was answered with RST; ended by a reset (RST).'));
  assert.ok(out.includes('\n  #2  [::1]:47790 → [::1]:9999\n'));
  assert.ok(out.includes('\n  #3  127.0.0.1:44072 → 127.0.0.1:9998\n'));
  const zh = renderText(buildReport(analyse(input('03_connection_refused_tcpdump_nn.txt'))), 'zh-cn');
  assert.ok(zh.includes('\n[错误] connection-refused · 连接 1 · 第 1–2 行（共 2 行）\n'));
  assert.ok(zh.includes('\n连接\n  #1  127.0.0.1:46656 → 127.0.0.1:9999\n      2 个报文段，第 1–2 行；被拒绝：SYN 收到的是 RST；以 RST 复位结束。最终状态：'));
});

test('300 connections (real 07 capture): ten findings of a code, then one line for the rest; connections capped', () => {
  const model = analyse(readFixture('packets', '07_many_time_wait', 'tcpdump_nn.txt'));
  assert.equal(model.connections.length, 300);
  const handshakes = model.findings.filter((f) => f.code === 'handshake');
  assert.equal(handshakes.length, 300);
  const out = renderText(buildReport(model), 'en');
  const heads = out.split('\n').filter((l) => l.startsWith('['));
  assert.equal(heads.length, 11);
  assert.equal(heads[0], '[INFO]    handshake · connection 1 · lines 1–3 (3)');
  assert.equal(heads[9], '[INFO]    handshake · connection 10 · lines 89–91 (3)');
  assert.equal(heads[10], '[INFO]    … and 290 more handshake findings');
  // The first lines of the rest: connection 11 starts on line 99, each connection is 10 packets.
  assert.ok(out.includes('\n          starting on lines 99, 109, 119, 129, 139, 149, 159, 169, …\n'));
  assert.ok(out.includes('\n  #50  127.0.0.1:'));
  assert.ok(!out.includes('\n  #51  '));
  assert.ok(out.includes('\n  … and 250 more connections\n'));
  const md = renderMarkdown(buildReport(model), 'zh-cn');
  assert.ok(md.includes('\n### ℹ️ 提示 · ……另有 290 条 handshake\n'));
  assert.ok(md.includes('\n- ……另有 250 个连接\n'));
});

test('nothing recognised: one sentence in each language', () => {
  const model = analyse('hello\nworld\n');
  assert.equal(renderText(buildReport(model), 'en'), 'TCP Lens report\n2 lines · 0 blocks\n\nNo netstat, ss, tcpdump or tshark output recognised.\n');
  assert.equal(renderText(buildReport(model), 'zh-cn'), 'TCP Lens 分析报告\n2 行，0 段输出\n\n没有识别到 netstat、ss、tcpdump 或 tshark 的输出。\n');
});

test('colour only when asked; control characters from the input never reach the terminal', () => {
  const text = input('windows_zh-CN_close_wait_4_netstat_-ano.txt').replace(/^TCP {4}1$/m, 'TCP    1\u001b[2J\u0007');
  const plain = renderText(buildReport(analyse(text)), 'en');
  assert.ok(!plain.includes('\u001b'));
  assert.ok(plain.includes('  21  TCP    1�[2J�\n'));
  const coloured = renderText(buildReport(analyse(text)), 'en', { color: true });
  assert.ok(coloured.includes('\u001b[36m\u001b[1m[INFO]\u001b[0m'));
  assert.ok(!coloured.includes('\u001b[2J'));
});

test('Markdown report: headings, tables, escaped input, code spans kept in advice', () => {
  const md = renderMarkdown(buildReport(analyse(input('13_v6_close_wait_fin_wait2_ss_-tanp.txt'))), 'en', { title: 'ss_-tanp.txt' });
  const lines = md.split('\n');
  assert.equal(lines[0], '# TCP Lens report — ss\\_-tanp.txt');
  assert.equal(lines[2], '4 lines · 1 block · 3 sockets');
  assert.ok(md.includes('\n## 1 finding: 0 errors, 0 warnings, 1 info\n'));
  assert.ok(md.includes('\n### ℹ️ INFO · `close-wait-pileup` · line 3\n'));
  assert.ok(md.includes('\n1 socket in CLOSE-WAIT, on local \\[::1\\]:8080, owned by python3 (pid 645): the peer has closed'));
  assert.ok(md.includes('Find the owner with `ss -tanp state close-wait` (Linux) or `netstat -ano | findstr CLOSE_WAIT` (Windows)'));
  assert.ok(md.includes(`\n| State | Count | |\n|---|---:|---|\n| LISTEN | 1 | ${stateInfo('LISTEN').summary.en} |\n| FIN-WAIT-2 | 1 |`));
  assert.ok(md.includes('\n| # | Format | Lines | Records |\n|---:|---|---|---|\n| 1 | ss (ss -p) | 1–4 | 3 sockets; LISTEN 1, FIN-WAIT-2 1, CLOSE-WAIT 1 |\n'));
  const zh = renderMarkdown(buildReport(analyse(input('13_v6_close_wait_fin_wait2_ss_-tanp.txt'))), 'zh-cn');
  assert.ok(zh.includes('\n**原因：** CLOSE-WAIT 表示对端发来了 FIN'));
  assert.ok(zh.includes('\n| 状态 | 数量 | |\n'));
});

test('Markdown: unparsed lines go in a fence longer than any backtick run they contain', () => {
  const text = input('windows_zh-CN_close_wait_4_netstat_-ano.txt').replace(/^TCP {4}1$/m, 'TCP    1 ```` <b>x</b>');
  const md = renderMarkdown(buildReport(analyse(text)), 'en');
  assert.ok(md.includes('\n`````text\n21: TCP    1 ```` <b>x</b>\n`````\n'), md);
});

test('helpers: line ranges, escaping, display width, wrapping', () => {
  assert.equal(lineRanges([1, 2, 3, 7, 9, 10]), '2–4, 8, 10–11');
  assert.equal(lineRanges([0, 2, 4, 6, 8, 10, 12], 3), '1, 3, 5, …');
  assert.equal(lineRanges([]), '');
  assert.equal(escapeMarkdown('<script>a*b_[c]|`d`</script>'), '&lt;script&gt;a\\*b\\_\\[c\\]\\|\\`d\\`&lt;/script&gt;');
  assert.equal(displayWidth('CLOSE-WAIT（阈值 5）'), 10 + 2 + 4 + 2 + 2);
  assert.deepEqual(wrap('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
  assert.deepEqual(wrap('对端已经关闭，套接字在等', 12), ['对端已经关闭，', '套接字在等']);
  assert.deepEqual(wrap('读到 0 字节（对端已关闭）时', 14), ['读到 0 字节', '（对端已关闭）', '时']);
});
