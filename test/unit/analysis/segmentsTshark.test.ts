// Per-segment analysis against Wireshark itself: for every capture with a pcap, tshark's tcp.analysis.* fields
// (read from the pcap) are compared, packet by packet, with TCP Lens's flags computed from the TEXT outputs captured
// at the same time (tcpdump -nn, tcpdump -tttt -S -v, tshark's one-line summary). Precision and recall must be at least
// 95 % for every flag that occurs, and every remaining disagreement is listed below with the reason TCP Lens is right.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { parseText } from '../../../src/core/formats/detect';
import { analyseSegments, type AnalysisFlag } from '../../../src/core/analysis/segments';
import { fixturePath, readFixture } from '../support';
import { oracleFlags, tsharkAvailable } from './tsharkOracle';
import { CAPTURE_SETS } from '../tcp/captureSets';

/** A disagreement: which capture and text, the frame (1-based), the flag, and who set it. */
interface Disagreement {
  readonly text: string;
  readonly frame: number;
  readonly flag: AnalysisFlag;
  readonly setBy: 'tshark' | 'tcp-lens';
}

/**
 * Every disagreement TCP Lens keeps, with the reason. The test fails on any disagreement not listed here, and on
 * any listed one that no longer happens (so the list stays true).
 */
const EXPECTED_DISAGREEMENTS: readonly (Disagreement & { readonly reason: string })[] = [
  {
    text: '10_packet_loss/loss_10pct_2MB/receiver_tcpdump_nn.txt',
    frame: 236,
    flag: 'out-of-order',
    setBy: 'tshark',
    reason:
      'Timing at the 1 µs resolution. Wireshark calls a segment out-of-order when it comes less than one initial RTT after ' +
      'the highest segment. In the pcap, frame 236 comes 31 µs after frame 234 and the iRTT is 33 µs; in the text, which a ' +
      'separate tcpdump process timestamped, the same packets are 32 µs apart and the iRTT is 32 µs, so by the same rule it ' +
      'is a retransmission. The -tttt -S -v text of the same capture agrees with tshark.',
  },
  {
    text: '10_packet_loss/loss_10pct_2MB/receiver_tcpdump_nn.txt',
    frame: 236,
    flag: 'retransmission',
    setBy: 'tcp-lens',
    reason: 'The same packet as above: the other half of the out-of-order/retransmission pair.',
  },
];

function key(d: Disagreement): string {
  return `${d.text}#${d.frame}:${d.flag}:${d.setBy}`;
}

test('per-segment flags agree with tshark tcp.analysis.* on every capture (>= 95 % precision and recall per flag)', (t) => {
  if (!tsharkAvailable()) {
    t.skip('tshark is not installed: install it (apt-get install tshark) to compare with Wireshark');
    return;
  }
  const tally = new Map<AnalysisFlag, { tp: number; fp: number; fn: number }>();
  const seen: Disagreement[] = [];
  let compared = 0;
  let dupNumbers = 0;
  for (const set of CAPTURE_SETS) {
    if (!existsSync(fixturePath('captures', set.pcap))) continue;
    const oracle = oracleFlags(fixturePath('captures', set.pcap));
    for (const textFile of set.texts) {
      const doc = parseText(readFixture('captures', textFile));
      if (set.framesMatch?.[textFile] === false) {
        // Documented in captureSets.ts: this text does not hold the same packets as the pcap.
        assert.notEqual(doc.segments.length, oracle.length, `${textFile}: now matches the pcap, remove the exception`);
        continue;
      }
      assert.equal(doc.segments.length, oracle.length, `${textFile}: one segment per pcap frame`);
      const result = analyseSegments(doc.segments);
      for (let i = 0; i < oracle.length; i++) {
        const theirs = oracle[i]!.flags;
        const mine = new Set(result.perSegment[i]!.analysis);
        for (const flag of new Set<AnalysisFlag>([...theirs, ...mine])) {
          let c = tally.get(flag);
          if (!c) {
            c = { tp: 0, fp: 0, fn: 0 };
            tally.set(flag, c);
          }
          if (theirs.has(flag) && mine.has(flag)) c.tp++;
          else if (mine.has(flag)) {
            c.fp++;
            seen.push({ text: textFile, frame: i + 1, flag, setBy: 'tcp-lens' });
          } else {
            c.fn++;
            seen.push({ text: textFile, frame: i + 1, flag, setBy: 'tshark' });
          }
        }
        const dn = oracle[i]!.dupAckNum;
        const md = result.perSegment[i]!.dupAck;
        if (dn !== undefined && md !== undefined) {
          assert.equal(md.n, dn, `${textFile} frame ${i + 1}: Dup ACK number`);
          dupNumbers++;
        }
      }
      compared++;
    }
  }
  assert.ok(compared >= 20, `compared ${compared} texts`);
  assert.ok(dupNumbers > 300, `duplicate-ACK numbers compared: ${dupNumbers}`);
  for (const [flag, c] of tally) {
    const precision = c.tp / (c.tp + c.fp);
    const recall = c.tp / (c.tp + c.fn);
    assert.ok(precision >= 0.95, `${flag}: precision ${precision.toFixed(3)} (${JSON.stringify(c)})`);
    assert.ok(recall >= 0.95, `${flag}: recall ${recall.toFixed(3)} (${JSON.stringify(c)})`);
  }
  // The flags the samples exercise, each seen many times.
  const counts = Object.fromEntries([...tally].map(([f, c]) => [f, c.tp]));
  for (const flag of ['duplicate-ack', 'fast-retransmission', 'retransmission', 'out-of-order', 'window-update', 'previous-segment-not-captured'] as const) {
    assert.ok((counts[flag] ?? 0) > 10, `${flag} agreed on ${counts[flag] ?? 0} segments`);
  }
  assert.deepEqual(seen.map(key).sort(), EXPECTED_DISAGREEMENTS.map(key).sort());
});
