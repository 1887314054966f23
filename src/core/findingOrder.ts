import { severityRank } from './analyse';
import type { Finding } from './model';

/**
 * The order of a model's findings (analyse.ts sorts them so): by first line, then severity, stable. An update keeps
 * each part's findings in this order, so joining parts is a merge, not a sort of every finding after each keystroke.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (a.lines[0] ?? 0) - (b.lines[0] ?? 0) || severityRank(a.severity) - severityRank(b.severity);
}

/** `list` itself when it is already in order, else a sorted copy (stable). */
export function inFindingOrder(list: readonly Finding[]): readonly Finding[] {
  for (let i = 1; i < list.length; i++) if (compareFindings(list[i - 1]!, list[i]!) > 0) return list.slice().sort(compareFindings);
  return list;
}

/**
 * Merge two lists that are each in order; on equal keys `a`'s come first. This is what a stable sort of `a`
 * followed by `b` gives.
 */
export function mergeFindings(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  const out = new Array<Finding>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareFindings(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
