/**
 * Every TCP Lens command id, in one place, with the arguments each takes. A feature registers only the commands it
 * owns (the owner is named below) through `registerTcpLensCommand`, so other features can ask `isCommandAvailable`
 * before offering a CodeLens or a code action that runs it; nothing asks `vscode.commands.getCommands()`.
 */
import * as vscode from 'vscode';

export const COMMANDS = {
  /** Owner: diagramPanel.ts (report panel). Args: (uri?: Uri, where?: number | Range) — line or selection to explain. */
  explain: 'tcpLens.explain',
  /** Owner: diagramPanel.ts. No args: the connection at the active editor's cursor (or the textbook diagram). */
  showDiagram: 'tcpLens.showDiagram',
  /** Owner: stepperView.ts. Args: { uri?: string; connection?: number; line?: number }. */
  stepThrough: 'tcpLens.stepThrough',
  /** Owner: explainFile.ts. No args: asks for a file, streams it from disk, opens the report. */
  explainFile: 'tcpLens.explainFile',
  /** Owner: codeActions.ts. Args: FindingArgs. Opens the Markdown explanation of one finding. */
  explainFinding: 'tcpLens.explainFinding',
  /** Owner: codeActions.ts. Args: FindingArgs. Moves the cursor to the finding, then runs showDiagram. */
  showFindingDiagram: 'tcpLens.showFindingDiagram',
  /** Owner: codeActions.ts. Args: { text: string; what: string }. Puts a suggested change on the clipboard. */
  copySnippet: 'tcpLens.copySnippet',
  /** Owner: codeActions.ts. Args: { code: string }. Adds the code to tcpLens.diagnostics.ignore (user settings). */
  ignoreCode: 'tcpLens.ignoreCode',
  /** Owner: explainFile.ts. Args: (uri?: Uri). The Markdown report, for when the report panel is not there. */
  markdownReport: 'tcpLens.markdownReport',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Where a finding is: the document and the finding's first line (0-based) and code. */
export interface FindingArgs {
  readonly uri: string;
  readonly line: number;
  readonly code: string;
}

export interface SnippetArgs {
  readonly text: string;
  /** What was copied, for the confirmation message ("net.ipv4.tcp_tw_reuse"). */
  readonly what: string;
}

const available = new Set<string>();

/** Register a command this feature owns and record that it is there. */
export function registerTcpLensCommand(id: CommandId, handler: (...args: never[]) => unknown): vscode.Disposable {
  const registration = vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
  available.add(id);
  return new vscode.Disposable(() => {
    available.delete(id);
    registration.dispose();
  });
}

/** Record commands a feature registered by itself (activate.ts does this for each feature's declared commands). */
export function markCommandsAvailable(ids: readonly CommandId[]): vscode.Disposable {
  for (const id of ids) available.add(id);
  return new vscode.Disposable(() => {
    for (const id of ids) available.delete(id);
  });
}

export function isCommandAvailable(id: CommandId): boolean {
  return available.has(id);
}
