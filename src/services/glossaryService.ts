/**
 * The glossary as the editor sees it: the built-in terms (dist/glossary.json, read on first
 * use — never on activation), the `promptWorkbench.glossary.terms` setting and each workspace
 * folder's `.vscode/prompt-glossary.json`, merged, with one matcher and one search index built
 * per version. Reloaded when the file or the setting changes. Problems in the user's terms are
 * logged and shown in one message (where, field, line and column); the built-in glossary and
 * every valid user term keep working.
 */
import * as vscode from 'vscode';
import type { GlossaryIssue, GlossaryLayer } from '../core/glossary/load';
import type { GlossaryMatcher } from '../core/glossary/matcher';
import type { EntrySource, GlossaryEntry } from '../core/glossary/schema';
import type { GlossarySearch } from '../core/glossary/search';
import { entryNames, entryTitle } from '../core/glossary/titles';
import { lazy } from '../core/lazy';
import { log } from './log';

/** The glossary's loading, matching and search code, required with the first use of the glossary (not at activation). */
const core = lazy(() => ({
  ...(require('../core/glossary/load') as typeof import('../core/glossary/load')),
  ...(require('../core/glossary/matcher') as typeof import('../core/glossary/matcher')),
  ...(require('../core/glossary/search') as typeof import('../core/glossary/search')),
}));
const formatIssue = (issue: GlossaryIssue): string => core().formatIssue(issue);

/** A glossary problem in the user's language (our own messages; zod's come localized already). */
export function glossaryIssueText(issue: GlossaryIssue): string {
  const [a = ''] = issue.args ?? [];
  switch (issue.code) {
    case 'notJson':
      return vscode.l10n.t('not valid JSON ({0}); fix it and save', a);
    case 'notAList':
      return vscode.l10n.t('must be a list of terms like {0}', '{ "id": "my-term", "en": "…", "zh": "…", "definition": { "en": "…", "zh": "…" } }');
    case 'duplicateId':
      return vscode.l10n.t('duplicate id "{0}"', a);
    case 'noSuchRelated':
      return vscode.l10n.t('no entry with id "{0}"', a);
    default:
      return issue.message;
  }
}

export const GLOSSARY_SECTION = 'promptWorkbench.glossary';
export const WORKSPACE_GLOSSARY = '.vscode/prompt-glossary.json';
export const TERMS_SETTING = `${GLOSSARY_SECTION}.terms`;

export interface GlossarySnapshot {
  readonly version: number;
  readonly entries: readonly GlossaryEntry[];
  readonly byId: ReadonlyMap<string, GlossaryEntry>;
  readonly matcher: GlossaryMatcher;
  readonly search: GlossarySearch;
  readonly issues: readonly GlossaryIssue[];
  readonly timings: { readMs: number; mergeMs: number; matcherMs: number; searchMs: number };
}

/** For tests and other extensions (part of the extension's API). */
export interface GlossaryApi {
  /** Whether the glossary has been read yet (it is read on first use). */
  loaded(): boolean;
  /** Loads if needed; counts and problems as `where:line:col path: message`. */
  info(): Promise<{ entries: number; bySource: Record<string, number>; issues: string[]; patterns: number; timings: GlossarySnapshot['timings'] }>;
  /** Waits until a reload started by a change has finished. */
  settled(): Promise<void>;
  /** Ids of the terms found in `text`, in order. */
  find(text: string): Promise<{ id: string; start: number; end: number }[]>;
  /** The glossary view: visible, the term last asked for, the term it shows, the last query and its first results. */
  view(): { visible: boolean; requested?: string; selected?: string; query?: string; shown?: string[] };
}

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const SOURCE_PRIORITY: Record<EntrySource['kind'], number> = { builtIn: 0, setting: 1, workspace: 2 };

/** Localised category name (built-in categories; a user's own category is shown as written). */
export function categoryLabel(category: string): string {
  switch (category) {
    case 'prompting': return vscode.l10n.t('Prompting');
    case 'tokens': return vscode.l10n.t('Tokens & tokenizers');
    case 'inference': return vscode.l10n.t('Inference');
    case 'models': return vscode.l10n.t('Models');
    case 'architecture': return vscode.l10n.t('Architecture');
    case 'training': return vscode.l10n.t('Training');
    case 'data': return vscode.l10n.t('Data');
    case 'applications': return vscode.l10n.t('Applications');
    case 'evaluation': return vscode.l10n.t('Evaluation');
    case 'concepts': return vscode.l10n.t('Concepts');
    case 'hardware': return vscode.l10n.t('Hardware');
    case 'systems': return vscode.l10n.t('Systems');
    case 'tools': return vscode.l10n.t('Tools');
    case 'custom': return vscode.l10n.t('Custom');
    default: return category;
  }
}

/** "From .vscode/prompt-glossary.json" etc.; undefined for built-in entries. */
export function sourceLabel(source: EntrySource): string | undefined {
  if (source.kind === 'builtIn') return undefined;
  if (source.kind === 'setting') return vscode.l10n.t('From setting {0}', source.label);
  return vscode.l10n.t('From {0}', source.label);
}

export function uiIsChinese(): boolean {
  return vscode.env.language.toLowerCase().startsWith('zh');
}

export class GlossaryService implements vscode.Disposable {
  private current: Promise<GlossarySnapshot> | undefined;
  private latest: GlossarySnapshot | undefined;
  private version = 0;
  private readonly emitter = new vscode.EventEmitter<GlossarySnapshot>();
  /** Fires after a reload (a change of the workspace file or the setting). */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingReload: Promise<void> = Promise.resolve();
  private lastShown = '';
  /** Set by the glossary view (for the API). */
  viewState: () => ReturnType<GlossaryApi['view']> = () => ({ visible: false });

  constructor(private readonly extensionUri: vscode.Uri) {
    // Cheap: nothing is read until a hover, the view or a command needs the glossary.
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_GLOSSARY}`);
    // A file created together with its .vscode folder can escape the file watcher: watch the folder too.
    const folderWatcher = vscode.workspace.createFileSystemWatcher('**/.vscode', false, true, false);
    const isGlossary = (uri: vscode.Uri) => uri.path.endsWith(`/${WORKSPACE_GLOSSARY}`) || uri.path.endsWith('/.vscode');
    this.subscriptions.push(
      watcher,
      folderWatcher,
      watcher.onDidCreate(() => this.scheduleReload()),
      watcher.onDidChange(() => this.scheduleReload()),
      watcher.onDidDelete(() => this.scheduleReload()),
      folderWatcher.onDidCreate(() => {
        this.scheduleReload();
        setTimeout(() => this.scheduleReload(), 1000);
      }),
      folderWatcher.onDidDelete(() => this.scheduleReload()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (isGlossary(doc.uri)) this.scheduleReload();
      }),
      vscode.workspace.onDidCreateFiles((e) => {
        if (e.files.some(isGlossary)) this.scheduleReload();
      }),
      vscode.workspace.onDidDeleteFiles((e) => {
        if (e.files.some(isGlossary)) this.scheduleReload();
      }),
      vscode.workspace.onDidRenameFiles((e) => {
        if (e.files.some((f) => isGlossary(f.oldUri) || isGlossary(f.newUri))) this.scheduleReload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(TERMS_SETTING)) this.scheduleReload();
      }),
    );
  }

  get loaded(): boolean {
    return this.current !== undefined;
  }

  /** The glossary, loading it on first use. */
  get(): Promise<GlossarySnapshot> {
    this.current ??= this.load();
    return this.current;
  }

  /** The glossary if it is already loaded (for synchronous callers). */
  peek(): GlossarySnapshot | undefined {
    return this.latest;
  }

  private reloadDone: (() => void) | undefined;

  private disposed = false;

  private scheduleReload(): void {
    if (this.disposed) return;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (!this.reloadDone) this.pendingReload = new Promise((r) => (this.reloadDone = r));
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      const done = this.reloadDone!;
      this.reloadDone = undefined;
      const next = this.load();
      this.current = next;
      next.then((snap) => this.emitter.fire(snap), () => undefined).finally(done);
    }, 150);
  }

  /** Resolves once no reload is pending. */
  async settled(): Promise<void> {
    while (this.reloadTimer) await this.pendingReload;
    await this.pendingReload;
    if (this.current) await this.current;
  }

  private async readBuiltIn(): Promise<GlossaryEntry[]> {
    const uri = vscode.Uri.joinPath(this.extensionUri, 'dist', 'glossary.json');
    try {
      const data = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as unknown;
      const { entries, issues } = core().parseBuiltIn(data, 'dist/glossary.json');
      for (const i of issues) log().error(`Built-in glossary: ${formatIssue(i)}`);
      return entries;
    } catch (err) {
      log().error(`Could not read the built-in glossary ${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  private async readWorkspaceFiles(): Promise<GlossaryLayer[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const layers = await Promise.all(folders.map(async (folder) => {
      const uri = vscode.Uri.joinPath(folder.uri, ...WORKSPACE_GLOSSARY.split('/'));
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        return undefined; // no file: nothing to add
      }
      const label = folders.length > 1 ? `${folder.name}/${WORKSPACE_GLOSSARY}` : WORKSPACE_GLOSSARY;
      return core().parseGlossaryFile(new TextDecoder().decode(bytes), { kind: 'workspace', label, uri: uri.toString() });
    }));
    return layers.filter((l): l is GlossaryLayer => l !== undefined);
  }

  private async load(): Promise<GlossarySnapshot> {
    const t0 = performance.now();
    const [builtIn, files] = await Promise.all([this.readBuiltIn(), this.readWorkspaceFiles()]);
    const { parseTermsSetting, mergeGlossary, GlossaryMatcher, GlossarySearch } = core();
    const setting = parseTermsSetting(vscode.workspace.getConfiguration(GLOSSARY_SECTION).get('terms'), { kind: 'setting', label: TERMS_SETTING });
    const t1 = performance.now();
    const { entries, issues } = mergeGlossary(builtIn, [setting, ...files]);
    const byId = new Map(entries.map((e) => [e.id, e] as const));
    await yieldToHost(); // a big user glossary: let other extension-host work run between the steps
    const t2 = performance.now();
    const matcher = new GlossaryMatcher(entries.map((e) => ({ names: entryNames(e), priority: SOURCE_PRIORITY[e.source.kind] })));
    await yieldToHost();
    const t3 = performance.now();
    const search = new GlossarySearch(entries);
    const t4 = performance.now();
    const snap: GlossarySnapshot = {
      version: ++this.version,
      entries,
      byId,
      matcher,
      search,
      issues,
      timings: { readMs: t1 - t0, mergeMs: t2 - t1, matcherMs: t3 - t2, searchMs: t4 - t3 },
    };
    this.latest = snap;
    const user = entries.filter((e) => e.source.kind !== 'builtIn').length;
    log().info(`Glossary loaded: ${entries.length} terms (${user} from the workspace or settings), ${matcher.patternCount} names and variants; read ${(t1 - t0).toFixed(1)} ms, merge ${(t2 - t1).toFixed(1)} ms, matcher ${(t3 - t2).toFixed(1)} ms, search index ${(t4 - t3).toFixed(1)} ms`);
    this.report(issues);
    return snap;
  }

  private report(issues: readonly GlossaryIssue[]): void {
    const text = issues.map(formatIssue).join('\n');
    if (text === this.lastShown) return;
    this.lastShown = text;
    if (!text) return;
    for (const i of issues) log().warn(`Glossary: ${formatIssue(i)}`);
    const first = issues[0]!;
    const where = `${first.where}${first.line !== undefined ? `:${first.line}:${first.column ?? 1}` : ''}${first.path ? ` ${first.path}` : ''}`;
    const more = issues.length - 1;
    const message = more > 0
      ? vscode.l10n.t('Prompt Workbench glossary: {0} — {1} (and {2} more problems, see the log). Terms with problems are skipped; the built-in glossary keeps working.', where, glossaryIssueText(first), more)
      : vscode.l10n.t('Prompt Workbench glossary: {0} — {1}. Terms with problems are skipped; the built-in glossary keeps working.', where, glossaryIssueText(first));
    const openFile = vscode.l10n.t('Open File');
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    const actions = first.uri ? [openFile, showLog] : [openSettings, showLog];
    void vscode.window.showWarningMessage(message, ...actions).then(async (choice) => {
      if (choice === openFile && first.uri) {
        const pos = new vscode.Position(Math.max(0, (first.line ?? 1) - 1), Math.max(0, (first.column ?? 1) - 1));
        await vscode.window.showTextDocument(vscode.Uri.parse(first.uri), { selection: new vscode.Range(pos, pos) });
      } else if (choice === openSettings) {
        await vscode.commands.executeCommand('workbench.action.openSettings', TERMS_SETTING);
      } else if (choice === showLog) {
        log().show(true);
      }
    });
  }

  api(): GlossaryApi {
    return {
      loaded: () => this.loaded,
      info: async () => {
        const s = await this.get();
        const bySource: Record<string, number> = {};
        for (const e of s.entries) bySource[e.source.kind] = (bySource[e.source.kind] ?? 0) + 1;
        return { entries: s.entries.length, bySource, issues: s.issues.map(formatIssue), patterns: s.matcher.patternCount, timings: s.timings };
      },
      settled: () => this.settled(),
      find: async (text) => {
        const s = await this.get();
        return s.matcher.findAll(text).map((m) => ({ id: s.entries[m.term]!.id, start: m.start, end: m.end }));
      },
      view: () => this.viewState(),
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}

/** Related entries that exist, as { id, title }. */
export function relatedOf(snap: GlossarySnapshot, entry: GlossaryEntry): { id: string; title: string; en?: string; zh?: string }[] {
  return entry.related.flatMap((id) => {
    const r = snap.byId.get(id);
    return r && r.id !== entry.id ? [{ id: r.id, title: entryTitle(r), en: r.en, zh: r.zh }] : [];
  });
}
