import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyse, type AnalysedModel } from '../../../src/core/analyse';
import {
  arrowLabel,
  arrowLines,
  endpointLabel,
  visibleText,
  connectionDiagram,
  connectionMermaid,
  inputsFromRebuild,
  ladders,
  multiConnectionDiagram,
  pageOverview,
  type Ladder,
  type LadderInputs,
  type RebuildSegmentLike,
} from '../../../src/core/render/connectionDiagram';
import { renderSequenceDiagram } from '../../../src/core/render/mermaid';
import type { Segment } from '../../../src/core/model';
import { readFixture } from '../support';

function load(name: string): { model: AnalysedModel; inputs: LadderInputs } {
  const model = analyse(readFixture('diagram', name));
  const perSegment = (model as { rebuild?: { perSegment: readonly RebuildSegmentLike[] } }).rebuild?.perSegment;
  assert.ok(perSegment, `the connection rebuild did not run on ${name}`);
  return { model, inputs: inputsFromRebuild(perSegment, model.segments) };
}

/** The same model as if the connection rebuild were not in the build. */
function withoutRebuild(model: AnalysedModel): AnalysedModel {
  return { ...model, connectionAnalysis: false, connections: [], segmentConnections: [], segmentAnalysis: [], rebuild: undefined };
}

const FOUR_WAY = `sequenceDiagram
    participant P0 as Client 127.0.0.1#58;46548
    participant P1 as Server 127.0.0.1#58;8080
    Note over P0,P1: client CLOSED #183; server LISTEN
    rect rgba(127, 127, 127, 0.12)
    Note over P0,P1: Three-way handshake
    P0->>P1: SYN seq=0 len=0 win=65495
    Note over P0,P1: client SYN-SENT #183; server SYN-RECEIVED
    P1->>P0: SYN, ACK seq=0 ack=1 len=0 win=65483
    Note over P0,P1: client ESTABLISHED #183; server SYN-RECEIVED
    P0->>P1: ACK seq=1 ack=1 len=0 win=65536
    Note over P0,P1: client ESTABLISHED #183; server ESTABLISHED
    end
    P0->>P1: PSH, ACK seq=1 ack=1 len=8 win=65536
    P1->>P0: ACK seq=1 ack=9 len=0 win=65536
    P1->>P0: PSH, ACK seq=1 ack=9 len=20 win=65536
    P0->>P1: ACK seq=9 ack=21 len=0 win=65536
    Note over P0,P1: #9201; 1.516 s later
    rect rgba(127, 127, 127, 0.12)
    Note over P0,P1: Connection close
    P0->>P1: FIN, ACK seq=9 ack=21 len=0 win=65536
    Note over P0,P1: client FIN-WAIT-1 #183; server CLOSE-WAIT
    P1->>P0: ACK seq=21 ack=10 len=0 win=65536
    Note over P0,P1: client FIN-WAIT-2 #183; server CLOSE-WAIT
    Note over P0,P1: #9201; 1.508 s later
    P1->>P0: FIN, ACK seq=21 ack=10 len=0 win=65536
    Note over P0,P1: client TIME-WAIT #183; server LAST-ACK
    P0->>P1: ACK seq=10 ack=22 len=0 win=65536
    Note over P0,P1: client TIME-WAIT #183; server CLOSED
    end
`;

test('the four-way close (tcpdump -nn) becomes the reviewed ladder: states at each change, groups, gaps', () => {
  const { model, inputs } = load('01_four_way_close_tcpdump_nn.txt');
  const id = model.connections[0]!.id;
  assert.equal(connectionMermaid(model, id, 'en', inputs), FOUR_WAY);
});

test('tshark prints the same packets; its ladder has the same arrows and notes', () => {
  const a = load('01_four_way_close_tcpdump_nn.txt');
  const b = load('01_four_way_close_tshark.txt');
  const tcpdump = connectionMermaid(a.model, a.model.connections[0]!.id, 'en', a.inputs);
  const tshark = connectionMermaid(b.model, b.model.connections[0]!.id, 'en', b.inputs);
  assert.equal(tshark, tcpdump);
});

test('arrows list every segment once, in source order, with its document line', () => {
  const { model, inputs } = load('01_four_way_close_tcpdump_nn.txt');
  const [ladder] = ladders(model, inputs);
  const d = connectionDiagram(ladder!);
  const source = renderSequenceDiagram(d.diagram);
  const messages = source.split('\n').filter((l) => /^ {4}P\d-/.test(l));
  assert.equal(messages.length, 11);
  assert.deepEqual(
    d.arrows.map((a) => a.line),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    d.arrows.map((a) => a.segment),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.ok(d.arrows.every((a) => a.kind === 'normal'));
});

test('connection summary for the table: outcome, bytes, duration, iRTT', () => {
  const { model, inputs } = load('01_four_way_close_tcpdump_nn.txt');
  const [l] = ladders(model, inputs);
  assert.equal(l!.outcome, 'closed');
  assert.equal(l!.close, 'client-first');
  assert.equal(l!.bytesToServer, 8);
  assert.equal(l!.bytesToClient, 20);
  assert.equal(l!.retransmissions, 0);
  assert.equal(l!.segments.length, 11);
  // 13:35:11.002394 -> 13:35:14.080234
  assert.ok(Math.abs(l!.durationSeconds! - 3.07784) < 1e-6, String(l!.durationSeconds));
  // SYN 11.002394 -> the handshake's ACK 11.002422
  assert.ok(Math.abs(l!.irttMs! - 0.028) < 1e-6, String(l!.irttMs));
  assert.deepEqual(l!.initial, { client: 'CLOSED', server: 'LISTEN' });
});

test('a half-close is named as such and keeps the data the other side sent after the first FIN inside the close', () => {
  const { model, inputs } = load('05_half_close_tcpdump_nn.txt');
  const source = connectionMermaid(model, model.connections[0]!.id, 'en', inputs);
  const lines = source.split('\n');
  const group = lines.indexOf('    Note over P0,P1: Half-close: one side still sends after the first FIN');
  assert.ok(group > 0, source);
  assert.equal(lines[group + 1], '    P0->>P1: FIN, ACK seq=9 ack=21 len=0 win=65536');
  assert.equal(lines.filter((l) => l === '    Note over P0,P1: #9201; 500 ms later').length, 4);
  assert.ok(lines.includes('    P1->>P0: PSH, ACK seq=4021 ack=10 len=1000 win=65536'));
  assert.equal(lines[lines.length - 2], '    end');
});

test('refused connections: the SYN and the RST are the handshake group, the RST arrow is a cross', () => {
  const { model, inputs } = load('03_connection_refused_tcpdump_nn.txt');
  const list = ladders(model, inputs);
  assert.equal(list.length, 3);
  assert.deepEqual(
    list.map((l) => l.outcome),
    ['refused', 'refused', 'refused'],
  );
  const source = renderSequenceDiagram(connectionDiagram(list[1]!).diagram);
  assert.equal(
    source,
    `sequenceDiagram
    participant P0 as Client #91;#58;#58;1#93;#58;47790
    participant P1 as Server #91;#58;#58;1#93;#58;9999
    Note over P0,P1: client CLOSED #183; server CLOSED
    rect rgba(127, 127, 127, 0.12)
    Note over P0,P1: Three-way handshake
    P0->>P1: SYN seq=0 len=0 win=65476
    Note over P0,P1: client SYN-SENT #183; server CLOSED
    P1-xP0: RST, ACK seq=1 ack=1 len=0 win=0
    Note over P0,P1: client CLOSED #183; server CLOSED
    end
`,
  );
  assert.deepEqual(
    connectionDiagram(list[1]!).arrows.map((a) => a.kind),
    ['normal', 'reset'],
  );
});

test('the 10% loss capture: tshark analysis marks arrows, pages cut the ladder, the minimap counts problems', () => {
  const { model, inputs } = load('10_loss_10pct_receiver_tshark.txt');
  const [l] = ladders(model, inputs);
  assert.equal(l!.segments.length, 2011);
  // 70 Retransmission + 57 Fast Retransmission labels in the capture.
  assert.equal(l!.retransmissions, 127);
  const d = connectionDiagram(l!, { from: 1950, to: 2011 });
  const source = renderSequenceDiagram(d.diagram);
  const lines = source.split('\n');
  assert.equal(lines[3], '    Note over P0,P1: #8230; 1950 earlier segments on previous pages');
  assert.equal(d.arrows.length, 61);
  assert.equal(d.arrows[0]!.line, 1950);
  // Line 1974 of the file (0-based 1973): "[TCP Fast Retransmission] ... Seq=2057681 ... Len=1448".
  const fast = d.arrows.findIndex((a) => a.line === 1973);
  assert.equal(d.arrows[fast]!.kind, 'anomaly');
  assert.ok(lines.includes('    P0-)P1: #9888; fast retransmission<br/>ACK seq=2057681 ack=1 len=1448 win=64512'), source);
  // The close is still on this page, so its group opens here (not "continued").
  assert.ok(lines.includes('    Note over P0,P1: Connection close'));
  assert.ok(!source.includes('continued'));
  const pages = pageOverview([l!], 100);
  assert.equal(pages.length, 21);
  assert.deepEqual([pages[20]!.from, pages[20]!.to], [2000, 2011]);
  assert.equal(
    pages.reduce((n, p) => n + p.retransmissions, 0),
    127,
  );
  assert.equal(
    pages.reduce((n, p) => n + p.anomalies, 0),
    l!.anomalies,
  );
});

test('a page that starts inside the handshake or the close says it continues', () => {
  const { model, inputs } = load('01_four_way_close_tcpdump_nn.txt');
  const [l] = ladders(model, inputs);
  const second = renderSequenceDiagram(connectionDiagram(l!, { from: 1, to: 3 }).diagram).split('\n');
  assert.deepEqual(second.slice(3, 7), [
    '    Note over P0,P1: #8230; 1 earlier segment on previous pages',
    '    Note over P0,P1: client SYN-SENT #183; server SYN-RECEIVED',
    '    rect rgba(127, 127, 127, 0.12)',
    '    Note over P0,P1: Three-way handshake (continued)',
  ]);
  const last = renderSequenceDiagram(connectionDiagram(l!, { from: 9, to: 11 }).diagram).split('\n');
  assert.ok(last.includes('    Note over P0,P1: Connection close (continued)'), last.join('\n'));
});

test('Chinese labels for groups, states and gaps', () => {
  const { model, inputs } = load('01_four_way_close_tcpdump_nn.txt');
  const source = connectionMermaid(model, model.connections[0]!.id, 'zh-cn', inputs);
  // 客户端 = #23458;#25143;#31471;
  assert.ok(source.includes('participant P0 as #23458;#25143;#31471; 127.0.0.1#58;46548'), source);
  assert.ok(source.includes('Note over P0,P1: #19977;#27425;#25569;#25163;'), source); // 三次握手
});

test('without the connection rebuild: grouping by endpoints, relative numbers and tshark labels still work', () => {
  for (const name of ['01_four_way_close_tcpdump_nn.txt', '05_half_close_tcpdump_nn.txt', '01_four_way_close_tshark.txt']) {
    const { model, inputs } = load(name);
    const full = ladders(model, inputs);
    const bare = ladders(withoutRebuild(model));
    assert.equal(bare.length, full.length, name);
    bare[0]!.segments.forEach((s, k) => {
      const r = full[0]!.segments[k]!;
      assert.deepEqual([s.seq, s.seqEnd, s.ack, s.fromClient], [r.seq, r.seqEnd, r.ack, r.fromClient], `${name} segment ${k}`);
      assert.equal(s.states, undefined);
    });
    assert.equal(bare[0]!.outcome, full[0]!.outcome, name);
  }
  const loss = ladders(withoutRebuild(load('10_loss_10pct_receiver_tshark.txt').model));
  assert.equal(loss.length, 1);
  assert.equal(loss[0]!.retransmissions, 127);
  assert.equal(loss[0]!.segments.filter((s) => s.analysis.includes('duplicate-ack')).length, 175);
  // A diagram without states has no state notes at all.
  const source = renderSequenceDiagram(connectionDiagram(loss[0]!, { to: 10 }).diagram);
  assert.ok(!source.includes('client ESTABLISHED'), source);
});

test('several connections in one diagram: one lifeline per endpoint, labels carry the connection id', () => {
  const { model, inputs } = load('03_connection_refused_tcpdump_nn.txt');
  const list = ladders(model, inputs);
  const d = multiConnectionDiagram(list);
  const source = renderSequenceDiagram(d.diagram);
  const participants = source.split('\n').filter((l) => l.includes('participant'));
  assert.equal(participants.length, 6);
  assert.equal(participants[0], '    participant P0 as client 127.0.0.1#58;46656');
  assert.equal(participants[1], '    participant P1 as server 127.0.0.1#58;9999');
  assert.ok(source.includes(`    P1-xP0: #35;${list[0]!.id + 1} RST, ACK seq=1 ack=1 len=0 win=0`), source);
  assert.ok(source.includes(`    P3-xP2: #35;${list[1]!.id + 1} RST, ACK seq=1 ack=1 len=0 win=0`), source);
  assert.deepEqual(
    d.arrows.map((a) => a.line),
    [0, 1, 2, 3, 4, 5],
  );
  // Merged in document order and paged like one connection.
  assert.deepEqual(
    pageOverview(list, 4).map((p) => [p.from, p.to, p.resets]),
    [
      [0, 4, 2],
      [4, 6, 1],
    ],
  );
});

test('labels: flags in RFC order, analysis marks, no payload-derived text', () => {
  const seg = { index: 0, line: 0, lastLine: 0, fromClient: true, flags: ['ACK', 'PSH'] as const, seq: 1, seqEnd: 9, ack: 1, len: 8, win: 64, analysis: ['retransmission'] };
  assert.equal(arrowLabel({ ...seg, flags: [...seg.flags] }), '⚠ retransmission: PSH, ACK seq=1 ack=1 len=8 win=64');
  assert.deepEqual(arrowLines({ ...seg, flags: [...seg.flags] }), ['⚠ retransmission', 'PSH, ACK seq=1 ack=1 len=8 win=64']);
  assert.deepEqual(arrowLines({ ...seg, flags: [...seg.flags], analysis: ['window-update'] }), ['PSH, ACK seq=1 ack=1 len=8 win=64', '(window update)']);
  assert.deepEqual(arrowLines({ ...seg, flags: [...seg.flags], analysis: ['something-new'] }), ['PSH, ACK seq=1 ack=1 len=8 win=64']);
  assert.deepEqual(arrowLines({ ...seg, flags: [...seg.flags], analysis: ['duplicate-ack'] }, 'zh-cn'), ['⚠ 重复 ACK', 'PSH, ACK seq=1 ack=1 len=8 win=64']);
  // Two separately escaped lines, joined by the generator's own line break.
  const source = renderSequenceDiagram({ participants: [{ label: 'a' }, { label: 'b' }], items: [{ kind: 'message', from: 0, to: 1, label: '⚠ <br/>', more: ['x<br>y'] }] });
  assert.equal(source.split('\n')[3], '    P0->>P1: #9888; #60;br/#62;<br/>x#60;br#62;y');
});

/** Every line a generated diagram may contain. */
const STATEMENT =
  /^(?:sequenceDiagram| {4}participant P\d+ as [\w .#;]+| {4}P\d+(?:->>|-\)|-x|--x)P\d+: [^\n]+| {4}Note over P\d+(?:,P\d+)?: [^\n]+| {4}rect rgba\(127, 127, 127, 0\.12\)| {4}end)$/;

test('hostile endpoints never leave the entity-coded labels (property)', () => {
  const hostile = fc.oneof(
    fc.string(),
    fc.constantFrom('<script>alert(1)</script>', '%%{init: {"theme":"dark"}}%%', 'x\nclick P0 call alert()', 'classDef evil fill:#f00', 'A-->B;C', '#quot;', 'javascript:alert(1)', '<img src=http://127.0.0.1:9/beacon onerror=alert(1)>'),
  );
  fc.assert(
    fc.property(hostile, hostile, fc.oneof(fc.integer({ min: 0, max: 65535 }), hostile), (a, b, port) => {
      const seg = (src: string, dst: string, flags: Segment['flags']): Segment => ({
        block: 0,
        line: 0,
        lastLine: 0,
        src: { address: src, port },
        dst: { address: dst, port: 80 },
        flags,
        flagText: '',
        len: 0,
        source: 'tcpdump',
        tokens: [],
        seq: 1,
        seqEnd: 1,
      });
      const model = withoutRebuild({ ...analyse(''), segments: [seg(a, b, ['SYN']), seg(b, a, ['SYN', 'ACK'])] });
      const list: Ladder[] = ladders(model);
      const source = renderSequenceDiagram(multiConnectionDiagram(list).diagram);
      for (const line of source.trimEnd().split('\n')) {
        assert.match(line, STATEMENT);
        const text = line.replace(/#\d+;/g, '').replaceAll('<br/>', ' ');
        assert.doesNotMatch(text.slice(text.indexOf(':') + 1), /[<>%{};"'\\`]/, line);
      }
      // Keywords may appear inside a label as plain words, never where a statement starts.
      for (const line of source.split('\n')) assert.doesNotMatch(line, /^\s*(?:%%|classDef|click|style|class|linkStyle|box|autonumber|activate|create|destroy)\b/);
      assert.doesNotMatch(source, /%%/);
    }),
    { numRuns: 300 },
  );
});

test('characters that reorder or hide text are shown as code points, not obeyed', () => {
  assert.equal(visibleText('x\u202egpj.exe'), 'x[U+202E]gpj.exe');
  assert.equal(visibleText('a\u200bb\u2066c\u0007d\te'), 'a[U+200B]b[U+2066]c[U+0007]d\te');
  assert.equal(visibleText('plain 10.0.0.1'), 'plain 10.0.0.1');
  assert.equal(endpointLabel({ address: 'evil\u202eexe.txt', port: 80 }), 'evil[U+202E]exe.txt:80');
  const source = renderSequenceDiagram(multiConnectionDiagram(ladders(withoutRebuild({ ...analyse(''), segments: [] }))).diagram);
  assert.equal(source, 'sequenceDiagram\n');
});

test("the model's own rebuild is used by default: what the CLI prints is what the panel copies", () => {
  const { model, inputs } = load('05_half_close_tcpdump_nn.txt');
  const id = model.connections[0]!.id;
  assert.equal(connectionMermaid(model, id, 'en'), connectionMermaid(model, id, 'en', inputs));
  assert.match(connectionMermaid(model, id, 'en'), /client FIN-WAIT-2 #183; server CLOSE-WAIT/);
});
