// The captures under test/fixtures/captures/: one pcap and the text outputs recorded at the same moment (paths
// relative to test/fixtures/captures). Samples come from shared/samples (README_COMMON.txt); rec_* directories were
// recorded by scripts/capture/record.sh (README.md in each).

export interface CaptureSet {
  readonly pcap: string;
  readonly texts: readonly string[];
  /** Texts known NOT to hold the same packets as the pcap (false), with the reason in a comment. */
  readonly framesMatch?: Readonly<Record<string, boolean>>;
}

function sample(dir: string, prefix = ''): CaptureSet {
  return {
    pcap: `${dir}/${prefix}capture.pcap`,
    texts: [`${dir}/${prefix}tcpdump_nn.txt`, `${dir}/${prefix}tcpdump_tttt_S_v.txt`, `${dir}/${prefix}tshark.txt`],
  };
}

/** Scenarios recorded by scripts/capture/record.sh (test/fixtures/captures/rec_<name>/). */
export const RECORDED = [
  'simultaneous',
  'syn_backoff',
  'synack',
  'keepalive',
  'zero_window',
  'delayed_ack',
  'resets',
  'port_reuse',
  'spurious',
  'mid_stream',
  'capture_gap',
] as const;

export const CAPTURE_SETS: readonly CaptureSet[] = [
  sample('01_normal_client_close/four_way'),
  sample('01_normal_client_close/three_way'),
  {
    ...sample('03_connection_refused'),
    // The pcap writer captured only the first connection attempt (capture_pcap.stderr.txt: "2 packets captured");
    // the text tcpdumps saw all three. tshark.txt was made from the pcap, so it matches.
    framesMatch: { '03_connection_refused/tcpdump_nn.txt': false, '03_connection_refused/tcpdump_tttt_S_v.txt': false },
  },
  sample('05_half_close'),
  sample('07_many_time_wait'),
  sample('10_packet_loss/loss_10pct_2MB', 'sender_'),
  sample('10_packet_loss/loss_10pct_2MB', 'receiver_'),
  sample('13_ipv6_loopback/v6_loopback'),
  sample('13_ipv6_loopback/dual_stack_v4_mapped'),
  ...RECORDED.map((name) => sample(`rec_${name}`)),
];
