/** Wires the features together; each feature registers its own disposables. */
import * as vscode from 'vscode';
import { registerCountTokens } from './features/countTokens';
import { registerSelectModel } from './features/selectModel';
import { registerStatusBar } from './features/statusBar';
import { DocumentCounts } from './services/documentCounts';
import { disposeLog } from './services/log';
import { SettingsService } from './services/settings';

export function activate(context: vscode.ExtensionContext): void {
  const settings = new SettingsService();
  const counts = new DocumentCounts(() => settings.get().liveCountLimit);
  context.subscriptions.push(
    settings,
    counts,
    registerStatusBar(settings, counts),
    registerCountTokens(settings),
    registerSelectModel(context, settings),
    { dispose: disposeLog },
  );
}

export function deactivate(): void {}
