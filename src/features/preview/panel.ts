/**
 * The prompt preview panel: the rendered prompt of the active prompt document beside the editor,
 * updated ~150 ms after the last keystroke, with its tokens, characters, cost and context-window
 * gauge for the chosen model, a token view, copy, lock and values-file choice.
 *
 * The page (media/preview.js) builds its DOM with textContent only, under a CSP that allows
 * nothing but the extension's media/ files and one nonce'd script; every message either way is
 * validated with the schemas in src/core/preview/messages.ts.
 */
import * as vscode from 'vscode';
import { parseThresholds } from '../../core/preview/gauge';
import { type Header, type HostToView, type Problem, TEXT_LIMIT, type TokensMessage, type UpdateMessage, type ViewToHost, parseViewMessage } from '../../core/preview/messages';
import { buildHeader, type HeaderWords } from '../../core/preview/viewModel';
import type { Model } from '../../core/models';
import type { RenderResult } from '../../core/template/types';
import { documentLength, looksBinary } from '../../services/documentCounts';
import { log } from '../../services/log';
import type { SettingsService } from '../../services/settings';
import type { TokenizerFilesService } from '../../services/tokenizerFiles';
import { locale, retirementNote } from '../countSummary';
import { issueMessage } from '../templateMessages';
import { basename, isTemplateDocument } from '../templateFiles';
import type { CountResult, PreviewPipeline } from './pipeline';
import { type ValuesFiles, valuesModule, valuesProblemMessage } from './valuesFiles';
import { webviewPage } from '../webviewPage';

import { isPreviewable, PREVIEW_VIEW_TYPE } from './ids';

export { isPreviewable, PREVIEW_VIEW_TYPE };
export const DEBOUNCE_MS = 150;
const TOKEN_VIEW_KEY = 'promptWorkbench.preview.tokenView';
/** A count that takes longer than this is shown as "counting…" with the text first. */
const INTERIM_AFTER_MS = 120;
const MAX_TIMINGS = 200;

export interface PreviewDeps {
  extensionUri: vscode.Uri;
  settings: SettingsService;
  files: TokenizerFilesService;
  values: ValuesFiles;
  pipeline: PreviewPipeline;
  globalState: vscode.Memento;
  /** Called with what to restore the panel with after a reload (the page's own saved state may not be flushed in time). */
  remember(state: { uri?: string; locked: boolean }): void;
}

/** Where the time of one update went (for the benchmark): from its start (after the debounce) to the page's paint. */
export interface PreviewTiming {
  seq: number;
  characters: number;
  renderMs: number;
  countMs: number;
  /** From posting the update to the page reporting it painted. */
  postToPaintMs?: number;
  /** The page's own time from receiving the message to the paint. */
  pageMs?: number;
  totalMs?: number;
}

export interface PreviewTimings {
  updates: PreviewTiming[];
  tokens: TokenTiming[];
  /** Longest stretch of counting or cutting into tokens without giving the extension host's thread back. */
  longestSliceMs: number;
  /** Longest synchronous part of posting a message to the page. */
  longestPostMs: number;
}

/** Token view: from the start of the update (or the toggle) to the page's first paint of the tokens. */
export interface TokenTiming {
  seq: number;
  tokens: number;
  characters: number;
  totalMs: number;
  /** The page's own time from receiving the tokens to the paint. */
  pageMs: number;
}

export interface PreviewState {
  open: boolean;
  visible: boolean;
  /** The document the page shows (of the last update). */
  source?: string;
  kind?: 'template' | 'document';
  values?: string;
  locked: boolean;
  tokenView: boolean;
  /** The rendered prompt shown (the last good one when `stale`). */
  text?: string;
  stale: boolean;
  problems: string[];
  tokens?: number;
  exact?: boolean;
  model?: string;
  /** The header's context gauge. */
  gauge?: { share: number; level: string; text: string };
  /** The header's note that the vendor retires or has retired the model. */
  retirement?: string;
  title: string;
  seq: number;
  /** What the page reported it painted last. */
  painted?: { seq: number; textLength: number; tokensShown: number; headerTokens: string };
  paintedTokens?: { seq: number; tokensShown: number };
  /** Messages the page refused (failed validation): should stay 0. */
  refused: number;
}

/** Documents the preview can show: templates, and the languages the token counter counts. */
function sameUri(a: vscode.Uri | undefined, b: vscode.Uri | undefined): boolean {
  return !!a && !!b && a.toString() === b.toString();
}

function headerWords(): HeaderWords {
  return {
    tokens: (n, count) => (count === 1 ? vscode.l10n.t('{0} token', n) : vscode.l10n.t('{0} tokens', n)),
    counting: () => vscode.l10n.t('counting…'),
    withOutput: (n) => vscode.l10n.t('With {0} output tokens', n),
    share: (pct, window) => vscode.l10n.t('{0} of the {1}-token context window', pct, window),
    templateModel: (id, name) => vscode.l10n.t('The template names {0} ({1})', name, id),
  };
}

export class PreviewPanel implements vscode.Disposable {
  private source: vscode.Uri | undefined;
  private locked = false;
  private tokenView: boolean;
  private ready = false;
  private seq = 0;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private dirty = false;
  /** An update was skipped while the panel was hidden (behind another tab): due when it shows again. */
  private missedWhileHidden = false;
  /** Generation of the source/model: token work for an older one stops. */
  private generation = 0;

  private lastGood: { key: string; text: string; kind: 'template' | 'document'; seq: number } | undefined;
  /** The text the page has now (undefined after it reloads). */
  private sentText: string | undefined;
  private lastUpdate: UpdateMessage | undefined;
  private lastTokens: TokensMessage | undefined;
  private current: { text: string; counted: CountResult; model: Model; seq: number; started: number } | undefined;
  private renderCache: { key: string; result: RenderResult; templateModel?: string } | undefined;
  private sourceWatcher: vscode.FileSystemWatcher | undefined;
  /** Watches the values file on disk (changes made outside VS Code). */
  private valuesWatcher: { uri: string; watcher: vscode.FileSystemWatcher } | undefined;
  private deleted = false;
  private refused = 0;
  private longestPostMs = 0;
  private painted: PreviewState['painted'];
  private paintedTokens: PreviewState['paintedTokens'];
  private readonly timings: PreviewTiming[] = [];
  private readonly tokenTimings: TokenTiming[] = [];
  private readonly posted = new Map<number, { at: number; started: number; kind: 'text' | 'tokens' }>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(readonly panel: vscode.WebviewPanel, private readonly deps: PreviewDeps, source: vscode.Uri | undefined, options: { locked?: boolean } = {}) {
    this.tokenView = deps.globalState.get<boolean>(TOKEN_VIEW_KEY) === true;
    this.locked = options.locked === true;
    const media = vscode.Uri.joinPath(deps.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    panel.iconPath = vscode.Uri.joinPath(media, 'preview-icon.svg');
    panel.webview.html = this.html(panel.webview, media);
    deps.pipeline.warmUp();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false; // the page reloads when shown again
        else if (this.missedWhileHidden) this.schedule(0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        if (sameUri(e.document.uri, this.source) || sameUri(e.document.uri, this.valuesUri())) this.schedule();
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (sameUri(doc.uri, this.valuesUri())) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      deps.settings.onDidChange(() => {
        this.generation++;
        this.postModels();
        this.schedule(0);
      }),
      deps.files.onDidChange(() => this.schedule(0)),
      deps.values.onDidChange(() => this.schedule(0)),
    );
    this.setSource(source);
  }

  // ------------------------------------------------------------------ source, lock, title

  get sourceUri(): vscode.Uri | undefined {
    return this.source;
  }

  get isLocked(): boolean {
    return this.locked;
  }

  private valuesUri(): vscode.Uri | undefined {
    return this.source ? this.deps.values.get(this.source) : undefined;
  }

  /** Shows another document (no-op for the same one). */
  setSource(uri: vscode.Uri | undefined): void {
    if (sameUri(uri, this.source) && this.sourceWatcher) return;
    this.source = uri;
    this.generation++;
    this.lastGood = undefined;
    this.renderCache = undefined;
    this.deleted = false;
    this.sourceWatcher?.dispose();
    this.sourceWatcher = undefined;
    if (uri && uri.scheme === 'file') {
      const dir = vscode.Uri.joinPath(uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, uri.path.split('/').pop() ?? ''));
      watcher.onDidDelete(() => {
        this.deleted = true;
        this.schedule(0);
      });
      watcher.onDidCreate(() => {
        this.deleted = false;
        this.schedule(0);
      });
      this.sourceWatcher = watcher;
    }
    this.updateTitle();
    this.deps.remember(this.savedState());
    this.schedule(0);
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.updateTitle();
    this.deps.remember(this.savedState());
    if (!locked) this.follow(vscode.window.activeTextEditor);
    this.schedule(0);
  }

  private updateTitle(): void {
    const name = this.source ? basename(this.source) : vscode.l10n.t('Prompt');
    this.panel.title = this.locked ? vscode.l10n.t('[Locked] Preview {0}', name) : vscode.l10n.t('Preview {0}', name);
  }

  /** Follows the active editor to another prompt document, unless locked. */
  private follow(editor: vscode.TextEditor | undefined): void {
    if (this.locked || !editor) return;
    const doc = editor.document;
    if (sameUri(doc.uri, this.source)) return;
    if (!isPreviewable(doc, this.deps.settings.get().languages)) return;
    this.setSource(doc.uri);
  }

  setTokenView(on: boolean): void {
    if (this.tokenView === on) return;
    this.tokenView = on;
    void this.deps.globalState.update(TOKEN_VIEW_KEY, on);
    this.post({ type: 'tokenView', on });
    if (!on) return;
    const started = performance.now();
    if (this.lastTokens && this.lastTokens.seq === this.current?.seq) {
      // Already cut for this text and model.
      this.posted.set(-this.lastTokens.seq - 1, { at: started, started, kind: 'tokens' });
      this.post(this.lastTokens);
    } else {
      void this.sendTokens(this.generation, started);
    }
  }

  get isTokenView(): boolean {
    return this.tokenView;
  }

  reveal(column?: vscode.ViewColumn, preserveFocus = true): void {
    this.panel.reveal(column ?? this.panel.viewColumn, preserveFocus);
  }

  // ------------------------------------------------------------------ updates

  /** Brings the preview up to date `delay` ms from now (the debounce after a keystroke). */
  schedule(delay = DEBOUNCE_MS): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.request();
    }, delay);
  }

  private request(): void {
    // Nobody sees a hidden panel: render, count and post only once it is shown again.
    if (!this.panel.visible) {
      this.missedWhileHidden = true;
      return;
    }
    this.missedWhileHidden = false;
    if (this.running) {
      this.dirty = true;
      this.deps.pipeline.abortSlowRender();
      return;
    }
    void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.dirty = false;
        try {
          await this.updateOnce();
        } catch (e) {
          log().error(`Preview: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
      } while (this.dirty && !this.disposed);
    } finally {
      this.running = false;
    }
  }

  private async document(uri: vscode.Uri): Promise<vscode.TextDocument | { missing: string }> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      return { missing: e instanceof Error ? e.message : String(e) };
    }
  }

  private postEmpty(seq: number, problems: Problem[], kind?: 'template' | 'document'): void {
    const stale = !!this.lastGood;
    const source = this.sourceInfo(kind);
    this.finishUpdate({
      type: 'update', seq, textSeq: stale ? this.lastGood!.seq : seq, length: this.lastGood?.text.length ?? 0, stale, empty: !stale, problems,
      locked: this.locked, busy: false, ...(source ? { source } : {}),
      ...(this.lastUpdate?.header && stale ? { header: this.lastUpdate.header } : {}),
    }, undefined, performance.now());
  }

  private sourceInfo(kind?: 'template' | 'document'): UpdateMessage['source'] | undefined {
    if (!this.source) return undefined;
    const values = kind === 'template' ? this.valuesUri() : undefined;
    return { uri: this.source.toString(), name: basename(this.source), kind: kind ?? this.lastGood?.kind ?? 'document', ...(values ? { values: basename(values) } : {}) };
  }

  private async updateOnce(): Promise<void> {
    const started = performance.now();
    const seq = ++this.seq;
    const generation = this.generation;
    const uri = this.source;
    if (!uri) {
      this.postEmpty(seq, [{ severity: 'info', message: vscode.l10n.t('Open a prompt (a *.prompt.hbs template, or a Markdown, text or prompt file) to preview it here.') }]);
      return;
    }
    const found = await this.document(uri);
    if ('missing' in found) {
      const message = this.deleted
        ? vscode.l10n.t('{0} was deleted. The preview shows its last render.', basename(uri))
        : /binary/i.test(found.missing)
          ? vscode.l10n.t('{0} looks binary, so it is not previewed.', basename(uri))
          : vscode.l10n.t('{0} cannot be opened: {1}', basename(uri), found.missing);
      this.postEmpty(seq, [{ severity: 'error', message }]);
      return;
    }
    const doc = found;
    const kind = isTemplateDocument(doc) ? 'template' : 'document';
    const problems: Problem[] = [];
    if (this.deleted) problems.push({ severity: 'warning', message: vscode.l10n.t('{0} was deleted from disk; the preview shows the text still open in the editor.', basename(uri)) });
    const s = this.deps.settings.get();
    const length = documentLength(doc);
    if (looksBinary(doc)) {
      this.postEmpty(seq, [{ severity: 'error', message: vscode.l10n.t('{0} looks binary, so it is not previewed.', basename(uri)) }], kind);
      return;
    }
    if (kind === 'document' && length > s.liveCountLimit) {
      this.postEmpty(seq, [{ severity: 'info', message: vscode.l10n.t('{0} has {1} characters, more than the live-count limit (promptWorkbench.liveCountLimit), so it is not previewed as you type. Run Prompt: Count Tokens to count it.', basename(uri), length.toLocaleString(locale())) }], kind);
      return;
    }

    // 1. The text: the document, or the template rendered.
    let text: string;
    let templateModel: string | undefined;
    const renderStarted = performance.now();
    if (kind === 'document') {
      text = doc.getText();
    } else {
      const rendered = await this.renderTemplate(doc);
      // Stopped for a newer keystroke: the next update follows at once.
      if ('cancelled' in rendered) return;
      if ('problems' in rendered) {
        problems.push(...rendered.problems);
        this.postEmpty(seq, problems, kind);
        return;
      }
      text = rendered.text;
      templateModel = rendered.model;
      problems.push(...rendered.warnings);
    }
    const renderMs = performance.now() - renderStarted;
    this.lastGood = { key: uri.toString(), text, kind, seq };

    // 2. The count, for the chosen model.
    const model = s.model;
    const tokenizer = this.deps.files.tokenizerFor(model);
    const retirement = retirementNote(model);
    const countStarted = performance.now();
    const cancelled = (): boolean => this.disposed || generation !== this.generation || this.dirty;
    const counting = this.deps.pipeline.count(text, model, tokenizer, () => this.disposed || generation !== this.generation);
    const header = (counted: CountResult | undefined): Header => buildHeader({
      model,
      tokens: counted?.tokens,
      exact: counted ? counted.exact : tokenizer.exact,
      tokenizer: tokenizer.label,
      characters: text.length,
      expectedOutputTokens: s.expectedOutputTokens,
      thresholds: parseThresholds(vscode.workspace.getConfiguration('promptWorkbench.preview').get('gaugeThresholds')).thresholds,
      locale: locale(),
      ...(templateModel && templateModel !== model.id && s.models.find((m) => m.id === templateModel) ? { templateModel: s.models.find((m) => m.id === templateModel)! } : {}),
      ...(retirement ? { retirement } : {}),
    }, headerWords());
    const base = (): Omit<UpdateMessage, 'header' | 'busy'> => ({
      type: 'update', seq, textSeq: seq, length: text.length, stale: false, empty: false, problems, locked: this.locked, source: this.sourceInfo(kind)!,
    });
    let interim = false;
    const early = await Promise.race([counting, new Promise<'slow'>((r) => setTimeout(() => r('slow'), INTERIM_AFTER_MS))]);
    if (early === 'slow') {
      interim = true;
      this.finishUpdate({ ...base(), header: header(undefined), busy: true }, text, started, { renderMs, countMs: 0 });
    }
    let counted: CountResult | undefined;
    try {
      counted = await counting;
    } catch (e) {
      problems.push({ severity: 'error', message: vscode.l10n.t('Counting failed: {0}. See the Prompt Workbench log.', e instanceof Error ? e.message : String(e)) });
    }
    if (generation !== this.generation || this.disposed) return;
    const countMs = performance.now() - countStarted;
    this.finishUpdate({ ...base(), header: header(counted), busy: false }, text, interim ? performance.now() : started, { renderMs: interim ? 0 : renderMs, countMs });
    if (counted) {
      this.current = { text, counted, model, seq, started };
      if (this.tokenView && !cancelled()) await this.sendTokens(generation, started);
    }
  }

  /** Renders the template with its samples or its values file; problems carry their line. */
  private async renderTemplate(doc: vscode.TextDocument): Promise<{ text: string; model?: string; warnings: Problem[] } | { problems: Problem[] } | { cancelled: true }> {
    const name = basename(doc.uri);
    const valuesUri = this.valuesUri();
    const warnings: Problem[] = [];
    let request: { mode: 'samples' } | { mode: 'values'; values: Record<string, unknown> } = { mode: 'samples' };
    let valuesKey = '';
    const text = doc.getText();
    this.watchValues(valuesUri);
    if (valuesUri) {
      const valuesName = basename(valuesUri);
      const parsed = await this.deps.values.read(valuesUri);
      if (!parsed.ok) {
        if ('missing' in parsed) return { problems: [{ severity: 'error', message: vscode.l10n.t('The values file {0} cannot be read: {1}. Run Prompt: Select Preview Values… to choose another.', valuesName, parsed.missing), file: 'values', fileLabel: valuesName }] };
        return { problems: parsed.problems.map((p) => this.valuesProblem(p, valuesName)) };
      }
      const check = await this.deps.pipeline.check(text);
      const valuesProblems = valuesModule(this.deps.extensionUri).checkValuesAgainst(parsed.file, check.inputs, check.variables).map((p) => this.valuesProblem(p, valuesName));
      const errors = valuesProblems.filter((p) => p.severity === 'error');
      if (errors.length > 0 && !check.issues.some((i) => i.severity === 'error')) return { problems: errors };
      warnings.push(...valuesProblems.filter((p) => p.severity !== 'error'));
      const values = valuesModule(this.deps.extensionUri).mergeWithSamples(parsed.file.values, check.variables);
      request = { mode: 'values', values };
      valuesKey = JSON.stringify(parsed.file.values);
    }
    const key = `${doc.uri.toString()}\u0000${doc.version}\u0000${valuesKey}\u0000${text.length}`;
    let result: RenderResult;
    if (this.renderCache?.key === key) {
      result = this.renderCache.result;
    } else {
      const r = await this.deps.pipeline.render(text, request);
      if ('failure' in r) {
        if (r.failure === 'cancelled') return { cancelled: true };
        const message = r.failure === 'timeout'
          ? vscode.l10n.t('{0} took too long to render and was stopped. Does it loop over a very long list?', name)
          : vscode.l10n.t('The template worker stopped while rendering {0} ({1}). Is the template or a value very large?', name, r.message);
        return { problems: [{ severity: 'error', message }] };
      }
      result = r;
      this.renderCache = { key, result };
    }
    if (!result.ok) {
      const issue = result.issue;
      const problem: Problem = { severity: 'error', message: issueMessage(issue), line: issue.range.line + 1, column: issue.range.column + 1, file: 'source', fileLabel: name };
      if (result.template && result.errorCount > 1) problem.message += ' ' + vscode.l10n.t('({0} more problems in the Problems panel)', result.errorCount - 1);
      return { problems: [problem] };
    }
    return { text: result.text, model: result.model, warnings };
  }

  private watchValues(uri: vscode.Uri | undefined): void {
    if (this.valuesWatcher?.uri === uri?.toString()) return;
    this.valuesWatcher?.watcher.dispose();
    this.valuesWatcher = undefined;
    if (!uri || uri.scheme !== 'file') return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop() ?? ''));
    const changed = (): void => {
      // An open document follows the disk itself (and fires its own change events).
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.schedule();
    };
    watcher.onDidChange(changed);
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    this.valuesWatcher = { uri: uri.toString(), watcher };
  }

  private valuesProblem(p: import('../../core/preview/values').ValuesProblem, fileLabel: string): Problem {
    const out: Problem = { severity: p.severity, message: valuesProblemMessage(p), file: 'values', fileLabel };
    if (p.line !== undefined) out.line = p.line;
    if (p.column !== undefined) out.column = p.column;
    return out;
  }

  private finishUpdate(message: UpdateMessage, text: string | undefined, started: number, split?: { renderMs: number; countMs: number }): void {
    if (text !== undefined && text !== this.sentText) {
      message.text = text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text;
      this.sentText = text;
    } else if (text === undefined && message.empty) {
      this.sentText = undefined;
    }
    this.lastUpdate = message;
    if (split) this.record({ seq: message.seq, characters: message.length, renderMs: split.renderMs, countMs: split.countMs });
    this.posted.set(message.seq, { at: performance.now(), started, kind: 'text' });
    for (const k of this.posted.keys()) if (Math.abs(k) < message.seq - 50) this.posted.delete(k);
    this.post(message);
  }

  /** Cuts the current text into tokens and sends them (when the token view is on). */
  private async sendTokens(generation: number, started: number): Promise<void> {
    const current = this.current;
    if (!current || !this.ready) return;
    const tokenizer = this.deps.files.tokenizerFor(current.model);
    const seq = current.seq;
    const view = await this.deps.pipeline.tokenView(current.text, current.counted, current.model, tokenizer, () => this.disposed || generation !== this.generation || this.dirty || this.current !== current);
    if (!view || this.current !== current) return;
    let message: TokensMessage;
    if (view.state === 'ready') {
      message = {
        type: 'tokens', state: 'ready', seq, ids: Uint32Array.from(view.segments.ids), lens: Uint32Array.from(view.segments.lens), partial: view.partialHex,
        covered: view.covered, approximate: view.approximate, tokenizer: tokenizer.label,
      };
    } else {
      const reason = view.reason === 'tokenizerFile'
        ? vscode.l10n.t('Token boundaries are not available for tokenizer files ({0}): the count is exact, but the tokens cannot be shown.', tokenizer.label)
        : view.reason === 'estimate'
          ? vscode.l10n.t('{0} has no public tokenizer: its count is an estimate (≈), so token boundaries cannot be shown.', current.model.name)
          : vscode.l10n.t('The tokens could not be shown: {0}', view.detail ?? '');
      if (view.reason === 'failed') log().error(`Preview token view: ${view.detail ?? ''}`);
      message = { type: 'tokens', state: 'unavailable', seq, reason };
    }
    this.lastTokens = message;
    this.posted.set(-seq - 1, { at: performance.now(), started, kind: 'tokens' });
    this.post(message);
  }

  // ------------------------------------------------------------------ messages

  private post(message: HostToView): void {
    if (!this.ready || this.disposed) return;
    const t0 = performance.now();
    void this.panel.webview.postMessage(message);
    this.longestPostMs = Math.max(this.longestPostMs, performance.now() - t0);
  }

  private postModels(): void {
    const s = this.deps.settings.get();
    const groups: Array<{ provider: string; models: Array<{ id: string; name: string }> }> = [];
    for (const m of s.models) {
      let g = groups.find((x) => x.provider === m.provider);
      if (!g) groups.push((g = { provider: m.provider, models: [] }));
      g.models.push({ id: m.id, name: m.name });
    }
    this.post({ type: 'models', current: s.model.id, groups });
  }

  private receive(raw: unknown): void {
    const parsed = parseViewMessage(raw);
    if (!parsed.ok) {
      log().warn(`Preview: ignored a malformed message from the page: ${parsed.error}`);
      return;
    }
    void this.handle(parsed.message).catch((e: unknown) => log().error(`Preview: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  }

  private async handle(msg: ViewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        if (this.missedWhileHidden) this.schedule(0);
        this.sentText = undefined;
        this.post({ type: 'init', labels: labels(), lang: vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en', tokenView: this.tokenView, locked: this.locked });
        this.postModels();
        if (this.lastUpdate) {
          const again: UpdateMessage = { ...this.lastUpdate };
          if (this.lastGood) again.text = this.lastGood.text.length > TEXT_LIMIT ? this.lastGood.text.slice(0, TEXT_LIMIT) : this.lastGood.text;
          this.sentText = this.lastGood?.text;
          this.post(again);
          if (this.tokenView && this.lastTokens && this.lastTokens.seq === this.current?.seq) this.post(this.lastTokens);
          else if (this.tokenView) void this.sendTokens(this.generation, performance.now());
        } else {
          this.schedule(0);
        }
        return;
      }
      case 'tokenView':
        this.setTokenView(msg.on);
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('promptWorkbench.selectModel', msg.id);
        return;
      case 'pickModel':
        await vscode.commands.executeCommand('promptWorkbench.selectModel');
        return;
      case 'copy':
        await vscode.commands.executeCommand('promptWorkbench.copyRenderedPrompt');
        return;
      case 'lock':
        this.setLocked(msg.locked);
        return;
      case 'selectValues':
        await vscode.commands.executeCommand('promptWorkbench.selectPreviewValues', this.source);
        return;
      case 'reveal': {
        const uri = msg.file === 'values' ? this.valuesUri() : this.source;
        if (!uri) return;
        const pos = new vscode.Position(msg.line - 1, Math.max(0, (msg.column ?? 1) - 1));
        const doc = await vscode.workspace.openTextDocument(uri);
        const existing = vscode.window.visibleTextEditors.find((e) => e.document === doc);
        await vscode.window.showTextDocument(doc, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
      case 'painted': {
        const key = msg.what === 'text' ? msg.seq : -msg.seq - 1;
        const sent = this.posted.get(key);
        this.posted.delete(key);
        if (msg.what === 'text') {
          this.painted = { seq: msg.seq, textLength: msg.textLength, tokensShown: msg.tokensShown, headerTokens: msg.headerTokens };
          const t = this.timings.find((x) => x.seq === msg.seq);
          if (t && sent) {
            t.postToPaintMs = performance.now() - sent.at;
            t.pageMs = msg.ms;
            t.totalMs = performance.now() - sent.started;
          }
        } else {
          this.paintedTokens = { seq: msg.seq, tokensShown: msg.tokensShown };
          if (sent) {
            this.tokenTimings.push({ seq: msg.seq, tokens: msg.tokensShown, characters: msg.textLength, totalMs: performance.now() - sent.started, pageMs: msg.ms });
            if (this.tokenTimings.length > MAX_TIMINGS) this.tokenTimings.shift();
          }
        }
        return;
      }
      case 'invalid':
        this.refused++;
        log().warn(`Preview page refused a message: ${msg.error}`);
        return;
    }
  }

  private record(t: PreviewTiming): void {
    this.timings.push(t);
    if (this.timings.length > MAX_TIMINGS) this.timings.shift();
  }

  // ------------------------------------------------------------------ for commands and tests

  /** The rendered prompt as it is now, or why there is none. */
  renderedText(): { text: string } | { problem: string } {
    const u = this.lastUpdate;
    if (!this.lastGood || !u) return { problem: vscode.l10n.t('The preview has nothing rendered yet.') };
    if (u.stale) {
      const first = u.problems.find((p) => p.severity === 'error');
      return { problem: first ? (first.line ? vscode.l10n.t('Line {0}: {1}', first.line, first.message) : first.message) : vscode.l10n.t('The preview is out of date.') };
    }
    return { text: this.lastGood.text };
  }

  state(): PreviewState {
    const u = this.lastUpdate;
    const values = this.source ? this.valuesUri() : undefined;
    return {
      open: !this.disposed,
      visible: this.panel.visible,
      ...(u?.source ? { source: u.source.uri } : this.source ? { source: this.source.toString() } : {}),
      ...(u?.source ? { kind: u.source.kind } : {}),
      ...(values ? { values: values.toString() } : {}),
      locked: this.locked,
      tokenView: this.tokenView,
      ...(this.lastGood ? { text: this.lastGood.text } : {}),
      stale: u?.stale ?? false,
      problems: (u?.problems ?? []).map((p) => (p.line ? `${p.severity} ${p.file ?? 'source'}:${p.line}:${p.column ?? 1} ${p.message}` : `${p.severity} ${p.message}`)),
      ...(u?.header?.tokens !== undefined ? { tokens: u.header.tokens, exact: u.header.exact, model: u.header.model.id } : {}),
      ...(u?.header ? { gauge: { share: u.header.share, level: u.header.level, text: u.header.shareText } } : {}),
      ...(u?.header?.retirement ? { retirement: u.header.retirement.text } : {}),
      title: this.panel.title,
      seq: u?.seq ?? 0,
      ...(this.painted ? { painted: this.painted } : {}),
      ...(this.paintedTokens ? { paintedTokens: this.paintedTokens } : {}),
      refused: this.refused,
    };
  }

  timingLog(): PreviewTimings {
    return {
      updates: this.timings.map((t) => ({ ...t })),
      tokens: this.tokenTimings.map((t) => ({ ...t })),
      longestSliceMs: this.deps.pipeline.longestSliceMs,
      longestPostMs: this.longestPostMs,
    };
  }

  /** Starts the longest-stretch measurements again (benchmark). */
  resetLongest(): void {
    this.deps.pipeline.longestSliceMs = 0;
    this.longestPostMs = 0;
  }

  /** What the page keeps for a reload (also set by the page itself). */
  savedState(): { uri?: string; locked: boolean } {
    return { ...(this.source ? { uri: this.source.toString() } : {}), locked: this.locked };
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    return webviewPage(webview, media, { title: 'Prompt Preview', styles: ['preview.css'], scripts: ['preview-protocol.js', 'preview.js'] });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.sourceWatcher?.dispose();
    this.valuesWatcher?.watcher.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

/** The page's words, in the UI language. */
function labels(): Record<string, string> {
  return {
    tokenView: vscode.l10n.t('Token view'),
    tokenViewOn: vscode.l10n.t('Show the rendered text'),
    tokenViewOff: vscode.l10n.t('Show the tokens'),
    copy: vscode.l10n.t('Copy Rendered Prompt'),
    lock: vscode.l10n.t('Lock the preview to this file'),
    unlock: vscode.l10n.t('Unlock: follow the active editor'),
    values: vscode.l10n.t('Select Preview Values…'),
    valuesFrom: vscode.l10n.t('Values: {0}'),
    samples: vscode.l10n.t('Sample values from the front matter'),
    model: vscode.l10n.t('Model'),
    moreModels: vscode.l10n.t('More models…'),
    characters: vscode.l10n.t('{0} characters'),
    inputCost: vscode.l10n.t('Input {0}'),
    withOutput: vscode.l10n.t('{0}: {1}'),
    context: vscode.l10n.t('Context window'),
    exact: vscode.l10n.t('Exact count ({0})'),
    estimate: vscode.l10n.t('Estimate (≈): this model\'s tokenizer is not public'),
    useTemplateModel: vscode.l10n.t('Use it'),
    stale: vscode.l10n.t('Out of date: showing the last render that worked.'),
    goTo: vscode.l10n.t('Go to line {0}'),
    lineIn: vscode.l10n.t('{0}, line {1}'),
    template: vscode.l10n.t('Template'),
    document: vscode.l10n.t('Document'),
    tokensShown: vscode.l10n.t('Showing {0} of {1} tokens.'),
    showMore: vscode.l10n.t('Show more'),
    showAll: vscode.l10n.t('Show all'),
    tokensPartOf: vscode.l10n.t('Tokens of the first {0} characters.'),
    computing: vscode.l10n.t('Cutting the prompt into tokens…'),
    approximate: vscode.l10n.t('A few token boundaries may be approximate: the text has a very long run without a break.'),
    tokenId: vscode.l10n.t('Token {0} · id {1}'),
    splitChar: vscode.l10n.t('Part of a character split across tokens (bytes {0})'),
    textTruncated: vscode.l10n.t('Showing the first {0} of {1} characters. Copy Rendered Prompt copies all of it.'),
    empty: vscode.l10n.t('(the rendered prompt is empty)'),
    renderedPrompt: vscode.l10n.t('Rendered prompt'),
    tokensLabel: vscode.l10n.t('Tokens of the rendered prompt'),
    legendSpace: vscode.l10n.t('· space  → tab  ↵ line break'),
  };
}
