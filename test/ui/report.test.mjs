// UI: "Explain this capture" in the real workbench (code-server + Chromium), this checkout loaded as the extension
// under development. Opens real captures, runs the command, reads the rendered SVG inside the webview, clicks an
// arrow and checks the editor's selection, moves the cursor and checks the highlight, edits the text, pages through a
// 10,000-segment connection while measuring the webview's main thread, exports SVG and PNG through the save dialog,
// and takes screenshots in the light and dark themes.
//
// The workspace is a private folder holding copies of two samples and a generated 10,000-segment capture, so the
// tests never write into the repository. Timings go to test-results/report-bench.json.
// TCP_LENS_EXTENSION_PATH=<folder> loads the extension from a copy of the built extension (package.json, dist/, ...)
// instead of this checkout, so that a concurrent `node esbuild.js` (which empties dist/) cannot pull files from under a
// running test. With a production build (npm run build:prod) the first test also holds the 1 MB script budget.
/* global document, window, performance -- used inside frame.evaluate(), which runs in the webview */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { after, before, test } from 'node:test';
import { clearNotifications, launchBrowser, newPage, openFile, runCommand, waitFor, waitForWorkbench } from '../harness/browser.mjs';
import { makeRunDir, startCodeServer, workbenchUrl } from '../harness/codeServer.mjs';
import { repoRoot } from '../harness/install.mjs';
import { screenshot } from './support.mjs';

const extensionPath = process.env.TCP_LENS_EXTENSION_PATH ?? repoRoot;
const LOSS = 'tshark-10pct-loss-receiver.txt';
const NORMAL = 'tcpdump-normal-close.txt';
const BIG = 'tcpdump-10000-segments.txt';
const PAGE_SIZE = 50;
const LIGHT = 'Default Light Modern';
const DARK = 'Dark Modern';
const bench = {};

/** The palette title of a command, from the manifest and its English nls bundle. */
function commandTitle(id) {
  const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const nls = JSON.parse(readFileSync(path.join(extensionPath, 'package.nls.json'), 'utf8'));
  const command = manifest.contributes.commands.find((c) => c.command === id);
  assert.ok(command, `package.json does not contribute ${id}`);
  const title = command.title.replace(/^%(.*)%$/, (_, key) => nls[key]);
  return `${command.category ?? 'TCP Lens'}: ${title}`;
}

/**
 * A 10,000-segment tcpdump -nn connection in the line format of samples/tcpdump-normal-close.txt (tcpdump 4.99 prints
 * no `options [...]` when a segment carries none): a handshake, 4,994 data segments of 1000 bytes each ACKed, a
 * repeat of the previous data segment after a 250 ms pause every 400 segments (what a retransmission looks like on
 * the wire), and a three-segment close. Synthetic because no real capture in the corpus is this long.
 */
function bigCapture(dataSegments = 4994) {
  const lines = [];
  let t = 13 * 3600 + 35 * 60 + 11;
  const stamp = (dt) => {
    t += dt;
    const h = Math.floor(t / 3600);
    const m = Math.floor((t % 3600) / 60);
    const s = t % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(6).padStart(9, '0')}`;
  };
  const C = '127.0.0.1.46548';
  const S = '127.0.0.1.8080';
  const out = (dt, from, to, rest) => lines.push(`${stamp(dt)} IP ${from} > ${to}: ${rest}`);
  out(0, C, S, 'Flags [S], seq 2426382983, win 65495, length 0');
  out(0.000015, S, C, 'Flags [S.], seq 2017022054, ack 2426382984, win 65483, length 0');
  out(0.000013, C, S, 'Flags [.], ack 1, win 64, length 0');
  let seq = 1;
  for (let i = 0; i < dataSegments; i++) {
    if (i > 0 && i % 400 === 0) out(0.25, C, S, `Flags [P.], seq ${seq - 1000}:${seq}, ack 1, win 64, length 1000`);
    out(0.00002, C, S, `Flags [P.], seq ${seq}:${seq + 1000}, ack 1, win 64, length 1000`);
    seq += 1000;
    out(0.00001, S, C, `Flags [.], ack ${seq}, win 64, length 0`);
  }
  out(0.5, C, S, `Flags [F.], seq ${seq}, ack 1, win 64, length 0`);
  out(0.00004, S, C, `Flags [F.], seq 1, ack ${seq + 1}, win 64, length 0`);
  out(0.00001, C, S, 'Flags [.], ack 2, win 64, length 0');
  return lines.join('\n') + '\n';
}

let wb;
const consoleLines = [];

before(async () => {
  const runDir = makeRunDir();
  const folder = path.join(runDir, 'ws');
  mkdirSync(folder);
  for (const f of [LOSS, NORMAL]) copyFileSync(path.join(repoRoot, 'samples', f), path.join(folder, f));
  writeFileSync(path.join(folder, BIG), bigCapture());
  const server = await startCodeServer({ folder, runDir, smokeTestDriver: true, settings: { 'workbench.colorTheme': LIGHT, 'files.simpleDialog.enable': true } });
  const browser = await launchBrowser();
  const page = await newPage(browser);
  page.on('console', (m) => consoleLines.push(m.text()));
  await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: extensionPath }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitForWorkbench(page);
  wb = { server, browser, page, folder, runDir };
});

after(async () => {
  mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'test-results', 'report-bench.json'), JSON.stringify(bench, null, 2) + '\n');
  if (!wb) return;
  await wb.browser.close().catch(() => undefined);
  await wb.server.stop();
  rmSync(wb.runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

// ---------------------------------------------------------------------------------------------------------------
// Webview helpers. The panel is two iframes deep; its document is found by the report's own elements.

async function reportFrame(page, { timeoutMs = 60_000 } = {}) {
  return waitFor('the report webview', async () => {
    for (const f of page.frames()) {
      try {
        if (await f.$('#diagram-section')) return f;
      } catch {
        // a frame navigating away
      }
    }
    return undefined;
  }, { timeoutMs, intervalMs: 100 });
}

async function diagramState(frame) {
  return frame.evaluate(() => {
    const d = document.getElementById('diagram');
    const label = document.getElementById('page-label');
    return {
      rendered: d.getAttribute('data-rendered'),
      key: d.getAttribute('data-key'),
      busy: d.getAttribute('aria-busy'),
      highlight: d.getAttribute('data-highlight'),
      page: label ? Number(label.dataset.page) : undefined,
      pages: label ? Number(label.dataset.pages) : undefined,
    };
  });
}

/** Waits for a diagram newer than `oldKey` (or any) to be drawn and returns its state. */
async function waitForDiagram(frame, { oldKey, page, timeoutMs = 60_000 } = {}) {
  return waitFor(`a rendered diagram${page !== undefined ? ` on page ${page + 1}` : ''}`, async () => {
    const s = await diagramState(frame);
    if (s.rendered !== 'true' || s.busy === 'true' || s.key === oldKey) return undefined;
    if (page !== undefined && s.page !== page) return undefined;
    return (await frame.$('#diagram svg')) ? s : undefined;
  }, { timeoutMs, intervalMs: 50 });
}

/** Each arrow's label as drawn, its lines joined by a newline (a marked segment has two). */
async function messageTexts(frame) {
  return frame.$$eval('#diagram svg text.messageText', (els) => {
    const out = [];
    for (const e of els) {
      const i = Number(e.getAttribute('data-arrow'));
      out[i] = out[i] === undefined ? e.textContent : `${out[i]}\n${e.textContent}`;
    }
    return out;
  });
}

async function activeLineNumber(page) {
  const n = await page.locator('.editor-instance .line-numbers.active-line-number').first().innerText({ timeout: 2000 });
  return Number(n.trim());
}

async function gotoLine(page, line) {
  // The panel may have the focus: give it back to the text editor first, as Ctrl+1 does.
  await runCommand(page, 'View: Focus First Editor Group');
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  // Go to Line is Quick Open in ':' mode.
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  try {
    await waitFor(`the cursor on line ${line}`, async () => (await activeLineNumber(page)) === line, { timeoutMs: 10_000 });
  } catch (e) {
    await screenshot(page, `debug-goto-${line}`);
    throw e;
  }
}

/** Switches the color theme the way a user does: "Preferences: Color Theme", then the theme's name. */
async function pickColorTheme(page, name) {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  // The theme picker replaces the command palette in the same widget: wait for its own placeholder.
  await waitFor('the color theme picker', async () => /color theme/i.test((await input.getAttribute('placeholder', { timeout: 1000 })) ?? ''), { timeoutMs: 15_000 });
  await input.fill(name);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 10_000 });
  } catch (e) {
    await screenshot(page, 'debug-theme');
    throw e;
  }
  await page.keyboard.press('Enter');
  await waitFor(`the workbench in ${name}`, async () => page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark')), { timeoutMs: 20_000 });
}

async function explain(page, file) {
  await openFile(page, file);
  await clearNotifications(page);
  const t0 = Date.now();
  await runCommand(page, commandTitle('tcpLens.explain'));
  const frame = await reportFrame(page);
  const state = await waitForDiagram(frame, { timeoutMs: 120_000 });
  return { frame, state, ms: Date.now() - t0 };
}

/** The sizes of the scripts the webview fetched (resource timing: what the browser actually loaded). */
async function fetchedScripts(frame) {
  return frame.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => /\.js(?:$|\?)/.test(e.name))
      .map((e) => ({ name: decodeURIComponent(new URL(e.name).pathname).split('/').pop(), bytes: e.decodedBodySize })),
  );
}

/** The static-import closure of dist/webview from the given files (ESM `from"./x.js"` and `import"./x.js"`). */
function staticClosure(roots) {
  const dir = path.join(extensionPath, 'dist', 'webview');
  const seen = new Set();
  const visit = (rel) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = readFileSync(path.join(dir, rel), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*"(\.\.?\/[\w./-]+\.js)"/g)) visit(path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1])));
  };
  roots.forEach(visit);
  return seen;
}

// ---------------------------------------------------------------------------------------------------------------

test('Explain opens the report beside the editor: summary, connections, and the diagram of the capture', async () => {
  const { page } = wb;
  const { frame, ms } = await explain(page, LOSS);
  bench.lossFirstDiagramMs = ms;
  const texts = await messageTexts(frame);
  assert.equal(texts.length, PAGE_SIZE);
  assert.equal(texts[0], 'SYN seq=0 len=0 win=64240');
  assert.equal(texts[1], 'SYN, ACK seq=0 ack=1 len=0 win=65160');
  const actors = await frame.$$eval('#diagram svg text.actor', (els) => [...new Set(els.map((e) => e.textContent))]);
  assert.deepEqual(actors.sort(), ['Client 10.200.10.1:56152', 'Server 10.200.11.2:8080']);
  // State notes from the connection rebuild.
  const notes = await frame.$$eval('#diagram svg .noteText', (els) => els.map((e) => e.textContent));
  assert.ok(notes.includes('client SYN-SENT · server SYN-RECEIVED'), JSON.stringify(notes.slice(0, 6)));
  assert.ok(notes.includes('Three-way handshake'));
  // The report around it.
  assert.deepEqual(await frame.$$eval('#formats .chip', (els) => els.map((e) => e.textContent)), ['tshark']);
  const rows = await frame.$$eval('tr.conn', (els) => els.map((e) => [...e.querySelectorAll('td')].map((td) => td.textContent)));
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].slice(2, 6), ['10.200.10.1:56152', '10.200.11.2:8080', 'closed (client closed first)', '2011']);
  assert.equal(rows[0][9], '127');
  assert.match(await frame.textContent('#page-label'), /^Page 1 of 41 · segments 1–50 of 2011$/);
  // The pinned CSP is the one in force.
  const csp = await frame.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
  assert.match(csp, /^default-src 'none'; script-src 'nonce-[\w-]{22}'; style-src \S+(?: \S+)* 'unsafe-inline'; img-src data:; font-src data:$/);
  assert.doesNotMatch(csp, /unsafe-eval|frame-src|http:/);
  // Only the scripts of the panel, mermaid's core and the sequence diagram were fetched: exactly their static closure.
  const fetched = await fetchedScripts(frame);
  const names = new Set(fetched.map((f) => f.name));
  const webviewDir = path.join(extensionPath, 'dist', 'webview');
  // The chunks are named by the import that loads them: report.js -> mermaid's core -> the sequence diagram.
  const core = /import\("\.\/(chunks\/mermaid\.core-[\w-]+\.js)"\)/.exec(readFileSync(path.join(webviewDir, 'report.js'), 'utf8'))?.[1];
  assert.ok(core, 'report.js imports mermaid lazily');
  const sequence = /import\("\.\/(sequenceDiagram-[\w-]+\.js)"\)/.exec(readFileSync(path.join(webviewDir, core), 'utf8'))?.[1];
  assert.ok(sequence, "mermaid's core imports the sequence diagram lazily");
  const expected = [...staticClosure(['report.js', core, `chunks/${sequence}`])].map((f) => path.basename(f));
  assert.deepEqual([...names].sort(), [...expected].sort());
  const bytes = fetched.reduce((n, f) => n + f.bytes, 0);
  bench.firstDiagramScriptBytes = bytes;
  bench.firstDiagramScriptFiles = fetched.length;
  const production = !existsSync(path.join(webviewDir, 'report.js.map'));
  bench.productionBuild = production;
  // The development build is not minified; the 1 MB budget is for what users get (npm run package).
  if (production) assert.ok(bytes < 1024 * 1024, `the first diagram fetched ${bytes} bytes of script`);
});

test('retransmissions are marked in the rendered SVG: label, colour class and arrow kind', async () => {
  const { page } = wb;
  const frame = await reportFrame(page);
  // The first retransmission of the capture is on line 52: page 2.
  const old = (await diagramState(frame)).key;
  await frame.click('#page-next');
  await waitForDiagram(frame, { oldKey: old, page: 1 });
  assert.match(await frame.textContent('#page-label'), /^Page 2 of 41 · segments 51–100 of 2011$/);
  // tshark's own labels are the oracle: the lines of page 2 with a retransmission label.
  const lines = readFileSync(path.join(wb.folder, LOSS), 'utf8').split('\n').slice(PAGE_SIZE, 2 * PAGE_SIZE);
  const expected = lines.map((l, i) => (/\[TCP (?:Fast )?Retransmission\]/.test(l) ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual(expected, [1, 28, 32, 34, 40]);
  const texts = await messageTexts(frame);
  const anomalous = await frame.$$eval('#diagram svg text.messageText.tl-anomaly', (els) => [...new Set(els.map((e) => Number(e.getAttribute('data-arrow'))))]);
  const marked = texts.map((text, i) => ({ i, text, anomaly: anomalous.includes(i) })).filter((x) => /retransmission/.test(x.text));
  assert.deepEqual(
    marked.map((m) => m.i),
    expected,
  );
  for (const m of marked) {
    assert.ok(m.anomaly, m.text);
    assert.match(m.text, /^⚠ (?:fast )?retransmission\nACK seq=\d+ ack=1 len=1448 win=64512$/);
  }
  const lineMarked = await frame.$$eval('#diagram svg .tl-anomaly[class*="messageLine"]', (els) => els.map((e) => Number(e.getAttribute('data-arrow'))));
  for (const i of expected) assert.ok(lineMarked.includes(i), `arrow ${i} line not marked`);
  // The minimap shows where the problems are: every page with a marked segment is coloured.
  const cells = await frame.$$eval('.mm-cell', (els) => els.map((e) => e.classList.contains('has-anomaly')));
  assert.equal(cells.length, 41);
  assert.ok(cells[1]);
  assert.ok(await frame.$('.mm-cell.current[data-page="1"]'));
});

test('clicking an arrow reveals and selects its line in the editor', async () => {
  const { page } = wb;
  const frame = await reportFrame(page);
  for (const arrow of [7, 28]) {
    await frame.locator(`#diagram svg text.messageText[data-arrow="${arrow}"]`).first().click();
    // tshark prints one line per segment: arrow n of page 2 is line 50 + n + 1.
    const line = PAGE_SIZE + arrow + 1;
    await waitFor(`the editor's cursor on line ${line}`, async () => (await activeLineNumber(page)) === line, { timeoutMs: 15_000 });
    const selected = await page.locator('.editor-instance .view-overlays .selected-text').count();
    assert.ok(selected > 0, 'the line is selected, not only the cursor moved');
    assert.equal((await diagramState(frame)).highlight, String(arrow));
  }
});

test('moving the cursor in the editor highlights its arrow, turning the page when needed', async () => {
  const { page } = wb;
  const frame = await reportFrame(page);
  // Line 12 is on page 1: the panel turns back from page 2.
  const back = (await diagramState(frame)).key;
  await gotoLine(page, 12);
  await waitForDiagram(frame, { oldKey: back, page: 0 });
  await waitFor('arrow 11 highlighted', async () => (await diagramState(frame)).highlight === '11', { timeoutMs: 15_000 });
  const current = await frame.$$eval('#diagram text.tl-current', (els) => els.map((e) => e.textContent).join('\n'));
  assert.equal(current, (await messageTexts(frame))[11]);
  const line12 = readFileSync(path.join(wb.folder, LOSS), 'utf8').split('\n')[11];
  assert.equal(await frame.textContent('#details'), `Line 12\n${line12}`);
  // Line 160 is segment 159: page 4 (segments 151-200), arrow 9.
  const before = (await diagramState(frame)).key;
  await gotoLine(page, 160);
  const state = await waitForDiagram(frame, { oldKey: before, page: 3 });
  await waitFor('arrow 9 highlighted on page 4', async () => (await diagramState(frame)).highlight === '9', { timeoutMs: 15_000 });
  assert.equal(state.page, 3);
  const line160 = readFileSync(path.join(wb.folder, LOSS), 'utf8').split('\n')[159];
  assert.ok((await frame.textContent('#details')).includes(line160.trim()));
});

test('editing the capture updates the panel without losing the page or the highlighted arrow', async () => {
  const { page } = wb;
  const frame = await reportFrame(page);
  const before = await diagramState(frame);
  assert.equal(before.page, 3);
  // A new empty line after line 160: everything below moves down by one.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const after = await waitForDiagram(frame, { oldKey: before.key, timeoutMs: 30_000 });
  assert.equal(after.page, 3);
  assert.equal(after.highlight, '9');
  // Arrow 10 was line 161 and is now line 162.
  await frame.locator('#diagram svg text.messageText[data-arrow="10"]').first().click();
  await waitFor('the cursor on the moved line 162', async () => (await activeLineNumber(page)) === 162, { timeoutMs: 15_000 });
  // Undo, and the panel follows back.
  await runCommand(page, 'View: Focus First Editor Group');
  await page.keyboard.press('Control+Z');
  await waitForDiagram(frame, { oldKey: after.key, timeoutMs: 30_000 });
  await frame.locator('#diagram svg text.messageText[data-arrow="10"]').first().click();
  await waitFor('the cursor on line 161 again', async () => (await activeLineNumber(page)) === 161, { timeoutMs: 15_000 });
});

test('screenshots in the light and the dark theme', async () => {
  const { page } = wb;
  let frame = await reportFrame(page);
  const shoot = async (theme) => {
    await frame.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `report-${theme}`);
    await frame.evaluate(() => document.getElementById('diagram-h').scrollIntoView({ block: 'start' }));
    await screenshot(page, `report-diagram-${theme}`);
  };
  await shoot('light');
  const key = (await diagramState(frame)).key;
  const lightStyle = await frame.$eval('#diagram svg style', (e) => e.textContent);
  await pickColorTheme(page, DARK);
  frame = await reportFrame(page);
  await waitFor('the webview in the dark theme', async () => frame.evaluate(() => document.body.classList.contains('vscode-dark')), { timeoutMs: 30_000 });
  // The diagram is drawn again with mermaid's dark theme (same diagram key, new SVG).
  await waitFor('the diagram redrawn with the dark theme', async () =>
    frame.evaluate((light) => {
      const style = document.querySelector('#diagram svg style')?.textContent;
      return document.getElementById('diagram').getAttribute('aria-busy') !== 'true' && style !== undefined && style !== light;
    }, lightStyle),
  { timeoutMs: 30_000 });
  assert.equal((await diagramState(frame)).key, key);
  await shoot('dark');
  const shots = ['report-diagram-light', 'report-diagram-dark'].map((n) => path.join(repoRoot, 'test-results', 'screenshots', `${n}.png`));
  assert.notEqual(readFileSync(shots[0]).toString('base64'), readFileSync(shots[1]).toString('base64'));
});

test('Save SVG, PNG, mermaid and Markdown write to the file picked in the save dialog', async () => {
  const { page } = wb;
  const frame = await reportFrame(page);
  for (const [button, name, check] of [
    [
      '#save-svg',
      'page.svg',
      (buf) => {
        const text = buf.toString('utf8');
        const root = /^<svg\b[^>]*>/.exec(text)?.[0] ?? '';
        return / width="\d+"/.test(root) && / height="\d+"/.test(root) && text.includes('Client 10.200.10.1:56152') && text.endsWith('</svg>');
      },
    ],
    ['#save-png', 'page.png', (buf) => buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && buf.length > 10_000],
    ['#save-mermaid', 'page.mmd', (buf) => buf.toString('utf8').startsWith('sequenceDiagram\n    participant P0 as Client 10.200.10.1#58;56152\n')],
    ['#save-markdown', 'report.md', (buf) => buf.toString('utf8').startsWith(`# TCP Lens report — ${LOSS}\n`) && buf.toString('utf8').includes('fast-retransmission')],
  ]) {
    const target = path.join(wb.folder, name);
    await frame.click(button);
    // VS Code's own save dialog (a quick input holding the path).
    const input = page.locator('.quick-input-widget input');
    const ext = path.extname(name);
    // The dialog fills in its default path once it is up: wait for it, then replace it with ours.
    await waitFor('the save dialog with its default file name', async () => (await input.inputValue({ timeout: 1000 })).endsWith(ext), { timeoutMs: 15_000 });
    await input.fill(target);
    await waitFor('our path in the save dialog', async () => (await input.inputValue({ timeout: 1000 })) === target, { timeoutMs: 5000 });
    await page.keyboard.press('Enter');
    try {
      await waitFor(`${name} written`, async () => existsSync(target) && statSync(target).size > 0, { timeoutMs: 20_000 });
    } catch (e) {
      await screenshot(page, `debug-save-${name}`);
      throw e;
    }
    // The file may still be growing for a moment.
    await waitFor(`${name} complete`, async () => check(readFileSync(target)), { timeoutMs: 10_000 });
  }
  // The saved mermaid text is the source of what is on screen: the arrows of the page shown are its messages.
  const mmd = readFileSync(path.join(wb.folder, 'page.mmd'), 'utf8');
  const decode = (s) => s.replace(/#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));
  const messages = mmd
    .split('\n')
    .filter((l) => /^ {4}P\d+-/.test(l))
    .map((l) => decode(l.slice(l.indexOf(': ') + 2).replaceAll('<br/>', '\n')));
  assert.equal(messages.length, 2011);
  const onScreen = await messageTexts(frame);
  const { page: shown } = await diagramState(frame);
  assert.deepEqual(onScreen, messages.slice(shown * PAGE_SIZE, (shown + 1) * PAGE_SIZE));
});

test('after a window reload the panel comes back on the same capture, connection and page', async () => {
  const { page } = wb;
  let frame = await reportFrame(page);
  const before = await diagramState(frame);
  const title = await frame.textContent('#diagram-h');
  assert.ok(before.page > 0, 'a page other than the first, so a restore that starts over would show');
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForLoadState('domcontentloaded');
  await waitForWorkbench(page);
  frame = await reportFrame(page, { timeoutMs: 120_000 });
  const after = await waitForDiagram(frame, { page: before.page, timeoutMs: 120_000 });
  assert.equal(after.page, before.page);
  assert.equal(await frame.textContent('#diagram-h'), title);
  assert.match(await frame.textContent('#title'), new RegExp(`^${LOSS.replace(/\./g, '\\.')}$`));
});

test('a 10,000-segment connection opens, pages and jumps without the webview becoming unresponsive', async () => {
  const { page } = wb;
  const { frame, state, ms } = await explain(page, BIG);
  bench.bigFirstDiagramMs = ms;
  assert.equal(state.pages, Math.ceil(10006 / PAGE_SIZE));
  assert.equal(state.page, 0);
  // A heartbeat on the webview's main thread: the longest gap is the longest the panel could not react.
  await frame.evaluate(() => {
    window.__tlGaps = [];
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      window.__tlGaps.push(now - last);
      last = now;
      window.__tlBeat = setTimeout(tick, 20);
    };
    tick();
  });
  const pageTimes = [];
  for (let i = 1; i <= 4; i++) {
    const old = (await diagramState(frame)).key;
    const t0 = Date.now();
    await frame.click('#page-next');
    const s = await waitForDiagram(frame, { oldKey: old, page: i });
    pageTimes.push(Date.now() - t0);
    assert.equal(s.page, i);
  }
  // Jump through the minimap to a page holding a retransmission (every 400 data segments).
  const target = await frame.$$eval('.mm-cell.has-anomaly', (els) => els.map((e) => Number(e.dataset.page)).filter((p) => p > 100)[0]);
  assert.ok(target > 100);
  let old = (await diagramState(frame)).key;
  let t0 = Date.now();
  await frame.click(`.mm-cell[data-page="${target}"]`);
  await waitForDiagram(frame, { oldKey: old, page: target });
  pageTimes.push(Date.now() - t0);
  const texts = await messageTexts(frame);
  assert.ok(texts.some((t) => /retransmission/.test(t)), JSON.stringify(texts.slice(0, 5)));
  // Several pages asked for at once: only the last one is drawn.
  old = (await diagramState(frame)).key;
  t0 = Date.now();
  for (let i = 0; i < 5; i++) await frame.click('#page-prev');
  const settled = await waitForDiagram(frame, { oldKey: old, page: target - 5 });
  pageTimes.push(Date.now() - t0);
  assert.equal(settled.page, target - 5);
  const maxGap = await frame.evaluate(() => {
    clearTimeout(window.__tlBeat);
    return Math.max(...window.__tlGaps);
  });
  bench.bigPageMs = pageTimes;
  bench.bigMaxMainThreadGapMs = Math.round(maxGap);
  // Chrome calls a page unresponsive after 5 s without processing input; stay well under it on a loaded machine.
  assert.ok(maxGap < 3000, `the webview's main thread was blocked for ${maxGap.toFixed(0)} ms`);
  await screenshot(page, 'report-10000-segments');
});

test('no Content-Security-Policy violation while using the panel on real captures', () => {
  const violations = consoleLines.filter((l) => /Content Security Policy|Refused to (?:load|execute|apply|connect|frame)/i.test(l));
  assert.deepEqual(violations, []);
});
