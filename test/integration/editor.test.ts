// CodeLens, language modes and typing in a real VS Code extension host, on documents made from the real captures.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { analyse } from '../../src/core/analyse';
import { statusContent } from '../../src/extension/statusBar';
import { codeOf, diagnosticsWhere, eventually, extension, fixture, untitled, withSetting } from './editorSupport';

const SS_HALF_CLOSE = ['sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'ss_-tanp.txt'];
const NETSTAT_HALF_CLOSE = ['sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'netstat_-natp.txt'];
const TCPDUMP_HALF_CLOSE = ['packets', '05_half_close', 'tcpdump_nn.txt'];

async function lenses(doc: vscode.TextDocument, expected: number): Promise<vscode.CodeLens[]> {
  return eventually(`${expected} CodeLenses`, async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    const ours = (found ?? []).filter((l) => l.command && (l.command.command.startsWith('tcpLens.') || l.command.command === ''));
    return ours.length === expected ? ours : undefined;
  });
}

suite('TCP Lens in the editor', () => {
  suiteSetup(async () => {
    await extension();
  });

  test('CodeLens above each block: explain, what it holds, sequence diagram and step through for a capture', async () => {
    const ss = await fixture(...SS_HALF_CLOSE);
    const capture = await fixture(...TCPDUMP_HALF_CLOSE);
    const text = `$ ss -tanp\n${ss}\n$ tcpdump -nn -i lo\n${capture}`;
    const model = analyse(text);
    assert.equal(model.blocks.length, 2);
    const doc = await untitled(text);
    // Socket table: explain + summary; capture: explain + summary + diagram + step through.
    const found = await lenses(doc, 6);
    const table = found.filter((l) => l.range.start.line === model.blocks[0]!.firstLine);
    const cap = found.filter((l) => l.range.start.line === model.blocks[1]!.firstLine);
    assert.deepEqual(
      table.map((l) => l.command!.title),
      ['$(info) Explain this table', `${model.blocks[0]!.variant} — 3 sockets · LISTEN 1, FIN-WAIT-2 1, CLOSE-WAIT 1 · 1 problem`],
    );
    assert.equal(table[0]!.command!.command, 'tcpLens.explain');
    assert.equal((table[0]!.command!.arguments![0] as vscode.Uri).toString(), doc.uri.toString());
    assert.equal(table[0]!.command!.arguments![1], model.blocks[0]!.firstLine);
    const segments = model.segments.length;
    const connections = model.connections.length;
    const capProblems = model.findings.filter((f) => (f.lines[0] ?? 0) >= model.blocks[1]!.firstLine).length;
    assert.deepEqual(
      cap.map((l) => l.command!.title),
      [
        '$(info) Explain this capture',
        `${model.blocks[1]!.variant} — ${segments} segments · ${connections === 1 ? '1 connection' : `${connections} connections`} · ${capProblems === 1 ? '1 problem' : `${capProblems} problems`}`,
        '$(type-hierarchy) Sequence diagram',
        '$(debug-step-over) Step through',
      ],
    );
    assert.equal(cap[3]!.command!.command, 'tcpLens.stepThrough');
    assert.deepEqual(cap[3]!.command!.arguments![0], { uri: doc.uri.toString(), connection: model.connections[0]!.id, line: model.blocks[1]!.firstLine });
    // Turned off in the settings.
    await withSetting('codeLens.enabled', false, async () => {
      await lenses(doc, 0);
    });
  });

  test('an untitled paste is switched to the matching TCP Lens mode; a saved file never is', async () => {
    const ss = await untitled(await fixture(...SS_HALF_CLOSE));
    const netstat = await untitled(await fixture(...NETSTAT_HALF_CLOSE));
    const tcpdump = await untitled(await fixture(...TCPDUMP_HALF_CLOSE));
    for (const [doc, mode] of [
      [ss, 'ss'],
      [netstat, 'netstat'],
      [tcpdump, 'tcpdump'],
    ] as const) {
      await eventually(`${mode} mode`, () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri.toString() && d.languageId === mode));
    }
    // Diagnostics carry over to the new mode.
    await diagnosticsWhere(ss.uri, 'diagnostics in the ss mode', (ds) => ds.some((d) => codeOf(d) === 'close-wait-pileup'));
    // A saved file of the samples folder stays plain text even though TCP Lens reads it.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const saved = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'ss-client-closed-server-not-yet.txt'));
    await vscode.window.showTextDocument(saved);
    await diagnosticsWhere(saved.uri, 'the saved file analysed', (ds) => ds.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.toString() === saved.uri.toString())?.languageId, 'plaintext');
  });

  test('auto language mode off: the paste stays plain text', async () => {
    await withSetting('autoLanguageMode', false, async () => {
      const doc = await untitled(await fixture(...SS_HALF_CLOSE));
      await diagnosticsWhere(doc.uri, 'analysed', (ds) => ds.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri.toString())?.languageId, 'plaintext');
    });
  });

  test('status bar text: states of a socket table, connections of a capture, and problems', async () => {
    const ss = analyse(await fixture(...SS_HALF_CLOSE));
    const table = statusContent(ss);
    assert.ok(table);
    assert.equal(table.text, '$(pulse) LISTEN 1 FIN-WAIT-2 1 CLOSE-WAIT 1  $(info) 1');
    assert.ok(table.tooltip.includes('LISTEN: 1, FIN-WAIT-2: 1, CLOSE-WAIT: 1'), table.tooltip);
    assert.ok(table.tooltip.includes('Problems: errors 0 · warnings 0 · notes 1'), table.tooltip);
    const capture = analyse(await fixture(...TCPDUMP_HALF_CLOSE));
    const infos = capture.findings.filter((f) => f.severity === 'info').length;
    const warnings = capture.findings.filter((f) => f.severity === 'warning').length;
    const text = statusContent(capture)!.text;
    assert.equal(text, `$(pulse) 1 connection  ${warnings ? `$(warning) ${warnings} ` : ''}$(info) ${infos}`);
    assert.equal(statusContent(analyse('just a note, no tool output\n')), undefined);
  });

  test('"Explain" without the report panel opens the finding as Markdown (the explainFinding command)', async () => {
    const doc = await untitled(await fixture(...SS_HALF_CLOSE));
    const [d] = await diagnosticsWhere(doc.uri, 'close-wait-pileup', (ds) => ds.some((x) => codeOf(x) === 'close-wait-pileup'));
    await vscode.commands.executeCommand('tcpLens.explainFinding', { uri: doc.uri.toString(), line: d!.range.start.line, code: 'close-wait-pileup' });
    const shown = await eventually('the finding explanation', () =>
      vscode.workspace.textDocuments.find((x) => x.uri.scheme === 'tcp-lens' && x.uri.path === '/finding/close-wait-pileup.md' && x.uri.query.includes(doc.uri.toString())),
    );
    assert.ok(shown.getText().startsWith('# `close-wait-pileup` — Note'), shown.getText().slice(0, 80));
    assert.ok(shown.getText().includes('## Lines involved'));
    assert.ok(shown.getText().includes('**CLOSE-WAIT**'));
  });

  test('typing line by line keeps the model equal to a fresh analysis', async () => {
    // Plain text throughout (a mode switch would replace the editor object under the typing).
    await withSetting('autoLanguageMode', false, () => typeAndCompare());
  });
});

async function typeAndCompare(): Promise<void> {
  {
    const table = (await fixture(...SS_HALF_CLOSE)).trimEnd().split('\n');
    const doc = await untitled('notes from the incident\n');
    const editor = await vscode.window.showTextDocument(doc);
    // Type the table one line at a time, as a person pasting it piecemeal would.
    for (const line of table) {
      await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount - 1, 0), `${line}\n`));
    }
    // Delete and retype one row in the middle.
    const row = doc.getText().split('\n').findIndex((l) => l.startsWith('FIN-WAIT-2'));
    const saved = doc.lineAt(row).text;
    await editor.edit((b) => b.delete(new vscode.Range(row, 0, row + 1, 0)));
    await editor.edit((b) => b.insert(new vscode.Position(row, 0), `${saved}\n`));
    const fresh = analyse(doc.getText());
    assert.ok(fresh.findings.length > 0);
    const expected = fresh.findings.map((f) => `${f.code}@${f.lines[0]}:CLOSE-WAIT`).join(' ');
    const shown = (x: vscode.Diagnostic[]): string => x.map((d) => `${codeOf(d)}@${d.range.start.line}:${doc.getText(d.range)}`).join(' ');
    // Intermediate states (the row deleted, not yet retyped) may show first; the last one must match.
    const ds = await diagnosticsWhere(doc.uri, `diagnostics "${expected}"`, (x) => shown(x) === expected);
    assert.equal(shown(ds), expected);
  }
}
