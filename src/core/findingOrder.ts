import { firstIndex } from './lines';
import type { Finding, Severity } from './model';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Most severe first. */
export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/**
 * The order of a model's findings (analyse.ts sorts them so): by first line, then severity, stable. An update keeps
 * each part's findings in this order, so joining parts is a merge, not a sort of every finding after each keystroke.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (a.lines[0] ?? 0) - (b.lines[0] ?? 0) || severityRank(a.severity) - severityRank(b.severity);
}

/**
 * Lists made here (sorted or merged), known to be in order. Findings of different kinds are objects of different
 * shapes, so every comparison is a slow property read: after a keystroke, a check of 20,000 findings would cost more
 * than the re-analysis itself. Moving findings' lines in place keeps a list in order (every finding after the edit
 * moves by the same amount), so the mark stays true.
 */
const IN_ORDER = new WeakSet<readonly Finding[]>();

/** `list` itself when it is in order, else a sorted copy (stable). */
export function inFindingOrder(list: readonly Finding[]): readonly Finding[] {
  if (IN_ORDER.has(list)) return list;
  let out = list;
  for (let i = 1; i < list.length; i++) {
    if (compareFindings(list[i - 1]!, list[i]!) > 0) {
      out = list.slice().sort(compareFindings);
      break;
    }
  }
  IN_ORDER.add(out);
  return out;
}

/**
 * Merge two lists that are each in order; on equal keys `a`'s come first, as a stable sort of `a` then `b` gives.
 * An edit merges a few findings into many: those few are placed by binary search, so the comparisons are few and
 * the rest is copying.
 */
export function mergeFindings(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  const out = new Array<Finding>(a.length + b.length);
  const fewFromA = a.length < b.length;
  const few = fewFromA ? a : b;
  const many = fewFromA ? b : a;
  let from = 0;
  let k = 0;
  for (const f of few) {
    // `a`'s findings go before equal ones of `b`: a few from `a` stop at the first equal key, a few from `b` after the last.
    const at = from + firstIndex(many.length - from, (i) => (fewFromA ? compareFindings(many[from + i]!, f) >= 0 : compareFindings(many[from + i]!, f) > 0));
    while (from < at) out[k++] = many[from++]!;
    out[k++] = f;
  }
  while (from < many.length) out[k++] = many[from++]!;
  IN_ORDER.add(out);
  return out;
}

/** More findings than this to put in are merged into a new list instead (each one put in place moves the rest). */
const FEW_INSERTS = 32;

/**
 * `b`'s findings put into `a` in place (both in order; on equal keys `a`'s come first, as in mergeFindings): an edit
 * that analysed a connection again adds its few findings to the 20,000 kept, without copying them into a new list.
 * Many (a paste) are merged into a new list.
 */
export function insertFindings(a: Finding[], b: readonly Finding[]): Finding[] {
  if (b.length > FEW_INSERTS) return mergeFindings(a, b);
  let from = 0;
  for (const f of b) {
    const at = from + firstIndex(a.length - from, (i) => compareFindings(a[from + i]!, f) > 0);
    a.splice(at, 0, f);
    from = at + 1;
  }
  IN_ORDER.add(a);
  return a;
}
