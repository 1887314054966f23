// Wireshark's own per-packet analysis, read from `tshark -T fields` on a capture file, in TCP Lens's flag names.
// Used by the agreement tests: tshark is the reference implementation of the tcp.analysis.* rules.
import { spawnSync } from 'node:child_process';
import type { AnalysisFlag } from '../../../src/core/analysis/segments';

/** tcp.analysis.* field -> TCP Lens flag. Retransmission is exclusive (see `oracleFlags`). */
const FIELDS: readonly (readonly [string, AnalysisFlag | 'any-retransmission'])[] = [
  ['tcp.analysis.retransmission', 'any-retransmission'],
  ['tcp.analysis.fast_retransmission', 'fast-retransmission'],
  ['tcp.analysis.spurious_retransmission', 'spurious-retransmission'],
  ['tcp.analysis.out_of_order', 'out-of-order'],
  ['tcp.analysis.lost_segment', 'previous-segment-not-captured'],
  ['tcp.analysis.ack_lost_segment', 'acked-unseen-segment'],
  ['tcp.analysis.duplicate_ack', 'duplicate-ack'],
  ['tcp.analysis.zero_window', 'zero-window'],
  ['tcp.analysis.zero_window_probe', 'zero-window-probe'],
  ['tcp.analysis.zero_window_probe_ack', 'zero-window-probe-ack'],
  ['tcp.analysis.window_full', 'window-full'],
  ['tcp.analysis.window_update', 'window-update'],
  ['tcp.analysis.keep_alive', 'keep-alive'],
  ['tcp.analysis.keep_alive_ack', 'keep-alive-ack'],
  ['tcp.analysis.reused_ports', 'port-reuse'],
];

export function tsharkAvailable(): boolean {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export interface OracleFrame {
  readonly frame: number;
  readonly flags: ReadonlySet<AnalysisFlag>;
  readonly dupAckNum?: number;
}

/**
 * One entry per frame, in frame order. Wireshark sets tcp.analysis.retransmission on fast and spurious
 * retransmissions too; TCP Lens labels each retransmission once, so `retransmission` here means "retransmission and
 * neither fast nor spurious".
 */
export function oracleFlags(pcap: string): OracleFrame[] {
  const args = ['-r', pcap, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', '-e', 'frame.number', '-e', 'tcp.analysis.duplicate_ack_num'];
  for (const [f] of FIELDS) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  const out: OracleFrame[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    const flags = new Set<AnalysisFlag>();
    let anyRetrans = false;
    FIELDS.forEach(([, name], k) => {
      if (cols[k + 2] === undefined || cols[k + 2] === '') return;
      if (name === 'any-retransmission') anyRetrans = true;
      else flags.add(name);
    });
    if (anyRetrans && !flags.has('fast-retransmission') && !flags.has('spurious-retransmission')) flags.add('retransmission');
    const dup = cols[1] ? Number(cols[1]) : undefined;
    out.push(dup === undefined ? { frame: Number(cols[0]), flags } : { frame: Number(cols[0]), flags, dupAckNum: dup });
  }
  return out;
}
