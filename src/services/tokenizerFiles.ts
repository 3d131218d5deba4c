/**
 * `promptWorkbench.tokenizerFiles`: exact counts for open models from a local Hugging Face
 * tokenizer.json. One worker per file, shared by every model that names it; reloaded when the
 * file changes on disk; released when no setting names it any more. A file that cannot be used is
 * reported once (model, file, reason) and that model falls back to its ≈ estimate.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TokenizerWorker, TokenizerWorkerError } from '../core/hfWorkerClient';
import type { Model } from '../core/models';
import { type AnyTokenizer, type AsyncTokenizer, tokenizerFor } from '../core/tokenizer';
import { log } from './log';
import type { SettingsService } from './settings';

interface Handle {
  readonly file: string;
  worker: TokenizerWorker;
  state: 'loading' | 'ready' | 'error';
  error?: string;
  generation: number;
  watcher: vscode.FileSystemWatcher;
  reloadTimer?: ReturnType<typeof setTimeout>;
}

/** Absolute path for what the user wrote: absolute, `~/…`, or relative to the first workspace folder. */
export function resolveTokenizerPath(written: string): string | { error: string } {
  const p = written.trim();
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(1));
  if (path.isAbsolute(p)) return path.normalize(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return { error: vscode.l10n.t('a relative path needs an open folder; use an absolute path') };
  return path.join(folder.uri.fsPath, p);
}

/** Size and modification time: whether a file is still the one loaded earlier ('' if it cannot be read). */
function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** Why a tokenizer file cannot be used, in the user's language (the tokenizer process reports it in English, with its variable parts). */
export function describeTokenizerProblem(e: unknown): string {
  if (!(e instanceof TokenizerWorkerError)) return e instanceof Error ? e.message : String(e);
  const [a = '', b = ''] = e.args;
  switch (e.problem) {
    case 'missing':
      return vscode.l10n.t('the file does not exist');
    case 'directory':
      return vscode.l10n.t('this is a folder; choose the tokenizer.json file inside it');
    case 'tooLarge':
      return vscode.l10n.t('the file is {0} MB; a tokenizer.json is at most {1} MB', a, b);
    case 'unreadable':
      return a === 'config' ? vscode.l10n.t('cannot read the tokenizer_config.json beside it ({0})', b) : vscode.l10n.t('cannot read the file ({0})', b);
    case 'notJson':
      return a === 'config' ? vscode.l10n.t('the tokenizer_config.json beside it is not valid JSON ({0})', b) : vscode.l10n.t('the file is not valid JSON ({0})', b);
    case 'notTokenizer':
      return vscode.l10n.t('this JSON is not a Hugging Face tokenizer.json ({0}: {1})', a || vscode.l10n.t('top level'), b);
    case 'unsupported':
      return vscode.l10n.t('@huggingface/tokenizers cannot use this tokenizer ({0})', a);
    case 'countFailed':
      return vscode.l10n.t('the tokenizer failed on this text ({0})', a);
    case 'crashed':
      return vscode.l10n.t('the tokenizer process stopped ({0})', a);
  }
}

export class TokenizerFilesService implements vscode.Disposable {
  private readonly handles = new Map<string, Handle>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when a tokenizer file starts or finishes loading, fails, or is released. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private readonly reported = new Set<string>();
  private started = false;
  /**
   * The tokenizer that `check` just loaded, kept for a minute: `Prompt: Use Tokenizer File…` checks
   * a file and then names it in a setting, and loading it a second time would cost another 0.5–2 s.
   */
  private spare: { file: string; stamp: string; worker: TokenizerWorker; timer: ReturnType<typeof setTimeout> } | undefined;

  /** Nothing is loaded until a count asks for a model's tokenizer (activation stays cheap). */
  constructor(private readonly settings: SettingsService, private readonly workerScript: string) {
    this.subscription = settings.onDidChange(() => this.started && this.sync());
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.sync();
  }

  /** Model id → resolved file (or why it cannot be resolved). */
  private wanted(): Map<string, string | { error: string }> {
    const out = new Map<string, string | { error: string }>();
    for (const [id, written] of Object.entries(this.settings.get().tokenizerFiles)) out.set(id, resolveTokenizerPath(written));
    return out;
  }

  private sync(): void {
    const files = new Set<string>();
    for (const [id, file] of this.wanted()) {
      if (typeof file !== 'string') {
        this.report(id, this.settings.get().tokenizerFiles[id] ?? '', file.error);
        continue;
      }
      files.add(file);
      if (!this.handles.has(file)) this.open(file);
    }
    for (const [file, handle] of this.handles) {
      if (files.has(file)) continue;
      this.close(handle);
      this.handles.delete(file);
      log().info(`Released tokenizer ${file}: no setting names it.`);
    }
    // A problem reported before can be reported again once the setting has changed.
    this.reported.clear();
    for (const [id, handle] of this.byModel()) if (handle.state === 'error') this.report(id, handle.file, handle.error ?? '');
    this.emitter.fire();
  }

  private byModel(): Array<[string, Handle]> {
    const out: Array<[string, Handle]> = [];
    for (const [id, file] of this.wanted()) {
      const handle = typeof file === 'string' ? this.handles.get(file) : undefined;
      if (handle) out.push([id, handle]);
    }
    return out;
  }

  private open(file: string): void {
    const dir = vscode.Uri.file(path.dirname(file));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.basename(file)));
    const handle: Handle = { file, worker: this.startWorker(file), state: 'loading', generation: 0, watcher };
    const reload = (): void => {
      if (handle.reloadTimer) clearTimeout(handle.reloadTimer);
      handle.reloadTimer = setTimeout(() => this.reload(handle), 300); // let the writer finish
    };
    watcher.onDidChange(reload);
    watcher.onDidCreate(reload);
    watcher.onDidDelete(reload);
    this.handles.set(file, handle);
    this.watch(handle);
  }

  private startWorker(file: string): TokenizerWorker {
    const spare = this.takeSpare(file);
    if (spare) {
      log().info(`Using tokenizer ${file} as loaded to check it.`);
      return spare;
    }
    log().info(`Loading tokenizer ${file}…`);
    return new TokenizerWorker(file, this.workerScript);
  }

  private keepSpare(file: string, worker: TokenizerWorker): void {
    this.dropSpare();
    this.spare = { file: path.resolve(file), stamp: fileStamp(file), worker, timer: setTimeout(() => this.dropSpare(), 60_000) };
  }

  /** The spare tokenizer if it is of this file and the file has not changed since. */
  private takeSpare(file: string): TokenizerWorker | undefined {
    const spare = this.spare;
    if (!spare || spare.file !== path.resolve(file)) return undefined;
    if (spare.stamp === '' || spare.stamp !== fileStamp(file)) {
      this.dropSpare();
      return undefined;
    }
    clearTimeout(spare.timer);
    this.spare = undefined;
    return spare.worker;
  }

  private dropSpare(): void {
    if (!this.spare) return;
    clearTimeout(this.spare.timer);
    this.spare.worker.dispose();
    this.spare = undefined;
  }

  private watch(handle: Handle): void {
    const generation = ++handle.generation;
    handle.state = 'loading';
    handle.error = undefined;
    handle.worker.ready.then(
      (info) => {
        if (generation !== handle.generation) return;
        handle.state = 'ready';
        log().info(`Loaded tokenizer ${handle.file} in ${info.loadMs.toFixed(0)} ms (${info.vocabularySize} tokens${info.withConfig ? ', with tokenizer_config.json' : ''}; tokenizer process heap ${(info.heapUsed / 1048576).toFixed(0)} MB; ${info.byLines ? 'an edit re-encodes only the lines it changed' : `every count encodes the whole text: ${info.wholeTextReason}`}).`);
        this.emitter.fire();
      },
      (err: Error) => {
        if (generation !== handle.generation) return;
        handle.state = 'error';
        handle.error = describeTokenizerProblem(err);
        log().error(`Tokenizer ${handle.file}: ${err.message}`);
        for (const [id, h] of this.byModel()) if (h === handle) this.report(id, handle.file, handle.error);
        this.emitter.fire();
      },
    );
    this.emitter.fire();
  }

  private reload(handle: Handle): void {
    if (this.handles.get(handle.file) !== handle) return;
    log().info(`Tokenizer ${handle.file} changed on disk; reloading.`);
    handle.worker.dispose();
    handle.worker = this.startWorker(handle.file);
    for (const [id] of this.byModel()) this.reported.delete(`${id}\u0000${handle.file}`);
    this.watch(handle);
  }

  private close(handle: Handle): void {
    if (handle.reloadTimer) clearTimeout(handle.reloadTimer);
    handle.generation++;
    handle.worker.dispose();
    handle.watcher.dispose();
  }

  private report(modelId: string, file: string, reason: string): void {
    const key = `${modelId}\u0000${file}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const choose = vscode.l10n.t('Choose Another File…');
    const openSettings = vscode.l10n.t('Open Settings');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('Prompt Workbench: the tokenizer file for {0} cannot be used ({1}): {2}. Counting with the ≈ estimate until it is fixed.', modelId, file, reason), choose, openSettings)
      .then((choice) => {
        if (choice === choose) void vscode.commands.executeCommand('promptWorkbench.useTokenizerFile', modelId);
        else if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'promptWorkbench.tokenizerFiles');
      });
  }

  /** The tokenizer file configured for a model: its state and problem, if any. */
  fileFor(modelId: string): { file: string; state: Handle['state'] | 'error'; error?: string } | undefined {
    this.start();
    const wanted = this.wanted().get(modelId);
    if (wanted === undefined) return undefined;
    if (typeof wanted !== 'string') return { file: this.settings.get().tokenizerFiles[modelId] ?? '', state: 'error', error: wanted.error };
    const handle = this.handles.get(wanted);
    return handle ? { file: handle.file, state: handle.state, error: handle.error } : undefined;
  }

  /** What `model` counts with now: its tokenizer file when one is set and usable, else its built-in tokenizer. */
  tokenizerFor(model: Model): AnyTokenizer {
    this.start();
    const wanted = this.wanted().get(model.id);
    // The setting may have changed in this very task: the change event reaches sync() a task later.
    if (typeof wanted === 'string' && !this.handles.has(wanted)) this.sync();
    const handle = typeof wanted === 'string' ? this.handles.get(wanted) : undefined;
    if (!handle || handle.state === 'error') return tokenizerFor(model);
    const worker = handle.worker;
    const tokenizer: AsyncTokenizer = {
      key: `hf:${handle.file}#${handle.generation}`,
      exact: true,
      label: path.basename(handle.file),
      file: handle.file,
      get loading() {
        return handle.state === 'loading';
      },
      countAsync: (text) =>
        worker.count(text).catch((e: unknown) => {
          throw new Error(describeTokenizerProblem(e));
        }),
    };
    return tokenizer;
  }

  /**
   * Loads `file` in a tokenizer process of its own to check that it is a usable tokenizer. A usable
   * one is kept for a minute, for the setting that names it next (see `spare`).
   */
  async check(file: string): Promise<{ ok: true; vocabularySize: number; loadMs: number } | { ok: false; error: string }> {
    const worker = new TokenizerWorker(file, this.workerScript);
    try {
      const info = await worker.ready;
      await worker.count('check 检查');
      this.keepSpare(file, worker);
      return { ok: true, vocabularySize: info.vocabularySize, loadMs: info.loadMs };
    } catch (e) {
      worker.dispose();
      log().warn(`Tokenizer ${file} cannot be used: ${(e as Error).message}`);
      return { ok: false, error: describeTokenizerProblem(e) };
    }
  }

  dispose(): void {
    this.dropSpare();
    for (const handle of this.handles.values()) this.close(handle);
    this.handles.clear();
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
