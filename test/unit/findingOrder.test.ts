import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareFindings, inFindingOrder, insertFindings, mergeFindings } from '../../src/core/findingOrder';
import type { Finding, Severity } from '../../src/core/model';

/** A finding as far as the order looks at it: its first line and severity; `id` tells equal keys apart. */
function finding(line: number, severity: Severity, id: string): Finding {
  return { code: id, severity, lines: [line, line + 3], message: { en: id, 'zh-cn': id } };
}

const FINDINGS = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom<Severity>('error', 'warning', 'info')),
  { maxLength: 60 },
);

/** What analyse.ts gives for the two lists joined: a stable sort of `a` then `b`. */
function sorted(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  return [...a, ...b].sort(compareFindings);
}

test('property: insertFindings and mergeFindings give the stable sort of both lists, a\'s first on equal keys', () => {
  fc.assert(
    fc.property(FINDINGS, FINDINGS, (x, y) => {
      const a = inFindingOrder(x.map(([l, s], i) => finding(l, s, `a${i}`)));
      const b = inFindingOrder(y.map(([l, s], i) => finding(l, s, `b${i}`)));
      const expected = sorted(a, b).map((f) => f.code);
      assert.deepEqual(mergeFindings(a, b).map((f) => f.code), expected);
      const target = a.slice();
      const inserted = insertFindings(target, b);
      assert.deepEqual(inserted.map((f) => f.code), expected);
      // A few are put into the list itself; many make a new one.
      assert.equal(inserted === target, b.length <= 32);
      // Marked as in order: asking again returns the same list.
      assert.equal(inFindingOrder(inserted), inserted);
    }),
    { numRuns: 300, seed: 3 },
  );
});
