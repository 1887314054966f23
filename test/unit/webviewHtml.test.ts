// The one HTML builder and its Content-Security-Policy, pinned. webviewHtml.ts imports `vscode`, which only exists
// inside an extension host, so this test answers `require('vscode')` with the few members the builder uses: Uri
// joining and a webview's cspSource/asWebviewUri, shaped like VS Code's own.
import { strict as assert } from 'node:assert';
import Module from 'node:module';
import { test } from 'node:test';

interface FakeUri {
  readonly path: string;
  toString(): string;
}
const fakeUri = (path: string): FakeUri => ({ path, toString: () => `file://${path}` });
const fakeVscode = {
  Uri: { joinPath: (base: FakeUri, ...parts: string[]): FakeUri => fakeUri([base.path, ...parts].join('/')) },
};
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const originalLoad = loader._load;
loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  if (request === 'vscode') return fakeVscode;
  return originalLoad.call(this, request, parent, isMain);
};

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const webview = {
  cspSource: CSP_SOURCE,
  asWebviewUri: (u: FakeUri) => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${u.path}` }),
};
const extensionUri = fakeUri('/ext/tcp-lens');

async function builder(): Promise<typeof import('../../src/extension/webviewHtml')> {
  return import('../../src/extension/webviewHtml');
}

test('the CSP is exactly the pinned policy: nonce scripts, inline styles from the webview source, data: images and fonts', async () => {
  const { contentSecurityPolicy } = await builder();
  assert.equal(
    contentSecurityPolicy(CSP_SOURCE, 'abc123'),
    "default-src 'none'; script-src 'nonce-abc123'; style-src https://*.vscode-cdn.net 'unsafe-inline'; img-src data:; font-src data:",
  );
});

test('every page gets a fresh 128-bit nonce from crypto, used by its one script and its CSP only', async () => {
  const { buildWebviewHtml, contentSecurityPolicy } = await builder();
  const pages = [0, 1, 2].map(() =>
    buildWebviewHtml(webview as never, extensionUri as never, { script: 'report', title: 'TCP <Lens> & "x"', lang: 'en', body: '<main id="report"></main>' }),
  );
  const nonces = pages.map((html) => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1, html);
    const nonce = /nonce="([^"]+)"/.exec(scripts[0]!)![1]!;
    // 16 random bytes as base64url without padding: 22 characters.
    assert.match(nonce, /^[\w-]{22}$/);
    assert.equal(Buffer.from(nonce, 'base64url').length, 16);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    assert.equal(meta, contentSecurityPolicy(CSP_SOURCE, nonce));
    assert.equal(html.split(nonce).length - 1, 2, 'the nonce appears in the CSP and on the script, nowhere else');
    return nonce;
  });
  assert.equal(new Set(nonces).size, 3);
  const html = pages[0]!;
  assert.ok(html.includes('<script type="module" nonce="'), html);
  assert.ok(html.includes('src="https://file+.vscode-resource.vscode-cdn.net/ext/tcp-lens/dist/webview/report.js"'), html);
  assert.ok(html.includes('<link rel="stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/tcp-lens/dist/webview/report.css">'), html);
  assert.ok(html.includes('<title>TCP &#60;Lens&#62; &#38; &#34;x&#34;</title>'), html);
  assert.ok(html.includes('<main id="report"></main>'));
});

test('the policy adds nothing: no http(s) source of its own, no eval, no frames, no connect', async () => {
  const { buildWebviewHtml } = await builder();
  const html = buildWebviewHtml(webview as never, extensionUri as never, { script: 'report', title: 't', lang: 'en', body: '' });
  const csp = /content="([^"]+)"/.exec(html)![1]!.replace(CSP_SOURCE, '<cspSource>');
  assert.doesNotMatch(csp, /https?:|unsafe-eval|wasm-unsafe-eval|frame-src|child-src|connect-src|worker-src|\*/);
  assert.deepEqual(
    csp.split('; ').map((d) => d.split(' ')[0]),
    ['default-src', 'script-src', 'style-src', 'img-src', 'font-src'],
  );
});

test('webview options: scripts on, command URIs and forms off, only the webview bundle folder readable', async () => {
  const { webviewOptions } = await builder();
  const options = webviewOptions(extensionUri as never);
  assert.equal(options.enableScripts, true);
  assert.equal(options.enableCommandUris, false);
  assert.equal(options.enableForms, false);
  assert.deepEqual(
    (options.localResourceRoots ?? []).map((u) => (u as unknown as FakeUri).path),
    ['/ext/tcp-lens/dist/webview'],
  );
});
