// The folder of real captures opened in the workbench by the integration and UI tests and by `npm start`.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './install.mjs';

export function samplesDir() {
  const dir = path.join(repoRoot, 'samples');
  if (!existsSync(dir) || readdirSync(dir).length === 0) throw new Error(`${dir} is missing or empty: the tests open the sample captures kept there`);
  return dir;
}
