/**
 * The live prompt preview: `Prompt: Open Preview to the Side` (editor-title button and
 * ctrl+k v / cmd+k v on prompt files), `Prompt: Select Preview Values…`, `Prompt: Copy Rendered
 * Prompt`, `Prompt: Toggle Preview Locking`, `Prompt: Toggle Token View in Preview`, and the
 * serializer that brings the panel back after a reload.
 *
 * Activation only registers these: no worker, encoding or file is touched until a preview opens.
 */
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import '../../core/zod';
import { lazy } from '../../core/lazy';
import { GAUGE_SETTING, parseThresholds } from '../../core/preview/gauge';
import { log } from '../../services/log';
import type { SettingsService } from '../../services/settings';
import type { TokenizerFilesService } from '../../services/tokenizerFiles';
import { basename, isTemplateDocument } from '../templateFiles';
import { isPreviewable, PREVIEW_VIEW_TYPE } from './ids';
import type { PreviewPanel, PreviewState, PreviewTimings } from './panel';
import type { PreviewPipeline } from './pipeline';
import type { ValuesFiles } from './valuesFiles';

/**
 * The preview itself (panel, pipeline, values files and the page's message schemas) is required
 * when a preview first opens, so that activation does not evaluate it; this module only registers.
 */
const impl = lazy(() => ({
  ...(require('./panel') as typeof import('./panel')),
  ...(require('./pipeline') as typeof import('./pipeline')),
  ...(require('./valuesFiles') as typeof import('./valuesFiles')),
  ...(require('../../core/preview/messages') as typeof import('../../core/preview/messages')),
}));

export interface PreviewApi {
  /** The open preview's state (undefined when none is open). */
  state(): PreviewState | undefined;
  /** Where the time of the last updates went (for the benchmark). */
  timings(): PreviewTimings;
  /** Starts the longest-stretch measurements again (benchmark). */
  resetLongest(): void;
}

export interface PreviewFeature {
  readonly disposable: vscode.Disposable;
  readonly api: PreviewApi;
}

const uriArg = lazy(() => z.object({ scheme: z.string(), path: z.string() }));
/** The last preview's document and lock, per workspace (restores the panel when the page's saved state was not flushed). */
const LAST_KEY = 'promptWorkbench.preview.last';

function asUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) {
    try {
      return arg.includes(':') && !/^[a-zA-Z]:[\\/]/.test(arg) ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
    } catch {
      return undefined;
    }
  }
  // A URI that went through JSON (a command link).
  if (uriArg().safeParse(arg).success) return vscode.Uri.from(arg as vscode.Uri);
  return undefined;
}

export function registerPreview(context: vscode.ExtensionContext, settings: SettingsService, files: TokenizerFilesService): PreviewFeature {
  let panel: PreviewPanel | undefined;
  let pipeline: PreviewPipeline | undefined;
  let values: ValuesFiles | undefined;
  let reportedThresholds = '';

  const deps = () => {
    const { PreviewPipeline, ValuesFiles } = impl();
    pipeline ??= new PreviewPipeline(vscode.Uri.joinPath(context.extensionUri, 'dist', 'templateWorker.js').fsPath);
    values ??= new ValuesFiles(context.workspaceState, context.extensionUri);
    reportThresholds();
    return {
      extensionUri: context.extensionUri, settings, files, values, pipeline, globalState: context.globalState,
      remember: (state: { uri?: string; locked: boolean }) => void context.workspaceState.update(LAST_KEY, state),
    };
  };

  /** A problem in promptWorkbench.preview.gaugeThresholds, reported once per distinct problem. */
  const reportThresholds = (): void => {
    const r = parseThresholds(vscode.workspace.getConfiguration('promptWorkbench.preview').get('gaugeThresholds'));
    const text = r.unordered
      ? vscode.l10n.t('Prompt Workbench: {0} — the thresholds must rise (yellow ≤ orange ≤ red); got {1} / {2} / {3}. Using 50 / 80 / 100.', GAUGE_SETTING, r.unordered.yellow, r.unordered.orange, r.unordered.red)
      : r.issues.length > 0 ? vscode.l10n.t('Prompt Workbench: {0} — {1}. Using 50 / 80 / 100.', r.issues[0]!.where, r.issues[0]!.message) : '';
    if (text === reportedThresholds) return;
    reportedThresholds = text;
    if (!text) return;
    log().warn(text);
    void vscode.window.showWarningMessage(text, vscode.l10n.t('Open Settings')).then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', GAUGE_SETTING);
    });
  };

  const adopt = (p: PreviewPanel): PreviewPanel => {
    panel = p;
    void vscode.commands.executeCommand('setContext', 'promptWorkbench.previewOpen', true);
    p.onDidDispose(() => {
      if (panel === p) {
        panel = undefined;
        void vscode.commands.executeCommand('setContext', 'promptWorkbench.previewOpen', false);
        // The template worker and token caches go with the last preview.
        pipeline?.dispose();
        pipeline = undefined;
      }
    });
    return p;
  };

  /** The document to preview: the given one, else the active editor's, else a visible prompt. */
  const target = async (arg: unknown): Promise<vscode.Uri | undefined> => {
    const uri = asUri(arg);
    if (uri) return uri;
    const languages = settings.languages();
    const active = vscode.window.activeTextEditor?.document;
    if (active && isPreviewable(active, languages)) return active.uri;
    return vscode.window.visibleTextEditors.map((e) => e.document).find((d) => isPreviewable(d, languages))?.uri;
  };

  const open = async (arg?: unknown): Promise<PreviewState | undefined> => {
    const uri = await target(arg);
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a prompt (a *.prompt.hbs template, or a Markdown, text or prompt file) and run Prompt: Open Preview to the Side again.'));
      return undefined;
    }
    if (panel) {
      panel.setSource(uri);
      panel.reveal(undefined, true);
      return panel.state();
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      vscode.l10n.t('Preview {0}', basename(uri)),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableFindWidget: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')] },
    );
    adopt(new (impl().PreviewPanel)(webviewPanel, deps(), uri));
    return panel!.state();
  };

  const templateFor = async (arg: unknown): Promise<vscode.Uri | undefined> => {
    const uri = asUri(arg);
    if (uri) return uri;
    const shown = panel?.sourceUri;
    const isTemplateUri = (u: vscode.Uri): boolean => u.path.toLowerCase().endsWith('.prompt.hbs');
    if (shown && (isTemplateUri(shown) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === shown.toString() && isTemplateDocument(d)))) return shown;
    const active = vscode.window.activeTextEditor?.document;
    if (active && isTemplateDocument(active)) return active.uri;
    return undefined;
  };

  const selectValues = async (templateArg?: unknown, valuesArg?: unknown): Promise<string | undefined> => {
    const template = await templateFor(templateArg);
    if (!template) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a prompt template (a *.prompt.hbs file), or preview one, and run Prompt: Select Preview Values… again.'));
      return undefined;
    }
    const store = deps().values;
    let chosen: vscode.Uri | undefined | null;
    if (valuesArg === null) {
      chosen = null;
    } else if (valuesArg !== undefined) {
      chosen = asUri(valuesArg);
    } else {
      const current = store.get(template);
      type Item = vscode.QuickPickItem & { uri?: vscode.Uri; action?: 'browse' | 'samples' };
      const items: Item[] = [{ label: `$(folder-opened) ${vscode.l10n.t('Choose a JSON or YAML file…')}`, action: 'browse' }];
      if (current) items.push({ label: `$(close) ${vscode.l10n.t('Use the sample values from the front matter')}`, description: vscode.l10n.t('now: {0}', basename(current)), action: 'samples' });
      const found = await vscode.workspace.findFiles('**/*.{json,yaml,yml}', '{**/node_modules/**,**/.vscode/**,**/package.json,**/package-lock.json,**/tsconfig.json}', 200);
      if (found.length > 0) items.push({ label: vscode.l10n.t('In this workspace'), kind: vscode.QuickPickItemKind.Separator });
      for (const f of found.sort((a, b) => a.path.localeCompare(b.path))) {
        items.push({ label: `$(json) ${basename(f)}`, description: vscode.workspace.asRelativePath(f, true), uri: f, ...(current?.toString() === f.toString() ? { picked: true, detail: vscode.l10n.t('in use') } : {}) });
      }
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Preview values for {0}', basename(template)), placeHolder: vscode.l10n.t('A JSON or YAML map from variable names to values') });
      if (!picked) return undefined;
      if (picked.action === 'samples') chosen = null;
      else if (picked.action === 'browse') {
        const files = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: vscode.l10n.t('Use These Values'),
          filters: { [vscode.l10n.t('JSON or YAML')]: ['json', 'yaml', 'yml'] },
          defaultUri: vscode.Uri.joinPath(template, '..'),
        });
        if (!files?.[0]) return undefined;
        chosen = files[0];
      } else chosen = picked.uri;
    }
    if (chosen === undefined) return undefined;
    await store.set(template, chosen ?? undefined);
    if (panel && panel.sourceUri?.toString() !== template.toString()) panel.setSource(template);
    if (!panel) await open(template);
    return chosen ? chosen.toString() : '';
  };

  const copy = async (): Promise<string | undefined> => {
    if (!panel) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the preview (Prompt: Open Preview to the Side) to copy the rendered prompt.'));
      return undefined;
    }
    const r = panel.renderedText();
    if ('problem' in r) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Nothing copied: {0}', r.problem));
      return undefined;
    }
    await vscode.env.clipboard.writeText(r.text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the rendered prompt ({0} characters).', r.text.length.toLocaleString(vscode.env.language)), 3000);
    return r.text;
  };

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand('promptWorkbench.openPreviewToSide', (arg?: unknown) => open(arg)),
    vscode.commands.registerCommand('promptWorkbench.selectPreviewValues', (template?: unknown, valuesFile?: unknown) => selectValues(template, valuesFile)),
    vscode.commands.registerCommand('promptWorkbench.copyRenderedPrompt', () => copy()),
    vscode.commands.registerCommand('promptWorkbench.togglePreviewLock', () => {
      if (!panel) return undefined;
      panel.setLocked(!panel.isLocked);
      return panel.isLocked;
    }),
    vscode.commands.registerCommand('promptWorkbench.togglePreviewTokens', (on?: unknown) => {
      if (!panel) return undefined;
      panel.setTokenView(typeof on === 'boolean' ? on : !panel.isTokenView);
      return panel.isTokenView;
    }),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, raw: unknown) {
        // The page's saved state, else what the extension remembered for this workspace.
        const { PreviewPanel, SavedStateSchema } = impl();
        const fromPage = SavedStateSchema.safeParse(raw ?? {});
        const fromWorkspace = SavedStateSchema.safeParse(context.workspaceState.get(LAST_KEY) ?? {});
        const state = fromPage.success && fromPage.data.uri ? fromPage.data : fromWorkspace.success ? fromWorkspace.data : {};
        if (!fromPage.success) log().warn('Preview: the saved state of a preview could not be read.');
        let uri: vscode.Uri | undefined;
        try {
          uri = state.uri ? vscode.Uri.parse(state.uri, true) : undefined;
        } catch {
          uri = undefined;
        }
        if (panel) {
          // Only one preview: an extra restored panel is closed.
          webviewPanel.dispose();
          return;
        }
        adopt(new PreviewPanel(webviewPanel, deps(), uri, { locked: state.locked === true }));
      },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (panel && e.affectsConfiguration('promptWorkbench.preview')) {
        reportThresholds();
        panel.schedule(0);
      }
    }),
    { dispose: () => {
      panel?.dispose();
      pipeline?.dispose();
      values?.dispose();
    } },
  ];

  return {
    disposable: vscode.Disposable.from(...disposables),
    api: {
      state: () => panel?.state(),
      timings: () => panel?.timingLog() ?? { updates: [], tokens: [], longestSliceMs: 0, longestPostMs: 0 },
      resetLongest: () => panel?.resetLongest(),
    },
  };
}
