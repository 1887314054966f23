// The connection analysis as a sliceable job (src/core/job.ts): stepping it in the smallest slices it allows gives
// exactly what the one-shot analysis gives, and it asks whether to yield often enough that no slice does much work.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { analyseConnections, connectionAnalysisJob } from '../../src/core/analyse';
import { analyseSegments, analyseSegmentsJob, type SegmentsAnalysis } from '../../src/core/analysis/segments';
import { parseText } from '../../src/core/formats/detect';
import type { Job } from '../../src/core/job';
import type { ParsedDocument } from '../../src/core/model';
import { readFixture } from './support';

/** Real captures (tcpdump and tshark text) with one long connection, many short ones, resets, zero windows, ... */
const CAPTURES: readonly (readonly string[])[] = [
  ['packets', '10_packet_loss', 'loss_10pct_2MB', 'sender_tcpdump_nn.txt'],
  ['packets', '10_packet_loss', 'loss_10pct_2MB', 'receiver_tshark.txt'],
  ['packets', '10_packet_loss', 'loss_10pct_2MB', 'sender_tcpdump_tttt_S_v.txt'],
  ['packets', '07_many_time_wait', 'tcpdump_nn.txt'],
  ['packets', '05_half_close', 'tcpdump_tttt_S_v.txt'],
  ['packets', '03_connection_refused', 'tshark.txt'],
  ['packets', '13_ipv6_loopback', 'dual_stack_v4_mapped', 'tcpdump_nn.txt'],
  ['packets', 'generated', 'tcpdump_any_nn.txt'],
  ['captures', 'rec_zero_window', 'tcpdump_nn.txt'],
  ['captures', 'rec_keepalive', 'tcpdump_tttt_S_v.txt'],
  ['captures', 'rec_delayed_ack', 'tshark.txt'],
  ['captures', 'rec_resets', 'tcpdump_tttt_S_v.txt'],
  ['captures', 'rec_simultaneous', 'tcpdump_nn.txt'],
  ['captures', 'rec_port_reuse', 'tshark.txt'],
];

function load(parts: readonly string[]): ParsedDocument {
  return parseText(readFixture(...parts));
}

/** Step a job to its end, saying "yield" at every question; returns the result and how often it asked. */
function runInSlices<T>(job: Job<T>): { result: T; asked: number; steps: number } {
  let asked = 0;
  let steps = 0;
  for (;;) {
    steps++;
    const done = job.step(() => {
      asked++;
      return true;
    });
    if (done) break;
    assert.throws(() => job.result(), /before the job finished/);
  }
  return { result: job.result(), asked, steps };
}

/** Records to compare, as plain objects: the first and last segments, and every 7th one in between. */
function sampleRecords(r: SegmentsAnalysis): unknown[] {
  const out: unknown[] = [];
  const per = r.perSegment;
  for (let i = 0; i < per.length; i++) {
    if (i % 7 === 0 || i === per.length - 1) out.push((per[i] as unknown as { toJSON(): unknown }).toJSON());
  }
  return out;
}

test('analyseSegmentsJob stepped in the smallest slices gives what analyseSegments gives, on real captures', () => {
  let findings = 0;
  for (const parts of CAPTURES) {
    const name = parts.join('/');
    const doc = load(parts);
    assert.ok(doc.segments.length > 0, `${name}: no segments`);
    const once = analyseSegments(doc.segments);
    const { result: sliced } = runInSlices(analyseSegmentsJob(doc.segments));
    assert.deepEqual(sliced.connections, once.connections, `${name}: connections`);
    assert.deepEqual([...sliced.segmentConnections], [...once.segmentConnections], `${name}: segment connections`);
    assert.deepEqual(sliced.segmentFlags, once.segmentFlags, `${name}: per-segment flags`);
    assert.deepEqual([...sliced.segmentFlagBits], [...once.segmentFlagBits], `${name}: per-segment flag bits`);
    assert.deepEqual(sliced.findings, once.findings, `${name}: findings`);
    assert.deepEqual(sampleRecords(sliced), sampleRecords(once), `${name}: per-segment records`);
    findings += once.findings.length;
  }
  // The captures exercise the findings, not only the connections.
  assert.ok(findings >= 40, `only ${findings} findings in all`);
});

test('connectionAnalysisJob stepped in the smallest slices gives what analyseConnections gives', () => {
  for (const parts of CAPTURES) {
    const name = parts.join('/');
    const doc = load(parts);
    const once = analyseConnections(doc);
    const { result: sliced } = runInSlices(connectionAnalysisJob(doc));
    assert.deepEqual(sliced.connections, once.connections, `${name}: summaries`);
    assert.deepEqual(sliced.segmentConnections, once.segmentConnections, `${name}: segment connections`);
    assert.deepEqual(sliced.segmentAnalysis, once.segmentAnalysis, `${name}: segment analysis`);
    assert.deepEqual(sliced.findings, once.findings, `${name}: findings`);
    assert.deepEqual(sliced.rebuild.connections, once.rebuild.connections, `${name}: rebuilt connections`);
    assert.equal(sliced.segmentConnections.length, doc.segments.length, name);
  }
});

test('the job asks whether to yield at least once per 300 segments, also inside one long connection', () => {
  // Many short connections (300 of 10 segments), and a single connection of over 2,000 segments.
  const cases: [readonly string[], number][] = [
    [['packets', '07_many_time_wait', 'tcpdump_nn.txt'], 300],
    [['packets', '10_packet_loss', 'loss_10pct_2MB', 'sender_tcpdump_nn.txt'], 1],
  ];
  for (const [parts, connections] of cases) {
    const name = parts.join('/');
    const doc = load(parts);
    const n = doc.segments.length;
    assert.ok(n >= 2000, `${name}: ${n} segments`);
    const segmentsJob = runInSlices(analyseSegmentsJob(doc.segments));
    assert.equal(segmentsJob.result.connections.length, connections, name);
    // Two passes over the segments (grouping and flags, then the replay), each asking at least once per 300.
    assert.ok(segmentsJob.asked >= (2 * n) / 300, `${name}: asked ${segmentsJob.asked} times for ${n} segments`);
    // Every question answered "yield" ends a step (the last one may find the job finished already).
    assert.ok(segmentsJob.steps >= segmentsJob.asked && segmentsJob.steps <= segmentsJob.asked + 1, name);
    const modelJob = runInSlices(connectionAnalysisJob(doc));
    // Then the model's per-segment arrays, in slices too.
    assert.ok(modelJob.asked >= segmentsJob.asked + n / 300, `${name}: the model's arrays are made in slices too`);
  }
});

test('a job run without shouldYield finishes in one step; stepping a finished job is harmless', () => {
  const doc = load(['packets', '07_many_time_wait', 'tshark.txt']);
  const job = analyseSegmentsJob(doc.segments);
  assert.throws(() => job.result(), /before the job finished/);
  assert.equal(job.step(), true);
  const first = job.result();
  assert.equal(job.step(() => true), true);
  assert.equal(job.result(), first);
  assert.equal(first.connections.length, 300);
  // A shouldYield that says "go on" most of the time: same result as the one-shot analysis.
  let calls = 0;
  const mostly = analyseSegmentsJob(doc.segments);
  while (!mostly.step(() => ++calls % 5 === 0));
  assert.deepEqual(mostly.result().findings, first.findings);
  assert.deepEqual(mostly.result().connections, first.connections);
});
