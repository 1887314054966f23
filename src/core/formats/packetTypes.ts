import type { Segment, TcpOptions } from '../model';

/** Segments and options are built field by field while a line is scanned, then handed out as read-only records. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type SegmentDraft = Mutable<Segment>;

export interface OptionsDraft {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  tsVal?: number;
  tsEcr?: number;
  sack?: (readonly [number, number])[];
  raw: string[];
}

/** Drops the fields that were never set, so records compare cleanly with deepStrictEqual and serialise compactly. */
export function finishOptions(o: OptionsDraft): TcpOptions {
  const out: Mutable<TcpOptions> = { raw: o.raw };
  if (o.mss !== undefined) out.mss = o.mss;
  if (o.wscale !== undefined) out.wscale = o.wscale;
  if (o.sackPermitted) out.sackPermitted = true;
  if (o.tsVal !== undefined) out.tsVal = o.tsVal;
  if (o.tsEcr !== undefined) out.tsEcr = o.tsEcr;
  if (o.sack !== undefined) out.sack = o.sack;
  return out;
}
