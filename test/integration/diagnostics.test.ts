// Diagnostics and quick fixes in a real VS Code extension host, on documents made from the real captures. The
// expected values come from the core analysis of the same text (the model every surface reads) plus the exact
// strings the user sees.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { analyse } from '../../src/core/analyse';
import { codeOf, diagnosticsWhere, eventually, extension, fixture, fixtureUri, ours, untitled, withSetting } from './editorSupport';

const SS_TIME_WAIT = ['sockets', '07_many_time_wait', 'snap_1_after_300_connections', 'ss_-tanp.txt'];
const SS_HALF_CLOSE = ['sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'ss_-tanp.txt'];
const TCPDUMP_REFUSED = ['packets', '03_connection_refused', 'tcpdump_nn.txt'];

suite('TCP Lens diagnostics', () => {
  suiteSetup(async () => {
    await extension();
  });

  test('a TIME-WAIT pile-up in pasted ss -tanp: code, severity, the state cell, every line involved', async () => {
    const text = await fixture(...SS_TIME_WAIT);
    const model = analyse(text);
    const expected = model.findings.find((f) => f.code === 'time-wait-pileup');
    assert.ok(expected, 'the core finds the pile-up');
    const doc = await untitled(text);
    const [d] = await diagnosticsWhere(doc.uri, 'the time-wait-pileup diagnostic', (ds) => ds.some((x) => codeOf(x) === 'time-wait-pileup'));
    assert.ok(d);
    assert.equal(codeOf(d), 'time-wait-pileup');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    // Anchored on the state cell of the first row involved.
    assert.equal(d.range.start.line, expected.lines[0]);
    assert.equal(doc.getText(d.range), 'TIME-WAIT');
    // Message, then cause and fix.
    const [first] = d.message.split('\n');
    assert.equal(first, expected.message.en);
    assert.ok(d.message.includes(`Cause: ${expected.cause!.en}`), d.message);
    assert.ok(d.message.includes(`What to do: ${expected.fix!.en}`), d.message);
    // 300 rows involved: 100 listed, and one entry saying how many more.
    assert.equal(expected.lines.length, 300);
    assert.equal(d.relatedInformation?.length, 101);
    const related = d.relatedInformation!;
    assert.equal(related[0]!.location.range.start.line, expected.lines[0]);
    assert.equal(doc.getText(related[0]!.location.range), 'TIME-WAIT');
    assert.match(related[0]!.message, /^time-wait-pileup involved: TIME-WAIT 127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:8080$/);
    assert.equal(related[100]!.message, '… and 200 more lines (the Explain report lists them all)');
    // The code links to its explanation: a read-only Markdown document served by TCP Lens (no network, no command).
    assert.equal(typeof d.code, 'object');
    const target = (d.code as { target: vscode.Uri }).target;
    assert.equal(target.scheme, 'tcp-lens');
    const explanation = await vscode.workspace.openTextDocument(target);
    assert.ok(explanation.getText().startsWith('# `time-wait-pileup` — Note'), explanation.getText().slice(0, 200));
    assert.ok(explanation.getText().includes(expected.message.en));
    assert.ok(explanation.getText().includes('net.ipv4.tcp_tw_reuse = 1'), 'the explanation shows the suggested change');
    assert.ok(explanation.getText().includes('**TIME-WAIT**'), 'and explains the state');
  });

  test('in Chinese when tcpLens.language is zh-cn (message, cause, fix, related lines, explanation)', async () => {
    const text = await fixture(...SS_HALF_CLOSE);
    const expected = analyse(text).findings.find((f) => f.code === 'close-wait-pileup');
    assert.ok(expected);
    const doc = await untitled(text);
    await diagnosticsWhere(doc.uri, 'the English diagnostic', (ds) => ds.some((x) => x.message.startsWith(expected.message.en)));
    await withSetting('language', 'zh-cn', async () => {
      const [d] = await diagnosticsWhere(doc.uri, 'the Chinese diagnostic', (ds) => ds.some((x) => x.message.startsWith(expected.message['zh-cn'])));
      assert.ok(d);
      assert.ok(d.message.includes(`原因: ${expected.cause!['zh-cn']}`), d.message);
      assert.ok(d.message.includes(`怎么办: ${expected.fix!['zh-cn']}`), d.message);
      assert.equal(doc.getText(d.range), 'CLOSE-WAIT');
      const explanation = await vscode.workspace.openTextDocument((d.code as { target: vscode.Uri }).target);
      assert.ok(explanation.getText().startsWith('# `close-wait-pileup` — 提示'), explanation.getText().slice(0, 120));
      assert.ok(explanation.getText().includes('## 原因'));
    });
  });

  test('thresholds and switches in the settings apply at once', async () => {
    const text = await fixture(...SS_HALF_CLOSE);
    const doc = await untitled(text);
    await diagnosticsWhere(doc.uri, 'an info close-wait finding', (ds) => ds.some((x) => codeOf(x) === 'close-wait-pileup' && x.severity === vscode.DiagnosticSeverity.Information));
    // One CLOSE-WAIT socket reaches a threshold of 1: a warning.
    await withSetting('thresholds.closeWait', 1, async () => {
      const [d] = await diagnosticsWhere(doc.uri, 'a warning with threshold 1', (ds) => ds.some((x) => codeOf(x) === 'close-wait-pileup' && x.severity === vscode.DiagnosticSeverity.Warning));
      assert.match(d!.message, /^1 sockets? in CLOSE-WAIT \(threshold 1\)/);
    });
    await withSetting('diagnostics.ignore', ['close-wait-pileup'], async () => {
      await diagnosticsWhere(doc.uri, 'the ignored code gone', (ds) => !ds.some((x) => codeOf(x) === 'close-wait-pileup'));
    });
    await withSetting('diagnostics.minimumSeverity', 'warning', async () => {
      await diagnosticsWhere(doc.uri, 'notes hidden below the minimum severity', (ds) => ds.length === 0);
    });
    // The quick fix that hides a code writes the user setting.
    const [note] = await diagnosticsWhere(doc.uri, 'the note back', (ds) => ds.some((x) => codeOf(x) === 'close-wait-pileup'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, note!.range);
    const hide = actions.find((a) => a.title === 'Do not show close-wait-pileup problems');
    assert.ok(hide, actions.map((a) => a.title).join(' | '));
    try {
      await vscode.commands.executeCommand(hide.command!.command, ...(hide.command!.arguments ?? []));
      await diagnosticsWhere(doc.uri, 'hidden by the quick fix', (ds) => !ds.some((x) => codeOf(x) === 'close-wait-pileup'));
      assert.deepEqual(vscode.workspace.getConfiguration('tcpLens').inspect('diagnostics.ignore')?.globalValue, ['close-wait-pileup']);
    } finally {
      await vscode.workspace.getConfiguration('tcpLens').update('diagnostics.ignore', undefined, vscode.ConfigurationTarget.Global);
    }
    await withSetting('diagnostics.enabled', false, async () => {
      await diagnosticsWhere(doc.uri, 'no diagnostics when disabled', (ds) => ds.length === 0);
    });
    await diagnosticsWhere(doc.uri, 'diagnostics back', (ds) => ds.some((x) => codeOf(x) === 'close-wait-pileup'));
  });

  test('diagnostics follow edits (incremental re-read of the edited table)', async () => {
    const text = await fixture(...SS_HALF_CLOSE);
    const doc = await untitled(text);
    await diagnosticsWhere(doc.uri, 'close-wait-pileup', (ds) => ds.some((x) => codeOf(x) === 'close-wait-pileup'));
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('CLOSE-WAIT'));
    assert.ok(line > 0);
    // The server finally closes: CLOSE-WAIT becomes LAST-ACK.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(line, 0, line, 'CLOSE-WAIT'.length), 'LAST-ACK  ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsWhere(doc.uri, 'the finding gone after the edit', (ds) => !ds.some((x) => codeOf(x) === 'close-wait-pileup'));
    // Paste a second table below: its finding appears on its own lines.
    const end = doc.lineCount;
    const paste = new vscode.WorkspaceEdit();
    paste.insert(doc.uri, new vscode.Position(end, 0), `\n$ ss -tanp\n${text}`);
    assert.ok(await vscode.workspace.applyEdit(paste));
    const ds = await diagnosticsWhere(doc.uri, 'the pasted table judged', (x) => x.some((d) => codeOf(d) === 'close-wait-pileup'));
    const d = ds.find((x) => codeOf(x) === 'close-wait-pileup')!;
    assert.ok(d.range.start.line > end, `anchored in the pasted table (line ${d.range.start.line} > ${end})`);
    assert.equal(doc.getText(d.range), 'CLOSE-WAIT');
    // The whole document, analysed from scratch, agrees with what the editor shows.
    const fresh = analyse(doc.getText());
    assert.deepEqual(
      ours(doc.uri).map((x) => `${codeOf(x)}@${x.range.start.line}`),
      fresh.findings.map((f) => `${f.code}@${f.lines[0]}`),
    );
  });

  test('connection findings in a tcpdump capture, with quick fixes to explain, diagram and step through', async () => {
    const text = await fixture(...TCPDUMP_REFUSED);
    const model = analyse(text);
    const refused = model.findings.filter((f) => f.code === 'connection-refused');
    assert.ok(refused.length > 0);
    const doc = await untitled(text);
    const ds = await diagnosticsWhere(doc.uri, 'connection-refused', (x) => x.filter((d) => codeOf(d) === 'connection-refused').length === refused.length);
    const d = ds.find((x) => codeOf(x) === 'connection-refused')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, refused[0]!.lines[0]);
    assert.match(doc.getText(d.range), /^(?:Flags )?\[[SR.]+\]$/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Explain connection-refused'), titles.join(' | '));
    const connection = refused[0]!.connection;
    assert.ok(connection !== undefined, 'the finding names its connection');
    // Titles count connections from 1, as the hover, report and CLI do.
    assert.ok(titles.includes(`Show connection ${connection + 1} in the sequence diagram`), titles.join(' | '));
    assert.ok(titles.includes(`Step through connection ${connection + 1}`), titles.join(' | '));
    const explain = actions.find((a) => a.title === 'Explain connection-refused')!;
    assert.equal(explain.command?.command, 'tcpLens.explain');
    assert.equal((explain.command!.arguments![0] as vscode.Uri).toString(), doc.uri.toString());
    assert.equal(explain.command!.arguments![1], refused[0]!.lines[0]);
  });

  test('"Copy the suggested change" puts a reviewed sysctl.conf fragment on the clipboard and writes no file', async () => {
    const text = await fixture(...SS_TIME_WAIT);
    const doc = await untitled(text);
    const [d] = await diagnosticsWhere(doc.uri, 'time-wait-pileup', (ds) => ds.some((x) => codeOf(x) === 'time-wait-pileup'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d!.range);
    const copy = actions.find((a) => a.title === 'Copy the suggested change (net.ipv4.tcp_tw_reuse=1)');
    assert.ok(copy, actions.map((a) => a.title).join(' | '));
    assert.equal(copy.command?.command, 'tcpLens.copySnippet');
    await vscode.env.clipboard.writeText('before');
    await vscode.commands.executeCommand(copy.command!.command, ...(copy.command!.arguments ?? []));
    const clip = await eventually('the clipboard', async () => {
      const t = await vscode.env.clipboard.readText();
      return t !== 'before' ? t : undefined;
    });
    const lines = clip.split('\n');
    assert.match(lines[0]!, /^# TCP Lens: the change suggested for time-wait-pileup \(line \d+\)\. Review it first: TCP Lens never changes system files\.$/);
    assert.ok(lines.includes('net.ipv4.tcp_tw_reuse = 1'), clip);
    assert.ok(doc.isDirty, 'the document is untouched (still the unsaved paste)');
  });

  test('past 1,000 problems: the most severe first and one summary of what was left out', async () => {
    // 1,100 real ss tables (one CLOSE-WAIT note each), then a real capture with three refused connections (errors).
    const table = await fixture(...SS_HALF_CLOSE);
    const capture = await fixture(...TCPDUMP_REFUSED);
    const parts: string[] = [];
    for (let i = 0; i < 1100; i++) parts.push(`$ ss -tanp\n${table.trimEnd()}\n`);
    parts.push(`$ tcpdump -nn -i lo\n${capture}`);
    const text = parts.join('\n');
    const model = analyse(text);
    const errors = model.findings.filter((f) => f.severity === 'error').length;
    const notes = model.findings.filter((f) => f.severity === 'info').length;
    assert.equal(notes, 1100);
    assert.ok(errors >= 1);
    const doc = await untitled(text);
    const ds = await diagnosticsWhere(doc.uri, '1,000 diagnostics', (x) => x.length === 1000, 60_000);
    assert.equal(ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, errors, 'every error is shown although they come last');
    const summary = ds.find((d) => codeOf(d) === 'more-problems');
    assert.ok(summary);
    const left = model.findings.length - 999;
    assert.equal(summary.message, `TCP Lens shows 999 of ${model.findings.length} problems in this file, the most severe first; not shown: ${left} notes. The Explain report lists them all.`);
  });
});

suite('TCP Lens explains a capture file from disk', () => {
  test('"Explain a capture file..." streams the file, analyses it and opens the report', async () => {
    const ext = await extension();
    const uri = fixtureUri(ext, ...SS_TIME_WAIT);
    await vscode.commands.executeCommand('tcpLens.explainFile', uri);
    const report = await eventually('the report document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'tcp-lens' && d.uri.path.startsWith('/report/') && d.uri.path.endsWith('ss_-tanp.txt.md')),
    );
    const markdown = report.getText();
    assert.ok(markdown.startsWith('# '), markdown.slice(0, 100));
    // The file name is the report's title (Markdown-escaped).
    assert.match(markdown.split('\n')[0]!, /ss\\?_\\?-tanp\\?\.txt/);
    assert.ok(markdown.includes('TIME-WAIT'));
    assert.ok(markdown.includes('time-wait-pileup'));
  });
});
