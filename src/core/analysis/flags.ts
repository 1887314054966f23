/**
 * The names of the Wireshark-style analysis flags (src/core/analysis/segments.ts applies them) and their bits: a
 * segment's flags are kept as bits in a typed array and turned into names through shared frozen arrays.
 */

export type AnalysisFlag =
  | 'retransmission'
  | 'fast-retransmission'
  | 'spurious-retransmission'
  | 'duplicate-ack'
  | 'out-of-order'
  | 'previous-segment-not-captured'
  | 'acked-unseen-segment'
  | 'zero-window'
  | 'zero-window-probe'
  | 'zero-window-probe-ack'
  | 'window-full'
  | 'window-update'
  | 'keep-alive'
  | 'keep-alive-ack'
  | 'port-reuse';

/** Canonical output order of the flags on one segment. */
export const ANALYSIS_FLAGS: readonly AnalysisFlag[] = [
  'port-reuse',
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'out-of-order',
  'previous-segment-not-captured',
  'acked-unseen-segment',
  'duplicate-ack',
  'zero-window',
  'zero-window-probe',
  'zero-window-probe-ack',
  'window-full',
  'window-update',
  'keep-alive',
  'keep-alive-ack',
];

/** The bit of a flag in a segment's flag bits (SegmentsAnalysis.segmentFlagBits): 1 << its ANALYSIS_FLAGS index. */
export function flagBit(flag: AnalysisFlag): number {
  return 1 << ANALYSIS_FLAGS.indexOf(flag);
}

const NO_FLAGS: readonly AnalysisFlag[] = Object.freeze([]) as readonly AnalysisFlag[];
/**
 * The list of each combination of bits met so far, indexed by the bits (an array, not a Map: the model asks for the
 * list of every segment, most of them with no flag).
 */
const FLAG_LISTS: (readonly AnalysisFlag[] | undefined)[] = [NO_FLAGS];

/** The flags of a segment's flag bits, as one shared frozen array per combination. */
export function flagList(bits: number): readonly AnalysisFlag[] {
  if (bits === 0) return NO_FLAGS;
  // Bits beyond the flags' cannot be set by the analysis: keyed like any other number, without an index.
  const known = bits >= 0 && bits < 1 << ANALYSIS_FLAGS.length && Number.isInteger(bits);
  let list = known ? FLAG_LISTS[bits] : undefined;
  if (list === undefined) {
    const out: AnalysisFlag[] = [];
    for (let b = 0; b < ANALYSIS_FLAGS.length; b++) if (bits & (1 << b)) out.push(ANALYSIS_FLAGS[b]!);
    list = Object.freeze(out);
    if (known) {
      while (FLAG_LISTS.length < bits) FLAG_LISTS.push(undefined);
      FLAG_LISTS[bits] = list;
    }
  }
  return list;
}

