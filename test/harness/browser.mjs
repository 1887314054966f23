// Headless Chromium (Debian's /usr/bin/chromium, never a downloaded one) driven by playwright-core, plus the
// workbench helpers the UI tests share. Every wait is a condition polled against a deadline; nothing sleeps a fixed
// time hoping the UI caught up.
/* global document, NodeFilter, getComputedStyle -- used inside page.evaluate(), which runs in the page */
import { existsSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function chromiumPath() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${CANDIDATES.join(', ')}); install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return found;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: process.env.TCP_LENS_HEADED ? false : true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function newPage(browser, { width = 1400, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  return page;
}

/** Polls `probe` until it returns a truthy value; throws `what` with the last error after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const until = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message ?? lastError}` : ''}`);
    }
    await delay(intervalMs);
  }
}

/** Waits until the workbench is up: its frame rendered and the explorer listing the opened folder. */
export async function waitForWorkbench(page, { timeoutMs = 60_000 } = {}) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Opens a file of the workspace by name: a click on its explorer row when the row is visible (a top-level file),
 * otherwise Quick Open (Ctrl+P). Returns once the editor shows its text.
 */
export async function openFile(page, fileName, { timeoutMs = 30_000 } = {}) {
  const tab = page.locator('.tabs-container .tab', { hasText: fileName });
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  if (await row.isVisible()) {
    await row.click();
  } else {
    await waitFor(`quick open to list ${fileName}`, async () => {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(fileName);
      const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: fileName }).first();
      try {
        await pick.waitFor({ state: 'visible', timeout: 5000 });
      } catch (err) {
        await page.keyboard.press('Escape');
        throw err;
      }
      await page.keyboard.press('Enter');
      return true;
    }, { timeoutMs });
  }
  await tab.first().waitFor({ state: 'visible', timeout: timeoutMs });
  const lines = page.locator('.editor-group-container.active .editor-instance .view-lines').first();
  await waitFor(`${fileName} to show text`, async () => ((await lines.innerText()) ?? '').trim().length > 0, { timeoutMs });
}

/**
 * The screen box of the first occurrence of `word` in the visible editor lines. Monaco splits a line into several
 * spans (tokens, and for long words arbitrary pieces), so the word is located with a DOM Range over the line's text
 * nodes instead of a selector.
 */
export async function wordBox(page, word, { occurrence = 0 } = {}) {
  return page.evaluate(
    ({ word, occurrence }) => {
      const lines = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].sort(
        (a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top,
      );
      let seen = 0;
      for (const line of lines) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let text = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          nodes.push({ node: n, start: text.length });
          text += n.textContent;
        }
        // Monaco renders spaces as U+00A0.
        const plain = text.replace(/\u00a0/g, ' ');
        let from = 0;
        for (;;) {
          const at = plain.indexOf(word, from);
          if (at < 0) break;
          from = at + 1;
          if (seen++ < occurrence) continue;
          const locate = (offset) => {
            for (let i = nodes.length - 1; i >= 0; i--) {
              if (nodes[i].start <= offset) return { node: nodes[i].node, offset: offset - nodes[i].start };
            }
            return { node: nodes[0].node, offset: 0 };
          };
          const a = locate(at);
          const b = locate(at + word.length - 1);
          const range = document.createRange();
          range.setStart(a.node, a.offset);
          range.setEnd(b.node, b.offset + 1);
          const r = range.getBoundingClientRect();
          return { x: r.left, y: r.top, width: r.width, height: r.height };
        }
      }
      return null;
    },
    { word, occurrence },
  );
}

/**
 * Hovers `word` in the editor until a hover containing `expect` (a string) is visible, and returns the hover's
 * text. Re-hovers while the extension host is still starting (the first hovers can come before the extension has
 * registered its provider). Waits for the fade-in to finish (opacity 1) so a screenshot shows the hover fully.
 */
export async function hoverWord(page, word, { expect, occurrence = 0, timeoutMs = 45_000 } = {}) {
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: expect ?? word });
  let attempt = 0;
  const text = await waitFor(`a hover over "${word}" containing "${expect ?? word}"`, async () => {
    const box = await wordBox(page, word, { occurrence });
    if (!box) throw new Error(`"${word}" is not on screen`);
    // Move away first so every attempt is a fresh hover.
    await page.mouse.move(5, 5);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 + (attempt++ % 3) });
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      return undefined;
    }
    return hover.first().innerText();
  }, { timeoutMs, intervalMs: 250 });
  await waitFor('the hover to finish fading in', async () =>
    hover.first().evaluate((el) => {
      for (let e = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (Number(style.opacity) < 1 || style.visibility === 'hidden') return false;
        if (e.getAnimations?.().some((a) => a.playState === 'running')) return false;
      }
      return true;
    }),
  { timeoutMs: 5000, intervalMs: 50 });
  return { text, locator: hover.first() };
}

/**
 * Runs a command through the command palette (F1) by clicking the row whose label is exactly `title`. Enter would run
 * the palette's top-ranked row, which for some titles is another command ("File: Compare New Untitled Text Files"
 * above "File: New Untitled Text File", "Preferences: Browse Color Themes in Marketplace" above "Preferences: Color
 * Theme"); a row that merely contains the title could be one of those too.
 */
export async function runCommand(page, title, { timeoutMs = 30_000 } = {}) {
  await waitFor(`the command "${title}" in the command palette`, async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(`>${title}`);
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    let index = -1;
    try {
      await rows.first().waitFor({ state: 'visible', timeout: 3000 });
      index = (await rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent ?? ''))).indexOf(title);
    } catch {
      // the list did not show up yet
    }
    if (index < 0) {
      await page.keyboard.press('Escape');
      return false;
    }
    await rows.nth(index).click();
    return true;
  }, { timeoutMs, intervalMs: 250 });
}

/** Closes the notification toasts so they do not cover screenshots. */
export async function clearNotifications(page) {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

/**
 * Replaces the user's settings.json through the workbench, as a user does: "Preferences: Open User Settings
 * (JSON)", select all, insert the new text, save, close. (Writing the file behind the workbench's back relies on a
 * file watcher and proved unreliable in code-server.) Returns once the saved editor is closed.
 */
export async function editUserSettings(page, settings, { timeoutMs = 30_000 } = {}) {
  await runCommand(page, 'Preferences: Open User Settings (JSON)', { timeoutMs });
  const tab = page.locator('.tabs-container .tab.active', { hasText: 'settings.json' });
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await editor.waitFor({ state: 'visible', timeout: timeoutMs });
  await editor.click();
  await page.keyboard.press('Control+A');
  // Pasted, not typed: typing goes through auto-closing brackets/quotes and auto-indent.
  const text = JSON.stringify(settings, null, 2);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.evaluate((t) => globalThis.navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
  await waitFor('the pasted settings in the editor', async () =>
    page.evaluate(() => document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent?.includes('}') ?? false),
  { timeoutMs });
  await page.keyboard.press('Control+S');
  await waitFor('settings.json to be saved', async () => (await page.locator('.tabs-container .tab.dirty', { hasText: 'settings.json' }).count()) === 0, { timeoutMs });
  await runCommand(page, 'View: Close Editor', { timeoutMs });
  await page.locator('.tabs-container .tab', { hasText: 'settings.json' }).waitFor({ state: 'detached', timeout: timeoutMs });
}
