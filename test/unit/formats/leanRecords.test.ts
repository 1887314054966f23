// What the readers do to stay fast and small on big documents must not show: parseText (lines cut on demand,
// records that read their text again) reads exactly what parseLines reads from a string per line; options read on
// demand look like options stored; the endpoint caches give what the endpoint readers give.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseLines, parseText } from '../../../src/core/formats/detect';
import { EndpointCache as PacketEndpoints, splitDottedEndpoint } from '../../../src/core/formats/packetCommon';
import { EndpointTable, RangeCache } from '../../../src/core/formats/rangeCache';
import { colonEndpoint, dotEndpoint, EndpointCache } from '../../../src/core/formats/socketCommon';
import type { ParsedDocument, Segment, SocketRow } from '../../../src/core/model';
import { capLine, splitLines, TextLines } from '../../../src/core/text';
import { fixturePath, readFixture } from '../support';

test('TextLines cuts the same lines as splitLines (LF, CRLF, a lone CR kept, empty lines, no final newline)', () => {
  const texts = ['', '\n', 'a', 'a\n', 'a\r\nb\r\n\r\nc', 'x\ry\n\r\n\r', '\r', 'one\n\ntwo\n\n', 'é\r\n中文\n'];
  for (const text of texts) {
    const lines = new TextLines(text);
    const expected = splitLines(text);
    assert.equal(lines.length, expected.length, JSON.stringify(text));
    for (let i = 0; i < expected.length; i++) {
      assert.equal(lines.at(i), expected[i], `${JSON.stringify(text)} line ${i}`);
      assert.equal(lines.line(i), capLine(expected[i]!));
    }
  }
  const long = `short\n${'x'.repeat(10_000)}\r\nlast`;
  const lines = new TextLines(long);
  assert.equal(lines.at(1).length, 10_000);
  assert.equal(lines.line(1), capLine('x'.repeat(10_000)));
});

test('TextLines grows past its first guess (many short lines)', () => {
  const text = 'a\n'.repeat(70_000);
  const lines = new TextLines(text);
  assert.equal(lines.length, 70_001);
  assert.equal(lines.at(69_999), 'a');
  assert.equal(lines.at(70_000), '');
});

/** Everything a record says, tokens included (they are a getter), as plain data. */
function plain(doc: ParsedDocument): unknown {
  const rec = (r: Segment | SocketRow): unknown => ({ keys: Object.keys(r), data: JSON.parse(JSON.stringify(r)), tokens: r.tokens });
  return { ...doc, segments: doc.segments.map(rec), sockets: doc.sockets.map(rec) };
}

const SAMPLES = [
  ['captures', '01_normal_client_close', 'four_way', 'tcpdump_nn.txt'],
  ['captures', '01_normal_client_close', 'four_way', 'tcpdump_tttt_S_v.txt'],
  ['captures', '01_normal_client_close', 'four_way', 'tshark.txt'],
  ['sockets', '01_normal_client_close', 'four_way', 'snap_1_established', 'netstat_-natp.txt'],
  ['sockets', '01_normal_client_close', 'four_way', 'snap_1_established', 'ss_-tanoie.txt'],
];

test('parseText reads what parseLines reads from the same lines, tokens and all', () => {
  const files = [...SAMPLES.map((p) => fixturePath(...p))];
  for (const dir of ['packets/public/tcpdump_old_3x_4x', 'sockets/public/macos', 'sockets/public/windows_en']) {
    for (const f of readdirSync(fixturePath(dir))) if (f.endsWith('.txt') || f.endsWith('.out')) files.push(fixturePath(dir, f));
  }
  let records = 0;
  for (const f of files) {
    const text = readFixture(path.relative(fixturePath(), f));
    const a = parseText(text);
    const b = parseLines(splitLines(text));
    assert.deepEqual(plain(a), plain(b), f);
    records += a.segments.length + a.sockets.length;
  }
  assert.ok(records > 500, `only ${records} records compared`);
});

test('parseText equals parseLines on one document holding several outputs, notes and CRLF lines between them', () => {
  const parts = [
    'notes before anything',
    readFixture('captures', '01_normal_client_close', 'four_way', 'tcpdump_nn.txt'),
    '',
    '$ ss -tanoie',
    readFixture('sockets', '01_normal_client_close', 'four_way', 'snap_1_established', 'ss_-tanoie.txt'),
    'more notes',
    readFixture('sockets', '01_normal_client_close', 'four_way', 'snap_1_established', 'netstat_-natp.txt'),
    readFixture('captures', '01_normal_client_close', 'four_way', 'tshark.txt'),
  ];
  const text = parts.join('\n').replace(/\n/g, (m, offset: number) => (offset % 3 === 0 ? '\r\n' : m));
  const a = parseText(text);
  assert.deepEqual(plain(a), plain(parseLines(splitLines(text))));
  assert.deepEqual(
    a.blocks.map((b) => b.format),
    ['tcpdump', 'ss', 'netstat-linux', 'tshark'],
  );
  assert.ok(a.segments.length > 10 && a.sockets.length > 3);
});

test("a tcpdump segment's options are its own enumerable property: a SYN's read at once, the others from the line on demand", () => {
  const text = readFixture('captures', '01_normal_client_close', 'four_way', 'tcpdump_nn.txt');
  const [syn, , , data] = parseText(text).segments;
  const descriptor = (seg: object) => Object.getOwnPropertyDescriptor(seg, 'options')!;
  // The rebuild reads every SYN's options (MSS, window scale): they are kept.
  assert.ok('value' in descriptor(syn!));
  assert.deepEqual(syn!.options, { raw: ['mss 65495', 'sackOK', 'TS val 1114579837 ecr 0', 'nop', 'wscale 10'], mss: 65495, wscale: 10, sackPermitted: true, tsVal: 1114579837, tsEcr: 0 });
  // A data segment's timestamps are seldom read: the line is read again when asked, and looks the same.
  const expected = { raw: ['nop', 'nop', 'TS val 1114579837 ecr 1385129512'], tsVal: 1114579837, tsEcr: 1385129512 };
  assert.equal(typeof descriptor(data!).get, 'function');
  assert.equal(descriptor(data!).enumerable, true);
  assert.deepEqual(data!.options, expected);
  assert.deepEqual(data!.options, data!.options);
  // Its lines are read through getters (an edit may keep them relative to a run of records, lineRuns.ts); JSON writes
  // them where they were.
  assert.deepEqual(Object.keys(data!), ['block', 'src', 'dst', 'flags', 'flagText', 'len', 'source', 'time', 'timeSeconds', 'seq', 'seqEnd', 'ack', 'win', 'options']);
  const json = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), ['block', 'line', 'lastLine', 'src', 'dst', 'flags', 'flagText', 'len', 'source', 'time', 'timeSeconds', 'seq', 'seqEnd', 'ack', 'win', 'options']);
  assert.deepEqual([json.line, json.lastLine], [data!.line, data!.lastLine]);
  assert.deepEqual(json.options, expected);
  assert.deepEqual({ ...data! }.options, expected);
  // Written, it holds what was written, like any field.
  (data as { options?: unknown }).options = undefined;
  assert.equal(data!.options, undefined);
  assert.ok(Object.keys(data!).includes('options'));
});

/** Words an endpoint column may hold: addresses, ports, service names, zones, brackets, stars. */
const endpointWord = fc
  .array(fc.constantFrom('1', '2', '0', '9', '.', ':', '%', '[', ']', '*', 'a', 'f', 'lo', '127.0.0.1', '::', '80', '65535', '123456'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

test('endpoint caches answer what the endpoint readers answer, for any word, first time or again', () => {
  fc.assert(
    fc.property(fc.array(endpointWord, { minLength: 1, maxLength: 40 }), (words) => {
      const colon = new EndpointCache(colonEndpoint);
      const dot = new EndpointCache(dotEndpoint, '.');
      const packet = new PacketEndpoints();
      for (let round = 0; round < 2; round++) {
        for (const w of words) {
          const line = `x ${w} y`;
          assert.deepEqual(colon.get(line, 2, 2 + w.length), colonEndpoint(w), w);
          assert.deepEqual(dot.get(line, 2, 2 + w.length), dotEndpoint(w), w);
          assert.deepEqual(packet.get(line, 2, 2 + w.length, splitDottedEndpoint), splitDottedEndpoint(w), w);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('a range cache keeps answering right when it is full and words replace each other', () => {
  const cache = new RangeCache<string>(64);
  let reads = 0;
  const read = (t: string): string => {
    reads++;
    return t.toUpperCase();
  };
  const words = Array.from({ length: 500 }, (_, i) => `host${i}.example:${i}`);
  for (let round = 0; round < 3; round++) {
    for (const w of words) assert.equal(cache.get(`[${w}]`, 1, 1 + w.length, read), w.toUpperCase());
  }
  // More words than slots: some are read again, but never more often than they are asked for.
  assert.ok(reads > 500 && reads <= 1500, `${reads} reads`);
  const small = new RangeCache<string>(1 << 16);
  reads = 0;
  for (let round = 0; round < 3; round++) for (const w of words) small.get(w, 0, w.length, read);
  assert.equal(reads, 500);
});

test('an endpoint table keeps answering right when it is full and starts again', () => {
  const table = new EndpointTable(':'.charCodeAt(0), 64);
  const words = Array.from({ length: 400 }, (_, i) => `10.0.${i % 7}.${i % 13}:${1000 + i}`);
  for (let round = 0; round < 3; round++) {
    for (const w of words) assert.deepEqual(table.get(`  ${w} `, 2, 2 + w.length), colonEndpoint(w), w);
  }
  // The same text twice in a row is one object (what the caches are for).
  const w = words[5]!;
  assert.equal(table.get(w, 0, w.length), table.get(w, 0, w.length));
});

test('options read before or after the tokens are the same (plain and -v captures)', () => {
  for (const name of ['tcpdump_nn.txt', 'tcpdump_tttt_S_v.txt']) {
    const text = readFixture('captures', '01_normal_client_close', 'four_way', name);
    const first = parseText(text).segments;
    const later = parseText(text).segments;
    let withOptions = 0;
    for (let i = 0; i < first.length; i++) {
      const options = first[i]!.options;
      assert.ok(later[i]!.tokens.length > 5);
      assert.deepEqual(later[i]!.options, options, `${name} segment ${i}`);
      assert.deepEqual(later[i]!.tokens, first[i]!.tokens, `${name} segment ${i}`);
      if (options !== undefined) withOptions++;
    }
    assert.ok(withOptions >= 8, `${name}: ${withOptions} segments with options`);
  }
});
