import * as vscode from 'vscode';
import { makeNonce } from './nonce';

export interface WebviewPage {
  /** Bundle name under dist/webview (without .js); its stylesheet, when it has one, is `<script>.css` beside it. */
  readonly script: string;
  readonly title: string;
  /** Static, trusted markup for the page body (the script fills it); never user text. */
  readonly body: string;
  readonly lang: string;
  /** Link `dist/webview/<script>.css` (the webview bundle imports its CSS; esbuild writes it there). Default true. */
  readonly style?: boolean;
}

/**
 * Where webview code and styles come from: the webview bundle folder and nothing else. Scripts, mermaid's chunks
 * and the stylesheet are all written there by esbuild, so a webview cannot read the extension's other files
 * (package.json, the extension host bundle, media/ icons) nor anything in the workspace.
 */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
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
  const bundle = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(bundle, `${page.script}.js`));
  const style = page.style === false ? undefined : webview.asWebviewUri(vscode.Uri.joinPath(bundle, `${page.script}.css`));
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style ? `<link rel="stylesheet" href="${escapeHtml(style.toString())}">\n` : ''}<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
<script type="module" nonce="${nonce}" src="${escapeHtml(script.toString())}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
