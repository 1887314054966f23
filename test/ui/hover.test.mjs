// UI: the hover as a user sees it in the real workbench, with this repository loaded as the extension under
// development. Also produces the README screenshot test-results/screenshots/readme-hover.png.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { clearNotifications, editUserSettings, hoverWord, openFile, waitFor } from '../harness/browser.mjs';
import { openWorkbench, screenshot } from './support.mjs';

const NETSTAT_SAMPLE = 'netstat-natp-established.txt';

let wb;

before(async () => {
  wb = await openWorkbench({ mode: 'development' });
});

after(async () => {
  await wb?.close();
});

test('hovering ESTABLISHED in the netstat sample shows the RFC 9293 state name in bold', async () => {
  const { page } = wb;
  await openFile(page, NETSTAT_SAMPLE);
  await clearNotifications(page);
  const { text, locator } = await hoverWord(page, 'ESTABLISHED', { expect: 'ESTABLISHED' });
  // Markdown **ESTABLISHED** is rendered as <strong>.
  const bold = await locator.locator('strong').allInnerTexts();
  assert.ok(bold.includes('ESTABLISHED'), `no bold ESTABLISHED in the hover; bold parts: ${JSON.stringify(bold)}; text: ${text}`);
  await screenshot(page, 'readme-hover');
});

test('the hover switches to Chinese when the user sets tcpLens.language to zh-cn', async () => {
  const { page, runDir } = wb;
  const settings = JSON.parse(readFileSync(path.join(runDir, 'ud', 'User', 'settings.json'), 'utf8'));
  await editUserSettings(page, { ...settings, 'tcpLens.language': 'zh-cn' });
  // The settings editor replaced the sample's preview tab: open it again.
  await openFile(page, NETSTAT_SAMPLE);
  try {
    const { text, locator } = await hoverWord(page, 'ESTABLISHED', { expect: '已建立' });
    assert.ok(text.includes('已建立'), text);
    const bold = await locator.locator('strong').allInnerTexts();
    assert.ok(bold.includes('ESTABLISHED'), `no bold ESTABLISHED in the Chinese hover; bold parts: ${JSON.stringify(bold)}`);
    await screenshot(page, 'hover-zh-cn');
  } finally {
    await page.mouse.move(5, 5);
    await editUserSettings(page, settings);
    await openFile(page, NETSTAT_SAMPLE);
  }
  // And back to English once the setting is gone.
  await waitFor('the English hover again', async () => {
    const { text } = await hoverWord(page, 'ESTABLISHED', { expect: 'ESTABLISHED', timeoutMs: 10_000 });
    return !text.includes('已建立');
  }, { timeoutMs: 30_000 });
});
