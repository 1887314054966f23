import * as vscode from 'vscode';
import type { Lang } from '../core/model';

/** The language explanations are written in: the setting wins, else VS Code's display language. */
export function explanationLanguage(): Lang {
  const setting = vscode.workspace.getConfiguration('tcpLens').get<string>('language', 'auto');
  if (setting === 'en' || setting === 'zh-cn') return setting;
  return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}
