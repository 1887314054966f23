import * as vscode from 'vscode';
import { makeNonce } from './nonce';

export interface WebviewPage {
  /** Bundle name under dist/webview (without .js). */
  readonly script: string;
  readonly title: string;
  /** Static, trusted markup for the page body (the script fills it); never user text. */
  readonly body: string;
  readonly lang: string;
}

/** Where webview code and styles come from: nothing else is readable by a TCP Lens webview. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: webviewRoots(extensionUri),
    retainContextWhenHidden: false,
  };
}

/**
 * The Content-Security-Policy of every TCP Lens webview. Scripts run only by nonce; mermaid needs inline styles but no
 * eval; images and fonts only as data: so that a label can never make the webview fetch anything.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    'img-src data:',
    'font-src data:',
  ].join('; ');
}

/** The one HTML builder for TCP Lens webviews. */
export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = makeNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page.script}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  return `<!DOCTYPE html>
<html lang="${page.lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
