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

export function activate(context: vscode.ExtensionContext): PromptWorkbenchApi {
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
  return createApi(settings, statusBar.snapshot);
}

export function deactivate(): void {}
