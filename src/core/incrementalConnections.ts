/**
 * After an edit changed a few segments inside one capture block, analyse again only the connections those segments
 * can belong to, and move the rest. Used by incremental.ts's windowed re-read.
 *
 * Why this is exact. The connection rebuild (tcp/connection.ts, analysis/segments.ts) groups segments by block and
 * 4-tuple; every rule reads segments of one 4-tuple only, but for two facts shared by a whole block:
 *   - how tcpdump printed sequence numbers in the block (relative or -S), decided once, by the first segment whose
 *     numbers can tell (`numbering` on the rebuild says which segment that was);
 *   - the block's last time, the latest last time of its connections (end states are judged against it).
 * So the connections of the changed segments' 4-tuples are analysed again on those 4-tuples' segments, together with
 * two carriers of the block-wide facts: the segment that decided the numbering, with its connection's segments up
 * to it (the subset then decides it at the same segment, the same way), and the last segment of the latest
 * connection left untouched (the subset's last time is then the block's). A carrier makes a partial connection in
 * the subset, whose results are dropped; carrying whole 4-tuples instead made a bulk transfer that happened to end
 * last join every keystroke's re-analysis. The result is what a full analysis gives, as long as the numbering was
 * decided before the first changed segment and is decided the same way again, and the block's last time stays where
 * it was. Otherwise the caller runs the full analysis. Ids follow first appearance, so a connection that appears (a
 * typed port) or goes moves the ids of the later ones; segment indexes and lines after the change move by the edit's
 * deltas. The property tests in test/unit/incremental.test.ts compare the result with a full analysis.
 */
import { analyseConnections, summariseConnection, type ConnectionFields, type ConnectionRebuild, type ConnectionSummary } from './analyse';
import type { Endpoint, Finding, Segment } from './model';
import { inFindingOrder, insertFindings } from './findingOrder';
import { firstAtLeast, firstIndex, resizeRange } from './lines';
import { segmentTcpJson, type Connection, type SegmentTcp } from './tcp/connection';

type ConnectionPart = ConnectionFields;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Where the segments changed: [start, oldEnd) of the old array became [start, newEnd) of the new one. */
export interface SegmentChange {
  readonly block: number;
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
  /** The old segments of [start, oldEnd) (the array itself has been spliced already). */
  readonly removed: readonly Segment[];
  /** Old lines from this one on moved by `lineDelta`. */
  readonly lineFrom: number;
  readonly lineDelta: number;
}

/** The same address and port (a port is a number, or a name as printed). */
function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  // Ports first: mostly numbers that differ, where equal addresses (separate strings, one per line read) would be
  // compared character by character.
  const same = typeof a.port === typeof b.port ? a.port === b.port : String(a.port) === String(b.port);
  return same && a.address === b.address;
}

/** A key for a 4-tuple, the same both ways round; used when a change touches more than a few 4-tuples. */
function tupleKey(a: Endpoint, b: Endpoint): string {
  const x = `${a.address} ${a.port}`;
  const y = `${b.address} ${b.port}`;
  return x < y ? `${x}\n${y}` : `${y}\n${x}`;
}

/** Up to this many changed 4-tuples are compared end by end; more (a paste) are looked up by key. */
const FEW_TUPLES = 8;

/** The new connection part, or undefined when the change reaches beyond its 4-tuples (see the module comment). */
export function reanalyseConnections(part: ConnectionPart, segments: readonly Segment[], change: SegmentChange): ConnectionPart | undefined {
  const rebuild = part.rebuild;
  if (rebuild === undefined || !part.connectionAnalysis || part.analysisError !== undefined) return undefined;
  const { block, start, oldEnd, newEnd, lineFrom, lineDelta } = change;
  const d = newEnd - oldEnd;
  const decidedAt = rebuild.numbering?.get(block);
  if (decidedAt !== undefined && decidedAt >= start) return undefined;

  // The changed segments' 4-tuples, as pairs of ends. Every connection of the block is looked at once per keystroke:
  // its ends are compared with these few directly, which costs less than making or looking up a key for it. A
  // change with many 4-tuples (a pasted capture) is matched by key instead, so the cost stays one lookup each.
  const ends: Endpoint[] = [];
  let keys: Set<string> | undefined;
  const changedTuple = (x: Endpoint, y: Endpoint): boolean => {
    if (keys !== undefined) return keys.has(tupleKey(x, y));
    for (let t = 0; t < ends.length; t += 2) {
      const a = ends[t]!;
      const b = ends[t + 1]!;
      if ((sameEndpoint(x, a) && sameEndpoint(y, b)) || (sameEndpoint(x, b) && sameEndpoint(y, a))) return true;
    }
    return false;
  };
  const addTuple = (a: Endpoint, b: Endpoint): void => {
    if (changedTuple(a, b)) return;
    ends.push(a, b);
    if (keys !== undefined) keys.add(tupleKey(a, b));
    else if (ends.length > 2 * FEW_TUPLES) {
      keys = new Set();
      for (let t = 0; t < ends.length; t += 2) keys.add(tupleKey(ends[t]!, ends[t + 1]!));
    }
  };
  for (const g of change.removed) addTuple(g.src, g.dst);
  for (let j = start; j < newEnd; j++) addTuple(segments[j]!.src, segments[j]!.dst);
  const onChangedTuple = (c: Connection): boolean => changedTuple(c.client.endpoint, c.server.endpoint);
  const old = rebuild.connections;
  const inBlock = (c: Connection): boolean => c.block === block;
  const affected: number[] = [];
  let latest: Connection | undefined;
  // The connections left alone were judged against the block's last time: it must not move (checked below).
  let endBefore: number | undefined;
  for (const c of old) {
    if (!inBlock(c)) continue;
    if (c.lastTime !== undefined && (endBefore === undefined || c.lastTime > endBefore)) endBefore = c.lastTime;
    if (onChangedTuple(c)) affected.push(c.id);
    else if (c.lastTime !== undefined && (latest === undefined || c.lastTime > latest.lastTime!)) latest = c;
  }

  // Old index -> new index; -1 for a changed segment.
  const moved = (i: number): number => (i < start ? i : i >= oldEnd ? i + d : -1);
  const indexes: number[] = [];
  for (const id of affected) {
    for (const i of old[id]!.segmentIndexes) {
      const j = moved(i);
      if (j >= 0) indexes.push(j);
    }
  }
  for (let j = start; j < newEnd; j++) indexes.push(j);
  // Carriers of the two block-wide facts, from connections left alone (whose results are not taken from the subset):
  // the numbering decider with the segments of its connection up to it (what it decided from), and the last segment
  // of the latest connection (the block's last time). Their 4-tuples are not in the subset otherwise, so the partial
  // connections they make there are dropped below.
  const carriers = new Set<number>();
  if (decidedAt !== undefined && !changedTuple(segments[decidedAt]!.src, segments[decidedAt]!.dst)) {
    const owner = part.segmentConnections[decidedAt];
    if (owner === null || owner === undefined) carriers.add(decidedAt);
    else for (const i of old[owner]!.segmentIndexes) if (i <= decidedAt) carriers.add(i);
  }
  if (latest !== undefined) carriers.add(moved(latest.segmentIndexes[latest.segmentIndexes.length - 1]!));
  for (const j of carriers) indexes.push(j);
  indexes.sort((x, y) => x - y);

  const subset = indexes.map((j) => segments[j]!);
  const sub = analyseConnections({ lineCount: 0, blocks: [], sockets: [], segments: subset, unparsed: [], headerLines: [] });
  const subDecided = sub.rebuild.numbering?.get(block);
  if ((subDecided === undefined ? undefined : indexes[subDecided]) !== (decidedAt === undefined ? undefined : decidedAt)) return undefined;
  const isAffected = new Uint8Array(old.length);
  for (const id of affected) isAffected[id] = 1;
  let endAfter: number | undefined;
  for (const c of sub.rebuild.connections) if (c.lastTime !== undefined && (endAfter === undefined || c.lastTime > endAfter)) endAfter = c.lastTime;
  if (endBefore !== endAfter) return undefined;

  // The subset's own connections (on the changed 4-tuples) replace the affected ones; the carriers' are dropped.
  const isCarrier = new Uint8Array(indexes.length);
  indexes.forEach((j, local) => {
    if (carriers.has(j)) isCarrier[local] = 1;
  });
  const keptLocal = new Int32Array(sub.rebuild.connections.length).fill(-1);
  const subConnections: Connection[] = [];
  sub.rebuild.connections.forEach((c, local) => {
    if (!onChangedTuple(c)) return;
    keptLocal[local] = subConnections.length;
    subConnections.push(c);
  });

  // Ids follow first appearance: merge the connections left alone with the new ones by their first segment. A new
  // connection (a typed port) or one gone moves the ids of every later connection.
  const total = old.length - affected.length + subConnections.length;
  const oldToNew = new Int32Array(old.length).fill(-1);
  const subToNew = new Int32Array(subConnections.length);
  // Connections [0, keep) keep their ids (all of them, when sameIds).
  let keep = old.length;
  // Most keystrokes change no connection's first segment: then every connection keeps its id.
  const sameIds =
    subConnections.length === affected.length &&
    subConnections.every((c, n) => indexes[c.segmentIndexes[0]!] === moved(old[affected[n]!]!.segmentIndexes[0]!));
  if (sameIds) {
    for (let id = 0; id < old.length; id++) if (!isAffected[id]) oldToNew[id] = id;
    affected.forEach((id, n) => (subToNew[n] = id));
  } else {
    // The connections that appeared before the first one analysed again and before the first new one keep their ids.
    const firstNew = subConnections.length > 0 ? indexes[subConnections[0]!.segmentIndexes[0]!]! : Number.POSITIVE_INFINITY;
    const firstAffected = affected.length > 0 ? affected[0]! : old.length;
    keep = firstIndex(firstAffected, (u) => moved(old[u]!.segmentIndexes[0]!) >= firstNew);
    for (let id = 0; id < keep; id++) oldToNew[id] = id;
    let u = keep;
    let n = 0;
    for (let id = keep; id < total; id++) {
      while (u < old.length && isAffected[u]) u++;
      const oldFirst = u < old.length ? moved(old[u]!.segmentIndexes[0]!) : Number.POSITIVE_INFINITY;
      const subFirst = n < subConnections.length ? indexes[subConnections[n]!.segmentIndexes[0]!]! : Number.POSITIVE_INFINITY;
      if (oldFirst < subFirst) oldToNew[u++] = id;
      else subToNew[n++] = id;
    }
  }
  let renumbered = false;
  if (!sameIds) for (let id = keep; id < old.length && !renumbered; id++) if (oldToNew[id]! >= 0 && oldToNew[id] !== id) renumbered = true;

  // Accepted. The old part is ours from here on (the caller hands it over): move what stays, replace what changed.
  /** The new id of the subset's connection `local` (never a carrier's). */
  const idOf = (local: number): number => subToNew[keptLocal[local]!]!;
  const line = (l: number): number => (l >= lineFrom ? l + lineDelta : l);
  // With every id kept, the previous lists are ours to edit in place (only the connections analysed again change);
  // otherwise new lists in the new order.
  const inPlace = sameIds && (old as unknown) !== part.connections;
  const connections = inPlace ? (old as Connection[]) : new Array<Connection>(total);
  const summaries = inPlace ? (part.connections as ConnectionSummary[]) : new Array<ConnectionSummary>(total);
  // A keystroke that moved no line, no segment and no id leaves the other connections as they are.
  const untouched = inPlace && d === 0 && lineDelta === 0;
  for (const c of untouched ? [] : old) {
    if (isAffected[c.id]) continue;
    const id = oldToNew[c.id]!;
    const m = c as Mutable<Connection>;
    if (d !== 0) {
      // Sorted: only the tail at or after the change moves (none, for a connection that ended before it).
      const list = c.segmentIndexes as number[];
      for (let k = firstAtLeast(list, oldEnd); k < list.length; k++) list[k] = list[k]! + d;
      if (c.reset !== undefined && c.reset.segment >= oldEnd) m.reset = { ...c.reset, segment: c.reset.segment + d };
    }
    const summary = part.connections[c.id]!;
    if (lineDelta !== 0) {
      m.firstLine = line(c.firstLine);
      m.lastLine = line(c.lastLine);
      const s = summary as Mutable<ConnectionSummary>;
      s.firstLine = m.firstLine;
      s.lastLine = m.lastLine;
    }
    if (id !== c.id) {
      m.id = id;
      if (c.previous !== undefined) m.previous = oldToNew[c.previous]!;
      // Ours, like the connection (the previous part is handed over): renumbered in place, not copied.
      if (summary !== (c as unknown)) (summary as Mutable<ConnectionSummary>).id = id;
    }
    connections[id] = m;
    summaries[id] = summary;
  }
  subConnections.forEach((c, kept) => {
    // Moved to the whole document in place, not copied: the subset's findings may read their connection when their
    // text is asked for (connectionFindings.ts's LazyText), and must then see this one.
    const m = c as Mutable<Connection>;
    const previous = c.previous;
    m.id = subToNew[kept]!;
    m.segmentIndexes = c.segmentIndexes.map((i) => indexes[i]!);
    if (c.reset !== undefined) m.reset = { ...c.reset, segment: indexes[c.reset.segment]! };
    if (previous !== undefined) m.previous = idOf(previous);
    connections[m.id] = m;
    summaries[m.id] = summariseConnection(m);
  });

  // The previous part's arrays are ours: edited in place (a native move of the tail), not copied.
  const segmentConnections = part.segmentConnections as (number | null)[];
  replaceWith(segmentConnections, start, oldEnd, newEnd - start, null);
  if (renumbered) {
    // A segment of a connection from `keep` on lies at or after that connection's first segment (ids follow first
    // appearance); the segments before it keep their ids.
    const first = moved(old[keep]!.segmentIndexes[0]!);
    for (let j = first >= 0 ? first : start; j < segmentConnections.length; j++) {
      const c = segmentConnections[j];
      if (c !== null && c !== undefined && !isAffected[c]) segmentConnections[j] = oldToNew[c]!;
    }
  }
  const segmentAnalysis = part.segmentAnalysis as (readonly string[])[];
  replaceWith(segmentAnalysis, start, oldEnd, newEnd - start, NO_FLAGS);
  indexes.forEach((j, local) => {
    if (isCarrier[local]) return;
    const c = sub.segmentConnections[local];
    segmentConnections[j] = c === null || c === undefined ? null : idOf(c);
    segmentAnalysis[j] = sub.segmentAnalysis[local] ?? NO_FLAGS;
  });

  // The previous part's findings are ours too: those of the connections analysed again are taken out in place.
  const findings = part.findings as Finding[];
  let kept = 0;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f.connection !== undefined && isAffected[f.connection]) continue;
    if (renumbered && f.connection !== undefined) (f as Mutable<Finding>).connection = oldToNew[f.connection]!;
    if (lineDelta !== 0) {
      const lines = f.lines as number[];
      for (let k = 0; k < lines.length; k++) lines[k] = line(lines[k]!);
    }
    findings[kept++] = f;
  }
  findings.length = kept;
  const added: Finding[] = [];
  for (const f of sub.findings) {
    if (f.connection === undefined) added.push(f);
    else if (keptLocal[f.connection]! >= 0) added.push({ ...f, connection: idOf(f.connection) });
  }
  // Both in the model's order (see findingOrder.ts), so the update merges them instead of sorting all findings.
  // The findings kept are in order: a part of an ordered list, and a line change moves every kept finding after it
  // by the same amount (a finding names its connection's segment lines, and the segments on lines an edit removed
  // belong to connections analysed again, whose findings are not kept).
  const merged = insertFindings(findings, inFindingOrder(added));

  const numbering = new Map<number, number>();
  for (const [b, i] of rebuild.numbering ?? []) numbering.set(b, i >= oldEnd ? i + d : i);

  // Per-segment records: the previous part's array, edited in place like segmentConnections (made once, from the
  // full analysis's records, on the first edit after it). A record keeps the connection id it was made with; the
  // part's view of the array reads the current id from segmentConnections, so renumbering moves no record. Only
  // duplicate-ACK references past a change that added or removed segments are moved, here.
  const { records, dupAcks } = ownedRecords(rebuild);
  const fresh = sub.rebuild.perSegment;
  resizeRange(records, start, oldEnd, newEnd - start);
  // The positions of the duplicate ACKs (a few percent of the records) are kept, in place, so that a change that
  // added or removed segments visits those, not every record after it: those of the replaced segments go, those
  // after them move.
  const gone = firstAtLeast(dupAcks, start);
  dupAcks.splice(gone, firstAtLeast(dupAcks, oldEnd) - gone);
  if (d !== 0) {
    for (let i = gone; i < dupAcks.length; i++) {
      const at = dupAcks[i]! + d;
      dupAcks[i] = at;
      const r = records[at]!;
      // A duplicate ACK refers back to a segment of its own connection, which may lie after the change too. A record
      // moved before has a reference of its own, moved in place: every later insert would otherwise replace half the
      // duplicate ACKs of a capture with new objects.
      const of = r.dupAck!.of;
      if (of < oldEnd) continue;
      if (r instanceof MovedRecord) r.moveDupAck(d);
      else records[at] = MovedRecord.of(r, r.connection, { n: r.dupAck!.n, of: of + d });
    }
  }
  // The subset's records replace those of its segments (ascending, as the positions are).
  let p = 0;
  indexes.forEach((j, k) => {
    // A carrier's own record stays.
    if (isCarrier[k]) return;
    const r = fresh[k]!;
    records[j] = MovedRecord.of(r, idOf(r.connection), r.dupAck && { n: r.dupAck.n, of: indexes[r.dupAck.of]! });
    while (p < dupAcks.length && dupAcks[p]! < j) p++;
    const listed = p < dupAcks.length && dupAcks[p] === j;
    if (r.dupAck !== undefined && !listed) dupAcks.splice(p, 0, j);
    else if (r.dupAck === undefined && listed) dupAcks.splice(p, 1);
  });
  const next: ConnectionRebuild = { connections, numbering, perSegment: recordsView({ records, dupAcks }, segmentConnections) };
  return { ...part, connections: summaries, segmentConnections, segmentAnalysis, findings: merged, rebuild: next };
}

/** Per-segment records owned by the edits, and the positions of those that are duplicate ACKs (ascending). */
interface OwnedRecords {
  readonly records: SegmentTcp[];
  readonly dupAcks: number[];
}

/** What is behind each view made here, which the next edit changes in place (the part is handed over). */
const OWNED = new WeakMap<readonly SegmentTcp[], OwnedRecords>();

function ownedRecords(rebuild: ConnectionRebuild): OwnedRecords {
  const view = rebuild.perSegment;
  const owned = OWNED.get(view);
  if (owned !== undefined) return owned;
  // The full analysis's own array is built lazily inside it: copied once, on the first edit.
  const records = view.slice();
  const dupAcks: number[] = [];
  for (let j = 0; j < records.length; j++) if (records[j]!.dupAck !== undefined) dupAcks.push(j);
  return { records, dupAcks };
}

/** The records as read by the model: record j with the connection id segmentConnections holds for it now. */
function recordsView(owned: OwnedRecords, ids: readonly (number | null)[]): readonly SegmentTcp[] {
  const records = owned.records;
  const view = new Proxy(records, {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const j = indexKey(key);
        if (j >= 0 && j < target.length) {
          const r = target[j]!;
          const id = ids[j];
          return id === null || id === undefined || id === r.connection ? r : MovedRecord.of(r, id, r.dupAck);
        }
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  OWNED.set(view, owned);
  return view;
}

/** The array index a property key names, or -1. */
function indexKey(key: string): number {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const n = Number(key);
  return Number.isInteger(n) && String(n) === key ? n : -1;
}

const NO_FLAGS: readonly string[] = [];

/** Replace list[from, to) with `count` copies of `fill`, in place. */
function replaceWith<T>(list: T[], from: number, to: number, count: number, fill: T): void {
  resizeRange(list, from, to, count);
  for (let k = 0; k < count; k++) list[from + k] = fill;
}

/**
 * A record read through another, with its connection id and duplicate-ACK reference moved to the whole document. A
 * record stored in the owned array has a reference object of its own (the view's transient ones share it), which the
 * next edit may move in place.
 */
class MovedRecord implements SegmentTcp {
  private constructor(
    private readonly base: SegmentTcp,
    readonly connection: number,
    readonly dupAck: { readonly n: number; of: number } | undefined,
  ) {}

  /** The segment this duplicate ACK repeats moved by `d`. */
  moveDupAck(d: number): void {
    this.dupAck!.of += d;
  }

  /** `r` with another id and duplicate-ACK reference; a moved record is unwrapped, so edits do not nest them. */
  static of(r: SegmentTcp, connection: number, dupAck: { readonly n: number; of: number } | undefined): MovedRecord {
    return new MovedRecord(r instanceof MovedRecord ? r.base : r, connection, dupAck);
  }
  get fromClient() {
    return this.base.fromClient;
  }
  get relSeq() {
    return this.base.relSeq;
  }
  get relNext() {
    return this.base.relNext;
  }
  get relAck() {
    return this.base.relAck;
  }
  get window() {
    return this.base.window;
  }
  get windowScaled() {
    return this.base.windowScaled;
  }
  get before() {
    return this.base.before;
  }
  get after() {
    return this.base.after;
  }
  get step() {
    return this.base.step;
  }
  get senderRule() {
    return this.base.senderRule;
  }
  get receiverRule() {
    return this.base.receiverRule;
  }
  get analysis() {
    return this.base.analysis;
  }
  toJSON(): Record<string, unknown> {
    return segmentTcpJson(this);
  }
}
