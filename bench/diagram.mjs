// Issue 6 in the bench: time to first diagram for one long connection, the host's side of "Explain this capture".
//   node bench/diagram.mjs CORE_BUNDLE FILE OPTIONS_JSON   -> one JSON line on stdout (bench/run.mjs prints it)
//
// The steps are the ones src/extension/reportPanel.ts runs when the panel opens on a document: the document's model
// (documentModels.ts reads it with the incremental core), every connection's ladder (`ladders` with the rebuild's
// states and relative numbers), the report view, then the first page of the selected connection's diagram
// (`buildDiagramView`, whose `source` is the mermaid text the webview renders), and the two messages serialised.
// Mermaid's own parse + render happens in the webview and is measured by the UI tests, not here.
// This child runs in a fresh process, so every step is as cold as when a user first opens the panel.
import { readFileSync } from 'node:fs';
import { emit, loadCore, pick, timed } from './lib.mjs';

const [bundlePath, file, optionsJson] = process.argv.slice(2);
const options = { pageSize: 50, lang: 'en', ...JSON.parse(optionsJson || '{}') };

const core = loadCore(bundlePath);
const missing = [];
const splitLines = pick(core, 'text', 'splitLines', []) ?? ((t) => t.split(/\r\n|\r|\n/));
const analyseIncremental = pick(core, 'incremental', 'analyseIncremental', []);
const analyseLines = pick(core, 'analyse', 'analyseLines', missing);
const parseLines = pick(core, 'detect', 'parseLines', []);
const ladders = pick(core, 'diagram', 'ladders', missing);
const inputsFromRebuild = pick(core, 'diagram', 'inputsFromRebuild', []);
const buildReportView = pick(core, 'view', 'buildReportView', []);
const buildDiagramView = pick(core, 'view', 'buildDiagramView', []);
const multiConnectionDiagram = pick(core, 'diagram', 'multiConnectionDiagram', missing);
const renderSequenceDiagram = pick(core, 'mermaid', 'renderSequenceDiagram', missing);

const out = { missing, steps: [] };
const step = (name, fn) => {
  const t = timed(fn);
  out.steps.push({ name, cpuMs: t.cpuMs, wallMs: t.wallMs });
  return t.value;
};

const lines = step('read + split lines', () => splitLines(readFileSync(file, 'utf8')));
out.lines = lines.length;
const analyse = analyseIncremental ? (l) => analyseIncremental(l).model : analyseLines;
if (analyse && ladders && multiConnectionDiagram && renderSequenceDiagram) {
  const model = step(analyseIncremental ? 'model (analyseIncremental)' : 'model (analyseLines)', () => analyse(lines));
  const inputs = inputsFromRebuild && model.rebuild ? inputsFromRebuild(model.rebuild.perSegment, model.segments) : {};
  const list = step('ladders', () => ladders(model, inputs));
  const ladder = list.reduce((a, b) => (b.segments.length > (a?.segments.length ?? -1) ? b : a), undefined);
  out.connections = list.length;
  out.segments = ladder?.segments.length ?? 0;
  out.anomalies = ladder?.anomalies ?? 0;
  out.retransmissions = ladder?.retransmissions ?? 0;
  if (ladder) {
    const lang = options.lang;
    let report;
    if (buildReportView) {
      report = step('report view', () =>
        buildReportView(model, list, { title: 'bench', lang, scope: { kind: 'document', firstLine: 0, lastLine: lines.length - 1 } }),
      );
    }
    // The panel's page (buildDiagramView) when the view module is in the build, else the same window drawn directly.
    const page = (n) =>
      buildDiagramView
        ? buildDiagramView([ladder], { key: 1, lang, page: n, pageSize: options.pageSize })
        : {
            source: renderSequenceDiagram(
              multiConnectionDiagram([ladder], { lang, from: n * options.pageSize, to: (n + 1) * options.pageSize }).diagram,
            ),
          };
    const first = step(`first page (${options.pageSize} segments) -> mermaid text`, () => page(0));
    step('serialise report + diagram messages (postMessage)', () => JSON.stringify({ type: 'report', report }).length + JSON.stringify({ type: 'diagram', diagram: first }).length);
    out.firstPageChars = first.source.length;
    out.firstPageArrows = first.arrows?.length;
    out.pageCount = first.pageCount ?? Math.ceil(ladder.segments.length / options.pageSize);
    // Paging later on (the panel keeps the ladders; a page turn rebuilds one page).
    const middle = timed(() => page(Math.floor(out.pageCount / 2)));
    const last = timed(() => page(out.pageCount - 1));
    out.pageTurn = { middleCpuMs: middle.cpuMs, lastCpuMs: last.cpuMs, middleWallMs: middle.wallMs, lastWallMs: last.wallMs };
    // The whole connection as one diagram: what `tcp-lens diagram` prints and "Copy mermaid" copies.
    const whole = timed(() => renderSequenceDiagram(multiConnectionDiagram([ladder], { lang }).diagram));
    out.whole = { cpuMs: whole.cpuMs, wallMs: whole.wallMs, chars: whole.value.length };
  }
}
if (parseLines) {
  // Not part of the path, and measured after it so the path runs cold: the reference the report compares with
  // (parsing the same lines, warm).
  const t = timed(() => parseLines(lines, { format: 'auto' }));
  out.parseOnly = { cpuMs: t.cpuMs, wallMs: t.wallMs };
}
out.maxRSSKiB = process.resourceUsage().maxRSS;
emit(out);
