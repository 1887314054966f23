import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { firstIndex, recordAt, recordIndexAt } from '../../src/core/lines';

const records = [
  { line: 2, lastLine: 2 },
  { line: 3, lastLine: 5 }, // a two-line packet (tcpdump -v) or an ss row with its -i line
  { line: 9, lastLine: 9 },
];

test('recordIndexAt finds the record holding a line, including continuation lines, and -1 between records', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 9, 10].map((l) => recordIndexAt(records, l)), [-1, -1, 0, 1, 1, 1, -1, 2, -1]);
  assert.equal(recordAt(records, 4), records[1]);
  assert.equal(recordIndexAt([], 0), -1);
});

test('firstIndex is the first index of a monotone predicate', () => {
  const xs = [1, 3, 3, 7, 9];
  assert.equal(firstIndex(xs.length, (k) => xs[k]! >= 3), 1);
  assert.equal(firstIndex(xs.length, (k) => xs[k]! > 9), 5);
  assert.equal(firstIndex(xs.length, (k) => xs[k]! >= 0), 0);
});
