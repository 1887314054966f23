// Every regular expression in src/core sees text users paste (10 MB lines, hostile strings): each one must be linear.
// The readers themselves scan with indexOf/charCodeAt and hold no regex; this test finds every regex literal in core
// with TypeScript's own parser (not a text search) and asks recheck about each.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from './support';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function regexLiterals(file: string): { source: string; flags: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: { source: string; flags: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sf);
      const end = literal.lastIndexOf('/');
      found.push({ source: literal.slice(1, end), flags: literal.slice(end + 1), line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

test('every regex literal in src/core is safe according to recheck', async () => {
  const recheck = (await import('recheck')) as unknown as { checkSync(source: string, flags: string): { status: string } };
  const files = sourceFiles(path.join(repoRoot, 'src', 'core'));
  let count = 0;
  for (const file of files) {
    for (const r of regexLiterals(file)) {
      count++;
      assert.equal(recheck.checkSync(r.source, r.flags).status, 'safe', `${path.relative(repoRoot, file)}:${r.line} /${r.source}/${r.flags}`);
    }
  }
  // The prompt detector (text.ts) and the knowledge lookups hold regexes; if none were found the parser walk broke.
  assert.ok(count >= 5, `${count} regex literals found`);
  process.stdout.write(`# ${count} regex literals in src/core checked by recheck\n`);
});
