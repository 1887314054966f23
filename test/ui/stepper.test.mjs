// UI: the state-machine stepper in the real workbench. Step a textbook scenario with the keyboard and read the
// highlighted states from the webview's DOM; break it; then replay a connection from a sample capture and check that
// the editor's selection follows the replayed segment.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { clearNotifications, openFile, runCommand, waitFor } from '../harness/browser.mjs';
import { openWorkbench, screenshot } from './support.mjs';

let wb;

before(async () => {
  wb = await openWorkbench({ mode: 'development' });
});

after(async () => {
  await wb?.close();
});

/** The stepper's document inside its webview (the panel is the active webview after the command). */
function stepperFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function endState(frame, side) {
  return (await frame.locator(`#state-${side}`).innerText()).trim();
}

async function highlighted(frame, side) {
  return frame.locator(`.state-diagram .node.current-${side}`).getAttribute('data-state');
}

async function stepTo(frame, page, n) {
  await waitFor(`step ${n}`, async () => (await frame.locator('#stepper').getAttribute('data-step')) === String(n), { timeoutMs: 10_000 });
  void page;
}

test('stepping the normal open forward and back with the keyboard moves both highlighted states', async () => {
  const { page } = wb;
  await clearNotifications(page);
  await runCommand(page, 'TCP Lens: Open the State Machine Stepper');
  const frame = stepperFrame(page);
  await frame.locator('.state-diagram').waitFor({ state: 'visible', timeout: 30_000 });
  // All eleven states are drawn (CLOSED twice, as in RFC 9293's figure).
  const states = await frame.locator('.state-diagram .node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
  assert.equal(new Set(states).size, 11, JSON.stringify(states));
  await frame.locator('#stepper').focus().catch(() => undefined);
  await frame.locator('body').click({ position: { x: 5, y: 5 } });

  await page.keyboard.press('ArrowRight'); // server listen()
  await stepTo(frame, page, 1);
  assert.equal(await highlighted(frame, 'server'), 'LISTEN');
  assert.equal(await endState(frame, 'server'), 'LISTEN');
  await page.keyboard.press('ArrowRight'); // client connect(): SYN
  await stepTo(frame, page, 2);
  assert.equal(await highlighted(frame, 'client'), 'SYN-SENT');
  assert.match(await frame.locator('#flight-label').innerText(), /SYN seq=0/);
  await page.keyboard.press('ArrowRight'); // server receives SYN
  await stepTo(frame, page, 3);
  assert.equal(await highlighted(frame, 'server'), 'SYN-RECEIVED');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await stepTo(frame, page, 5);
  assert.equal(await highlighted(frame, 'client'), 'ESTABLISHED');
  assert.equal(await highlighted(frame, 'server'), 'ESTABLISHED');
  await screenshot(page, 'stepper-normal-open-established');

  await page.keyboard.press('ArrowLeft');
  await stepTo(frame, page, 4);
  assert.equal(await highlighted(frame, 'client'), 'ESTABLISHED');
  assert.equal(await highlighted(frame, 'server'), 'SYN-RECEIVED');
  assert.equal(await frame.locator('#log li').count(), 4);
  await page.keyboard.press('Home');
  await stepTo(frame, page, 0);
  assert.equal(await endState(frame, 'client'), 'CLOSED');
});

test('break it: dropping the SYN in flight makes the client retransmit it', async () => {
  const { page } = wb;
  const frame = stepperFrame(page);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await stepTo(frame, page, 2); // the SYN is on the wire
  await frame.locator('#break-drop').click();
  await stepTo(frame, page, 3);
  assert.match(await frame.locator('#flight-label').innerText(), /SYN seq=0 ✕/);
  await page.keyboard.press('ArrowRight');
  await stepTo(frame, page, 4);
  assert.match(await frame.locator('#explain').innerText(), /retransmission timer fires/);
  await page.keyboard.press('End');
  await waitFor('the handshake completes after the retransmission', async () => (await endState(frame, 'client')) === 'ESTABLISHED' && (await endState(frame, 'server')) === 'ESTABLISHED', { timeoutMs: 10_000 });
  await screenshot(page, 'stepper-break-dropped-syn');
});

test('the step, the scenario and the break survive a reload of the webview', async () => {
  const { page } = wb;
  const frame = stepperFrame(page);
  await frame.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await stepTo(frame, page, 4);
  const logBefore = await frame.locator('#log li').allInnerTexts();
  // Mark this document, so the test can tell the reloaded one from it.
  await frame.locator('body').evaluate((body) => body.setAttribute('data-before-reload', 'yes'));
  await runCommand(page, 'Developer: Reload Webviews');
  const reloaded = stepperFrame(page);
  await waitFor('a fresh webview document', async () => (await reloaded.locator('#stepper').count()) === 1 && (await reloaded.locator('body[data-before-reload]').count()) === 0, { timeoutMs: 20_000 });
  await stepTo(reloaded, page, 4);
  assert.deepEqual(await reloaded.locator('#log li').allInnerTexts(), logBefore);
  // The dropped SYN from the previous test is still part of the run.
  assert.match(logBefore.join('\n'), /You dropped SYN seq=0/);
  assert.equal(await reloaded.locator('#scenario').inputValue(), 'normal-open');
});

test('step through a connection of a sample capture: the editor selection follows the replayed segment', async () => {
  const { page } = wb;
  await page.keyboard.press('Escape');
  await openFile(page, 'tcpdump-normal-close.txt');
  await runCommand(page, 'TCP Lens: Step Through This Connection');
  const frame = stepperFrame(page);
  await waitFor('the capture replay', async () => /46548/.test(await frame.locator('#track-title').innerText()), { timeoutMs: 30_000 });
  await frame.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await stepTo(frame, page, 1);
  assert.match(await frame.locator('#flight-label').innerText(), /SYN/);
  // Step 1 replays line 1 (the SYN); step 3 the third line. Monaco marks the line number of the cursor's line
  // (the selection's active end) even while the focus is in the webview.
  const activeLine = page.locator('.editor-instance .margin-view-overlays .line-numbers.active-line-number');
  const cursorLine = async () => (await activeLine.allInnerTexts()).map((t) => t.trim());
  await waitFor('the editor selection on line 1', async () => (await cursorLine()).includes('1'), { timeoutMs: 15_000 });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await stepTo(frame, page, 3);
  await waitFor('the editor selection on line 3', async () => (await cursorLine()).includes('3'), { timeoutMs: 15_000 });
  assert.equal(await highlighted(frame, 'client'), 'ESTABLISHED');
  await screenshot(page, 'stepper-capture-replay');
});
