/**
 * Mermaid sequence diagrams, generated — never copied — from the model. Participant ids are synthetic (`A`, `B`),
 * every label character outside a small safe set is written as a mermaid entity code (`#60;`), and nothing derived
 * from input can ever become a directive (`%%{init}`), `click`, `classDef` or `style` line.
 */

export interface DiagramParticipant {
  /** Shown above the lifeline; user text allowed (it is escaped). */
  readonly label: string;
}

export type ArrowKind = 'normal' | 'anomaly' | 'reset' | 'lost';

export type DiagramItem =
  | {
      readonly kind: 'message';
      readonly from: number;
      readonly to: number;
      readonly label: string;
      /** More lines under the label (each escaped on its own; the line breaks are the generator's, never input's). */
      readonly more?: readonly string[];
      readonly style?: ArrowKind;
    }
  | { readonly kind: 'note'; readonly over: readonly number[]; readonly text: string }
  | { readonly kind: 'groupStart'; readonly label: string }
  | { readonly kind: 'groupEnd' };

export interface SequenceDiagram {
  readonly participants: readonly DiagramParticipant[];
  readonly items: readonly DiagramItem[];
}

/** Characters that are safe to leave as they are inside a mermaid sequence label. */
function isSafeLabelChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 32 || // space
    code === 46 || // .
    code === 44 || // ,
    code === 47 || // /
    code === 61 || // =
    code === 43 || // +
    code === 45 || // -
    code === 40 || // (
    code === 41 || // )
    code === 91 || // [
    code === 93 || // ]
    code === 95 || // _
    code === 58 || // :
    code === 64 || // @
    code === 42 || // *
    code === 33 || // !
    code === 63 // ?
  );
}

/**
 * Escape any text for a mermaid label. Non-safe characters (including `#`, `;`, `<`, `>`, `%`, `{`, quotes, line
 * breaks, and every non-ASCII character) become `#<decimal>;`, mermaid's entity syntax, so the text is shown
 * literally and cannot close the statement, open a directive or inject markup. Very long labels are cut.
 */
export function escapeMermaidLabel(text: string, maxLength = 160, safe: (code: number) => boolean = isSafeLabelChar): string {
  const cut = text.length > maxLength ? text.slice(0, maxLength) + '…' : text;
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0)!;
    out += safe(code) ? ch : `#${code};`;
  }
  // A label that is empty or only spaces would change the statement's shape; keep one visible character.
  return out.trim() === '' ? '#160;' : out;
}

/** Participant aliases are parsed more strictly than message text (`-`, `>`, `:` and `,` end them): allow less. */
function isSafeParticipantChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 32 || code === 46 || code === 95;
}

const ARROWS: Record<ArrowKind, string> = {
  normal: '->>',
  anomaly: '-)',
  reset: '-x',
  lost: '--x',
};

/** Mermaid's line break inside a message label. Only ever inserted here, between separately escaped lines. */
export const LINE_BREAK = '<br/>';

export function renderSequenceDiagram(diagram: SequenceDiagram): string {
  const lines: string[] = ['sequenceDiagram'];
  diagram.participants.forEach((p, i) => {
    lines.push(`    participant P${i} as ${escapeMermaidLabel(p.label, 80, isSafeParticipantChar)}`);
  });
  const id = (index: number): string => `P${Math.max(0, Math.min(index, diagram.participants.length - 1))}`;
  for (const item of diagram.items) {
    switch (item.kind) {
      case 'message': {
        const text = [item.label, ...(item.more ?? [])].map((t) => escapeMermaidLabel(t)).join(LINE_BREAK);
        lines.push(`    ${id(item.from)}${ARROWS[item.style ?? 'normal']}${id(item.to)}: ${text}`);
        break;
      }
      case 'note': {
        const over = item.over.length > 1 ? `${id(item.over[0]!)},${id(item.over[item.over.length - 1]!)}` : id(item.over[0] ?? 0);
        lines.push(`    Note over ${over}: ${escapeMermaidLabel(item.text, 240)}`);
        break;
      }
      case 'groupStart':
        lines.push(`    rect rgba(127, 127, 127, 0.12)`);
        lines.push(`    Note over ${id(0)},${id(diagram.participants.length - 1)}: ${escapeMermaidLabel(item.label, 80)}`);
        break;
      case 'groupEnd':
        lines.push('    end');
        break;
    }
  }
  return lines.join('\n') + '\n';
}
