// Paths and loaders shared by unit tests. Tests run with the repository root as the working directory.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = process.cwd();

export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
