/** Wires the features together; each feature registers its own disposables. */
import * as vscode from 'vscode';
import { createApi, type PromptWorkbenchApi } from './api';
import { useZodLocale } from './core/zod';
import { registerCountTokens } from './features/countTokens';
import { registerSelectModel } from './features/selectModel';
import { registerStatusBar } from './features/statusBar';
import { DocumentCounts } from './services/documentCounts';
import { disposeLog } from './services/log';
import { SettingsService } from './services/settings';

declare const globalThis: { __promptWorkbenchLoad?: number[] };

export function activate(context: vscode.ExtensionContext): PromptWorkbenchApi {
  const activateStart = performance.now();
  useZodLocale(vscode.env.language);
  const settings = new SettingsService();
  const counts = new DocumentCounts(() => settings.get().liveCountLimit);
  const statusBar = registerStatusBar(settings, counts);
  context.subscriptions.push(
    settings,
    counts,
    statusBar.disposable,
    registerCountTokens(settings),
    registerSelectModel(context, settings),
    { dispose: disposeLog },
  );
  // Activation time = loading the bundle + this function (the time VS Code spends in between,
  // creating the extension's context, is VS Code's).
  const [loadStart, loadEnd] = globalThis.__promptWorkbenchLoad ?? [0, 0];
  return createApi(settings, statusBar.snapshot, (loadEnd ?? 0) - (loadStart ?? 0) + performance.now() - activateStart);
}

export function deactivate(): void {}
