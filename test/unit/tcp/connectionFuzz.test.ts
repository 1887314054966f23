// Robustness: any sequence of segments - real ones shuffled, cut short, or with fields removed - rebuilds without
// throwing, in time linear in its length, and every segment gets a record.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseText } from '../../../src/core/formats/detect';
import { analyseSegments } from '../../../src/core/analysis/segments';
import type { Segment } from '../../../src/core/model';
import { readFixture } from '../support';

const REAL: readonly Segment[] = [
  ...parseText(readFixture('captures', 'rec_simultaneous/tcpdump_nn.txt')).segments,
  ...parseText(readFixture('captures', 'rec_resets/tshark.txt')).segments,
  ...parseText(readFixture('captures', 'rec_zero_window/tcpdump_tttt_S_v.txt')).segments.slice(0, 40),
  ...parseText(readFixture('captures', '03_connection_refused/tcpdump_nn.txt')).segments,
];

/** A real segment, possibly with numbers or flags taken away (as truncated or odd captures print them). */
const segment = fc
  .tuple(fc.nat(REAL.length - 1), fc.boolean(), fc.boolean(), fc.boolean(), fc.subarray(['SYN', 'ACK', 'FIN', 'RST', 'PSH'] as const))
  .map(([k, noSeq, noAck, noTime, flags]): Segment => {
    const s = REAL[k]!;
    const copy: Record<string, unknown> = { ...s, flags, line: k };
    if (noSeq) delete copy['seq'];
    if (noAck) delete copy['ack'];
    if (noTime) delete copy['timeSeconds'];
    return copy as unknown as Segment;
  });

test('analyseSegments never throws and covers every segment', () => {
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 60 }), (segments) => {
      const r = analyseSegments(segments);
      assert.equal(r.perSegment.length, segments.length);
      for (const p of r.perSegment) {
        assert.ok(p.connection >= 0 && p.connection < r.connections.length);
        assert.ok(p.before.client.state && p.after.server.state);
        assert.ok(Array.isArray(p.analysis));
      }
      for (const f of r.findings) assert.ok(f.lines.length > 0);
    }),
    { numRuns: 300 },
  );
});

test('linear time: ten times the segments, about ten times the work', () => {
  const base = parseText(readFixture('captures', '10_packet_loss/loss_10pct_2MB/sender_tcpdump_nn.txt')).segments;
  const run = (copies: number): number => {
    const segments: Segment[] = [];
    for (let c = 0; c < copies; c++) for (const s of base) segments.push({ ...s, block: c });
    const t0 = process.cpuUsage();
    analyseSegments(segments);
    const u = process.cpuUsage(t0);
    return u.user + u.system;
  };
  run(2); // warm up
  const small = Math.min(run(2), run(2));
  const large = Math.min(run(20), run(20));
  // Quadratic work would be ~100x; allow generous noise around 10x on a shared machine.
  assert.ok(large < small * 30, `2 copies: ${small} us, 20 copies: ${large} us`);
});
