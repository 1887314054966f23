/**
 * The analysed model of each open document: one model per document version that hovers, diagnostics, CodeLens, the
 * status bar and the panels all read, so no feature parses on its own.
 *
 * - Incremental: edits are applied to our own copy of the lines and only what an edit touches is read again: a
 *   window of records inside a long block, or the block(s) around it, and in a capture only the connections of the
 *   changed segments' 4-tuples are analysed again (core/incremental.ts); the rest of the model is reused.
 * - Debounced: after an edit the model is brought up to date after `tcpLens.analysis.delay` ms of quiet, or at once
 *   when a feature asks for it (`get`, `model`).
 * - Sliced: background work runs in slices of at most SLICE_MS and yields to the event loop between them, so a large
 *   document never blocks the extension host for long. `get` (synchronous, for hovers and commands) finishes the
 *   pending work at once; after an edit that is one incremental update, not a full parse.
 */
import * as vscode from 'vscode';
import type { AnalysedModel } from '../core/analyse';
import { type IncrementalState, type Job, type LineEdit } from '../core/incremental';
import { heavy } from './lazy';
import { affects, analysisDelay, thresholds } from './settings';

/** The languages TCP Lens reads: plain text and logs (where users paste) and its own modes. */
export const TCP_LENS_LANGUAGES: readonly string[] = ['plaintext', 'log', 'netstat', 'ss', 'tcpdump'];

export const TCP_LENS_SELECTOR: vscode.DocumentSelector = TCP_LENS_LANGUAGES.map((language) => ({ language }));

/** Schemes whose documents are not the user's text (the Output panel, our own explanations, SCM inputs). */
const IGNORED_SCHEMES: ReadonlySet<string> = new Set(['output', 'tcp-lens', 'vscode-scm', 'git', 'comment', 'vscode-terminal', 'debug']);

/** The longest a background slice runs before yielding. */
export const SLICE_MS = 20;

/** Lines read with `lineAt` per check of the clock while reading a document in slices. */
const READ_CHUNK = 2048;

/** How long a closed document's model is kept (a language change closes and reopens the document). */
const KEEP_AFTER_CLOSE_MS = 3000;

export interface ModelChange {
  readonly document: vscode.TextDocument;
  readonly model: AnalysedModel;
  readonly version: number;
}

/** Whether TCP Lens reads this document by itself (hovers and commands may still ask for any document). */
export function isCandidate(document: vscode.TextDocument): boolean {
  return TCP_LENS_LANGUAGES.includes(document.languageId) && !IGNORED_SCHEMES.has(document.uri.scheme);
}

export interface QueuedChange {
  readonly changes: readonly vscode.TextDocumentContentChangeEvent[];
  readonly version: number;
}

interface RunningJob {
  readonly job: Job<IncrementalState>;
  /** The document version the job's result reflects (a read that started over reflects the later one). */
  readonly version: () => number;
  readonly full: boolean;
}

interface Entry {
  document: vscode.TextDocument;
  state: IncrementalState | undefined;
  /** Version of `state`; -1 before the first analysis. */
  stateVersion: number;
  /** Our copy of the lines (owned by `state` once it exists); undefined until the document has been read. */
  lines: string[] | undefined;
  /** The version `lines` reflects, before `queue` is applied. */
  linesVersion: number;
  queue: QueuedChange[];
  needsFull: boolean;
  job: RunningJob | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  closeTimer: ReturnType<typeof setTimeout> | undefined;
  running: Promise<void> | undefined;
  disposed: boolean;
}

const EMPTY_STATE_LINES: readonly string[] = [];

export class DocumentModels implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<ModelChange>();
  private readonly forgotten = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly pendingEvents = new Set<Entry>();
  private eventTimer: ReturnType<typeof setTimeout> | undefined;

  /** Fired (asynchronously, coalesced per document) after a document's model changed. */
  readonly onDidChangeModel: vscode.Event<ModelChange> = this.changed.event;
  /** Fired when a document is no longer read (closed, or switched to a language TCP Lens does not read). */
  readonly onDidForget: vscode.Event<vscode.Uri> = this.forgotten.event;

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'thresholds')) {
          for (const entry of this.entries.values()) {
            entry.needsFull = true;
            this.schedule(entry, 0);
          }
        }
      }),
    );
    // Documents already open are read after activation returns, never during it.
    setTimeout(() => {
      for (const d of vscode.workspace.textDocuments) if (isCandidate(d)) this.track(d);
    }, 0);
  }

  /** The current model, computed now if needed (an incremental update after an edit). */
  get(document: vscode.TextDocument): AnalysedModel {
    const entry = this.entry(document);
    this.cancelTimer(entry);
    this.pump(entry, () => false);
    return entry.state!.model;
  }

  /** The current model, computed in slices if needed. */
  async model(document: vscode.TextDocument): Promise<AnalysedModel> {
    const entry = this.entry(document);
    if (!this.upToDate(entry)) {
      this.cancelTimer(entry);
      await this.runAsync(entry);
    }
    return this.upToDate(entry) ? entry.state!.model : this.get(document);
  }

  /** The model if it is up to date with the document, without doing any work. */
  peek(document: vscode.TextDocument): AnalysedModel | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry && this.upToDate(entry) ? entry.state!.model : undefined;
  }

  /** The lines of the current model (as VS Code splits them), when it is up to date. */
  lines(document: vscode.TextDocument): readonly string[] | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry && this.upToDate(entry) ? (entry.state?.lines ?? EMPTY_STATE_LINES) : undefined;
  }

  /** Start reading a document in the background (it is then kept up to date as it is edited). */
  track(document: vscode.TextDocument): void {
    const entry = this.entry(document);
    if (!this.upToDate(entry) && !entry.running && !entry.timer) this.schedule(entry, 0);
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const entry of this.entries.values()) this.drop(entry);
    this.entries.clear();
    if (this.eventTimer) clearTimeout(this.eventTimer);
    this.changed.dispose();
    this.forgotten.dispose();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Events

  private opened(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.closeTimer) clearTimeout(entry.closeTimer);
      entry.closeTimer = undefined;
      entry.document = document;
      if (!isCandidate(document)) {
        this.forget(key, entry);
        return;
      }
      // Reopened (a language change): the model stands if the text is the same version.
      if (entry.stateVersion !== document.version || entry.queue.length > 0) entry.needsFull = true;
      this.fire(entry);
      if (!this.upToDate(entry)) this.schedule(entry, 0);
      return;
    }
    if (isCandidate(document)) this.track(document);
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.closeTimer) clearTimeout(entry.closeTimer);
    entry.closeTimer = setTimeout(() => this.forget(key, entry), KEEP_AFTER_CLOSE_MS);
    // Until then nothing else sees it; features clear what they showed for it.
    this.forgotten.fire(document.uri);
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.drop(entry);
    this.forgotten.fire(entry.document.uri);
  }

  private drop(entry: Entry): void {
    entry.disposed = true;
    this.cancelTimer(entry);
    if (entry.closeTimer) clearTimeout(entry.closeTimer);
    entry.job = undefined;
    entry.queue = [];
    this.pendingEvents.delete(entry);
  }

  private edited(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const entry = this.entries.get(e.document.uri.toString());
    if (!entry) {
      if (isCandidate(e.document)) this.track(e.document);
      return;
    }
    entry.document = e.document;
    // Before the lines were first read, the reading job notices the new version and starts over.
    if (entry.lines !== undefined) entry.queue.push({ changes: e.contentChanges, version: e.document.version });
    this.schedule(entry, analysisDelay());
  }

  private fire(entry: Entry): void {
    this.pendingEvents.add(entry);
    this.eventTimer ??= setTimeout(() => {
      this.eventTimer = undefined;
      const list = [...this.pendingEvents];
      this.pendingEvents.clear();
      for (const en of list) {
        if (!en.disposed && en.state && this.upToDate(en)) {
          this.changed.fire({ document: en.document, model: en.state.model, version: en.stateVersion });
        }
      }
    }, 0);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Work

  private entry(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        document,
        state: undefined,
        stateVersion: -1,
        lines: undefined,
        linesVersion: -1,
        queue: [],
        needsFull: true,
        job: undefined,
        timer: undefined,
        closeTimer: undefined,
        running: undefined,
        disposed: false,
      };
      this.entries.set(key, entry);
    } else {
      entry.document = document;
    }
    return entry;
  }

  private upToDate(entry: Entry): boolean {
    return (
      entry.state !== undefined &&
      !entry.needsFull &&
      entry.job === undefined &&
      entry.queue.length === 0 &&
      entry.stateVersion === entry.document.version
    );
  }

  private cancelTimer(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private schedule(entry: Entry, delay: number): void {
    this.cancelTimer(entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.runAsync(entry);
    }, delay);
  }

  /** Run the pending work in slices; concurrent callers share one run. */
  private runAsync(entry: Entry): Promise<void> {
    entry.running ??= (async () => {
      // Start after `entry.running` is assigned: a run that finishes without awaiting must still clear it.
      await Promise.resolve();
      try {
        while (!entry.disposed) {
          const until = Date.now() + SLICE_MS;
          if (this.pump(entry, () => Date.now() >= until)) break;
          await new Promise<void>((resolve) => setTimeout(resolve, 0));
        }
      } finally {
        entry.running = undefined;
      }
    })();
    return entry.running;
  }

  /** Do work until the entry is up to date (true) or `shouldYield` asks to stop (false). */
  private pump(entry: Entry, shouldYield: () => boolean): boolean {
    for (;;) {
      if (!entry.job) {
        const next = this.nextJob(entry);
        if (!next) return true;
        entry.job = next;
      }
      const running = entry.job;
      let done: boolean;
      try {
        done = running.job.step(shouldYield);
      } catch (error) {
        // A reader bug must not leave the document without a model: fall back to reading everything once.
        entry.job = undefined;
        if (running.full) throw error;
        entry.needsFull = true;
        continue;
      }
      if (!done) return false;
      entry.job = undefined;
      const state = running.job.result();
      const version = running.version();
      entry.state = state;
      entry.stateVersion = version;
      entry.lines = state.lines as string[];
      entry.linesVersion = version;
      // Changes queued while a full read ran may already be in what it read.
      if (running.full) entry.queue = entry.queue.filter((q) => q.version > version);
      // A sanity check that costs nothing: our lines must match the document's line count.
      if (entry.queue.length === 0 && entry.document.version === version && state.lines.length !== entry.document.lineCount) {
        entry.needsFull = true;
        continue;
      }
      this.fire(entry);
    }
  }

  private nextJob(entry: Entry): RunningJob | undefined {
    const document = entry.document;
    const options = { thresholds: thresholds(document.uri) };
    if (entry.needsFull || !entry.state || entry.lines === undefined) {
      entry.needsFull = false;
      entry.queue = [];
      const read = readAndAnalyse(() => entry.document, options);
      return { job: read, version: () => read.version(), full: true };
    }
    if (entry.queue.length > 0) {
      const queue = entry.queue;
      entry.queue = [];
      const lines = entry.lines;
      const edit = applyChanges(lines, queue);
      const version = queue[queue.length - 1]!.version;
      if (!edit) {
        entry.needsFull = true;
        return this.nextJob(entry);
      }
      const job = heavy().editJob(entry.state, edit, options, lines);
      return {
        job: { step: (y) => job.step(y), result: () => job.result().state },
        version: () => version,
        full: false,
      };
    }
    if (entry.stateVersion !== document.version) {
      // A version we never saw the change for (should not happen): read again.
      entry.needsFull = true;
      return this.nextJob(entry);
    }
    return undefined;
  }
}

/**
 * Read the document's lines (in chunks, starting over if it changes meanwhile), then analyse them. `current` gives
 * the live TextDocument: a language change replaces the object (same text), and a closed object must not be read.
 */
function readAndAnalyse(
  current: () => vscode.TextDocument,
  options: { thresholds: ReturnType<typeof thresholds> },
): Job<IncrementalState> & { version(): number } {
  let lines: string[] = [];
  let document = current();
  let version = document.version;
  let next = 0;
  let analysis: Job<IncrementalState> | undefined;
  return {
    step(shouldYield = () => false) {
      while (!analysis) {
        const now = current();
        if (now !== document || now.version !== version) {
          lines = [];
          next = 0;
          document = now;
          version = now.version;
        }
        const count = document.lineCount;
        const end = Math.min(count, next + READ_CHUNK);
        for (let i = next; i < end; i++) lines.push(document.lineAt(i).text);
        next = end;
        if (next >= count) {
          analysis = heavy().fullJob(lines, options);
          break;
        }
        if (shouldYield()) return false;
      }
      return analysis.step(shouldYield);
    },
    result() {
      if (!analysis) throw new Error('readAndAnalyse: not finished');
      return analysis.result();
    },
    version: () => version,
  };
}

/**
 * Apply queued content changes to `lines` in place and return the one edit that covers them all relative to the
 * lines before (core/incremental.ts `applyTextChanges`). Undefined when a change does not fit.
 */
export function applyChanges(lines: string[], queue: readonly QueuedChange[]): LineEdit | undefined {
  const changes: vscode.TextDocumentContentChangeEvent[] = [];
  for (const q of queue) for (const c of q.changes) changes.push(c);
  return heavy().applyTextChanges(lines, changes);
}
