// Issue 5 in the bench: what the editor does with a large document, measured on the core the extension runs.
//   node bench/editor.mjs CORE_BUNDLE FILE OPTIONS_JSON   -> one JSON line on stdout (bench/run.mjs prints it)
//
// - full analysis: `analyseLines` (the reference: a full re-parse + analysis), parse only (`parseLines`), and the
//   extension's own first read (`analyseIncremental`, and `fullJob` stepped in 20 ms slices as documentModels.ts does);
// - hovers: `hoverAt(model, lineText, line, character, lang)` at random positions inside tokens, on the model the
//   extension keeps (the incremental state's); positions are picked from a separate model so that the measured one
//   builds its lazy tokens on first hover, as in the editor;
// - one-line edits, made as documentModels.ts makes them: the line array edited in place (`spliceLines`) and `editJob`
//   given the same array with the replaced lines (`oldLines`), stepped to the end; the job consumes the state it is
//   given, and the returned state is the one used next. At random lines: typing one character into a line then
//   undoing it, and inserting a copy of a line then deleting it. Like the hovers, each kind starts with a few edit
//   pairs that are not counted (V8 compiles the edit path during them); their slowest time is reported on its own.
//   Every edit is undone, so the document at the end is the one analysed at the start and the final model must match
//   the reference (a sanity check, not a test).
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { emit, loadCore, medianOf, pick, rng, summary, timed, timings } from './lib.mjs';

const [bundlePath, file, optionsJson] = process.argv.slice(2);
const options = { hovers: 2000, warmup: 100, editWarmup: 20, editPairs: 100, editBudgetMs: 15000, minEditPairs: 3, fullRuns: 3, sliceMs: 20, seed: 7, ...JSON.parse(optionsJson || '{}') };

const core = loadCore(bundlePath);
const missing = [];
const splitLines = pick(core, 'text', 'splitLines', []) ?? ((t) => t.split(/\r\n|\r|\n/));
const analyseLines = pick(core, 'analyse', 'analyseLines', missing);
const parseLines = pick(core, 'detect', 'parseLines', missing);
const analyseIncremental = pick(core, 'incremental', 'analyseIncremental', missing);
const fullJob = pick(core, 'incremental', 'fullJob', missing);
const applyEdit = pick(core, 'incremental', 'applyEdit', missing);
const editJob = pick(core, 'incremental', 'editJob', []);
const spliceLines = pick(core, 'incremental', 'spliceLines', []);
const hoverAt = pick(core, 'hover', 'hoverAt', missing);

const out = { lines: 0, missing };
const text = readFileSync(file, 'utf8');
const lines = splitLines(text);
out.lines = lines.length;

const counts = (m) => ({
  blocks: m.blocks.length,
  sockets: m.sockets.length,
  segments: m.segments.length,
  findings: m.findings.length,
  connections: m.connections?.length ?? 0,
  unparsed: m.unparsed.length,
});

// ---------------------------------------------------------------------------------------------------------------
// Full analysis (the reference) and parse only

// Held in an object so it can be let go once the hover positions are picked (a 200k-line model is large).
const held = { ref: undefined };
if (analyseLines) {
  const full = medianOf(options.fullRuns, () => analyseLines(lines));
  held.ref = full.value;
  out.full = { cpuMs: full.cpuMs, wallMs: full.wallMs, runs: full.runs };
  out.model = counts(held.ref);
  out.formats = formatShares(held.ref);
}
if (parseLines) {
  const parse = medianOf(options.fullRuns, () => parseLines(lines, { format: 'auto' }));
  out.parse = { cpuMs: parse.cpuMs, wallMs: parse.wallMs, runs: parse.runs };
}

// ---------------------------------------------------------------------------------------------------------------
// The extension's first read: in one go, and in slices

let state;
if (analyseIncremental) {
  const first = timed(() => analyseIncremental(lines));
  out.incrementalFull = { cpuMs: first.cpuMs, wallMs: first.wallMs };
  state = first.value;
}
if (fullJob) {
  // As documentModels.ts runs it: step until the slice has run sliceMs, yield, go on. The longest step is the longest
  // task the extension host would run for this document.
  // Garbage-collection pauses are recorded too: a full collection of this process's heap (the document, the reference
  // model and the extension's state) can stop a slice for tens of milliseconds, which slicing cannot prevent, so the
  // report says how much of the longest slice was one.
  const pauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, ms: e.duration, major: e.detail?.kind === 2 || e.detail?.kind === 4 });
  });
  observer.observe({ entryTypes: ['gc'] });
  const job = fullJob(lines);
  const slices = [];
  const c0 = process.cpuUsage();
  for (;;) {
    const t0 = performance.now();
    const done = job.step(() => performance.now() - t0 >= options.sliceMs);
    slices.push({ start: t0, ms: performance.now() - t0 });
    if (done) break;
  }
  const c = process.cpuUsage(c0);
  // Entries arrive after the pause, on a later turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  const gcIn = (s) => pauses.filter((p) => p.start >= s.start && p.start < s.start + s.ms);
  const longest = slices.reduce((a, b) => (b.ms > a.ms ? b : a));
  const inLongest = gcIn(longest);
  const withoutGc = Math.max(...slices.map((s) => s.ms - gcIn(s).reduce((sum, p) => sum + p.ms, 0)));
  out.sliced = {
    slices: slices.length,
    longestMs: longest.ms,
    longestGcMs: inLongest.reduce((sum, p) => sum + p.ms, 0),
    longestMajorGc: inLongest.some((p) => p.major),
    longestWithoutGcMs: withoutGc,
    cpuMs: (c.user + c.system) / 1000,
    sliceMs: options.sliceMs,
  };
  state ??= job.result();
}

// ---------------------------------------------------------------------------------------------------------------
// Hovers

// On the extension's model; on the reference model when the incremental core is not in the build.
if (hoverAt && held.ref) out.hover = measureHovers(held.ref, state ?? { model: held.ref, lines });

const refCounts = held.ref ? counts(held.ref) : undefined;
held.ref = undefined;

// ---------------------------------------------------------------------------------------------------------------
// One-line edits

if (applyEdit && state) {
  const random = rng(options.seed + 1);
  const kinds = {
    // Type one character somewhere in a line, then undo it: both are one-line replacements.
    type: (i) => {
      const before = state.lines[i];
      const at = Math.floor(random() * (before.length + 1));
      return [
        { startLine: i, endLine: i + 1, newLines: [before.slice(0, at) + '7' + before.slice(at)] },
        { startLine: i, endLine: i + 1, newLines: [before] },
      ];
    },
    // Paste a copy of a line above it, then delete it: every line after the edit moves by one.
    insert: (i) => [
      { startLine: i, endLine: i, newLines: [state.lines[i]] },
      { startLine: i, endLine: i + 1, newLines: [] },
    ],
  };
  // Where an edit falls, for the breakdown: a socket table, a capture, or neither (prompt, blank, foreign line).
  const where = (i) => {
    const blocks = state.model.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (i < blocks[mid].firstLine) hi = mid - 1;
      else if (i > blocks[mid].lastLine) lo = mid + 1;
      else return blocks[mid].format === 'tcpdump' || blocks[mid].format === 'tshark' ? 'capture' : 'table';
    }
    return 'other';
  };
  out.edits = {};
  for (const [name, make] of Object.entries(kinds)) {
    const list = [];
    const byPlace = { table: [], capture: [], other: [] };
    const modes = {};
    let linesRead = 0;
    let reused = 0;
    const warmup = [];
    const t0 = performance.now();
    for (let pair = -options.editWarmup; pair < options.editPairs; pair++) {
      if (pair >= options.minEditPairs && performance.now() - t0 > options.editBudgetMs) break;
      let i;
      do i = Math.floor(random() * (state.lines.length - 1));
      while (state.lines[i].trim() === '');
      const place = where(i);
      for (const edit of make(i)) {
        const t = timed(() => editInPlace(state, edit));
        if (pair < 0) {
          state = t.value.state;
          t.value = undefined;
          warmup.push(t);
          continue;
        }
        byPlace[place].push(t);
        state = t.value.state;
        const stats = t.value.stats;
        t.value = undefined;
        list.push(t);
        modes[stats.mode] = (modes[stats.mode] ?? 0) + 1;
        linesRead += stats.linesRead;
        if (stats.connectionsReused) reused++;
      }
    }
    const places = Object.fromEntries(Object.entries(byPlace).filter(([, l]) => l.length > 0).map(([k, l]) => [k, timings(l)]));
    out.edits[name] = { ...timings(list), warmup: warmup.length > 0 ? timings(warmup) : undefined, places, modes, meanLinesRead: list.length > 0 ? linesRead / list.length : NaN, connectionsReused: reused };
  }
  if (refCounts) {
    const after = counts(state.model);
    const diffs = Object.keys(refCounts).filter((k) => refCounts[k] !== after[k]);
    out.consistent = diffs.length === 0 ? true : diffs.map((k) => `${k} ${after[k]} (full analysis: ${refCounts[k]})`).join(', ');
  }
}

out.maxRSSKiB = process.resourceUsage().maxRSS;
emit(out);

/**
 * The editor's way (documentModels.ts): our own line array edited in place, the replaced lines handed over with the
 * edit. A core without `editJob`/`spliceLines` (an older build) is measured through `applyEdit`, which copies the lines.
 */
function editInPlace(state, edit) {
  if (!editJob || !spliceLines) return applyEdit(state, edit);
  const oldLines = state.lines.slice(edit.startLine, edit.endLine);
  spliceLines(state.lines, edit);
  const job = editJob(state, { ...edit, oldLines }, {}, state.lines);
  job.step();
  return job.result();
}

/** Share of the document's lines per format (blocks' line ranges). */
function formatShares(model) {
  const byFormat = {};
  for (const b of model.blocks) byFormat[b.format] = (byFormat[b.format] ?? 0) + (b.lastLine - b.firstLine + 1);
  return byFormat;
}

/** Hovers on the extension's model at positions picked from the reference model `ref`. */
function measureHovers(ref, state) {
  const random = rng(options.seed);
  const records = [ref.sockets, ref.segments];
  const total = ref.sockets.length + ref.segments.length;
  const positions = [];
  for (let guard = 0; positions.length < options.hovers + options.warmup && guard < (options.hovers + options.warmup) * 10; guard++) {
    let k = Math.floor(random() * total);
    const list = k < records[0].length ? records[0] : records[1];
    if (list === records[1]) k -= records[0].length;
    const tokens = list[k].tokens;
    if (tokens.length === 0) continue;
    const t = tokens[Math.floor(random() * tokens.length)];
    const character = t.start + Math.floor(random() * Math.max(1, t.end - t.start));
    positions.push({ line: t.line, character, kind: t.kind });
  }
  const model = state.model;
  const measured = [];
  const byKind = new Map();
  let answered = 0;
  positions.forEach((p, i) => {
    const lang = i % 2 === 0 ? 'en' : 'zh-cn';
    const t = timed(() => hoverAt(model, state.lines[p.line], p.line, p.character, lang));
    if (i < options.warmup) return;
    if (t.value) answered++;
    t.value = undefined;
    measured.push(t);
    if (!byKind.has(p.kind)) byKind.set(p.kind, []);
    byKind.get(p.kind).push(t.cpuMs);
  });
  const kinds = [...byKind].map(([kind, ms]) => ({ kind, ...summary(ms) })).sort((a, b) => b.p99 - a.p99);
  return { ...timings(measured), answered, warmup: Math.min(options.warmup, positions.length), slowestKinds: kinds.slice(0, 3) };
}
