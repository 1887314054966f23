/** Binary searches over records kept in line order: every surface maps an editor line to a record this way. */

/** Smallest k in [0, n) for which `pred(k)` holds (`pred` must be monotone: false ... false true ... true), or n. */
export function firstIndex(n: number, pred: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The first index of ascending `sorted` whose value is at least `value` (its length if none): `firstIndex` without a
 * predicate, for loops over every connection, where a closure per call was most of what an edit allocated.
 */
export function firstAtLeast(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface LineRanged {
  readonly line: number;
  readonly lastLine: number;
}

/** Index of the record whose lines [line, lastLine] contain `line`, or -1. Records must not overlap. */
export function recordIndexAt(records: readonly LineRanged[], line: number): number {
  const i = firstIndex(records.length, (k) => records[k]!.lastLine >= line);
  return i < records.length && records[i]!.line <= line ? i : -1;
}

export function recordAt<T extends LineRanged>(records: readonly T[], line: number): T | undefined {
  const i = recordIndexAt(records, line);
  return i < 0 ? undefined : records[i];
}

/** Above this many added items, one splice call would take too many arguments. */
const SPLICE_MAX_ADDED = 8192;

/**
 * Make arr[from, to) `count` items long, in place: the items after it move with one native move. The slots of the
 * range hold whatever they held (added ones hold undefined); the caller fills them. `splice` moves a packed array's
 * tail with one memmove, while `copyWithin` visits every item (about 6 ms for 200,000 of them), which an editor pays
 * on every typed newline.
 */
export function resizeRange<T>(arr: T[], from: number, to: number, count: number): void {
  const d = count - (to - from);
  if (d < 0) {
    arr.splice(from + count, -d);
  } else if (d > 0 && d <= SPLICE_MAX_ADDED) {
    arr.splice(to, 0, ...(new Array<T>(d).fill(undefined as T)));
  } else if (d > 0) {
    const length = arr.length;
    arr.length = length + d;
    arr.copyWithin(to + d, to, length);
  }
}
