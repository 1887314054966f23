import type { TcpState } from '../model';

/** All eleven RFC 9293 states, in the order RFC 9293 section 3.3.2 introduces them. */
export const TCP_STATES: readonly TcpState[] = [
  'LISTEN',
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
  'CLOSED',
];

/**
 * Every spelling a tool prints for a state, upper-cased, mapped to the RFC 9293 name.
 * Sources: net-tools netstat.c (FIN_WAIT1, CLOSE), iproute2 ss.c (ESTAB, SYN-RECV, UNCONN), BSD tcp_fsm.h
 * (SYN_RCVD), Windows netstat (LISTENING, SYN_RECEIVED, and SYN_SEND/TIMED_WAIT seen in old documentation).
 */
const SPELLINGS: ReadonlyMap<string, TcpState> = new Map<string, TcpState>([
  ['LISTEN', 'LISTEN'],
  ['LISTENING', 'LISTEN'],
  ['SYN-SENT', 'SYN-SENT'],
  ['SYN_SENT', 'SYN-SENT'],
  ['SYN_SEND', 'SYN-SENT'],
  ['SYN-RECV', 'SYN-RECEIVED'],
  ['SYN_RECV', 'SYN-RECEIVED'],
  ['SYN_RCVD', 'SYN-RECEIVED'],
  ['SYN_RECEIVED', 'SYN-RECEIVED'],
  ['SYN-RECEIVED', 'SYN-RECEIVED'],
  ['ESTAB', 'ESTABLISHED'],
  ['ESTABLISHED', 'ESTABLISHED'],
  ['FIN-WAIT-1', 'FIN-WAIT-1'],
  ['FIN_WAIT1', 'FIN-WAIT-1'],
  ['FIN_WAIT_1', 'FIN-WAIT-1'],
  ['FIN-WAIT-2', 'FIN-WAIT-2'],
  ['FIN_WAIT2', 'FIN-WAIT-2'],
  ['FIN_WAIT_2', 'FIN-WAIT-2'],
  ['CLOSE-WAIT', 'CLOSE-WAIT'],
  ['CLOSE_WAIT', 'CLOSE-WAIT'],
  ['CLOSING', 'CLOSING'],
  ['LAST-ACK', 'LAST-ACK'],
  ['LAST_ACK', 'LAST-ACK'],
  ['TIME-WAIT', 'TIME-WAIT'],
  ['TIME_WAIT', 'TIME-WAIT'],
  ['TIMED_WAIT', 'TIME-WAIT'],
  ['CLOSED', 'CLOSED'],
  ['CLOSE', 'CLOSED'],
]);

/**
 * Translated net-tools state names (po/*.po) that users paste from localized servers. Only the ones that are
 * unambiguous are listed; anything else is kept as printed and reported, never guessed.
 */
const TRANSLATED: ReadonlyMap<string, TcpState> = new Map<string, TcpState>([
  // German, net-tools po/de.po. Other translations are not guessed: an unknown word in the state column is kept as
  // printed, reported as not understood, and never counted as a state.
  ['VERBUNDEN', 'ESTABLISHED'],
]);

/** The RFC 9293 name for a printed state, or undefined when the text is not a TCP state (UNCONN, BOUND, ''). */
export function canonicalState(printed: string): TcpState | undefined {
  const key = printed.toUpperCase();
  return SPELLINGS.get(key) ?? TRANSLATED.get(key);
}

/** Non-TCP or non-RFC states tools print in the state column that we recognise but do not map. */
export const KNOWN_NON_RFC_STATES: ReadonlySet<string> = new Set(['UNCONN', 'BOUND', 'DELETE_TCB', 'IDLE', 'UNKNOWN']);
