// FlagTable keeps duplicate ACKs' numbers in sorted arrays: the Flagger adds them in segment order, anyone else may not.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FlagTable } from '../../../src/core/analysis/segments';

test('duplicate-ACK numbers: read back by index, in or out of segment order, a later value replacing an earlier one', () => {
  const t = new FlagTable(20);
  t.setDupAck(3, 1, 2);
  t.setDupAck(4, 2, 2);
  t.setDupAck(9, 1, 8);
  assert.deepEqual(t.dupAckOf(3), { n: 1, of: 2 });
  assert.deepEqual(t.dupAckOf(4), { n: 2, of: 2 });
  assert.deepEqual(t.dupAckOf(9), { n: 1, of: 8 });
  for (const i of [0, 2, 5, 8, 10, 19]) assert.equal(t.dupAckOf(i), undefined);
  // Out of order: inserted at its place; the same index again: replaced.
  t.setDupAck(6, 3, 2);
  t.setDupAck(0, 1, -1);
  t.setDupAck(4, 5, 1);
  assert.deepEqual(t.dupAckOf(0), { n: 1, of: -1 });
  assert.deepEqual(t.dupAckOf(4), { n: 5, of: 1 });
  assert.deepEqual(t.dupAckOf(6), { n: 3, of: 2 });
  assert.deepEqual(t.dupAckOf(9), { n: 1, of: 8 });
  assert.equal(t.dupAckOf(5), undefined);
  assert.equal(t.dupAckOf(7), undefined);
});
