// Helpers for the socket-reader tests: reading fixtures, counting the way a shell pipeline would, checking tokens.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ParsedDocument, SocketRow } from '../../../src/core/model';
import { splitLines } from '../../../src/core/text';

/** Every file under `dir` (recursively), sorted, as paths relative to `dir`. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(r);
      else out.push(r);
    }
  };
  visit('');
  return out.sort();
}

/** awk-style fields: split on runs of blanks after trimming. */
export function fields(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

/** `awk 'NR>skip && !/^\t/ {print $col}' | sort | uniq -c` as a Map (col is 1-based like awk). */
export function awkHistogram(text: string, skip: number, col: number): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = splitLines(text);
  for (let i = skip; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('\t') || line.trim() === '') continue;
    const f = fields(line);
    const key = f[col - 1] ?? '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** How many rows of each printed state the reader produced. */
export function stateTextHistogram(rows: readonly SocketRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.stateText, (counts.get(r.stateText) ?? 0) + 1);
  return counts;
}

export function sorted(m: Map<string, number>): [string, number][] {
  return [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Every token of every row lies on one of the row's lines, inside the line, non-empty; the fixed columns each have
 * exactly one token; and the address tokens cover text that contains the address the row reports.
 */
export function checkTokens(doc: ParsedDocument, lines: readonly string[]): void {
  for (const row of doc.sockets) {
    for (const t of row.tokens) {
      assert.ok(t.line >= row.line && t.line <= row.lastLine, `token line ${t.line} outside row ${row.line}`);
      const text = lines[t.line]!;
      assert.ok(t.start >= 0 && t.start < t.end && t.end <= text.length, `token ${t.kind} [${t.start},${t.end}) on line ${t.line}`);
    }
    const one = (kind: string): string => {
      const ts = row.tokens.filter((t) => t.kind === kind && t.line === row.line);
      assert.equal(ts.length, 1, `${kind} tokens on line ${row.line}`);
      return lines[row.line]!.slice(ts[0]!.start, ts[0]!.end);
    };
    const local = one('localAddress');
    const remote = one('remoteAddress');
    assert.ok(local.includes(row.local.address), `${local} has ${row.local.address}`);
    assert.ok(remote.includes(row.remote.address), `${remote} has ${row.remote.address}`);
    if (row.stateText) assert.equal(one('state'), row.stateText);
    if (row.recvQ !== undefined) assert.equal(Number(one('recvQ')), row.recvQ);
    if (row.sendQ !== undefined) assert.equal(Number(one('sendQ')), row.sendQ);
  }
}
