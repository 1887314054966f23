// Runs inside the extension host of a real VS Code (code-server in the browser, or desktop VS Code through
// @vscode/test-electron) with the samples folder open. Talks to the extension only through VS Code's API, the way
// VS Code itself does: extension activation, registered commands, hover providers, configuration, webview tabs.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tcp-lens.tcp-lens';
/** The netstat -natp snapshot of samples/ (scenario 01, both ends ESTABLISHED). */
const NETSTAT_SAMPLE = 'netstat-natp-established.txt';
/** The webview panel that shows the sequence diagram (the report panel, src/extension/reportPanel.ts). */
const DIAGRAM_VIEW_TYPE = 'tcpLens.report';

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run must open the samples folder as the workspace');
  return folder.uri;
}

async function openSample(name: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

function hoverText(hovers: readonly vscode.Hover[]): string[] {
  const out: string[] = [];
  for (const hover of hovers) {
    for (const part of hover.contents) {
      if (typeof part === 'string') out.push(part);
      else if (part instanceof vscode.MarkdownString) out.push(part.value);
      else out.push((part as { value: string }).value);
    }
  }
  return out;
}

/** The Markdown of every hover VS Code collects at the middle of the `occurrence`-th `word` in `doc`. */
async function hoverAt(doc: vscode.TextDocument, word: string, occurrence = 0): Promise<string> {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(word, at + 1);
    assert.ok(at >= 0, `"${word}" (occurrence ${occurrence}) is not in ${doc.uri.toString()}`);
  }
  const position = doc.positionAt(at + Math.floor(word.length / 2));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
  return hoverText(hovers ?? []).join('\n---\n');
}

suite('TCP Lens in a real VS Code extension host', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ')}`);
    extension = found;
    await extension.activate();
  });

  test('the extension under test is this repository and is active', () => {
    assert.equal(extension.isActive, true);
    const manifest = extension.packageJSON as { name: string; publisher: string; main: string };
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.equal(manifest.main, './dist/extension.js');
  });

  test('contributes and registers the command tcpLens.showDiagram', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('tcpLens.showDiagram'), 'tcpLens.showDiagram is not registered');
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands;
    assert.deepEqual(contributed.map((c) => c.command).filter((c) => c === 'tcpLens.showDiagram'), ['tcpLens.showDiagram']);
  });

  test('hover over ESTABLISHED in a netstat sample names the RFC 9293 state', async () => {
    const doc = await openSample(NETSTAT_SAMPLE);
    assert.equal(doc.languageId, 'plaintext');
    const markdown = await eventually('a TCP Lens hover', async () => {
      const md = await hoverAt(doc, 'ESTABLISHED');
      return md.includes('**ESTABLISHED**') ? md : undefined;
    });
    assert.ok(markdown.includes('**ESTABLISHED**'), markdown);
  });

  test('hover works in an untitled plaintext document and in a log document', async () => {
    const sample = await openSample(NETSTAT_SAMPLE);
    // A real line of the sample (the server side of the established connection), typed into a new document.
    const line = sample.getText().split('\n').find((l) => l.includes('ESTABLISHED'));
    assert.ok(line, 'the netstat sample has an ESTABLISHED line');
    const untitled = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `${line}\n` });
    assert.equal(untitled.isUntitled, true);
    assert.ok((await hoverAt(untitled, 'ESTABLISHED')).includes('**ESTABLISHED**'), 'no TCP Lens hover in an untitled document');

    const asLog = await vscode.languages.setTextDocumentLanguage(
      await vscode.workspace.openTextDocument({ language: 'plaintext', content: `${line}\n` }),
      'log',
    );
    assert.equal(asLog.languageId, 'log');
    assert.ok((await hoverAt(asLog, 'ESTABLISHED')).includes('**ESTABLISHED**'), 'no TCP Lens hover in a log document');
  });

  test('hover speaks Chinese when tcpLens.language is zh-cn', async () => {
    const config = vscode.workspace.getConfiguration('tcpLens');
    await config.update('language', 'zh-cn', vscode.ConfigurationTarget.Global);
    try {
      const doc = await openSample(NETSTAT_SAMPLE);
      const markdown = await eventually('a Chinese TCP Lens hover', async () => {
        const md = await hoverAt(doc, 'ESTABLISHED');
        return md.includes('已建立') ? md : undefined;
      });
      assert.ok(markdown.includes('**ESTABLISHED**'), markdown);
      assert.ok(markdown.includes('已建立'), markdown);
    } finally {
      await config.update('language', undefined, vscode.ConfigurationTarget.Global);
    }
    const doc = await openSample(NETSTAT_SAMPLE);
    const back = await eventually('the English hover again', async () => {
      const md = await hoverAt(doc, 'ESTABLISHED');
      return md.includes('**ESTABLISHED**') && !md.includes('已建立') ? md : undefined;
    });
    assert.ok(!back.includes('已建立'), back);
  });

  test('"TCP Lens: Show Sequence Diagram" opens the diagram webview panel', async () => {
    await openSample(NETSTAT_SAMPLE);
    await vscode.commands.executeCommand('tcpLens.showDiagram');
    // The tab's viewType carries a prefix added by the workbench (e.g. "mainThreadWebview-tcpLens.report").
    const tab = await eventually(`a ${DIAGRAM_VIEW_TYPE} webview tab`, () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(DIAGRAM_VIEW_TYPE)),
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    await vscode.window.tabGroups.close(tab);
  });
});
