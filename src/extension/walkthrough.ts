import * as vscode from 'vscode';

export const OPEN_SAMPLE_COMMAND = 'tcpLens.openSample';

/** Sample captures bundled with the extension for the walkthrough; only these names can be opened. */
const SAMPLES = new Set(['tcpdump-normal-close.txt', 'ss-client-closed-server-not-yet.txt', 'ss-300-time-wait.txt']);

/** Opens a bundled sample capture read-only from the extension's folder (works in the web extension host too). */
export function registerWalkthrough(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_SAMPLE_COMMAND, async (name?: unknown) => {
    const file = typeof name === 'string' && SAMPLES.has(name) ? name : 'tcpdump-normal-close.txt';
    const uri = vscode.Uri.joinPath(context.extensionUri, 'media', 'samples', file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
  });
}
