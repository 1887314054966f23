/**
 * "TCP Lens: Explain a capture file...": VS Code hides documents over 50 MB from extensions, so this reads a file
 * of any size from disk through `workspace.fs` (local or remote), decodes and splits it in slices, analyses it in
 * slices (no task longer than SLICE_MS), and opens the report. Also the Markdown report command that the CodeLens
 * and the status bar fall back to when the report panel is not there.
 */
import * as vscode from 'vscode';
import type { AnalysedModel } from '../core/analyse';
import { COMMANDS, registerTcpLensCommand } from './commandIds';
import { DocumentModels, SLICE_MS } from './documentModels';
import { Explanations, showMarkdown } from './explanations';
import { heavy } from './lazy';
import { thresholds } from './settings';

/** Bytes decoded per slice. */
const DECODE_CHUNK = 1 << 20;

export type FileKind = 'text' | 'pcap' | 'pcapng' | 'binary';

/** What the first bytes say: a pcap or pcapng capture (not text: tell the user how to print it), binary, or text. */
export function sniffFile(bytes: Uint8Array): FileKind {
  const b = bytes;
  if (b.length >= 4) {
    const magic = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1) return 'pcap';
    if (magic === 0x0a0d0d0a) return 'pcapng';
  }
  const end = Math.min(b.length, 8192);
  for (let i = 0; i < end; i++) if (b[i] === 0) return 'binary';
  return 'text';
}

/** The encoding to read with: UTF-8 (with or without BOM), UTF-16 by BOM, else GB18030 when UTF-8 does not fit. */
export function chooseEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  try {
    // `stream` leaves a sequence cut at the end of the probe alone instead of calling it invalid.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.min(bytes.length, 65536)), { stream: true });
    return 'utf-8';
  } catch {
    // Windows netstat on a Chinese system writes GB18030 (code page 936).
    try {
      new TextDecoder('gb18030');
      return 'gb18030';
    } catch {
      return 'utf-8';
    }
  }
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Decode and split `bytes` into lines (LF, CRLF or CR, as the editor splits them), yielding to the event loop
 * between slices. Undefined when cancelled.
 */
export async function decodeLines(bytes: Uint8Array, encoding: string, token?: vscode.CancellationToken): Promise<string[] | undefined> {
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  const lines: string[] = [];
  let carry = '';
  let start = 0;
  let until = Date.now() + SLICE_MS;
  while (start < bytes.length) {
    const end = Math.min(bytes.length, start + DECODE_CHUNK);
    const more = end < bytes.length;
    let text = carry + decoder.decode(bytes.subarray(start, end), { stream: more });
    start = end;
    // A CR at the end of a chunk may be the first half of a CRLF: decide with the next chunk.
    const pendingCr = more && text.endsWith('\r');
    if (pendingCr) text = text.slice(0, -1);
    const parts = text.split(LINE_BREAK);
    carry = parts.pop()! + (pendingCr ? '\r' : '');
    for (const p of parts) lines.push(p);
    if (Date.now() >= until) {
      if (token?.isCancellationRequested) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 0));
      until = Date.now() + SLICE_MS;
    }
  }
  for (const p of carry.split(LINE_BREAK)) lines.push(p);
  return lines;
}

/** Analyse lines in slices of SLICE_MS. */
export async function analyseInSlices(lines: readonly string[], uri: vscode.Uri | undefined, token?: vscode.CancellationToken): Promise<AnalysedModel | undefined> {
  const job = heavy().fullJob(lines, { thresholds: thresholds(uri) });
  for (;;) {
    const until = Date.now() + SLICE_MS;
    if (job.step(() => Date.now() >= until)) return job.result().model;
    if (token?.isCancellationRequested) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function fileName(uri: vscode.Uri): string {
  const path = uri.path;
  return path.slice(path.lastIndexOf('/') + 1) || uri.toString();
}

/** Read, analyse and report one file. Exported for the tests (the command asks for the file first). */
export async function explainFile(uri: vscode.Uri, explanations: Explanations, token?: vscode.CancellationToken): Promise<{ model: AnalysedModel; report: vscode.Uri } | undefined> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const kind = sniffFile(bytes);
  if (kind !== 'text') {
    const message =
      kind === 'binary'
        ? vscode.l10n.t('{0} is not a text file. TCP Lens explains the text that netstat, ss, tcpdump and tshark print.', fileName(uri))
        : vscode.l10n.t('{0} is a binary capture. Print it as text first, e.g. `tcpdump -nn -r {0} > {0}.txt` or `tshark -r {0} > {0}.txt`, then explain the text file.', fileName(uri));
    void vscode.window.showWarningMessage(message);
    return undefined;
  }
  const lines = await decodeLines(bytes, chooseEncoding(bytes), token);
  if (!lines) return undefined;
  const model = await analyseInSlices(lines, uri, token);
  if (!model) return undefined;
  const report = explanations.addReport(explanations.reportMarkdown(model, fileName(uri)), fileName(uri));
  return { model, report };
}

export function registerExplainFile(_context: vscode.ExtensionContext, models: DocumentModels, explanations: Explanations): vscode.Disposable {
  return vscode.Disposable.from(
    registerTcpLensCommand(COMMANDS.explainFile, async (arg?: unknown) => {
      let uri = arg instanceof vscode.Uri ? arg : undefined;
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: vscode.l10n.t('Explain'),
          title: vscode.l10n.t('Explain a capture file'),
          filters: { [vscode.l10n.t('Text output of netstat, ss, tcpdump, tshark')]: ['txt', 'log', 'out', 'text'], [vscode.l10n.t('All files')]: ['*'] },
        });
        uri = picked?.[0];
      }
      if (!uri) return;
      const target = uri;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('TCP Lens: reading {0}', fileName(target)), cancellable: true },
        (_progress, token) => explainFile(target, explanations, token),
      );
      if (result) await showMarkdown(result.report);
    }),
    registerTcpLensCommand(COMMANDS.markdownReport, async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      const document = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (!document) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a file with netstat, ss, tcpdump or tshark output first.'));
        return;
      }
      const model = await models.model(document);
      const name = fileName(document.uri);
      await showMarkdown(explanations.addReport(explanations.reportMarkdown(model, name), name));
    }),
  );
}
