import type { Lang } from '../model';
import type { SequenceDiagram } from './mermaid';

/** The textbook three-way handshake and four-way close, for the skeleton's diagram command and the walkthrough. */
export function textbookConnectionDiagram(lang: Lang): SequenceDiagram {
  const zh = lang === 'zh-cn';
  return {
    participants: [{ label: zh ? 'Client 客户端' : 'Client' }, { label: zh ? 'Server 服务端' : 'Server' }],
    items: [
      { kind: 'note', over: [0, 1], text: 'CLOSED / LISTEN' },
      { kind: 'groupStart', label: zh ? '三次握手' : 'Three-way handshake' },
      { kind: 'message', from: 0, to: 1, label: 'SYN seq=0' },
      { kind: 'note', over: [0], text: 'SYN-SENT' },
      { kind: 'message', from: 1, to: 0, label: 'SYN, ACK seq=0 ack=1' },
      { kind: 'note', over: [1], text: 'SYN-RECEIVED' },
      { kind: 'message', from: 0, to: 1, label: 'ACK seq=1 ack=1' },
      { kind: 'note', over: [0, 1], text: 'ESTABLISHED' },
      { kind: 'groupEnd' },
      { kind: 'message', from: 0, to: 1, label: 'PSH, ACK seq=1:9 len=8' },
      { kind: 'message', from: 1, to: 0, label: 'ACK ack=9' },
      { kind: 'groupStart', label: zh ? '四次挥手' : 'Four-way close' },
      { kind: 'message', from: 0, to: 1, label: 'FIN, ACK seq=9' },
      { kind: 'note', over: [0], text: 'FIN-WAIT-1' },
      { kind: 'message', from: 1, to: 0, label: 'ACK ack=10' },
      { kind: 'note', over: [0, 1], text: 'FIN-WAIT-2 / CLOSE-WAIT' },
      { kind: 'message', from: 1, to: 0, label: 'FIN, ACK seq=1' },
      { kind: 'note', over: [1], text: 'LAST-ACK' },
      { kind: 'message', from: 0, to: 1, label: 'ACK ack=2' },
      { kind: 'note', over: [0, 1], text: zh ? 'TIME-WAIT (2MSL) / CLOSED' : 'TIME-WAIT (2MSL) / CLOSED' },
      { kind: 'groupEnd' },
    ],
  };
}
