/**
 * What `activate` returns (`vscode.extensions.getExtension('prompt-workbench.prompt-workbench').exports`):
 * token counts for other extensions and for our own extension-host tests.
 */
import * as vscode from 'vscode';
import { countInSlices, type DocumentCounts } from './services/documentCounts';
import type { PreviewApi } from './features/preview';
import type { StatusBarSnapshot } from './features/statusBar';
import type { GlossaryApi } from './services/glossaryService';
import type { SettingsService } from './services/settings';
import type { TokenizerFilesService } from './services/tokenizerFiles';

/** Where activation time went (for the benchmark). */
export interface ActivationParts {
  /** Reading, compiling and evaluating dist/main.js. */
  loadMs: number;
  /** Whether V8's code cache was used: 'used', 'none' (first start), 'rejected' or 'off'. */
  codeCache: string;
  loadParts?: { readMs: number; compileMs: number; runMs: number };
  activateMs: number;
  steps?: Record<string, number>;
  /** Load + activate on this thread's clock (Linux): on a CPU, and waiting for one. */
  thread?: { onCpuMs: number; waitingForCpuMs: number };
}

export interface PromptWorkbenchApi {
  /** Tokens of `text` for the chosen model (or `modelId`); `exact` is false for estimates. */
  countTokens(text: string, modelId?: string): Promise<{ model: string; tokens: number; exact: boolean }>;
  /** The model currently counted for. */
  currentModel(): string;
  /** Problems found in the user's settings, as `where: message` lines. */
  settingsIssues(): string[];
  /** Milliseconds spent loading the bundle plus running `activate` (for the benchmark). */
  readonly activationMs: number;
  /** The same split into loading the bundle and running `activate`. */
  readonly activationParts: ActivationParts;
  /** The status bar item's text and whether it is shown (used by the tests). */
  /** `changedAt`: when the extension last changed the item's text (performance.now() of the host); VS Code sends it to the window a timer's turn later. */
  statusBar(): StatusBarSnapshot;
  /** Whether the live count of an open document has started (or is done); used by the tests. */
  liveCountStarted(doc: vscode.TextDocument): boolean;
  /** The bilingual glossary (counts, problems, the view's state; used by the tests). */
  glossary?: GlossaryApi;
  /** The prompt preview (its state and update timings; used by the tests and the benchmark). */
  preview?: PreviewApi;
}

export function createApi(settings: SettingsService, files: TokenizerFilesService, counts: DocumentCounts, statusBar: () => StatusBarSnapshot, activationParts: ActivationParts): PromptWorkbenchApi {
  return {
    activationMs: activationParts.loadMs + activationParts.activateMs,
    activationParts,
    async countTokens(text, modelId) {
      const s = settings.get();
      const model = modelId === undefined ? s.model : s.models.find((m) => m.id === modelId);
      if (!model) throw new Error(vscode.l10n.t('Unknown model "{0}".', modelId ?? ''));
      const r = await countInSlices(text, files.tokenizerFor(model));
      return { model: model.id, tokens: r!.tokens, exact: r!.exact };
    },
    currentModel: () => settings.get().model.id,
    settingsIssues: () => settings.get().issues.map((i) => `${i.where}: ${i.message}`),
    statusBar,
    liveCountStarted: (doc) => counts.started(doc),
  };
}
