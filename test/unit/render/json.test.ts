// The CLI's JSON contract (shared/design.md): every key, in order, with 1-based line numbers; and the reviewed golden
// files in test/fixtures/golden (see README.md there for what was checked by hand).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse } from '../../../src/core/analyse';
import { jsonChunks, renderJson, toJsonReport } from '../../../src/core/render/json';
import { readFixture } from '../support';

const input = (name: string): string => readFixture('golden', 'inputs', name);

const GOLDEN = ['13_v6_close_wait_fin_wait2_ss_-tanoie', 'windows_zh-CN_close_wait_4_netstat_-ano', '03_connection_refused_tcpdump_nn'];

for (const name of GOLDEN) {
  test(`golden: ${name}`, () => {
    const expected = readFixture('golden', `${name}.json`);
    assert.equal(renderJson(analyse(input(`${name}.txt`))), expected);
  });
}

test('top-level keys in contract order; the streamed text parses to the same object as toJsonReport', () => {
  for (const name of GOLDEN) {
    const model = analyse(input(`${name}.txt`));
    const parsed = JSON.parse(renderJson(model)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['schema', 'blocks', 'sockets', 'stateCounts', 'segments', 'connections', 'findings', 'unparsed']);
    assert.equal(parsed.schema, 1);
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(toJsonReport(model))));
    // One array element per line: the output stays greppable.
    assert.equal([...jsonChunks(model)].join(''), renderJson(model));
  }
});

test('sockets: keys in order, optional process/timer only when printed, lines 1-based', () => {
  const tanp = JSON.parse(renderJson(analyse(input('13_v6_close_wait_fin_wait2_ss_-tanp.txt')))) as { sockets: Record<string, unknown>[] };
  const base = ['line', 'proto', 'local', 'remote', 'state', 'stateText', 'recvQ', 'sendQ'];
  assert.deepEqual(Object.keys(tanp.sockets[0]!), [...base, 'process']);
  assert.deepEqual(tanp.sockets[0]!.process, { name: 'python3', pid: 645 });
  assert.deepEqual(Object.keys(tanp.sockets[2]!), base); // FIN-WAIT-2 has no users:(...) in ss -tanp
  assert.deepEqual(tanp.sockets.map((s) => s.line), [2, 3, 4]);
  assert.deepEqual(tanp.sockets[1]!.local, { address: '::1', port: 8080 });
  assert.deepEqual(Object.keys(tanp.sockets[1]!.local as object), ['address', 'port']);
  const tanoie = JSON.parse(renderJson(analyse(input('13_v6_close_wait_fin_wait2_ss_-tanoie.txt')))) as { sockets: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(tanoie.sockets[2]!), [...base, 'timer']);
  assert.deepEqual(Object.keys(tanoie.sockets[2]!.timer as object), ['kind', 'expiresMs', 'retransmits', 'text']);
});

test('segments and connections: keys in contract order; connection ids 1-based everywhere', () => {
  const model = analyse(input('03_connection_refused_tcpdump_nn.txt'));
  const out = JSON.parse(renderJson(model)) as {
    segments: Record<string, unknown>[];
    connections: Record<string, unknown>[];
    findings: Record<string, unknown>[];
  };
  assert.equal(out.segments.length, 6);
  assert.deepEqual(Object.keys(out.segments[0]!), ['line', 'time', 'src', 'dst', 'flags', 'seq', 'win', 'len', 'options', 'connection', 'analysis']);
  assert.deepEqual(Object.keys(out.segments[1]!), ['line', 'time', 'src', 'dst', 'flags', 'seq', 'ack', 'win', 'len', 'connection', 'analysis']);
  assert.deepEqual(out.segments.map((s) => s.line), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(out.segments[1]!.flags, ['RST', 'ACK']);
  assert.equal(out.segments[1]!.ack, 3132968867);
  // The model counts connections from 0; the JSON, like its line numbers, from 1.
  assert.deepEqual(model.segmentConnections, [0, 0, 1, 1, 2, 2]);
  assert.deepEqual(out.segments.map((s) => s.connection), [1, 1, 2, 2, 3, 3]);
  assert.deepEqual(Object.keys(out.connections[0]!), ['id', 'client', 'server', 'firstLine', 'lastLine', 'segments', 'open', 'close', 'finalStates']);
  assert.deepEqual(out.connections.map((c) => [c.id, c.firstLine, c.lastLine, c.open, c.close]), [
    [1, 1, 2, 'refused', 'reset'],
    [2, 3, 4, 'refused', 'reset'],
    [3, 5, 6, 'refused', 'reset'],
  ]);
  assert.deepEqual(Object.keys(out.findings[0]!), ['code', 'severity', 'lines', 'connection', 'message']);
  assert.deepEqual(out.findings.map((f) => [f.code, f.connection, f.lines]), [
    ['connection-refused', 1, [1, 2]],
    ['connection-refused', 2, [3, 4]],
    ['connection-refused', 3, [5, 6]],
  ]);
});

test('findings and unparsed: 1-based lines; message in the requested language', () => {
  const model = analyse(input('windows_zh-CN_close_wait_4_netstat_-ano.txt'));
  const en = JSON.parse(renderJson(model)) as { findings: Record<string, unknown>[]; unparsed: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(en.findings[0]!), ['code', 'severity', 'lines', 'message']);
  assert.deepEqual(en.findings[0]!.lines, [17, 18, 19, 20]);
  assert.deepEqual(model.findings[0]!.lines, [16, 17, 18, 19]);
  assert.deepEqual(en.unparsed, [{ line: 21, text: 'TCP    1' }]);
  const zh = JSON.parse(renderJson(model, { lang: 'zh-cn' })) as { findings: { message: string }[] };
  assert.equal(zh.findings[0]!.message, model.findings[0]!.message['zh-cn']);
  assert.match(zh.findings[0]!.message, /^4 个套接字处于 CLOSE-WAIT/);
});

test('blocks carry format and variant with 1-based first/last lines', () => {
  const out = JSON.parse(renderJson(analyse(input('13_v6_close_wait_fin_wait2_netstat_-natp.txt')))) as { blocks: Record<string, unknown>[] };
  assert.equal(out.blocks.length, 1);
  assert.deepEqual(Object.keys(out.blocks[0]!), ['format', 'variant', 'firstLine', 'lastLine']);
  assert.equal(out.blocks[0]!.format, 'netstat-linux');
  assert.equal(out.blocks[0]!.firstLine, 1);
  assert.equal(out.blocks[0]!.lastLine, 5);
});
