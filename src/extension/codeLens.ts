/**
 * CodeLens above each recognised block: what the block is (tool, records, problems) and the ways into it —
 * "Explain this capture" (the report), "Sequence diagram" and "Step through" for packet captures.
 */
import * as vscode from 'vscode';
import { firstIndex } from '../core/lines';
import type { AnalysedModel } from '../core/analyse';
import type { Block } from '../core/model';
import { TCP_STATES } from '../core/tcp/states';
import { COMMANDS, isCommandAvailable, type FindingArgs } from './commandIds';
import { DocumentModels, TCP_LENS_SELECTOR } from './documentModels';
import { affects, codeLensEnabled } from './settings';

/** Lenses are for finding one's way; a document with thousands of pasted outputs gets them on the first ones. */
export const MAX_BLOCK_LENSES = 500;

export interface BlockSummary {
  readonly block: Block;
  readonly index: number;
  readonly sockets: number;
  readonly segments: number;
  /** State counts of this block's sockets, largest first. */
  readonly states: readonly { readonly state: string; readonly count: number }[];
  readonly connections: readonly number[];
  readonly problems: number;
}


/** What one block holds, from the shared model. */
export function summariseBlock(model: AnalysedModel, index: number): BlockSummary {
  const block = model.blocks[index]!;
  const s0 = firstIndex(model.sockets.length, (i) => model.sockets[i]!.block >= index);
  const s1 = firstIndex(model.sockets.length, (i) => model.sockets[i]!.block > index);
  const g0 = firstIndex(model.segments.length, (i) => model.segments[i]!.block >= index);
  const g1 = firstIndex(model.segments.length, (i) => model.segments[i]!.block > index);
  const counts = new Map<string, number>();
  for (let i = s0; i < s1; i++) {
    const state = model.sockets[i]!.state;
    if (state) counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const states = TCP_STATES.filter((s) => counts.has(s))
    .map((state) => ({ state, count: counts.get(state)! }))
    .sort((a, b) => b.count - a.count);
  const connections = model.connections.filter((c) => c.firstLine >= block.firstLine && c.firstLine <= block.lastLine).map((c) => c.id);
  const f0 = firstIndex(model.findings.length, (i) => (model.findings[i]!.lines[0] ?? 0) >= block.firstLine);
  const f1 = firstIndex(model.findings.length, (i) => (model.findings[i]!.lines[0] ?? 0) > block.lastLine);
  return { block, index, sockets: s1 - s0, segments: g1 - g0, states, connections, problems: f1 - f0 };
}

function isCapture(block: Block): boolean {
  return block.format === 'tcpdump' || block.format === 'tshark';
}

function summaryText(s: BlockSummary): string {
  const parts: string[] = [];
  if (isCapture(s.block)) {
    parts.push(vscode.l10n.t('{0} segments', s.segments));
    if (s.connections.length > 0) parts.push(s.connections.length === 1 ? vscode.l10n.t('1 connection') : vscode.l10n.t('{0} connections', s.connections.length));
  } else {
    parts.push(vscode.l10n.t('{0} sockets', s.sockets));
    const top = s.states.slice(0, 3).map((x) => `${x.state} ${x.count}`);
    if (top.length > 0) parts.push(top.join(', '));
  }
  if (s.problems > 0) parts.push(s.problems === 1 ? vscode.l10n.t('1 problem') : vscode.l10n.t('{0} problems', s.problems));
  return parts.join(' · ');
}

/** The lenses of one document (exported for the tests' understanding of titles; VS Code calls the provider). */
export function blockLenses(document: vscode.TextDocument, model: AnalysedModel): vscode.CodeLens[] {
  const lenses: vscode.CodeLens[] = [];
  const n = Math.min(model.blocks.length, MAX_BLOCK_LENSES);
  for (let k = 0; k < n; k++) {
    const s = summariseBlock(model, k);
    const range = new vscode.Range(s.block.firstLine, 0, s.block.firstLine, 0);
    const capture = isCapture(s.block);
    const explainTitle = capture ? vscode.l10n.t('Explain this capture') : vscode.l10n.t('Explain this table');
    const explain: vscode.Command = isCommandAvailable(COMMANDS.explain)
      ? { command: COMMANDS.explain, title: `$(info) ${explainTitle}`, arguments: [document.uri, s.block.firstLine] }
      : { command: COMMANDS.markdownReport, title: `$(info) ${explainTitle}`, arguments: [document.uri] };
    explain.tooltip = `${s.block.variant}: ${summaryText(s)}`;
    lenses.push(new vscode.CodeLens(range, explain));
    lenses.push(new vscode.CodeLens(range, { command: '', title: `${s.block.variant} — ${summaryText(s)}` }));
    if (!capture || s.segments === 0) continue;
    const at: FindingArgs = { uri: document.uri.toString(), line: s.block.firstLine, code: '' };
    if (isCommandAvailable(COMMANDS.showDiagram)) {
      lenses.push(new vscode.CodeLens(range, { command: COMMANDS.showFindingDiagram, title: `$(type-hierarchy) ${vscode.l10n.t('Sequence diagram')}`, arguments: [at] }));
    }
    if (isCommandAvailable(COMMANDS.stepThrough) && s.connections.length > 0) {
      lenses.push(
        new vscode.CodeLens(range, {
          command: COMMANDS.stepThrough,
          title: `$(debug-step-over) ${vscode.l10n.t('Step through')}`,
          arguments: [{ uri: document.uri.toString(), connection: s.connections[0], line: s.block.firstLine }],
        }),
      );
    }
  }
  return lenses;
}

export function registerCodeLens(_context: vscode.ExtensionContext, models: DocumentModels): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document, token) {
      if (!codeLensEnabled(document.uri)) return [];
      const model = await models.model(document);
      if (token.isCancellationRequested) return [];
      return blockLenses(document, model);
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(TCP_LENS_SELECTOR, provider),
    models.onDidChangeModel(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'codeLens')) changed.fire();
    }),
  );
}
