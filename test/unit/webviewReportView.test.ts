import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyse } from '../../src/core/analyse';
import { inputsFromRebuild, ladders, multiConnectionDiagram, type RebuildSegmentLike } from '../../src/core/render/connectionDiagram';
import { renderSequenceDiagram } from '../../src/core/render/mermaid';
import { buildDiagramView, buildReportView, locateLine, mergedPosition, textbookDiagramView } from '../../src/webview/report/view';
import { readFixture } from './support';

function loaded(...path: string[]) {
  const model = analyse(readFixture(...path));
  const per = (model as { rebuild?: { perSegment: readonly RebuildSegmentLike[] } }).rebuild?.perSegment;
  const list = ladders(model, per ? inputsFromRebuild(per, model.segments) : {});
  return { model, list };
}

test('the report view of an ss -tanp snapshot: formats, states in RFC order, findings in the panel language, sockets with owners', () => {
  const { model, list } = loaded('sockets', '01_normal_client_close', 'four_way', 'snap_2_client_closed_server_not_yet', 'ss_-tanp.txt');
  const view = buildReportView(model, list, { title: 'ss_-tanp.txt', lang: 'en', scope: { kind: 'document', firstLine: 0, lastLine: 4 } });
  assert.deepEqual(view.blocks, [{ format: 'ss', variant: 'ss -p', firstLine: 0, lastLine: 3, sockets: 3, segments: 0 }]);
  assert.deepEqual(view.stateCounts, [
    { state: 'LISTEN', count: 1 },
    { state: 'FIN-WAIT-2', count: 1 },
    { state: 'CLOSE-WAIT', count: 1 },
  ]);
  assert.deepEqual(view.severityCounts, { error: 0, warning: 0, info: 1 });
  assert.equal(view.findings.length, 1);
  assert.equal(view.findings[0]!.code, 'close-wait-pileup');
  assert.deepEqual(view.findings[0]!.lines, [2]);
  assert.match(view.findings[0]!.message, /^1 socket in CLOSE-WAIT, on local 127\.0\.0\.1:8080, owned by python3 \(pid 16572\)/);
  assert.ok(view.findings[0]!.cause && view.findings[0]!.fix);
  assert.deepEqual(
    view.sockets.map((s) => [s.line, s.local, s.remote, s.state, s.process ?? '']),
    [
      [1, '127.0.0.1:8080', '0.0.0.0:*', 'LISTEN', 'python3/16572'],
      [2, '127.0.0.1:8080', '127.0.0.1:46548', 'CLOSE-WAIT', 'python3/16572'],
      [3, '127.0.0.1:46548', '127.0.0.1:8080', 'FIN-WAIT-2', ''],
    ],
  );
  assert.equal(view.connections.length, 0);
  const zh = buildReportView(model, list, { title: 't', lang: 'zh-cn', scope: { kind: 'document', firstLine: 0, lastLine: 4 } });
  assert.match(zh.findings[0]!.message, /CLOSE-WAIT/);
  assert.notEqual(zh.findings[0]!.message, view.findings[0]!.message);
});

test('connection rows: endpoints, outcome words, bytes, duration, iRTT, retransmissions', () => {
  const { model, list } = loaded('diagram', '10_loss_10pct_receiver_tshark.txt');
  const view = buildReportView(model, list, { title: 't', lang: 'en', scope: { kind: 'document', firstLine: 0, lastLine: 2011 } });
  assert.equal(view.connections.length, 1);
  const row = view.connections[0]!;
  assert.equal(row.client, '10.200.10.1:56152');
  assert.equal(row.server, '10.200.11.2:8080');
  assert.equal(row.outcome, 'closed');
  assert.equal(row.outcomeText, 'closed (client closed first)');
  assert.equal(row.segments, 2011);
  // 2 MiB sent by the client, counted on the wire with retransmissions: the capture's Len= fields add up to this.
  assert.equal(row.bytesToServer, 2097152);
  assert.equal(row.bytesToClient, 0);
  assert.equal(row.retransmissions, 127);
  assert.ok(Math.abs(row.durationSeconds! - 2.779489) < 1e-6);
  assert.ok(Math.abs(row.irttMs! - 0.033) < 1e-6);
});

test('diagram pages: clamped page numbers, the page source is the generator output, the overview covers every page', () => {
  const { list } = loaded('diagram', '10_loss_10pct_receiver_tshark.txt');
  const last = buildDiagramView(list, { key: 9, lang: 'en', page: 999, pageSize: 50 });
  assert.equal(last.pageCount, 41);
  assert.equal(last.page, 40);
  assert.deepEqual([last.from, last.to, last.total], [2000, 2011, 2011]);
  assert.equal(last.arrows.length, 11);
  assert.equal(last.source, renderSequenceDiagram(multiConnectionDiagram(list, { lang: 'en', from: 2000, to: 2050 }).diagram));
  assert.equal(last.overview.length, 41);
  assert.equal(last.title, `#${list[0]!.id + 1} 10.200.10.1:56152 → 10.200.11.2:8080`);
  const first = buildDiagramView(list, { key: 10, lang: 'en', page: 0, pageSize: 50, highlight: 3 });
  assert.equal(first.highlight, 3);
  assert.deepEqual([first.from, first.to], [0, 50]);
  assert.ok(first.source.startsWith('sequenceDiagram\n    participant P0 as Client 10.200.10.1#58;56152\n'));
  const textbook = textbookDiagramView(1, 'en', 'TCP connection');
  assert.equal(textbook.textbook, true);
  assert.ok(textbook.source.includes('P0->>P1: SYN seq=0'));
});

test('a document line finds its segment, also on continuation lines, and its place among several connections', () => {
  const { list } = loaded('diagram', '03_connection_refused_tcpdump_nn.txt');
  assert.deepEqual(locateLine(list, 3), { connection: list[1]!.id, pos: 1 });
  assert.deepEqual(locateLine(list, 4), { connection: list[2]!.id, pos: 0 });
  // Line 6 is tcpdump's blank trailing line: no segment.
  assert.equal(locateLine(list, 6), undefined);
  assert.equal(mergedPosition(list, list[2]!.id, 1), 5);
  assert.equal(mergedPosition([list[0]!, list[2]!], list[2]!.id, 0), 2);
  assert.equal(mergedPosition([list[0]!], list[2]!.id, 0), undefined);
});
