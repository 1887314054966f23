import type { FormatReader } from './reader';
import { netstatBsdReader } from './netstatBsd';
import { netstatLinuxReader } from './netstatLinux';
import { netstatWindowsReader } from './netstatWindows';
import { ssReader } from './ss';
import { tcpdumpReader } from './tcpdump';
import { tsharkReader } from './tshark';

/**
 * Order matters only for ties in `startScore`: a line two readers both find plausible goes to the earlier one.
 * tshark before tcpdump (a tshark line never reads as tcpdump, the reverse can), ss before netstat (ss rows have no
 * Proto column, netstat rows start with tcp/udp).
 */
export const READERS: readonly FormatReader[] = [
  tsharkReader,
  tcpdumpReader,
  ssReader,
  netstatLinuxReader,
  netstatBsdReader,
  netstatWindowsReader,
];
