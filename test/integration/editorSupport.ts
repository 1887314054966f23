// Helpers shared by the editor and diagnostics suites (not a test file itself).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'tcp-lens.tcp-lens';

export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function extension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

/** A real capture from the repository's test/fixtures (the extension under test is the repository). */
export async function fixture(...parts: string[]): Promise<string> {
  const ext = await extension();
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', ...parts));
  return new TextDecoder('utf-8').decode(bytes);
}

export function fixtureUri(ext: vscode.Extension<unknown>, ...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', ...parts);
}

/** An untitled document holding `content`, shown in an editor (as a user pastes into a new editor). */
export async function untitled(content: string, language = 'plaintext'): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'TCP Lens');
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

/** Wait until TCP Lens's diagnostics of `uri` satisfy `accept`. */
export function diagnosticsWhere(uri: vscode.Uri, what: string, accept: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 15_000): Promise<vscode.Diagnostic[]> {
  return eventually(what, () => {
    const ds = ours(uri);
    return accept(ds) ? ds : undefined;
  }, timeoutMs);
}

/** Set a tcpLens setting (user scope) for the duration of `body`; waits until the new value is visible. */
export async function withSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  await setSetting(key, value);
  try {
    return await body();
  } finally {
    await setSetting(key, undefined);
  }
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('tcpLens').update(key, value, vscode.ConfigurationTarget.Global);
  await eventually(`tcpLens.${key} = ${JSON.stringify(value)}`, () => {
    const now = vscode.workspace.getConfiguration('tcpLens').inspect(key)?.globalValue;
    return JSON.stringify(now) === JSON.stringify(value) ? true : undefined;
  });
}
