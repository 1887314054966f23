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

/**
 * Make arr[from, to) `count` items long, in place: the items after it move with one native copy. The slots of the
 * range hold whatever they held; the caller fills them.
 */
export function resizeRange<T>(arr: T[], from: number, to: number, count: number): void {
  const d = count - (to - from);
  const length = arr.length;
  if (d > 0) {
    arr.length = length + d;
    arr.copyWithin(to + d, to, length);
  } else if (d < 0) {
    arr.copyWithin(to + d, to, length);
    arr.length = length + d;
  }
}
