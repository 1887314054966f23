// UI: TCP Lens installed from the .vsix that `npm run package` builds, exactly as a user installs it
// (code-server --install-extension), with no development payload and no test hooks in the URL. Covers the hover
// and the mermaid sequence diagram rendered in the webview.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { after, before, test } from 'node:test';
import { clearNotifications, hoverWord, openFile, runCommand } from '../harness/browser.mjs';
import { installVsix, makeRunDir } from '../harness/codeServer.mjs';
import { repoRoot } from '../harness/install.mjs';
import { openWorkbench, screenshot } from './support.mjs';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const vsix = process.env.TCP_LENS_VSIX ?? path.join(repoRoot, 'dist-vsix', 'tcp-lens.vsix');

let wb;
let installed;

before(async () => {
  assert.ok(existsSync(vsix), `${vsix} is missing: run \`npm run package\` first (test/harness/ui.mjs does)`);
  const runDir = makeRunDir();
  const extensionsDir = path.join(runDir, 'ext');
  installed = await installVsix(vsix, { runDir, extensionsDir });
  wb = await openWorkbench({ mode: 'installed', runDir, extensionsDir });
});

after(async () => {
  await wb?.close();
});

test('code-server lists the extension as installed from the .vsix', () => {
  assert.ok(
    installed.installed.includes(`${EXTENSION_ID}@${manifest.version}`),
    `installed extensions: ${JSON.stringify(installed.installed)}; install log:\n${installed.installLog}`,
  );
});

test('the installed extension shows the hover over ESTABLISHED', async () => {
  const { page } = wb;
  await openFile(page, 'netstat-natp-established.txt');
  await clearNotifications(page);
  const { locator } = await hoverWord(page, 'ESTABLISHED', { expect: 'ESTABLISHED' });
  const bold = await locator.locator('strong').allInnerTexts();
  assert.ok(bold.includes('ESTABLISHED'), `bold parts: ${JSON.stringify(bold)}`);
  await screenshot(page, 'installed-hover');
  await page.mouse.move(5, 5);
});

test('"TCP Lens: Show Sequence Diagram" renders the mermaid handshake in the webview', async () => {
  const { page } = wb;
  await runCommand(page, 'TCP Lens: Show Sequence Diagram');
  // The webview is two iframes deep: VS Code's host frame, then the frame holding the extension's HTML.
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const svg = frame.locator('#diagram[data-rendered="true"] svg');
  await svg.first().waitFor({ state: 'visible', timeout: 45_000 });
  const texts = (await frame.locator('#diagram svg text').allTextContents()).map((t) => t.trim()).filter(Boolean);
  for (const expected of ['SYN', 'Client', 'Server']) {
    assert.ok(texts.some((t) => t.includes(expected)), `the diagram has no "${expected}"; its texts: ${JSON.stringify(texts)}`);
  }
  assert.ok(texts.some((t) => /^SYN\b/.test(t) || t === 'SYN'), `no message labelled SYN: ${JSON.stringify(texts)}`);
  await screenshot(page, 'installed-diagram');
});
