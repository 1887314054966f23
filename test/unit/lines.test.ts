import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { firstAtLeast, firstIndex, recordAt, recordIndexAt, resizeRange } from '../../src/core/lines';

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

test('firstAtLeast finds the first value at least as large in a sorted list, as firstIndex does, in arrays and typed arrays', () => {
  const xs = [1, 3, 3, 7, 9];
  for (const v of [-1, 0, 1, 2, 3, 4, 7, 8, 9, 10]) {
    const expected = firstIndex(xs.length, (k) => xs[k]! >= v);
    assert.equal(firstAtLeast(xs, v), expected, `value ${v}`);
    assert.equal(firstAtLeast(Int32Array.from(xs), v), expected, `value ${v} (Int32Array)`);
  }
  assert.deepEqual([firstAtLeast(xs, 3), firstAtLeast(xs, 10), firstAtLeast([], 5)], [1, 5, 0]);
});

test('resizeRange grows and shrinks a range in place and keeps the items around it, also past the one-splice limit', () => {
  for (const [length, from, to, count] of [
    [10, 3, 5, 5],
    [10, 3, 5, 0],
    [10, 0, 10, 1],
    [10, 10, 10, 4],
    [5, 2, 2, 20000],
    [30000, 100, 25000, 3],
  ] as const) {
    const arr = Array.from({ length }, (_, i) => i);
    const expected = [...arr.slice(0, from), ...new Array<number>(count).fill(-1), ...arr.slice(to)];
    resizeRange(arr, from, to, count);
    for (let k = 0; k < count; k++) arr[from + k] = -1;
    assert.equal(arr.length, expected.length, `${length} ${from} ${to} ${count}`);
    assert.deepEqual(arr, expected, `${length} ${from} ${to} ${count}`);
  }
});
