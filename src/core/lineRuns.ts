/**
 * Moving the records after an edit without touching each of them (incremental.ts).
 *
 * An edit that adds or removes lines moves every record after it. On a 200,000-line capture that is 100,000 records
 * on average, each a cache miss: about 5 ms per keystroke that adds or removes a line. So the records of a list are
 * kept in runs of consecutive records that share one LineBase, and a record's line is its own number plus its run's
 * offset. Moving a run is one addition to its base; only the records of the run the edit falls in move one by one.
 * Records read again by an edit join the run they land in. The directory of runs belongs to one list (the model's
 * segment array, which edits change in place); a list whose records cannot share a base is moved one by one.
 */
import { firstIndex } from './lines';

/** A line offset shared by a run of records. */
export class LineBase {
  delta = 0;
}

/** A record that can keep its lines relative to a LineBase. */
export interface RunMember {
  readonly line: number;
  /** Keep the same lines relative to `base` from now on (absolute when undefined). */
  rebase(base: LineBase | undefined): void;
  shiftLines(delta: number, blockDelta: number): void;
}

/** Records per run when the runs are made; a run that grows past MAX_RUN (records read again join it) is split. */
const RUN = 512;
const MAX_RUN = 4 * RUN;
/** Lists shorter than this are moved one record at a time: runs would save nothing. */
const MIN_LIST = 4 * RUN;

interface Runs {
  /** First index of each run, ascending; starts[0] is 0. */
  readonly starts: number[];
  readonly bases: LineBase[];
}

/** The runs of each list; null for a list with a record that cannot join one. */
const RUNS = new WeakMap<readonly unknown[], Runs | null>();

/** How many runs the list's records are kept in (0: moved one by one). */
export function runCount(list: readonly unknown[]): number {
  return RUNS.get(list)?.starts.length ?? 0;
}

function isRunMember(r: unknown): r is RunMember {
  return typeof (r as Partial<RunMember>).rebase === 'function' && typeof (r as Partial<RunMember>).shiftLines === 'function';
}

/**
 * Called after list[from, from + count) replaced `removed` old records (the list was spliced already): the runs
 * follow the splice and the new records, read at their final lines, join the run they landed in.
 */
export function spliceRuns(list: readonly unknown[], from: number, removed: number, count: number): void {
  const runs = RUNS.get(list);
  if (runs === undefined) return;
  if (list.length === 0) {
    RUNS.delete(list);
    return;
  }
  if (runs === null) return;
  for (let k = from; k < from + count; k++) {
    if (!isRunMember(list[k])) {
      RUNS.set(list, null);
      return;
    }
  }
  const { starts, bases } = runs;
  const to = from + removed;
  const d = count - removed;
  // Runs that started inside the replaced records now start after the new ones (their surviving records follow).
  for (let r = 0; r < starts.length; r++) {
    const s = starts[r]!;
    if (s > from) starts[r] = s >= to ? s + d : from + count;
  }
  // Runs left without records: the earlier of two with one start, and any at the list's end.
  let w = 0;
  for (let r = 0; r < starts.length; r++) {
    if (starts[r]! >= runEnd(starts, r, list.length)) continue;
    starts[w] = starts[r]!;
    bases[w] = bases[r]!;
    w++;
  }
  starts.length = w;
  bases.length = w;
  if (count === 0) return;
  const r = runAt(starts, from);
  const base = bases[r]!;
  for (let k = from; k < from + count; k++) (list[k] as RunMember).rebase(base);
  const end = runEnd(starts, r, list.length);
  if (end - starts[r]! > MAX_RUN) split(list, runs, r, end);
}

/**
 * Move list[from, end) by `delta` lines and `blockDelta` blocks. With runs, only the records of the run that holds
 * `from` move one by one; the later runs move by their base.
 */
export function moveFrom(
  list: readonly unknown[],
  from: number,
  delta: number,
  blockDelta: number,
  one: (record: unknown, delta: number, blockDelta: number) => void,
): void {
  if (delta === 0 && blockDelta === 0) return;
  let runs = RUNS.get(list);
  if (runs === undefined && blockDelta === 0 && list.length - from >= MIN_LIST) runs = makeRuns(list);
  if (runs === undefined || runs === null || blockDelta !== 0) {
    // A block number is the record's own: every record moves.
    for (let k = from; k < list.length; k++) one(list[k], delta, blockDelta);
    return;
  }
  const { starts, bases } = runs;
  const r = runAt(starts, from);
  const end = runEnd(starts, r, list.length);
  for (let k = from; k < end; k++) (list[k] as RunMember).shiftLines(delta, 0);
  for (let q = r + 1; q < bases.length; q++) bases[q]!.delta += delta;
}

/** Every record of the list joins a run (once, the first time an edit moves a long tail of it). */
function makeRuns(list: readonly unknown[]): Runs | null {
  for (let k = 0; k < list.length; k++) {
    if (!isRunMember(list[k])) {
      RUNS.set(list, null);
      return null;
    }
  }
  const starts: number[] = [];
  const bases: LineBase[] = [];
  for (let s = 0; s < list.length; s += RUN) {
    const base = new LineBase();
    starts.push(s);
    bases.push(base);
    const end = Math.min(list.length, s + RUN);
    for (let k = s; k < end; k++) (list[k] as RunMember).rebase(base);
  }
  const runs = { starts, bases };
  RUNS.set(list, runs);
  return runs;
}

/** The run that holds index i: the last one starting at or before it. */
function runAt(starts: readonly number[], i: number): number {
  return firstIndex(starts.length, (r) => starts[r]! > i) - 1;
}

/** One past the last index of run r. */
function runEnd(starts: readonly number[], r: number, length: number): number {
  return r + 1 < starts.length ? starts[r + 1]! : length;
}

/** Split run r (ending at `end`) in two halves, the second with a base of its own. */
function split(list: readonly unknown[], runs: Runs, r: number, end: number): void {
  const half = runs.starts[r]! + ((end - runs.starts[r]!) >> 1);
  const base = new LineBase();
  for (let k = half; k < end; k++) (list[k] as RunMember).rebase(base);
  runs.starts.splice(r + 1, 0, half);
  runs.bases.splice(r + 1, 0, base);
}
