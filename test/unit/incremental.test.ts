import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { analyseLines } from '../../src/core/analyse';
import { parseLines } from '../../src/core/formats/detect';
import type { RecordSink } from '../../src/core/formats/reader';
import { BlockScanner, forcedReader } from '../../src/core/formats/scanner';
import type { ParsedDocument } from '../../src/core/model';
import { analyseIncremental, applyEdit, applyLineEdit, applyTextChanges, editJob, fullJob, type LineEdit, type TextChange } from '../../src/core/incremental';
import { runCount } from '../../src/core/lineRuns';
import { splitLines } from '../../src/core/text';
import { readFixture } from './support';

// Real captures of every family (see the SOURCE.txt / README.txt next to each).
const FIXTURES: Record<string, string> = {
  ssTanp: readFixture('sockets', '07_many_time_wait', 'snap_1_after_300_connections', 'ss_-tanp.txt'),
  ssTanoie: readFixture('sockets', '05_half_close', 'snap_1_client_fin_sent_server_still_sending', 'ss_-tanoie.txt'),
  netstatNatp: readFixture('sockets', '13_ipv6_loopback', 'v6_loopback', 'snap_3_client_time_wait', 'netstat_-natp.txt'),
  netstatAnt: readFixture('sockets', '03_connection_refused', 'snap_1_after', 'netstat_-ant.txt'),
  windows: readFixture('sockets', 'public', 'windows_zh-CN', 'shadowsocksr-csharp_issue6_netstat_-ano_close_wait_excerpt.txt'),
  busybox: readFixture('sockets', 'public', 'busybox', 'rt2860v2-openwrt_issue11_mt7688_netstat_-an_excerpt.txt'),
  macos: readFixture('sockets', 'public', 'macos', 'node-netstat_issue26_macos-mojave_netstat_-v_-n_-p_tcp_excerpt.txt'),
  tcpdumpNn: readFixture('packets', '05_half_close', 'tcpdump_nn.txt'),
  tcpdumpV: readFixture('packets', '03_connection_refused', 'tcpdump_tttt_S_v.txt'),
  tshark: readFixture('packets', '05_half_close', 'tshark.txt'),
};

const FIXTURE_LINES = Object.fromEntries(Object.entries(FIXTURES).map(([k, v]) => [k, splitLines(v)]));
const ALL_LINES: string[] = Object.values(FIXTURE_LINES).flat();

/** A document as users build them: several pasted outputs, some behind a shell prompt, some with notes between. */
function pasted(names: readonly string[], separators: readonly string[]): string[] {
  const out: string[] = [];
  names.forEach((name, i) => {
    const sep = separators[i % separators.length]!;
    if (sep !== '') out.push(...splitLines(sep));
    out.push(...FIXTURE_LINES[name]!);
  });
  return out;
}

const SEPARATORS = ['', '$ ss -tanp', 'root@host:~# netstat -natp', '', 'notes: before the restart', '\n\n', '$ tcpdump -nn -i lo'];

function assertSame(lines: readonly string[], actual: ReturnType<typeof analyseIncremental>['model'], what: string): void {
  const expected = analyseLines(lines);
  // The rebuild's per-segment records read internal tables: compare what they say (toJSON), not how they store it.
  const publicView = (m: typeof actual) => ({
    ...m,
    rebuild: m.rebuild && {
      connections: m.rebuild.connections,
      perSegment: m.rebuild.perSegment.map((r) => JSON.parse(JSON.stringify(r)) as unknown),
      numbering: [...(m.rebuild.numbering ?? [])].sort((x, y) => x[0] - y[0]),
    },
  });
  assert.deepStrictEqual(publicView(actual), publicView(expected), what);
  // Segments read their lines through getters (relative to a run of records, lineRuns.ts): compare them too.
  const recordLines = (m: typeof actual) => [...m.sockets, ...m.segments].map((r) => [r.block, r.line, r.lastLine]);
  assert.deepStrictEqual(recordLines(actual), recordLines(expected), `${what}: record lines`);
  // Records build their tokens lazily (a getter, which deepStrictEqual does not look at): compare them too.
  const tokens = (m: typeof actual) => [...m.sockets.map((r) => r.tokens), ...m.segments.map((g) => g.tokens)];
  assert.deepStrictEqual(tokens(actual), tokens(expected), `${what}: tokens`);
}

/** The block scanner run in the smallest slices it allows (it yields whenever asked), as the editor runs it. */
function scanInSlices(lines: readonly string[], format: 'auto' | 'ss' | 'tcpdump' | 'netstat-linux' = 'auto'): ParsedDocument {
  const sink: RecordSink = { sockets: [], segments: [] };
  const scanner = new BlockScanner(lines, 0, 0, sink, forcedReader(format));
  let slices = 0;
  while (!scanner.step(() => true)) slices++;
  assert.ok(lines.length < 512 || slices > 0, 'a long document takes more than one slice');
  return scanner.document();
}

/** Deep equality, and the records' lines (segments read theirs through getters, which deepStrictEqual skips). */
function assertSameDoc(actual: ParsedDocument, expected: ParsedDocument, what: string): void {
  assert.deepStrictEqual(actual, expected, what);
  const recordLines = (d: ParsedDocument) => [...d.sockets, ...d.segments].map((r) => [r.line, r.lastLine]);
  assert.deepStrictEqual(recordLines(actual), recordLines(expected), `${what}: record lines`);
}

test('the block scanner read in slices gives exactly what parseLines gives in one go', () => {
  for (const [name, lines] of Object.entries(FIXTURE_LINES)) {
    assertSameDoc(scanInSlices(lines), parseLines(lines), name);
  }
  const doc = pasted(Object.keys(FIXTURE_LINES), SEPARATORS);
  assertSameDoc(scanInSlices(doc), parseLines(doc), 'all fixtures pasted into one document');
  for (const format of ['ss', 'tcpdump', 'netstat-linux'] as const) {
    assertSameDoc(scanInSlices(doc, format), parseLines(doc, { format }), `forced ${format}`);
  }
});

test('a full incremental analysis equals analyseLines, also when run in slices', () => {
  const names = Object.keys(FIXTURE_LINES);
  const doc = pasted([...names, ...names, ...names, ...names], SEPARATORS);
  assertSame(doc, analyseIncremental(doc).model, 'one go');
  const job = fullJob(doc);
  let slices = 0;
  // Yield at every check (every 256 lines): the job must still finish and give the same model.
  while (!job.step(() => true)) slices++;
  assert.ok(slices >= Math.floor(doc.length / 256) - 1, `expected a slice per 256 lines of ${doc.length}, got ${slices}`);
  assertSame(doc, job.result().model, 'sliced');
});

test('the first read of a long capture gives way every few hundred lines, in the connection analysis too', () => {
  const doc = splitLines(readFixture('packets', '07_many_time_wait', 'tcpdump_nn.txt'));
  const job = fullJob(doc);
  let slices = 1;
  while (!job.step(() => true)) slices++;
  // The scan asks every 256 lines; the connection analysis every 256 segments in each of its passes.
  assert.ok(slices > (2 * doc.length) / 256, `${slices} slices for ${doc.length} lines`);
  assertSame(doc, job.result().model, 'sliced');
});

test('editing one row of a table re-reads that table only and keeps the others', () => {
  const names = ['ssTanp', 'netstatNatp', 'tcpdumpNn', 'tshark'];
  const doc = pasted(names, ['$ ss -tanp', '$ netstat -natp', '$ tcpdump -nn -i lo', '$ tshark -r capture.pcap']);
  const state = analyseIncremental(doc);
  assert.equal(state.model.blocks.length, 4);
  const netstatBlock = state.model.blocks[1]!;
  // Turn one ESTABLISHED row of the netstat table into CLOSE_WAIT (the same line, same length).
  const row = state.model.sockets.find((r) => r.block === 1 && r.stateText === 'TIME_WAIT')!;
  const edited = doc[row.line]!.replace('TIME_WAIT ', 'CLOSE_WAIT');
  const { state: next, stats } = applyEdit(state, { startLine: row.line, endLine: row.line + 1, newLines: [edited] });
  assert.equal(stats.mode, 'incremental');
  assert.equal(stats.fromLine, netstatBlock.firstLine);
  assert.equal(stats.blocksRead, 1);
  // No segment was read again or moved: the connection analysis of the two captures is reused as it was.
  assert.equal(stats.connectionsReused, true);
  assert.equal(next.model.connections, state.model.connections);
  assert.ok(stats.linesRead <= netstatBlock.lastLine - netstatBlock.firstLine + 1 + 4, `read ${stats.linesRead} lines`);
  assertSame(next.lines, next.model, 'after the edit');
  assert.equal(next.model.stateCounts['CLOSE-WAIT'], (state.model.stateCounts['CLOSE-WAIT'] ?? 0) + 1);
  assert.equal(next.model.stateCounts['TIME-WAIT'], state.model.stateCounts['TIME-WAIT']! - 1);
  assert.equal(next.model.sockets.find((r) => r.line === row.line)!.state, 'CLOSE-WAIT');
  // The untouched blocks' records are the very same objects (nothing re-read there).
  assert.equal(next.model.segments[0], state.model.segments[0]);
  assert.equal(next.model.sockets[0], state.model.sockets[0]);
});

test('inserting lines shifts the blocks after the edit without re-reading them', () => {
  const doc = pasted(['ssTanoie', 'tcpdumpV', 'netstatAnt'], ['$ ss -tanoie', '$ tcpdump -tttt -S -v', '$ netstat -ant']);
  const state = analyseIncremental(doc);
  const at = state.model.blocks[0]!.lastLine + 1;
  const firstSegment = state.model.segments[0]!;
  const segmentLine = firstSegment.line;
  const thirdBlockLine = state.model.blocks[2]!.firstLine;
  const { state: next, stats } = applyEdit(state, { startLine: at, endLine: at, newLines: ['', 'a note typed between two outputs', ''] });
  assert.equal(stats.mode, 'incremental');
  assert.ok(stats.resumedAt < next.lines.length, 'the previous parse was picked up again');
  // Segments moved three lines but none was re-read: the connection analysis moved with them instead of running again.
  assert.equal(stats.connectionsReused, true);
  assert.equal(next.model.blocks[2]!.firstLine, thirdBlockLine + 3);
  // Reused, not re-read: the same segment object, moved three lines down.
  assert.equal(next.model.segments[0], firstSegment);
  assert.equal(firstSegment.line, segmentLine + 3);
  assertSame(next.lines, next.model, 'after the insertion');
});

test('changing the options or the format of a forced document reads everything again', () => {
  const doc = FIXTURE_LINES.ssTanp!;
  const state = analyseIncremental(doc);
  const edit: LineEdit = { startLine: 3, endLine: 4, newLines: [doc[3]!] };
  const { stats } = applyEdit(state, edit, { thresholds: { timeWait: 10 } });
  assert.equal(stats.mode, 'full');
  const same = applyEdit(state, edit);
  assert.equal(same.stats.mode, 'incremental');
});

// ---------------------------------------------------------------------------------------------------------------
// The property: any edit, applied incrementally, gives what a full analysis of the new text gives.

/** New lines for an edit: copies of real lines (from anywhere), mutated ones, blanks, prompts, prose. */
function replacementLines(): fc.Arbitrary<string[]> {
  const realLine = fc.integer({ min: 0, max: ALL_LINES.length - 1 }).map((i) => ALL_LINES[i]!);
  const mutated = fc
    .tuple(realLine, fc.nat(), fc.constantFrom('', ' ', 'X', 'ESTABLISHED', 'TIME_WAIT', '[S.]', ':', '0', '\t', 'CLOSE-WAIT'))
    .map(([l, at, ins]) => {
      const k = l.length === 0 ? 0 : at % (l.length + 1);
      // Replace one character (or insert at the end).
      return l.slice(0, k) + ins + l.slice(k + 1);
    });
  const truncated = fc.tuple(realLine, fc.nat()).map(([l, at]) => l.slice(0, l.length === 0 ? 0 : at % l.length));
  const other = fc.constantFrom('', '   ', '$ ss -tan', 'C:\\> netstat -ano', 'just some notes', 'Active Internet connections (servers and established)');
  return fc.array(fc.oneof({ weight: 4, arbitrary: realLine }, { weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: truncated }, { weight: 2, arbitrary: other }), {
    maxLength: 6,
  });
}

function editOn(length: number): fc.Arbitrary<LineEdit> {
  return fc.tuple(fc.integer({ min: 0, max: length }), fc.integer({ min: 0, max: 5 }), replacementLines()).map(([start, removed, newLines]) => ({
    startLine: start,
    endLine: Math.min(length, start + removed),
    newLines,
  }));
}

const DOCS = fc
  .tuple(fc.array(fc.constantFrom(...Object.keys(FIXTURE_LINES)), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 4 }))
  .map(([names, seps]) => pasted(names, seps));

test('property: an incremental edit gives the same model as a full analysis (random edits on real captures)', () => {
  let runs = 0;
  let resumedEarly = 0;
  let readLess = 0;
  let reused = 0;
  fc.assert(
    fc.property(
      DOCS.chain((doc) => fc.tuple(fc.constant(doc), editOn(doc.length))),
      ([doc, edit]) => {
        const { state, stats } = applyEdit(analyseIncremental(doc), edit);
        assert.equal(stats.mode, 'incremental');
        assert.deepStrictEqual(state.lines, applyLineEdit(doc, edit));
        assertSame(state.lines, state.model, JSON.stringify(edit));
        runs++;
        if (stats.resumedAt < state.lines.length) resumedEarly++;
        if (stats.linesRead < state.lines.length / 2) readLess++;
        if (stats.connectionsReused) reused++;
      },
    ),
    { numRuns: 150, seed: 20240705 },
  );
  // The splice paths were exercised, not just "read to the end".
  assert.ok(resumedEarly > runs / 4, `resumed before the end in ${resumedEarly} of ${runs} runs`);
  assert.ok(readLess > runs / 4, `read less than half the document in ${readLess} of ${runs} runs`);
  assert.ok(reused > runs / 10, `reused the connection analysis in ${reused} of ${runs} runs`);
});

test('property: a chain of edits, each applied to the previous result, stays equal to a full analysis', () => {
  fc.assert(
    fc.property(DOCS, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 4 }), replacementLines()), { minLength: 2, maxLength: 6 }), (doc, steps) => {
      let state = analyseIncremental(doc);
      for (const [where, removed, newLines] of steps) {
        const start = Math.floor(where * state.lines.length);
        const edit = { startLine: start, endLine: Math.min(state.lines.length, start + removed), newLines };
        state = applyEdit(state, edit).state;
      }
      assertSame(state.lines, state.model, 'after the chain');
    }),
    { numRuns: 60, seed: 7 },
  );
});

test('property: a sliced edit job gives the same as the synchronous one', () => {
  fc.assert(
    fc.property(
      DOCS.chain((doc) => fc.tuple(fc.constant(doc), editOn(doc.length))),
      ([doc, edit]) => {
        // An update owns its previous state (it shifts reused records in place): give each its own.
        const job = editJob(analyseIncremental(doc), edit);
        let n = 0;
        while (!job.step(() => ++n % 3 === 0)) {
          /* one slice */
        }
        assert.deepStrictEqual(job.result().state.model, applyEdit(analyseIncremental(doc), edit).state.model);
      },
    ),
    { numRuns: 40, seed: 99 },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Edits inside one long block: a window of records is read again, never the whole block.

// Long real outputs, one variant each: -v pairs, hex and ASCII dumps, -ttt running time, -i any, tshark with hex,
// ss -tanoie two-line rows, netstat -natp.
const LONG_BLOCKS: Record<string, string[]> = {
  tcpdumpV: splitLines(readFixture('packets', '10_packet_loss', 'loss_10pct_2MB', 'receiver_tcpdump_tttt_S_v.txt')).slice(0, 900),
  tcpdumpNn: splitLines(readFixture('packets', '07_many_time_wait', 'tcpdump_nn.txt')).slice(0, 900),
  tcpdumpHex: splitLines(readFixture('packets', 'generated', 'tcpdump_any_nn_X.txt')),
  tcpdumpAscii: splitLines(readFixture('packets', 'generated', 'tcpdump_any_nn_A.txt')),
  tcpdumpDeltas: splitLines(readFixture('packets', 'generated', 'tcpdump_any_nn_ttt.txt')),
  tcpdumpSinceFirst: splitLines(readFixture('packets', 'generated', 'tcpdump_any_nn_ttttt.txt')),
  tsharkHex: splitLines(readFixture('packets', 'generated', 'tshark_any_P_x.txt')),
  tshark: splitLines(readFixture('packets', '07_many_time_wait', 'tshark.txt')).slice(0, 900),
  ssTwoLine: splitLines(readFixture('sockets', '07_many_time_wait', 'snap_1_after_300_connections', 'ss_-tanoie.txt')),
  netstat: splitLines(readFixture('sockets', '07_many_time_wait', 'snap_1_after_300_connections', 'netstat_-natp.txt')),
};

/** Edits a user makes inside an output: type or delete a character, duplicate or delete a line, paste anything. */
function editInside(doc: readonly string[]): fc.Arbitrary<{ edit: LineEdit; typed: boolean }> {
  const at = fc.integer({ min: 12, max: doc.length - 12 });
  const typeChar = fc.tuple(at, fc.nat(), fc.constantFrom('', '1', ' ', 'x', '.')).map(([i, k, c]) => {
    const line = doc[i]!;
    const p = k % (line.length + 1);
    // '' deletes the character at p; anything else is typed in front of it.
    return { startLine: i, endLine: i + 1, newLines: [c === '' ? line.slice(0, p) + line.slice(p + 1) : line.slice(0, p) + c + line.slice(p)] };
  });
  const duplicate = at.map((i) => ({ startLine: i, endLine: i, newLines: [doc[i]!] }));
  const remove = at.map((i) => ({ startLine: i, endLine: i + 1, newLines: [] }));
  const paste = fc.tuple(at, fc.integer({ min: 0, max: 2 }), replacementLines()).map(([i, removed, newLines]) => ({ startLine: i, endLine: i + removed, newLines }));
  return fc.oneof(
    fc.oneof(typeChar, duplicate, remove).map((edit) => ({ edit, typed: true })),
    paste.map((edit) => ({ edit, typed: false })),
  );
}

test('property: an edit inside a long block reads a window of records again and gives what a full read gives', () => {
  const used: Record<string, number> = {};
  const typed: Record<string, number> = {};
  // Window edits whose connection analysis was not run again in full (moved, or a few connections analysed again).
  const kept: Record<string, number> = {};
  fc.assert(
    fc.property(
      fc.constantFrom(...Object.keys(LONG_BLOCKS)).chain((name) => {
        const doc = ['$ the command', ...LONG_BLOCKS[name]!, '', 'after the output'];
        return fc.tuple(fc.constant(name), fc.constant(doc), editInside(doc));
      }),
      ([name, doc, { edit, typed: isTyping }]) => {
        const { state, stats } = applyEdit(analyseIncremental(doc), edit);
        assert.equal(stats.connectionsFault, undefined, 'the partial re-analysis threw');
        if (isTyping) {
          typed[name] = (typed[name] ?? 0) + 1;
          if (stats.window) used[name] = (used[name] ?? 0) + 1;
          if (stats.window && stats.connectionsReused) kept[name] = (kept[name] ?? 0) + 1;
        }
        assertSame(state.lines, state.model, `${name} ${JSON.stringify(edit)}`);
      },
    ),
    { numRuns: 400, seed: 20261121 },
  );
  // Typing inside a record (or duplicating or deleting a line) is what the window is for: it must serve most of
  // those edits in every variant. The exception is -ttt, whose times add up from the block's first packet: an edit
  // that changes one delta changes every later time, and the window must then give way to the full block.
  const shares = Object.keys(LONG_BLOCKS).map((name) => `${name} ${used[name] ?? 0}/${typed[name] ?? 0}`);
  const keptShares = Object.keys(LONG_BLOCKS).map((name) => `${name} ${kept[name] ?? 0}/${used[name] ?? 0}`);
  for (const name of Object.keys(LONG_BLOCKS)) {
    if (name === 'tcpdumpDeltas') continue;
    assert.ok((used[name] ?? 0) / (typed[name] ?? 1) > 0.5, `window used in fewer than half the typing edits: ${shares.join(', ')}`);
    // Most window edits in a capture analyse a few connections again instead of all of them.
    assert.ok((kept[name] ?? 0) / (used[name] ?? 1) > 0.5, `connection analysis kept in fewer than half the window edits: ${keptShares.join(', ')}`);
  }
});

test('property: a chain of edits inside a long capture, each on the previous result, stays equal to a full analysis', () => {
  // The connection index and the records are kept from edit to edit (incrementalConnections.ts): a chain checks that
  // what one edit leaves behind is right for the next, through typed ports that renumber, pasted lines and deletions.
  const captures = ['tcpdumpNn', 'tshark', 'tcpdumpV'] as const;
  fc.assert(
    fc.property(
      fc.constantFrom(...captures).chain((name) => {
        const doc = ['$ the command', ...LONG_BLOCKS[name]!, '', 'after the output'];
        return fc.tuple(fc.constant(name), fc.constant(doc), fc.array(editInside(doc), { minLength: 3, maxLength: 8 }));
      }),
      ([name, doc, steps]) => {
        let state = analyseIncremental(doc);
        for (const { edit } of steps) {
          // Edits were drawn against the first document: kept inside the current one.
          const start = Math.min(edit.startLine, state.lines.length - 13);
          const bounded = { ...edit, startLine: start, endLine: Math.min(state.lines.length, start + (edit.endLine - edit.startLine)) };
          const { state: next, stats } = applyEdit(state, bounded);
          assert.equal(stats.connectionsFault, undefined, 'the partial re-analysis threw');
          state = next;
        }
        assertSame(state.lines, state.model, `${name} after ${steps.length} edits`);
      },
    ),
    { numRuns: 40, seed: 20261122 },
  );
});

test('regression: duplicate-ACK references stay right through a chain of edits that add and remove packets', () => {
  // The records of duplicate ACKs name the segment they duplicate by index; edits that add or remove segments move
  // those after them. Their positions are kept from edit to edit (incrementalConnections.ts), so a chain of edits
  // on a lossy capture checks that the kept positions follow every change.
  const doc = ['$ the command', ...LONG_BLOCKS.tcpdumpV!, '', 'after the output'];
  const first = analyseIncremental(doc);
  const dupAcks = first.model.rebuild!.perSegment.filter((r) => r.dupAck !== undefined).length;
  assert.ok(dupAcks >= 10, `${dupAcks} duplicate ACKs in the capture`);
  let moved = 0;
  fc.assert(
    fc.property(fc.array(editInside(doc), { minLength: 3, maxLength: 5 }), (edits) => {
      // An edit takes over the state it is given (its arrays are edited in place): each run starts from a fresh one.
      let state = analyseIncremental(doc);
      for (const { edit } of edits) {
        if (edit.endLine > state.lines.length) continue;
        const before = state.model.segments.length;
        const result = applyEdit(state, edit);
        state = result.state;
        assert.equal(result.stats.connectionsFault, undefined, 'the partial re-analysis threw');
        if (result.stats.connectionsReused && state.model.segments.length !== before) moved++;
        assertSame(state.lines, state.model, `after ${JSON.stringify(edit).slice(0, 200)}`);
      }
    }),
    { numRuns: 25, seed: 11 },
  );
  assert.ok(moved >= 10, `${moved} edits re-analysed a few connections and moved the segments after them`);
});

test('edits that add and remove lines in a 3,000-packet capture move runs of records, and every line stays right', () => {
  // Past a few thousand records, the records after an edit are moved by their run's base, not one by one
  // (lineRuns.ts): records read again join a run, a run that grows too long is split, tokens built before a move
  // are moved when next read. Each step is compared with a full read, tokens included (which builds them all, so the
  // next step moves built tokens too).
  const capture = splitLines(readFixture('packets', '07_many_time_wait', 'tcpdump_nn.txt'));
  const doc = ['$ tcpdump -nn -i lo', ...capture];
  const step = fc.oneof(
    fc.tuple(fc.constant('insert' as const), fc.integer({ min: 1, max: doc.length - 1 }), fc.nat()),
    fc.tuple(fc.constant('delete' as const), fc.integer({ min: 1, max: doc.length - 60 }), fc.integer({ min: 1, max: 50 })),
    fc.tuple(fc.constant('type' as const), fc.integer({ min: 1, max: doc.length - 1 }), fc.nat()),
    fc.tuple(fc.constant('paste' as const), fc.integer({ min: 1, max: doc.length - 1 }), fc.constant(2100)),
  );
  // First a fixed chain: runs made by an edit near the top, records read again far below it (they join a later
  // run), then that run moved by its base.
  let state = analyseIncremental(doc);
  const typeAt = (i: number): LineEdit => ({ startLine: i, endLine: i + 1, newLines: [state.lines[i]!.replace(' > ', ' >  ')] });
  const chain: (() => LineEdit)[] = [
    () => ({ startLine: 10, endLine: 10, newLines: [doc[10]!] }),
    () => typeAt(2500),
    () => ({ startLine: 20, endLine: 22, newLines: [] }),
    () => typeAt(2400),
    () => ({ startLine: 5, endLine: 5, newLines: doc.slice(1, 2300) }),
    () => typeAt(4000),
    () => ({ startLine: 3, endLine: 4, newLines: [] }),
  ];
  for (const next of chain) {
    const edit = next();
    state = applyEdit(state, edit).state;
    assertSame(state.lines, state.model, `fixed chain: ${JSON.stringify(edit).slice(0, 100)}`);
  }
  assert.ok(runCount(state.model.segments) >= 6, `${runCount(state.model.segments)} runs`);
  let runsSeen = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: 2, maxLength: 4 }), (steps) => {
      let state = analyseIncremental(doc);
      for (const [kind, at, n] of steps) {
        const line = Math.min(at, state.lines.length - 1);
        const text = state.lines[line]!;
        const edit: LineEdit =
          kind === 'insert'
            ? { startLine: line, endLine: line, newLines: [capture[n % capture.length]!] }
            : kind === 'delete'
              ? { startLine: line, endLine: Math.min(state.lines.length, line + n), newLines: [] }
              : kind === 'type'
                ? { startLine: line, endLine: line + 1, newLines: [text.slice(0, n % (text.length + 1)) + '1' + text.slice(n % (text.length + 1))] }
                : { startLine: line, endLine: line, newLines: capture.slice(0, n) };
        state = applyEdit(state, edit).state;
        runsSeen = Math.max(runsSeen, runCount(state.model.segments));
        assertSame(state.lines, state.model, `${kind} at ${line}`);
      }
    }),
    { numRuns: 12, seed: 5 },
  );
  assert.ok(runsSeen >= 4, `records kept in up to ${runsSeen} runs`);
});

test('regression: an edit applied in place to the editor\'s own lines (as documentModels.ts does) is served by the window', () => {
  // The window checks its fresh reader against the old text. The extension edits its line array in place and hands
  // that same array over, so the "old" window was read from the new text: the check failed on every edit that
  // changed a record and the whole block was read again. The edit's oldLines now stand in for the replaced lines.
  const counts = { typed: 0, window: 0 };
  fc.assert(
    fc.property(
      fc.constantFrom('tcpdumpNn', 'tcpdumpV', 'tshark', 'ssTwoLine', 'netstat').chain((name) => {
        const doc = ['$ the command', ...LONG_BLOCKS[name]!, ''];
        return fc.tuple(fc.constant(doc), editInside(doc));
      }),
      ([doc, { edit, typed }]) => {
        const lines = doc.slice();
        const prev = analyseIncremental(lines);
        // The same change as VS Code reports it: the edited lines' range and the text put there.
        const last = edit.endLine > edit.startLine ? edit.endLine - 1 : edit.startLine;
        const change: TextChange =
          edit.endLine > edit.startLine
            ? { range: { start: { line: edit.startLine, character: 0 }, end: { line: last, character: doc[last]!.length } }, text: edit.newLines.join('\n') }
            : { range: { start: { line: edit.startLine, character: 0 }, end: { line: edit.startLine, character: 0 } }, text: edit.newLines.map((l) => `${l}\n`).join('') };
        if (edit.endLine > edit.startLine && edit.newLines.length === 0) return; // a deletion is not a single-range change of this form
        const lineEdit = applyTextChanges(lines, [change]);
        assert.ok(lineEdit);
        const job = editJob(prev, lineEdit, {}, lines);
        job.step();
        const { state, stats } = job.result();
        assert.equal(state.lines, lines);
        if (typed) {
          counts.typed++;
          if (stats.window) counts.window++;
        }
        assertSame(state.lines, state.model, `in place ${JSON.stringify(lineEdit)}`);
      },
    ),
    { numRuns: 150, seed: 7 },
  );
  assert.ok(counts.window / counts.typed > 0.5, `window used for ${counts.window} of ${counts.typed} typing edits made in place`);
});

test('regression: a typo before "IP" or a time that does not read no longer marks the whole capture -e', () => {
  // Any text between the time and "IP" was taken as -e's link-level header, and the block's variant became
  // "tcpdump -e": a block-wide change, so the window had to give way to a full re-read of the capture.
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const line = 450;
  for (const typed of [doc[line]!.replace(' IP ', ' 7IP '), doc[line]!.replace(/^(\d\d:)(\d\d)/, '$1' + '0$2')]) {
    const { state, stats } = applyEdit(analyseIncremental(doc), { startLine: line, endLine: line + 1, newLines: [typed] });
    assert.equal(stats.window, true, typed);
    assert.equal(state.model.blocks[0]!.variant.includes('-e'), false, typed);
    assert.ok(state.model.segments.some((g) => g.line === line), `the packet on ${typed} is still read`);
    assertSame(state.lines, state.model, typed);
  }
  // A real -e header is still one.
  const withLink = parseLines(splitLines(readFixture('packets', 'generated', 'tcpdump_ethernet_nn_e.txt')), { format: 'auto' });
  assert.ok(withLink.blocks.some((b) => b.format === 'tcpdump' && b.variant.includes('-e')));
});

test('regression: a chain of edits lets go of the earlier analyses', async () => {
  // Each edit's per-segment records were read through the previous edit's (closures), and nothing cut the chain
  // unless someone read every record: editing kept every earlier re-analysis alive, about 0.4 MB per keystroke on a
  // 200,000-line capture. Now the records are one array edited in place.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const doc = LONG_BLOCKS.tcpdumpNn!;
  let state = analyseIncremental(doc);
  const first = new WeakRef(state.model.rebuild!);
  for (let k = 0; k < 40; k++) {
    const line = 100 + 15 * k;
    const text = state.lines[line]!;
    const edit = { startLine: line, endLine: line + 1, newLines: [text.replace('win ', 'win 1')] };
    const r = applyEdit(state, edit);
    assert.equal(r.stats.connectionsReused, true, `edit ${k}`);
    state = r.state;
  }
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(first.deref(), undefined, 'the first analysis is still reachable after 40 edits');
  assertSame(state.lines, state.model, 'after 40 edits');
});

test('regression: a keystroke and its undo in a long connection keep the records that did not change', () => {
  // The connection is analysed again both times. Its records were all replaced by new objects, which the model then
  // held: on a 200,000-line capture about 0.5 MB per keystroke outlived the young generation's collections, and made
  // the slowest keystrokes slow. A record that comes out as it was is now the same object.
  const doc = LONG_BLOCKS.tcpdumpV!;
  let state = analyseIncremental(doc);
  const connection = state.model.connections.reduce((a, b) => (b.segments > a.segments ? b : a));
  assert.ok(connection.segments > 200, `${connection.segments} segments`);
  const segmentsOf = (s: typeof state): number[] =>
    s.model.segments.flatMap((_, i) => (s.model.segmentConnections[i] === connection.id ? [i] : []));
  const indexes = segmentsOf(state);
  const before = indexes.map((i) => state.model.rebuild!.perSegment[i]);
  const data = state.model.segments.find((g, i) => state.model.segmentConnections[i] === connection.id && g.line > 300 && g.win !== undefined)!;
  // In tcpdump -v a packet's TCP part is its second line.
  const line = data.lastLine;
  const text = doc[line]!;
  const typed = text.replace(/win (\d)/, 'win 1$1');
  assert.notEqual(typed, text);
  for (const newLines of [[typed], [text]]) {
    const r = applyEdit(state, { startLine: line, endLine: line + 1, newLines });
    assert.equal(r.stats.connectionsReused, true);
    assert.notEqual(r.state.connectionPart, state.connectionPart, 'the connection was analysed again');
    state = r.state;
  }
  assert.deepEqual(segmentsOf(state), indexes);
  const after = indexes.map((i) => state.model.rebuild!.perSegment[i]);
  const same = after.filter((r, k) => r === before[k]).length;
  // The typed segment's record and those whose analysis read its window may be new; every other one is the same.
  assert.ok(same >= indexes.length - 5, `${same} of ${indexes.length} records kept`);
  assertSame(state.lines, state.model, 'after typing and undoing');
});

test('typing one character into a packet line of a long capture reads a few lines, not the capture', () => {
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const state = analyseIncremental(doc);
  const line = 450;
  const segment = state.model.segments.findIndex((g) => g.line === line);
  const typed = doc[line]!.replace('win ', 'win 1');
  const { state: next, stats } = applyEdit(state, { startLine: line, endLine: line + 1, newLines: [typed] });
  assert.equal(stats.window, true);
  assert.ok(stats.linesRead < 20, `read ${stats.linesRead} lines`);
  assert.equal(next.model.segments[segment]!.win, Number(/win (\d+)/.exec(typed)![1]));
  assertSame(next.lines, next.model, 'after typing');
});

test('typing into what the analysis does not read (a data segment\'s timestamp option) keeps the connection analysis as it is', () => {
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const state = analyseIncremental(doc);
  const data = state.model.segments.find((g) => g.line > 400 && g.len > 0 && !g.flags.includes('SYN'))!;
  const typed = doc[data.line]!.replace(/TS val (\d)/, 'TS val 9$1');
  assert.notEqual(typed, doc[data.line]);
  const { state: next, stats } = applyEdit(state, { startLine: data.line, endLine: data.line + 1, newLines: [typed] });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assert.equal(next.connectionPart, state.connectionPart, 'the same connection analysis, not a re-analysis');
  const index = next.model.segments.findIndex((g) => g.line === data.line);
  assert.equal(next.model.segments[index]!.options?.tsVal, Number(/TS val (\d+)/.exec(typed)![1]));
  assertSame(next.lines, next.model, 'after typing into TS val');
  // A SYN's MSS is read (the window scale and the delayed-ACK rule use what the SYN negotiated): analysed again.
  const syn = next.model.segments.find((g) => g.line > 400 && g.flags.includes('SYN') && g.options?.mss !== undefined)!;
  const mss = next.lines[syn.line]!.replace(/mss (\d+)/, 'mss 1$1');
  const again = applyEdit(next, { startLine: syn.line, endLine: syn.line + 1, newLines: [mss] });
  assert.equal(again.stats.connectionsReused, true);
  assert.notEqual(again.state.connectionPart, next.connectionPart);
  assertSame(again.state.lines, again.state.model, 'after typing into a SYN\'s mss');
});

test('typing into a port splits a connection off: the later connections take new ids, nothing else is analysed again', () => {
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const state = analyseIncremental(doc);
  const connections = state.model.connections.length;
  // A data segment in the middle of the capture: the first digit of its client port typed over (4xxxx -> 6xxxx, a
  // port no connection of the capture uses).
  const line = state.model.segments.find((g) => g.line > 400 && g.len > 0)!.line;
  const port = /\.(4\d{4}) >/.exec(doc[line]!)![1]!;
  const typed = doc[line]!.replace(`.${port} >`, `.6${port.slice(1)} >`);
  assert.ok(!doc.some((l) => l.includes(`.6${port.slice(1)} `)));
  const { state: next, stats } = applyEdit(state, { startLine: line, endLine: line + 1, newLines: [typed] });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assert.equal(next.model.connections.length, connections + 1);
  assertSame(next.lines, next.model, 'after typing into a port');
});

test('regression: a line of a new connection inserted right above a connection\'s first packet renumbers that packet too', () => {
  // The new connection takes the id of the one below it, which moves up by one with every later one. The first
  // renumbered segment was looked up after the connections' segment indexes had been moved by the insert, so the
  // lower connection's first packet kept its old id.
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const state = analyseIncremental(doc);
  const below = state.model.connections.find((c) => c.firstLine > 400)!;
  // Read now: the edit hands the model over, and its lists and summaries are edited in place.
  const { id, firstLine: line } = below;
  const connections = state.model.connections.length;
  const port = /\.(4\d{4}) >/.exec(doc[line]!)![1]!;
  const inserted = doc[line]!.replace(`.${port} >`, `.6${port.slice(1)} >`);
  assert.ok(!doc.some((l) => l.includes(`.6${port.slice(1)} `)));
  const { state: next, stats } = applyEdit(state, { startLine: line, endLine: line, newLines: [inserted] });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assert.equal(next.model.connections.length, connections + 1);
  const first = next.model.segments.findIndex((g) => g.line === line + 1);
  assert.equal(next.model.segmentConnections[first], id + 1);
  assertSame(next.lines, next.model, 'after inserting a new connection\'s line');
});

test('regression: a connection that keeps its id while the earlier one on its 4-tuple moves gets that one\'s new id', () => {
  // Found by the runs-of-records property test with another seed. The capture is pasted above itself (less its first
  // line), so every connection of the second copy reuses a 4-tuple of the first. A copy of one connection's SYN typed
  // near the top moves that connection to id 1: the ids between shift by one, the later ones keep theirs, and their
  // `previous` (a connection of the first copy) was renumbered only when their own id changed.
  const capture = splitLines(readFixture('packets', '07_many_time_wait', 'tcpdump_nn.txt'));
  let state = analyseIncremental(['$ tcpdump -nn -i lo', ...capture]);
  state = applyEdit(state, { startLine: 1, endLine: 1, newLines: capture.slice(0, 2100) }).state;
  state = applyEdit(state, { startLine: 1, endLine: 2, newLines: [] }).state;
  const synAt = capture.findIndex((l) => l.includes('.49552 > 127.0.0.1.8080: Flags [S],'));
  const { state: next, stats } = applyEdit(state, { startLine: 3, endLine: 3, newLines: [capture[synAt]!] });
  assert.equal(stats.connectionsReused, true, 'the connections were analysed again in part');
  const reused = next.model.rebuild!.connections.filter((c) => c.previous !== undefined);
  assert.ok(reused.length > 100, `${reused.length} connections reuse a 4-tuple`);
  assertSame(next.lines, next.model, 'after typing a SYN above its connection');
});

test('regression: the connection index follows an edit that adds many packets to one connection, for the next edit', () => {
  // The block scan reads each connection's last segment from an index kept from edit to edit
  // (incrementalConnections.ts). Thirty packets added to an early connection move every later connection's segments;
  // a connection that spans the next edit must then not be taken for one that ended before it.
  const doc = LONG_BLOCKS.tcpdumpNn!;
  let state = analyseIncremental(doc);
  const early = state.model.connections[5]!;
  const data = state.model.segments.findIndex((g, j) => g.line > early.firstLine + 3 && state.model.segmentConnections[j] === early.id);
  const copied = state.model.segments[data]!.line;
  state = applyEdit(state, { startLine: copied + 1, endLine: copied + 1, newLines: Array<string>(30).fill(doc[copied]!) }).state;
  // A packet of its neighbour, which overlaps it, put in front of a later connection's last packet.
  const spanning = state.model.connections[10]!;
  const neighbour = state.model.connections[11]!;
  assert.ok(neighbour.firstLine < spanning.lastLine, 'the two connections overlap');
  const { state: next, stats } = applyEdit(state, { startLine: spanning.lastLine, endLine: spanning.lastLine, newLines: [state.lines[neighbour.firstLine]!] });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assertSame(next.lines, next.model, 'after 30 packets and then one more');
});

test('regression: the connection index follows a connection analysed again that grew past its old end, for the next edit', () => {
  // Five copies of a connection's last packet after it make it end five packets later. The connection was analysed
  // again and kept its id, so the list of connections was edited in place, and its index entry must take the new
  // end: the next edit falls between its old end and its new one.
  const doc = LONG_BLOCKS.tcpdumpNn!;
  let state = analyseIncremental(doc);
  const grown = state.model.connections[5]!;
  const last = grown.lastLine;
  const first = applyEdit(state, { startLine: last + 1, endLine: last + 1, newLines: Array<string>(5).fill(doc[last]!) });
  assert.deepEqual([first.stats.window, first.stats.connectionsReused], [true, true]);
  state = first.state;
  assert.equal(state.model.connections[5]!.lastLine, last + 5);
  const other = state.model.connections[7]!;
  const { state: next, stats } = applyEdit(state, { startLine: last + 3, endLine: last + 3, newLines: [state.lines[other.firstLine + 5]!] });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assertSame(next.lines, next.model, 'after five copies of a last packet, then a packet of another connection among them');
});

test('regression: after a typed port renumbers the later connections, the next keystroke in one of them finds it', () => {
  // The new connection moves every later id by one, and the connection index is carried over to the new ids
  // (incrementalConnections.ts) instead of being read again from the connections: the next edit, in a connection
  // twenty ids later, must find that connection under its new id.
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const state = analyseIncremental(doc);
  const line = state.model.segments.find((g) => g.line > 400 && g.len > 0)!.line;
  const port = /\.(4\d{4}) >/.exec(doc[line]!)![1]!;
  const typed = doc[line]!.replace(`.${port} >`, `.6${port.slice(1)} >`);
  // Read before the edit, which hands the model over (its lists are edited in place).
  const connections = state.model.connections.length;
  const split = applyEdit(state, { startLine: line, endLine: line + 1, newLines: [typed] });
  assert.equal(split.state.model.connections.length, connections + 1);
  const later = split.state.model.connections.find((c) => c.firstLine > line + 100)!;
  const at = later.firstLine + 3;
  const again = split.state.lines[at]!.replace('win ', 'win 1');
  assert.notEqual(again, split.state.lines[at]);
  const { state: next, stats } = applyEdit(split.state, { startLine: at, endLine: at + 1, newLines: [again] });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assertSame(next.lines, next.model, 'after a typed port, then a keystroke in a later connection');
});

test('pasting packets of many connections into a long capture re-analyses just those connections, exactly', () => {
  // More changed 4-tuples than are compared end by end: they are matched by key (incrementalConnections.ts). The
  // pasted packets are copies of earlier ones of the same capture, so the capture's end time stays where it was.
  // Their SYNs reuse ports: the port-reuse texts name the earlier connection by number, which the subset's analysis
  // gave in its own numbering until the text read it from the connection (moved to the document's numbering).
  const doc = LONG_BLOCKS.tcpdumpNn!;
  const pasted = doc.slice(100, 200);
  const tuples = new Set(pasted.map((l) => /IP (\S+) > (\S+):/.exec(l)?.slice(1).sort().join(' ')));
  assert.ok(tuples.size > 8, `${tuples.size} 4-tuples pasted`);
  const { state, stats } = applyEdit(analyseIncremental(doc), { startLine: 450, endLine: 450, newLines: pasted });
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assertSame(state.lines, state.model, 'after pasting 100 packets');
});

test('regression: a capture moved to a later block by a table pasted above it is still re-analysed right', () => {
  // The 4-tuple keys kept for connections between edits once held the block number, which a paste above changes.
  const capture = LONG_BLOCKS.tcpdumpNn!;
  let state = analyseIncremental(['$ tcpdump -nn', ...capture]);
  const typeInto = (line: number) => {
    const text = state.lines[line]!;
    const at = text.indexOf('win ') + 4;
    return { startLine: line, endLine: line + 1, newLines: [`${text.slice(0, at)}1${text.slice(at)}`] };
  };
  state = applyEdit(state, typeInto(300)).state;
  const table = FIXTURE_LINES.ssTanoie!;
  const pasted = applyEdit(state, { startLine: 0, endLine: 0, newLines: ['$ ss -tanoie', ...table, ''] });
  assert.equal(pasted.stats.connectionsReused, true);
  state = pasted.state;
  const { state: next, stats } = applyEdit(state, typeInto(400 + table.length + 2));
  assert.deepEqual([stats.window, stats.connectionsReused], [true, true]);
  assertSame(next.lines, next.model, 'after the paste and a typed window');
});

// ---------------------------------------------------------------------------------------------------------------
// The editor's side: text changes (ranges + text, as VS Code reports them) to our lines and one line edit.

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

test('property: text changes applied to our lines give the editor\'s lines, and the line edit reproduces them', () => {
  const insert = fc.array(fc.constantFrom('a', ' ', '\n', 'ESTAB', 'x\ny', '\n\n', '0'), { maxLength: 5 }).map((a) => a.join(''));
  fc.assert(
    fc.property(
      DOCS,
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), insert), { minLength: 1, maxLength: 5 }),
      (docLines, edits) => {
        let text = docLines.join('\n');
        const lines = text.split('\n');
        const before = lines.slice();
        const changes: TextChange[] = [];
        for (const [p, q, ins] of edits) {
          const a = Math.floor(p * text.length);
          const b = Math.min(text.length, a + Math.floor(q * 40));
          changes.push({ range: { start: positionAt(text, a), end: positionAt(text, b) }, text: ins });
          text = text.slice(0, a) + ins + text.slice(b);
        }
        const edit = applyTextChanges(lines, changes);
        assert.ok(edit);
        assert.deepStrictEqual(lines, text.split('\n'));
        assert.deepStrictEqual(applyLineEdit(before, edit), lines);
        assert.deepStrictEqual(edit.oldLines, before.slice(edit.startLine, edit.endLine));
        // The edit is as small as the changes allow: the lines before it and after it did not change.
        for (let i = 0; i < edit.startLine; i++) assert.equal(lines[i], before[i]);
        // And analysing through it is exact.
        const { state } = applyEdit(analyseIncremental(before), edit);
        assertSame(lines, state.model, 'after text changes');
      },
    ),
    { numRuns: 80, seed: 11 },
  );
});

test('text changes: CRLF and lone CR in pasted text split lines the way the editor does', () => {
  const lines = ['first', 'second'];
  const edit = applyTextChanges(lines, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: '\r\nA\rB\nC' }]);
  assert.deepStrictEqual(lines, ['first', 'A', 'B', 'C', 'second']);
  assert.deepStrictEqual(edit, { startLine: 0, endLine: 1, newLines: ['first', 'A', 'B', 'C'], oldLines: ['first'] });
  assert.equal(applyTextChanges(lines, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: 'x' }]), undefined);
});
