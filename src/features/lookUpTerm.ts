/**
 * `Prompt: Look Up Term`: the selection, or the term (else the word) at the cursor. A term the
 * glossary knows opens in the glossary view; an ambiguous selection (several terms) or an
 * unknown word opens a quick pick that searches as you type (typos and case tolerated).
 */
import * as vscode from 'vscode';
import type { GlossaryEntry } from '../core/glossary/schema';
import { entryTitle } from '../core/glossary/titles';
import { categoryLabel, type GlossaryService, type GlossarySnapshot, uiIsChinese } from '../services/glossaryService';
import type { GlossaryView } from './glossaryView';

const MAX_SELECTION = 500;

interface TermItem extends vscode.QuickPickItem {
  id: string;
}

function item(e: GlossaryEntry): TermItem {
  const zh = uiIsChinese();
  const def = (zh ? e.definition.zh ?? e.definition.en : e.definition.en ?? e.definition.zh) ?? '';
  return {
    id: e.id,
    label: entryTitle(e),
    description: [...e.abbr, categoryLabel(e.category)].join(' · '),
    detail: def.length > 160 ? `${def.slice(0, 159)}…` : def,
    alwaysShow: true,
  };
}

function pick(snap: GlossarySnapshot, initial: string, fixed?: GlossaryEntry[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<TermItem>();
    qp.title = vscode.l10n.t('Look Up Term');
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    const fill = (value: string) => {
      if (fixed && value === '') {
        qp.items = fixed.map(item);
        return;
      }
      const hits = snap.search.search(value, { limit: 200 });
      // Nothing matches: offer every term rather than an empty list.
      qp.items = (hits.length ? hits : snap.search.search('', { limit: 200 })).map((h) => item(snap.entries[h.index]!));
    };
    const unknown = !fixed && initial !== '' && snap.search.search(initial, { limit: 1 }).length === 0;
    qp.placeholder = fixed
      ? vscode.l10n.t('Several terms in the selection: pick one')
      : unknown
        ? vscode.l10n.t('No term matches "{0}": pick one or type to search', initial)
        : vscode.l10n.t('Type a term in English or Chinese');
    // Items are alwaysShow: the list is our search's (typo-tolerant), not the quick pick's own filter.
    qp.value = fixed || unknown ? '' : initial;
    fill(qp.value);
    qp.onDidChangeValue(fill);
    let chosen: string | undefined;
    qp.onDidAccept(() => {
      chosen = qp.selectedItems[0]?.id ?? qp.activeItems[0]?.id;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(chosen);
    });
    qp.show();
  });
}

export function registerLookUpTerm(glossary: GlossaryService, view: GlossaryView): vscode.Disposable {
  return vscode.commands.registerCommand('promptWorkbench.lookUpTerm', async () => {
    const snap = await glossary.get();
    const editor = vscode.window.activeTextEditor;
    let text = '';
    if (editor) {
      const sel = editor.selection;
      if (!sel.isEmpty) {
        text = editor.document.getText(sel).slice(0, MAX_SELECTION).trim();
        const exact = snap.matcher.exact(text);
        if (exact) return view.reveal(snap.entries[exact.term]!.id);
        const found = [...new Set(snap.matcher.findAll(text).map((m) => m.term))].map((t) => snap.entries[t]!);
        if (found.length === 1) return view.reveal(found[0]!.id);
        if (found.length > 1) {
          const id = await pick(snap, text, found);
          return id ? view.reveal(id) : undefined;
        }
      } else {
        const pos = sel.active;
        const line = editor.document.lineAt(pos.line).text;
        const m = snap.matcher.matchAt(line, pos.character);
        if (m) return view.reveal(snap.entries[m.term]!.id);
        const range = editor.document.getWordRangeAtPosition(pos);
        text = range ? editor.document.getText(range).slice(0, 100) : '';
      }
    }
    const id = await pick(snap, text);
    return id ? view.reveal(id) : undefined;
  });
}
