/**
 * The Prompt Glossary view (a webview view in its own activity-bar container): search by any
 * name in either language (typos and case tolerated), a category filter, the list, and the
 * selected term in full with its related terms. `Prompt: Open Glossary` reveals it, optionally
 * on one term (the hover's `Open in Glossary` link passes the term's id).
 *
 * The page (media/glossary.js) builds its DOM with textContent only, under a CSP that allows
 * nothing but this view's own files and one nonce'd script.
 */
import * as vscode from 'vscode';
import type { EntryView, HostToView, ListItem, ViewToHost } from '../core/glossary/messages';
import type { GlossaryEntry } from '../core/glossary/schema';
import { lazy } from '../core/lazy';
import { categoryLabel, type GlossaryService, type GlossarySnapshot, relatedOf, sourceLabel, uiIsChinese } from '../services/glossaryService';
import { log } from '../services/log';
import { webviewPage } from './webviewPage';

export const GLOSSARY_VIEW = 'promptWorkbench.glossary';
export const OPEN_GLOSSARY_COMMAND = 'promptWorkbench.openGlossary';
/** At most this many rows are sent to the list at once. */
const MAX_ROWS = 300;

/** The page's message schema and the glossary loader's line lookup: required when the view is first used, not at activation. */
const messages = lazy(() => require('../core/glossary/messages') as typeof import('../core/glossary/messages'));
const glossaryLoad = lazy(() => require('../core/glossary/load') as typeof import('../core/glossary/load'));

function listItem(e: GlossaryEntry, zhFirst: boolean): ListItem {
  const [a, b] = zhFirst ? [e.zh, e.en] : [e.en, e.zh];
  const primary = a ?? b ?? e.id;
  const secondary = [b && b !== primary ? b : '', ...e.abbr.filter((x) => x !== primary)].filter(Boolean).join(' · ');
  return { id: e.id, primary, secondary, category: categoryLabel(e.category), source: e.source.kind };
}

function entryView(snap: GlossarySnapshot, e: GlossaryEntry, zhFirst: boolean): EntryView {
  const defs: EntryView['definitions'] = [];
  const en = e.definition.en ? { lang: 'en' as const, label: 'English', text: e.definition.en } : undefined;
  const zh = e.definition.zh ? { lang: 'zh' as const, label: '中文', text: e.definition.zh } : undefined;
  for (const d of zhFirst ? [zh, en] : [en, zh]) if (d) defs.push(d);
  return {
    id: e.id,
    en: e.en,
    zh: e.zh,
    abbr: e.abbr,
    aliases: [...e.aliasesEn, ...e.aliasesZh],
    category: e.category,
    categoryLabel: categoryLabel(e.category),
    definitions: defs,
    related: relatedOf(snap, e),
    source: {
      kind: e.source.kind,
      label: sourceLabel(e.source) ?? vscode.l10n.t('Built-in glossary'),
      canOpen: e.source.kind !== 'builtIn',
    },
  };
}

class GlossaryViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private pendingReveal: string | undefined;
  /** The page is being reloaded because the glossary changed, not opened by the user. */
  private reloading = false;
  private selected: string | undefined;
  private lastQuery: string | undefined;
  /** The last term the view was asked to show (by the command). */
  private requested: string | undefined;
  private shown: string[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly glossary: GlossaryService) {}

  state() {
    return { visible: !!this.view?.visible, requested: this.requested, selected: this.selected, query: this.lastQuery, shown: this.shown.slice(0, 50) };
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.reloading = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = this.html(view.webview, media);
    view.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = messages().ViewToHostSchema.safeParse(raw);
      if (!parsed.success) {
        log().warn(`Glossary view: ignored a malformed message: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
        return;
      }
      void this.handle(parsed.data).catch((err: unknown) => log().error(`Glossary view: ${err instanceof Error ? err.stack ?? err.message : String(err)}`));
    });
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
    view.onDidChangeVisibility(() => {
      if (!view.visible) this.ready = false; // the page is reloaded when shown again
    });
  }

  private post(msg: HostToView): void {
    void this.view?.webview.postMessage(msg);
  }

  private async handle(msg: ViewToHost): Promise<void> {
    const snap = await this.glossary.get();
    const zhFirst = uiIsChinese();
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const counts = new Map<string, number>();
        for (const e of snap.entries) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
        const categories = [...counts].map(([id, count]) => ({ id, label: categoryLabel(id), count }))
          .sort((a, b) => a.label.localeCompare(b.label));
        const problem = snap.issues.length
          ? vscode.l10n.t('{0} problem(s) in your glossary terms; see the log (Output → Prompt Workbench).', snap.issues.length)
          : undefined;
        this.post({ type: 'init', labels: this.labels(), categories, total: snap.entries.length, zhFirst, focusSearch: !this.reloading, ...(problem ? { problem } : {}) });
        this.reloading = false;
        if (this.pendingReveal) {
          this.post({ type: 'reveal', id: this.pendingReveal });
          this.pendingReveal = undefined;
        }
        return;
      }
      case 'query': {
        const hits = snap.search.search(msg.query, { category: msg.category || undefined });
        const items = hits.slice(0, MAX_ROWS).map((h) => listItem(snap.entries[h.index]!, zhFirst));
        this.lastQuery = msg.query;
        this.shown = items.map((i) => i.id);
        this.post({ type: 'results', seq: msg.seq, items, total: snap.entries.length, shown: hits.length });
        return;
      }
      case 'select': {
        const e = snap.byId.get(msg.id);
        if (!e) {
          this.post({ type: 'missing', id: msg.id });
          return;
        }
        this.selected = e.id;
        this.post({ type: 'entry', entry: entryView(snap, e, zhFirst) });
        return;
      }
      case 'openSource': {
        const e = snap.byId.get(msg.id);
        if (!e || e.source.kind === 'builtIn') return;
        if (e.source.kind === 'setting') {
          await vscode.commands.executeCommand('workbench.action.openSettings', e.source.label);
          return;
        }
        if (e.source.uri) {
          const uri = vscode.Uri.parse(e.source.uri);
          const doc = await vscode.workspace.openTextDocument(uri);
          const line = e.source.index !== undefined ? (glossaryLoad().entryLine(doc.getText(), e.source.index) ?? 1) - 1 : 0;
          const pos = new vscode.Position(line, 0);
          await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
        }
        return;
      }
    }
  }

  /** Shows the view, on the entry `id` when given. */
  async reveal(id?: string): Promise<void> {
    if (id) {
      this.pendingReveal = id;
      this.requested = id;
    }
    // Not awaited: the focus command settles only once the page has loaded.
    void Promise.resolve(vscode.commands.executeCommand(`${GLOSSARY_VIEW}.focus`)).then(undefined, (err: unknown) => log().error(`Glossary view: ${String(err)}`));
    if (this.view && this.ready && this.pendingReveal) {
      this.post({ type: 'reveal', id: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  /** The glossary changed: the page asks again for its list and entry. */
  refresh(): void {
    if (this.view && this.ready) {
      this.ready = false;
      this.reloading = true;
      if (this.view) this.view.webview.html = this.html(this.view.webview, vscode.Uri.joinPath(this.extensionUri, 'media'));
    }
  }

  private labels(): Record<string, string> {
    return {
      search: vscode.l10n.t('Search terms (English, 中文, abbreviations)'),
      searchLabel: vscode.l10n.t('Search the glossary'),
      allCategories: vscode.l10n.t('All categories'),
      categoryLabel: vscode.l10n.t('Category'),
      listLabel: vscode.l10n.t('Glossary terms'),
      count: vscode.l10n.t('{0} of {1} terms'),
      more: vscode.l10n.t('Showing the first {0}; refine the search to see more.'),
      none: vscode.l10n.t('No term matches. Check the spelling or try the other language.'),
      abbr: vscode.l10n.t('Abbreviations'),
      aliases: vscode.l10n.t('Also called'),
      category: vscode.l10n.t('Category'),
      related: vscode.l10n.t('Related terms'),
      source: vscode.l10n.t('Source'),
      openSource: vscode.l10n.t('Open where it is defined'),
      empty: vscode.l10n.t('Select a term to read its definition.'),
      missing: vscode.l10n.t('The term "{0}" is not in the glossary.'),
      clear: vscode.l10n.t('Clear search'),
      userTerm: vscode.l10n.t('Your term'),
    };
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    return webviewPage(webview, media, { title: 'Prompt Glossary', styles: ['glossary.css'], scripts: ['glossary.js'] });
  }
}

export interface GlossaryView extends vscode.Disposable {
  reveal(id?: string): Promise<void>;
}

export function registerGlossaryView(context: vscode.ExtensionContext, glossary: GlossaryService): GlossaryView {
  const provider = new GlossaryViewProvider(context.extensionUri, glossary);
  glossary.viewState = () => provider.state();
  const disposables = [
    vscode.window.registerWebviewViewProvider(GLOSSARY_VIEW, provider),
    vscode.commands.registerCommand('promptWorkbench.openGlossary', async (arg?: unknown) => {
      const id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string' ? (arg as { id: string }).id : undefined;
      await provider.reveal(id);
    }),
    glossary.onDidChange(() => provider.refresh()),
  ];
  return {
    reveal: (id) => provider.reveal(id),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}

