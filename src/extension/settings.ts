/** TCP Lens settings, read in one place. Every key here is contributed in package.json with a description. */
import * as vscode from 'vscode';
import { type SocketThresholds } from '../core/analysis/sockets';
import { heavy } from './lazy';
import type { Severity } from '../core/model';

export const SECTION = 'tcpLens';

/** The threshold settings (`tcpLens.thresholds.<key>`), named as in the core. */
export const THRESHOLD_KEYS = [
  'closeWait',
  'timeWait',
  'synReceived',
  'synSent',
  'finWait2',
  'lastAck',
  'recvQueueBytes',
  'sendQueueBytes',
  'ephemeralPortWarnRatio',
  'ephemeralPortErrorRatio',
  'ephemeralPortRange',
] as const satisfies readonly (keyof SocketThresholds)[];

function config(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

/** Thresholds the user changed; undefined when every one is at its default (so the core keeps its own). */
export function thresholds(scope?: vscode.ConfigurationScope): Partial<SocketThresholds> | undefined {
  const c = config(scope);
  const out: Record<string, number> = {};
  let any = false;
  for (const key of THRESHOLD_KEYS) {
    const value = c.get<number | null>(`thresholds.${key}`, null);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) continue;
    if (value === (heavy().DEFAULT_SOCKET_THRESHOLDS as unknown as Record<string, number | undefined>)[key]) continue;
    out[key] = value;
    any = true;
  }
  return any ? (out as Partial<SocketThresholds>) : undefined;
}

export interface DiagnosticSettings {
  readonly enabled: boolean;
  /** Codes the user turned off. */
  readonly ignore: ReadonlySet<string>;
  readonly minimumSeverity: Severity;
}

export function diagnosticSettings(scope?: vscode.ConfigurationScope): DiagnosticSettings {
  const c = config(scope);
  const min = c.get<string>('diagnostics.minimumSeverity', 'info');
  return {
    enabled: c.get<boolean>('diagnostics.enabled', true),
    ignore: new Set(c.get<string[]>('diagnostics.ignore', []).filter((s) => typeof s === 'string')),
    minimumSeverity: min === 'error' || min === 'warning' ? min : 'info',
  };
}

/** Quiet time after the last edit before the document is analysed again (ms). */
export function analysisDelay(): number {
  const v = config().get<number>('analysis.delay', 300);
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(5000, Math.max(0, v)) : 300;
}

export function codeLensEnabled(scope?: vscode.ConfigurationScope): boolean {
  return config(scope).get<boolean>('codeLens.enabled', true);
}

export function statusBarEnabled(): boolean {
  return config().get<boolean>('statusBar.enabled', true);
}

export function autoLanguageMode(): boolean {
  return config().get<boolean>('autoLanguageMode', true);
}

/** Whether a configuration change touches any of `keys` (relative to `tcpLens.`). */
export function affects(e: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}
