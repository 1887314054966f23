// Shared by the UI tests: one code-server + one Chromium page per test file, screenshots under
// test-results/screenshots/ (git-ignored).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, newPage, waitForWorkbench } from '../harness/browser.mjs';
import { makeRunDir, startCodeServer, workbenchUrl } from '../harness/codeServer.mjs';
import { repoRoot } from '../harness/install.mjs';
import { samplesDir } from '../harness/samples.mjs';

export const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots');

/**
 * Starts a workbench on the samples folder.
 *   mode 'development': this repository loaded as the extension under development (URL payload)
 *   mode 'installed':   nothing in the URL; the caller has put the extension into `extensionsDir` (a .vsix install)
 */
export async function openWorkbench({ mode, runDir = makeRunDir(), extensionsDir, settings } = {}) {
  const folder = samplesDir();
  const server = await startCodeServer({
    folder,
    runDir,
    extensionsDir,
    settings,
    smokeTestDriver: mode === 'development',
  });
  const browser = await launchBrowser();
  const page = await newPage(browser);
  const url = mode === 'development' ? workbenchUrl(server, { folder, extensionDevelopmentPath: repoRoot }) : workbenchUrl(server, { folder });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitForWorkbench(page);
  const close = async () => {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  return { server, browser, page, folder, runDir, close };
}

/** Saves a screenshot of the whole window and checks the file was written. Returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (statSync(file).size < 1000) throw new Error(`screenshot ${file} is suspiciously small`);
  return file;
}
