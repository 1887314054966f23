/**
 * Everything the editor features need from core at run time, in one module that is built into its own file
 * (dist/heavy.js) and loaded on first use through `heavy()` in lazy.ts. Activation then loads only the small feature
 * wiring: the knowledge base, the readers and the rebuild (most of the bytes) wait until a document asks for them.
 * Feature modules import types from core freely, but runtime values only through `heavy()`.
 */
export { analyseLines, segmentConnection, severityRank } from '../core/analyse';
export { DEFAULT_SOCKET_THRESHOLDS } from '../core/analysis/sockets';
export { applyTextChanges, editJob, fullJob } from '../core/incremental';
export { describeState } from '../core/knowledge/states';
export { inputsFromRebuild, ladders, multiConnectionDiagram, visibleText } from '../core/render/connectionDiagram';
export { fixSnippet } from '../core/render/fixSnippet';
export { hoverAt } from '../core/render/hover';
export { renderSequenceDiagram } from '../core/render/mermaid';
export { buildReport, lineRanges, renderMarkdown } from '../core/render/report';
export { trackFromConnection } from '../core/stepper/track';
export { splitLines } from '../core/text';
export { buildDiagramView, buildReportView, locateLine, mergedPosition, textbookDiagramView } from '../webview/report/view';
