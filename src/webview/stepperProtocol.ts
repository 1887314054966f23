/**
 * Messages between the extension host and the state-machine stepper. Textbook scenarios run inside the webview
 * (core is browser-safe), so "break it" needs no round trip; a capture replay arrives as a ready-made track.
 */
import type { Track } from '../core/stepper/track';
import type { UiLang } from './protocol';

export type StepperHostMessage =
  | { readonly type: 'init'; readonly lang: UiLang }
  | { readonly type: 'showScenario'; readonly scenarioId: string }
  | { readonly type: 'showTrack'; readonly track: Track; readonly lang: UiLang };

export type StepperWebviewMessage =
  | { readonly type: 'ready' }
  /** The replayed step's line in the user's document: the host selects it. */
  | { readonly type: 'revealLine'; readonly line: number }
  | { readonly type: 'stepChanged'; readonly step: number; readonly total: number };

/** What survives a reload. A capture track is kept whole (it is capped at MAX_REPLAY_STEPS steps). */
export interface StepperState {
  readonly lang: UiLang;
  readonly scenarioId?: string;
  readonly breaks?: readonly unknown[];
  readonly track?: Track;
  readonly step: number;
  readonly speed: number;
}

export function parseStepperMessage(value: unknown): StepperWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e9;
  switch (m['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'revealLine':
      return int(m['line']) ? { type: 'revealLine', line: m['line'] } : undefined;
    case 'stepChanged':
      return int(m['step']) && int(m['total']) ? { type: 'stepChanged', step: m['step'], total: m['total'] } : undefined;
    default:
      return undefined;
  }
}
