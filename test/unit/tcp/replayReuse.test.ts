import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseText } from '../../../src/core/formats/detect';
import { analyseSegments } from '../../../src/core/analysis/segments';
import type { SegmentTcp } from '../../../src/core/tcp/connection';
import { readFixture } from '../support';

// The replay sets up a finished connection's Replay (its ends, their queues, their peer-control slots) again for a
// later connection. A connection's per-segment results must then be exactly what it gets when it is replayed alone.
// Real captures with several connections one after another, ending in resets, TIME-WAIT, half-closes, losses,
// refusals, gaps, zero windows and a simultaneous open (one segment per line: tcpdump -nn).
const CAPTURES = [
  '07_many_time_wait',
  '05_half_close',
  '03_connection_refused',
  'rec_capture_gap',
  'rec_resets',
  'rec_simultaneous',
  'rec_zero_window',
  'rec_keepalive',
  'rec_syn_backoff',
];

function perSegment(p: SegmentTcp): string {
  const ends = (e: SegmentTcp['before']): string => `${e.client.state}/${e.client.certain ? 'c' : 'i'} ${e.server.state}/${e.server.certain ? 'c' : 'i'}`;
  return `${ends(p.before)} -> ${ends(p.after)} ${p.step.label} ${p.senderRule} ${p.receiverRule}`;
}

test('a connection replayed after others gets the per-segment results it gets alone', () => {
  let connections = 0;
  let later = 0;
  for (const capture of CAPTURES) {
    const text = readFixture('captures', capture, 'tcpdump_nn.txt');
    const lines = text.split('\n');
    const doc = parseText(text);
    const all = analyseSegments(doc.segments);
    for (const c of all.connections) {
      connections++;
      if (c.id > 0) later++;
      const alone = parseText(c.segmentIndexes.map((i) => lines[doc.segments[i]!.line]).join('\n'));
      const own = analyseSegments(alone.segments);
      assert.equal(own.connections.length, 1, `${capture} #${c.id}`);
      assert.deepEqual(
        own.perSegment.map(perSegment),
        c.segmentIndexes.map((i) => perSegment(all.perSegment[i]!)),
        `${capture} connection ${c.id}`,
      );
    }
  }
  // Enough connections that follow others to have met spare replays.
  assert.equal(connections, 312);
  assert.equal(later, 312 - CAPTURES.length);
});
