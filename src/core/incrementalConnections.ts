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
import { analyseConnections, recordStore, summariseConnection, type ConnectionAnalysis, type ConnectionFields, type ConnectionRebuild, type ConnectionSummary } from './analyse';
import type { Endpoint, Finding, Segment } from './model';
import { inFindingOrder, insertFindings } from './findingOrder';
import { firstAtLeast, firstIndex, resizeRange } from './lines';
import { sameRow, segmentRecord, segmentTcpJson, type Connection, type RecordStore, type SegmentTcp } from './tcp/connection';

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

/*
 * The work is split into functions of a few dozen lines each on purpose: V8 compiles a function again whenever a shape
 * it relied on changes (a typed letter makes a port a string, a line without a time makes a connection's times
 * undefined), and as one 250-line function this took 130-170 ms of compiler time each time, during a keystroke.
 */

/** The new connection part, or undefined when the change reaches beyond its 4-tuples (see the module comment). */
export function reanalyseConnections(part: ConnectionPart, segments: readonly Segment[], change: SegmentChange): ConnectionPart | undefined {
  const rebuild = part.rebuild;
  if (rebuild === undefined || !part.connectionAnalysis || part.analysisError !== undefined) return undefined;
  const decidedAt = rebuild.numbering?.get(change.block);
  if (decidedAt !== undefined && decidedAt >= change.start) return undefined;

  const tuples = ChangedTuples.of(change, segments);
  const old = rebuild.connections;
  const scan = scanBlock(old, change.block, tuples);
  const { indexes, carriers } = subsetIndexes(old, scan, change, segments, tuples, decidedAt, part.segmentConnections);
  const sub = analyseConnections({ lineCount: 0, blocks: [], sockets: [], segments: indexes.map((j) => segments[j]!), unparsed: [], headerLines: [] });
  const subDecided = sub.rebuild.numbering?.get(change.block);
  if ((subDecided === undefined ? undefined : indexes[subDecided]) !== decidedAt) return undefined;
  if (scan.endBefore !== latestTime(sub.rebuild.connections)) return undefined;
  // The subset's tables, which its records read (always there: analyseConnections made the subset).
  const store = recordStore(sub.rebuild);
  if (store === undefined) return undefined;

  // Accepted. The old part is ours from here on (the caller hands it over): move what stays, replace what changed.
  const isCarrier = new Uint8Array(indexes.length);
  indexes.forEach((j, local) => {
    if (carriers.has(j)) isCarrier[local] = 1;
  });
  const ids = Renumbering.of(old, scan.affected, sub.rebuild.connections, tuples, indexes, change);
  const { connections, summaries } = placeConnections(part, old, ids, indexes, change);
  const { segmentConnections, segmentAnalysis } = placeSegmentColumns(part, sub, ids, indexes, isCarrier, change);
  const findings = placeFindings(part.findings as Finding[], sub.findings, ids, change);
  const numbering = new Map<number, number>();
  // A block's decider lies before the change (checked above) or in another block: it is never a changed segment.
  for (const [b, i] of rebuild.numbering ?? []) numbering.set(b, movedIndex(i, change));
  const owned = placeRecords(ownedRecords(rebuild), store, ids, indexes, isCarrier, change);
  const next: ConnectionRebuild = { connections, numbering, perSegment: recordsView(owned, segmentConnections) };
  return { ...part, connections: summaries, segmentConnections, segmentAnalysis, findings, rebuild: next };
}

/** Old segment index -> new index; -1 for a changed segment. */
function movedIndex(i: number, change: SegmentChange): number {
  return i < change.start ? i : i >= change.oldEnd ? i + change.newEnd - change.oldEnd : -1;
}

/** Old line -> new line. */
function movedLine(l: number, change: SegmentChange): number {
  return l >= change.lineFrom ? l + change.lineDelta : l;
}

/**
 * The changed segments' 4-tuples, as pairs of ends. Every connection of the block is looked at once per keystroke: its
 * port pair (from the connection index) passes over most of them, and the ends of the rest are compared with these
 * few directly, which costs less than making or looking up a key. A change with many 4-tuples (a pasted capture) is
 * matched by key instead, so the cost stays one lookup each.
 */
class ChangedTuples {
  private readonly ends: Endpoint[] = [];
  private keys: Set<string> | undefined;
  /** The port pair of each changed 4-tuple (portPair), to pass over the connections of other ports quickly. */
  private readonly portPairs: number[] = [];
  /** Some changed 4-tuple has a port that is not a number: every connection is compared end by end. */
  private oddPorts = false;

  static of(change: SegmentChange, segments: readonly Segment[]): ChangedTuples {
    const tuples = new ChangedTuples();
    for (const g of change.removed) tuples.add(g.src, g.dst);
    for (let j = change.start; j < change.newEnd; j++) tuples.add(segments[j]!.src, segments[j]!.dst);
    return tuples;
  }

  has(x: Endpoint, y: Endpoint): boolean {
    if (this.keys !== undefined) return this.keys.has(tupleKey(x, y));
    const ends = this.ends;
    for (let t = 0; t < ends.length; t += 2) {
      const a = ends[t]!;
      const b = ends[t + 1]!;
      if ((sameEndpoint(x, a) && sameEndpoint(y, b)) || (sameEndpoint(x, b) && sameEndpoint(y, a))) return true;
    }
    return false;
  }

  hasConnection(c: Connection): boolean {
    return this.has(c.client.endpoint, c.server.endpoint);
  }

  /** False when a connection with these ports (portPair) cannot be on a changed 4-tuple. */
  mayHavePorts(pair: number): boolean {
    return this.oddPorts || pair < 0 || this.portPairs.includes(pair);
  }

  private add(a: Endpoint, b: Endpoint): void {
    if (this.has(a, b)) return;
    const ends = this.ends;
    ends.push(a, b);
    const pair = portPair(a, b);
    if (pair < 0) this.oddPorts = true;
    else if (!this.portPairs.includes(pair)) this.portPairs.push(pair);
    if (this.keys !== undefined) this.keys.add(tupleKey(a, b));
    else if (ends.length > 2 * FEW_TUPLES) {
      const keys = new Set<string>();
      for (let t = 0; t < ends.length; t += 2) keys.add(tupleKey(ends[t]!, ends[t + 1]!));
      this.keys = keys;
    }
  }
}

interface BlockScan {
  /** The ids of the block's connections on a changed 4-tuple, ascending. */
  readonly affected: number[];
  /** The connection left alone that ended last. */
  readonly latest: Connection | undefined;
  /** The block's last time before the change: the connections left alone were judged against it, so it must stay. */
  readonly endBefore: number | undefined;
}

function scanBlock(old: readonly Connection[], block: number, tuples: ChangedTuples): BlockScan {
  const found = new ScanState();
  scanConnections(old, ConnectionIndex.of(old), block, tuples, found);
  const { affected, latest, endBefore } = found;
  return { affected, latest: latest < 0 ? undefined : old[latest], endBefore: endBefore === endBefore ? endBefore : undefined };
}

/**
 * What the scan has found so far: numbers only (NaN: none yet, or no time), since a `number | undefined` there would
 * box a number per connection.
 */
class ScanState {
  readonly affected: number[] = [];
  latest = -1;
  latestTime = Number.NEGATIVE_INFINITY;
  endBefore = Number.NaN;
}

/**
 * The loop of scanBlock, alone in its function with nothing after it. V8 compiles a long loop while it runs the first
 * time (on the stack), before any code after it has run; it keeps that code for the loop's later runs, and the code
 * after the loop, reached with nothing known about it, then sent every later keystroke back to the interpreter there
 * (80 times in 200 keystrokes on the bench).
 */
function scanConnections(old: readonly Connection[], index: ConnectionIndex, block: number, tuples: ChangedTuples, found: ScanState): void {
  for (let id = 0; id < old.length; id++) {
    if (index.block[id] !== block) continue;
    const t = index.lastTime[id]!;
    if (t === t && !(t <= found.endBefore)) found.endBefore = t;
    if (tuples.mayHavePorts(index.ports[id]!) && tuples.hasConnection(old[id]!)) found.affected.push(id);
    else if (t === t && (found.latest < 0 || t > found.latestTime)) {
      found.latest = id;
      found.latestTime = t;
    }
  }
}

/**
 * The two ports of a 4-tuple as a small integer, the same both ways round, or -1 when a port is not a number. Two
 * pairs may share a value (the connection is then compared end by end), but a value is never a double: V8 would box
 * each one passed to mayHavePorts, thousands per keystroke.
 */
function portPair(a: Endpoint, b: Endpoint): number {
  const x = a.port;
  const y = b.port;
  if (typeof x !== 'number' || typeof y !== 'number' || !(x >= 0 && x < PORT_LIMIT && y >= 0 && y < PORT_LIMIT)) return -1;
  return (x < y ? x * 65537 + y : y * 65537 + x) & 0x3fffffff;
}

/** Above any port a capture prints (a port being typed may be longer); the products stay exact doubles. */
const PORT_LIMIT = 1 << 21;

/**
 * What the block scan reads of every connection, in arrays by id: a keystroke then reads a few typed arrays instead
 * of thousands of connection objects spread over the heap. Made on the first edit after the list of connections was
 * made anew, and kept up to date while the list is edited in place (placeConnections).
 */
class ConnectionIndex {
  /** The arrays of the index before this one, to be used again by the next (see renumbered). */
  private spare: ConnectionIndex | undefined;
  /** Its arrays went to a later index. */
  private retired = false;

  private constructor(
    /** The arrays may be longer than the list. */
    readonly block: Int32Array,
    /** NaN when the connection has no time. */
    readonly lastTime: Float64Array,
    /** portPair of its ends. */
    readonly ports: Int32Array,
    /** Its last segment's index. */
    readonly lastSegment: Int32Array,
  ) {}

  private static sized(n: number): ConnectionIndex {
    return new ConnectionIndex(new Int32Array(n), new Float64Array(n), new Int32Array(n), new Int32Array(n));
  }

  static of(connections: readonly Connection[]): ConnectionIndex {
    const known = ConnectionIndex.kept(connections);
    if (known !== undefined) return known;
    const index = ConnectionIndex.sized(connections.length);
    for (const c of connections) index.set(c);
    INDEXES.set(connections, index);
    return index;
  }

  /** The list's index, if it has one. */
  static kept(connections: readonly Connection[]): ConnectionIndex | undefined {
    const known = INDEXES.get(connections);
    return known !== undefined && !known.retired ? known : undefined;
  }

  /**
   * An index for the list that replaces this one's when ids change (a typed port adds a connection, its undo takes it
   * away: a third of the keystrokes in a capture). The caller copies each connection left alone from this index to its
   * new id, reading no connection object, into the arrays of the index before this one: renumbering allocates nothing.
   */
  renumbered(total: number): ConnectionIndex {
    const arrays = this.spare;
    this.spare = undefined;
    let next: ConnectionIndex;
    if (arrays !== undefined && arrays.block.length >= total) {
      arrays.retired = true;
      next = new ConnectionIndex(arrays.block, arrays.lastTime, arrays.ports, arrays.lastSegment);
    } else {
      next = ConnectionIndex.sized(total + (total >> 2));
    }
    next.spare = this;
    return next;
  }

  /** Connection `from` of `index`, as connection `to` of this one. */
  copy(index: ConnectionIndex, from: number, to: number): void {
    this.block[to] = index.block[from]!;
    this.lastTime[to] = index.lastTime[from]!;
    this.ports[to] = index.ports[from]!;
    this.lastSegment[to] = index.lastSegment[from]!;
  }

  /** The index of a list made anew. */
  static keep(connections: readonly Connection[], index: ConnectionIndex): void {
    INDEXES.set(connections, index);
  }

  set(c: Connection): void {
    const id = c.id;
    this.block[id] = c.block;
    this.lastTime[id] = c.lastTime ?? Number.NaN;
    this.ports[id] = portPair(c.client.endpoint, c.server.endpoint);
    this.lastSegment[id] = c.segmentIndexes[c.segmentIndexes.length - 1] ?? -1;
  }
}

const INDEXES = new WeakMap<readonly Connection[], ConnectionIndex>();

/** The connections' blocks were renumbered in place (incremental.ts, an edit in an earlier block): index them again. */
export function blocksRenumbered(connections: readonly Connection[]): void {
  INDEXES.delete(connections);
}

function latestTime(connections: readonly Connection[]): number | undefined {
  let end: number | undefined;
  for (const c of connections) if (c.lastTime !== undefined && (end === undefined || c.lastTime > end)) end = c.lastTime;
  return end;
}

/**
 * The new indexes of the segments to analyse again, ascending: the affected connections' and the changed ones, with
 * carriers of the two block-wide facts from connections left alone (whose results are not taken from the subset):
 * the numbering decider with the segments of its connection up to it (what it decided from), and the last segment of
 * the latest connection (the block's last time). Their 4-tuples are not in the subset otherwise, so the partial
 * connections they make there are dropped.
 */
function subsetIndexes(
  old: readonly Connection[],
  scan: BlockScan,
  change: SegmentChange,
  segments: readonly Segment[],
  tuples: ChangedTuples,
  decidedAt: number | undefined,
  segmentConnections: readonly (number | null)[],
): { indexes: number[]; carriers: Set<number> } {
  const carriers = new Set<number>();
  if (decidedAt !== undefined && !tuples.has(segments[decidedAt]!.src, segments[decidedAt]!.dst)) {
    const owner = segmentConnections[decidedAt];
    if (owner === null || owner === undefined) carriers.add(decidedAt);
    else for (const i of old[owner]!.segmentIndexes) if (i <= decidedAt) carriers.add(i);
  }
  const latest = scan.latest;
  if (latest !== undefined) carriers.add(movedIndex(latest.segmentIndexes[latest.segmentIndexes.length - 1]!, change));
  // The few changed segments and carriers merged into the affected connections' segments (one connection, sorted,
  // for most keystrokes), rather than all of them sorted: a sort of a long connection's segments per keystroke.
  const extra: number[] = [];
  for (let j = change.start; j < change.newEnd; j++) extra.push(j);
  for (const j of carriers) extra.push(j);
  extra.sort((x, y) => x - y);
  const affected = scan.affected;
  if (affected.length === 1) return { indexes: mergeMoved(old[affected[0]!]!.segmentIndexes, change, extra), carriers };
  const moved: number[] = [];
  for (const id of affected) for (const i of old[id]!.segmentIndexes) moved.push(movedIndex(i, change));
  moved.sort((x, y) => x - y);
  return { indexes: mergeMoved(moved, undefined, extra), carriers };
}

/**
 * The new indexes of `list` (ascending; moved by `change` when given, the changed ones left out) merged with `extra`
 * (ascending, none of them in `list`), into one array made at its final size.
 */
function mergeMoved(list: readonly number[], change: SegmentChange | undefined, extra: readonly number[]): number[] {
  const out = new Array<number>(list.length + extra.length);
  let n = 0;
  let k = 0;
  for (let i = 0; i < list.length; i++) {
    const j = change === undefined ? list[i]! : movedIndex(list[i]!, change);
    if (j < 0) continue;
    while (k < extra.length && extra[k]! < j) out[n++] = extra[k++]!;
    out[n++] = j;
  }
  while (k < extra.length) out[n++] = extra[k++]!;
  out.length = n;
  return out;
}

/** Ids follow first appearance: the connections left alone are merged with the subset's by their first segment. */
class Renumbering {
  private constructor(
    /** The subset's connections on the changed 4-tuples (the carriers' are dropped), in subset order. */
    readonly subConnections: readonly Connection[],
    /** Subset connection -> its position in subConnections, or -1 (a carrier's). */
    private readonly keptLocal: Int32Array,
    /** Old id -> new id, -1 for an affected connection. */
    readonly oldToNew: Int32Array,
    /** Position in subConnections -> new id. */
    readonly subToNew: Int32Array,
    /** Old ids affected (1) or not (0). */
    readonly isAffected: Uint8Array,
    /** Every connection keeps its id. */
    readonly sameIds: boolean,
    /** How many connections there are now. */
    readonly total: number,
    /**
     * A connection left alone changed its id: the new index of the first segment whose id may change (the first of
     * the first connection renumbered; those before it keep theirs), else -1.
     */
    readonly renumberFrom: number,
  ) {}

  get renumbered(): boolean {
    return this.renumberFrom >= 0;
  }

  static of(
    old: readonly Connection[],
    affected: readonly number[],
    fromSubset: readonly Connection[],
    tuples: ChangedTuples,
    indexes: readonly number[],
    change: SegmentChange,
  ): Renumbering {
    const keptLocal = new Int32Array(fromSubset.length).fill(-1);
    const subConnections: Connection[] = [];
    fromSubset.forEach((c, local) => {
      if (!tuples.hasConnection(c)) return;
      keptLocal[local] = subConnections.length;
      subConnections.push(c);
    });
    const isAffected = new Uint8Array(old.length);
    for (const id of affected) isAffected[id] = 1;
    const total = old.length - affected.length + subConnections.length;
    const oldToNew = new Int32Array(old.length).fill(-1);
    const subToNew = new Int32Array(subConnections.length);
    const firstOf = (c: Connection): number => movedIndex(c.segmentIndexes[0]!, change);
    let keep = old.length;
    // Most keystrokes change no connection's first segment: then every connection keeps its id.
    const sameIds =
      subConnections.length === affected.length &&
      subConnections.every((c, n) => indexes[c.segmentIndexes[0]!] === firstOf(old[affected[n]!]!));
    if (sameIds) {
      for (let id = 0; id < old.length; id++) if (!isAffected[id]) oldToNew[id] = id;
      affected.forEach((id, n) => (subToNew[n] = id));
    } else {
      // A new connection (a typed port) or one gone moves the ids of every later connection. Those that appeared
      // before the first one analysed again and before the first new one keep their ids.
      const firstNew = subConnections.length > 0 ? indexes[subConnections[0]!.segmentIndexes[0]!]! : Number.POSITIVE_INFINITY;
      const firstAffected = affected.length > 0 ? affected[0]! : old.length;
      keep = firstIndex(firstAffected, (u) => firstOf(old[u]!) >= firstNew);
      for (let id = 0; id < keep; id++) oldToNew[id] = id;
      let u = keep;
      let n = 0;
      for (let id = keep; id < total; id++) {
        while (u < old.length && isAffected[u]) u++;
        const oldFirst = u < old.length ? firstOf(old[u]!) : Number.POSITIVE_INFINITY;
        const subFirst = n < subConnections.length ? indexes[subConnections[n]!.segmentIndexes[0]!]! : Number.POSITIVE_INFINITY;
        if (oldFirst < subFirst) oldToNew[u++] = id;
        else subToNew[n++] = id;
      }
    }
    let renumbered = false;
    if (!sameIds) for (let id = keep; id < old.length && !renumbered; id++) if (oldToNew[id]! >= 0 && oldToNew[id] !== id) renumbered = true;
    // Read before the connections left alone are moved (placeConnections moves their segment indexes in place).
    const first = renumbered ? firstOf(old[keep]!) : -1;
    const renumberFrom = !renumbered ? -1 : first >= 0 ? first : change.start;
    return new Renumbering(subConnections, keptLocal, oldToNew, subToNew, isAffected, sameIds, total, renumberFrom);
  }

  /** The new id of the subset's connection `local` (never a carrier's). */
  ofSubset(local: number): number {
    return this.subToNew[this.keptLocal[local]!]!;
  }

  /** Whether the subset's connection `local` is kept (not a carrier's). */
  keeps(local: number): boolean {
    return this.keptLocal[local]! >= 0;
  }
}

/** The connections and their summaries in the new order: those left alone moved, the subset's put in. */
function placeConnections(
  part: ConnectionPart,
  old: readonly Connection[],
  ids: Renumbering,
  indexes: readonly number[],
  change: SegmentChange,
): { connections: Connection[]; summaries: ConnectionSummary[] } {
  const d = change.newEnd - change.oldEnd;
  const lineDelta = change.lineDelta;
  // The previous lists are ours to edit in place (the previous part is handed over): with every id kept, only the
  // connections analysed again change; with ids changed, the others move to their new places, as a memmove does.
  // New lists were made for every renumbering (a third of the keystrokes in a capture): two arrays as long as the
  // list, which outlived the young generation's collections. When the part's summaries are its connections, one list
  // serves both, and new ones are made.
  const ownLists = (old as unknown) !== part.connections;
  const inPlace = ids.sameIds && ownLists;
  const total = ids.total;
  const connections = ownLists ? (old as Connection[]) : new Array<Connection>(total);
  const summaries = ownLists ? (part.connections as ConnectionSummary[]) : new Array<ConnectionSummary>(total);
  // A keystroke that moved no line, no segment and no id leaves the other connections as they are; with ids kept,
  // so does any edit for the connections that ended before it (their segments and lines precede the change).
  const untouched = inPlace && d === 0 && lineDelta === 0;
  // The index edited in place, or (ids changed) the one before and the one made for the new list.
  const index = inPlace ? ConnectionIndex.kept(old) : undefined;
  const before = inPlace ? undefined : ConnectionIndex.kept(old);
  const after = before?.renumbered(total);
  const move = new LeftAloneMove(part, old, ids, change, index, before, after, inPlace ? undefined : connections, summaries);
  if (untouched) {
    // Nothing to move.
  } else if (inPlace || !ownLists) {
    moveForward(move);
  } else {
    // Room first, filled with entries already there so the lists keep their kind (a hole would make them holey).
    while (connections.length < total) {
      connections.push(connections[0]!);
      summaries.push(summaries[0]!);
    }
    moveForward(move);
    moveBackward(move);
  }
  ids.subConnections.forEach((c, kept) => {
    // Moved to the whole document in place, not copied: the subset's findings may read their connection when their
    // text is asked for (connectionFindings.ts's LazyText), and must then see this one.
    const m = c as Mutable<Connection>;
    const previous = c.previous;
    m.id = ids.subToNew[kept]!;
    m.segmentIndexes = c.segmentIndexes.map((i) => indexes[i]!);
    if (c.reset !== undefined) m.reset = { ...c.reset, segment: indexes[c.reset.segment]! };
    if (previous !== undefined) m.previous = ids.ofSubset(previous);
    connections[m.id] = m;
    summaries[m.id] = summariseConnection(m);
    (index ?? after)?.set(m);
  });
  if (connections.length > total) {
    connections.length = total;
    summaries.length = total;
  }
  if (after !== undefined) ConnectionIndex.keep(connections, after);
  return { connections, summaries };
}

/**
 * The connections left alone, moved (segment indexes, lines, ids) to their new places, and their index entries.
 * `index`: the index edited in place (ids kept), if there is one; `before`/`after`: the index before and the one for
 * the new list (ids changed); `connections`: the list to write them to (undefined: they are where they were, ids
 * kept). Into the previous lists with ids changed, a connection moving to a lower id is moved first (forward), one
 * moving to a higher id last (backward): ids keep the order of the connections, so neither overwrites one not yet
 * read. The loops are functions of their own with nothing after them (see scanConnections).
 */
class LeftAloneMove {
  /** How many connections there were (the lists may grow before the move). */
  readonly count: number;
  private readonly d: number;
  /** Backward moves are left to moveBackward when the lists are the previous ones. */
  readonly inTwoPasses: boolean;

  constructor(
    private readonly part: ConnectionPart,
    private readonly old: readonly Connection[],
    readonly ids: Renumbering,
    private readonly change: SegmentChange,
    readonly index: ConnectionIndex | undefined,
    private readonly before: ConnectionIndex | undefined,
    private readonly after: ConnectionIndex | undefined,
    private readonly connections: Connection[] | undefined,
    private readonly summaries: ConnectionSummary[],
  ) {
    this.count = old.length;
    this.d = change.newEnd - change.oldEnd;
    this.inTwoPasses = connections === old;
  }

  /** Whether connection i is moved here: one left alone, and (ids kept) not one that ended before the change. */
  moves(i: number): boolean {
    return !this.ids.isAffected[i] && !(this.index !== undefined && this.index.lastSegment[i]! < this.change.start);
  }

  /** Connection i (its old id) to its new id. */
  move(i: number): void {
    const { change, d, before, after, index } = this;
    const c = this.old[i]!;
    const oldToNew = this.ids.oldToNew;
    const id = oldToNew[i]!;
    const m = c as Mutable<Connection>;
    if (after !== undefined) after.copy(before!, i, id);
    if (d !== 0) {
      // Sorted: only the tail at or after the change moves.
      const list = c.segmentIndexes as number[];
      for (let k = firstAtLeast(list, change.oldEnd); k < list.length; k++) list[k] = list[k]! + d;
      if (c.reset !== undefined && c.reset.segment >= change.oldEnd) m.reset = { ...c.reset, segment: c.reset.segment + d };
      const moved = index ?? after;
      if (moved !== undefined) moved.lastSegment[id] = list[list.length - 1]!;
    }
    const summary = this.part.connections[i]!;
    if (change.lineDelta !== 0 && c.lastLine >= change.lineFrom) {
      m.firstLine = movedLine(c.firstLine, change);
      m.lastLine = movedLine(c.lastLine, change);
      const s = summary as Mutable<ConnectionSummary>;
      s.firstLine = m.firstLine;
      s.lastLine = m.lastLine;
    }
    if (id !== i) {
      m.id = id;
      // Ours, like the connection (the previous part is handed over): renumbered in place, not copied.
      if (summary !== (c as unknown)) (summary as Mutable<ConnectionSummary>).id = id;
    }
    // The earlier connection on its 4-tuple may have a new id while this one kept its own: a connection that moved to
    // an earlier id (a copy of its SYN typed above it) shifts the ids in between only. That earlier connection is
    // never one analysed again: those are all of a changed 4-tuple's, and this one would be too.
    if (c.previous !== undefined) {
      const previous = oldToNew[c.previous]!;
      if (previous !== c.previous) m.previous = previous;
    }
    if (this.connections !== undefined) {
      this.connections[id] = m;
      this.summaries[id] = summary;
    }
  }
}

/** Every connection moved here, in id order; with the previous lists and ids changed, those not moving up only. */
function moveForward(move: LeftAloneMove): void {
  const oldToNew = move.ids.oldToNew;
  const twoPasses = move.inTwoPasses;
  for (let i = 0; i < move.count; i++) if (move.moves(i) && !(twoPasses && oldToNew[i]! > i)) move.move(i);
}

/** With the previous lists and ids changed: the connections moving up, from the last. */
function moveBackward(move: LeftAloneMove): void {
  const oldToNew = move.ids.oldToNew;
  for (let i = move.count - 1; i >= 0; i--) if (move.moves(i) && oldToNew[i]! > i) move.move(i);
}

/** The previous part's per-segment arrays, edited in place (a native move of the tail), not copied. */
function placeSegmentColumns(
  part: ConnectionPart,
  sub: ConnectionAnalysis,
  ids: Renumbering,
  indexes: readonly number[],
  isCarrier: Uint8Array,
  change: SegmentChange,
): { segmentConnections: (number | null)[]; segmentAnalysis: (readonly string[])[] } {
  const { start, oldEnd, newEnd } = change;
  const segmentConnections = part.segmentConnections as (number | null)[];
  replaceWith(segmentConnections, start, oldEnd, newEnd - start, null);
  if (ids.renumbered) renumberSegments(segmentConnections, ids);
  const segmentAnalysis = part.segmentAnalysis as (readonly string[])[];
  replaceWith(segmentAnalysis, start, oldEnd, newEnd - start, NO_FLAGS);
  for (let local = 0; local < indexes.length; local++) {
    if (isCarrier[local]) continue;
    const j = indexes[local]!;
    const c = sub.segmentConnections[local];
    segmentConnections[j] = c === null || c === undefined ? null : ids.ofSubset(c);
    segmentAnalysis[j] = sub.segmentAnalysis[local] ?? NO_FLAGS;
  }
  return { segmentConnections, segmentAnalysis };
}

/**
 * The new ids of the segments of the connections renumbered, in place. A segment of a connection renumbered lies at or
 * after the first renumbered connection's first segment (ids follow first appearance); the segments before it keep
 * their ids. Alone in its function with nothing after the loop: see scanConnections.
 */
function renumberSegments(segmentConnections: (number | null)[], ids: Renumbering): void {
  const { oldToNew, isAffected } = ids;
  for (let j = ids.renumberFrom; j < segmentConnections.length; j++) {
    const c = segmentConnections[j];
    if (c !== null && c !== undefined && !isAffected[c]) segmentConnections[j] = oldToNew[c]!;
  }
}

/** The previous part's findings (ours too): those of the connections analysed again out, in place; the subset's in. */
function placeFindings(findings: Finding[], fromSubset: readonly Finding[], ids: Renumbering, change: SegmentChange): Finding[] {
  findings.length = keepFindings(findings, ids, change);
  const added: Finding[] = [];
  for (const f of fromSubset) {
    if (f.connection === undefined) added.push(f);
    else if (ids.keeps(f.connection)) added.push({ ...f, connection: ids.ofSubset(f.connection) });
  }
  // Both in the model's order (see findingOrder.ts), so the update merges them instead of sorting all findings.
  // The findings kept are in order: a part of an ordered list, and a line change moves every kept finding after it
  // by the same amount (a finding names its connection's segment lines, and the segments on lines an edit removed
  // belong to connections analysed again, whose findings are not kept).
  return insertFindings(findings, inFindingOrder(added));
}

/**
 * The findings of the connections left alone, moved to the front of `findings`, renumbered and moved with the lines;
 * how many. Alone in its function with nothing after the loop: see scanConnections.
 */
function keepFindings(findings: Finding[], ids: Renumbering, change: SegmentChange): number {
  const { isAffected, oldToNew, renumbered } = ids;
  const { lineDelta, lineFrom } = change;
  let kept = 0;
  // Writes only what changes: every write into this long-lived array, or into a finding, costs V8 a barrier.
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const connection = f.connection;
    if (connection !== undefined) {
      if (isAffected[connection]) continue;
      if (renumbered) {
        const id = oldToNew[connection]!;
        if (id !== connection) (f as Mutable<Finding>).connection = id;
      }
    }
    if (lineDelta !== 0) {
      const lines = f.lines as number[];
      for (let k = 0; k < lines.length; k++) {
        const l = lines[k]!;
        if (l >= lineFrom) lines[k] = l + lineDelta;
      }
    }
    if (kept !== i) findings[kept] = f;
    kept++;
  }
  return kept;
}

/**
 * Per-segment records: the previous part's array, edited in place like segmentConnections (made once, from the full
 * analysis's records, on the first edit after it). A record keeps the connection id it was made with; the part's view
 * of the array reads the current id from segmentConnections, so renumbering moves no record. Only duplicate-ACK
 * references past a change that added or removed segments are moved, here.
 */
function placeRecords(
  owned: OwnedRecords,
  store: RecordStore,
  ids: Renumbering,
  indexes: readonly number[],
  isCarrier: Uint8Array,
  change: SegmentChange,
): OwnedRecords {
  const { records, dupAcks } = owned;
  const { start, oldEnd, newEnd } = change;
  const d = newEnd - oldEnd;
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
  // The subset's records replace those of its segments (ascending, as the positions are). Most of a connection
  // analysed again comes out as it was (a keystroke changes one segment, and its undo changes it back): the record in
  // place is then kept, compared row to row, and only the records that changed are made. Made as new, a long
  // connection's records outlived the young generation's collections, whose cost is what survives them; and the
  // subset's perSegment array would come from where the full analysis's long-lived array came from, which V8 then
  // allocates among long-lived objects, with every record it points to kept alive until a full collection.
  let p = 0;
  for (let k = 0; k < indexes.length; k++) {
    // A carrier's own record stays.
    if (isCarrier[k]) continue;
    const j = indexes[k]!;
    const dupAck = store.flags?.dupAckOf(k);
    const dupOf = dupAck === undefined ? -1 : indexes[dupAck.of]!;
    const present = records[j];
    if (present === undefined || !samePlaced(present, store, k, dupAck, dupOf)) {
      const r = segmentRecord(k, store);
      records[j] = MovedRecord.of(r, ids.ofSubset(r.connection), dupAck && { n: dupAck.n, of: dupOf });
    }
    while (p < dupAcks.length && dupAcks[p]! < j) p++;
    const listed = p < dupAcks.length && dupAcks[p] === j;
    if (dupAck !== undefined && !listed) dupAcks.splice(p, 0, j);
    else if (dupAck === undefined && listed) dupAcks.splice(p, 1);
  }
  return owned;
}

/**
 * Whether the record in place says what row k of the subset's `store` says; `dupAck` is k's duplicate-ACK reference,
 * `dupOf` its segment in the document's indexes. The connection id is not compared: the model's view reads it from
 * segmentConnections.
 */
function samePlaced(present: SegmentTcp, store: RecordStore, k: number, dupAck: { readonly n: number } | undefined, dupOf: number): boolean {
  const da = present.dupAck;
  if (da === undefined ? dupAck !== undefined : dupAck === undefined || da.n !== dupAck.n || da.of !== dupOf) return false;
  return sameRow(present instanceof MovedRecord ? present.source : present, store, k);
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

  /** The record this one reads through. */
  get source(): SegmentTcp {
    return this.base;
  }

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
