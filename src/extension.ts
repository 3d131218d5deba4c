/** Wires the features together; each feature registers its own disposables. */
import * as vscode from 'vscode';
import { createApi, type PromptWorkbenchApi } from './api';
import { setRankSource } from './core/encodings';
import { useZodLocale } from './core/zod';
import { registerCountTokens } from './features/countTokens';
import { registerGlossaryHover } from './features/glossaryHover';
import { registerGlossaryView } from './features/glossaryView';
import { registerInsertScaffold } from './features/insertScaffold';
import { registerLookUpTerm } from './features/lookUpTerm';
import { registerPreview } from './features/preview';
import { registerSelectModel } from './features/selectModel';
import { registerStatusBar } from './features/statusBar';
import { registerTemplates } from './features/templates';
import { registerUseTokenizerFile } from './features/useTokenizerFile';
import { DocumentCounts } from './services/documentCounts';
import { rankFileSource } from './services/encodingFiles';
import { GlossaryService } from './services/glossaryService';
import { disposeLog } from './services/log';
import { SettingsService } from './services/settings';
import { TokenizerFilesService } from './services/tokenizerFiles';

declare const globalThis: { __promptWorkbenchLoad?: number[] };

export function activate(context: vscode.ExtensionContext): PromptWorkbenchApi {
  const activateStart = performance.now();
  useZodLocale(vscode.env.language);
  setRankSource(rankFileSource(vscode.Uri.joinPath(context.extensionUri, 'dist', 'encodings').fsPath));
  const settings = new SettingsService();
  const counts = new DocumentCounts(() => settings.get().liveCountLimit);
  const files = new TokenizerFilesService(settings, vscode.Uri.joinPath(context.extensionUri, 'dist', 'hfWorker.js').fsPath);
  const statusBar = registerStatusBar(settings, counts, files);
  const glossary = new GlossaryService(context.extensionUri); // reads nothing until first used
  const glossaryView = registerGlossaryView(context, glossary);
  const preview = registerPreview(context, settings, files); // registers commands only; nothing loads until a preview opens
  context.subscriptions.push(
    settings,
    counts,
    files,
    statusBar.disposable,
    registerCountTokens(settings, files),
    registerUseTokenizerFile(settings, files),
    registerSelectModel(context, settings),
    glossary,
    glossaryView,
    registerGlossaryHover(settings, glossary),
    registerLookUpTerm(glossary, glossaryView),
    registerTemplates(context, settings),
    registerInsertScaffold(context),
    preview.disposable,
    { dispose: disposeLog },
  );
  // Activation time = loading the bundle + this function (the time VS Code spends in between,
  // creating the extension's context, is VS Code's).
  const [loadStart, loadEnd] = globalThis.__promptWorkbenchLoad ?? [0, 0];
  const api = createApi(settings, files, statusBar.snapshot, { loadMs: (loadEnd ?? 0) - (loadStart ?? 0), activateMs: performance.now() - activateStart });
  return Object.assign(api, { glossary: glossary.api(), preview: preview.api });
}

export function deactivate(): void {}
