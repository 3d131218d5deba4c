/**
 * `Prompt: Insert Prompt Scaffold…` — the prompt snippets for people who do not remember their
 * prefixes: a quick pick of the techniques, grouped by language (the UI language first), that
 * inserts the chosen snippet at the cursor with its tab stops. The snippets are read from the
 * extension's own snippet files at run time, so there is one source.
 */
import * as vscode from 'vscode';
import { parseSnippetFile, type PromptSnippet, snippetFileLanguage } from '../core/template/snippets';
import { log } from '../services/log';

interface ScaffoldItem extends vscode.QuickPickItem {
  snippet?: PromptSnippet;
}

export interface ScaffoldOptions {
  /** Insert this snippet without asking, e.g. `pw-fewshot` (for keybindings and tests). */
  prefix?: string;
}

let cache: PromptSnippet[] | undefined;

/** Every prompt snippet the extension contributes, read from its snippet files. */
export async function loadSnippets(context: vscode.ExtensionContext): Promise<PromptSnippet[]> {
  if (cache) return cache;
  const contributed = (context.extension.packageJSON as { contributes?: { snippets?: Array<{ path?: unknown }> } }).contributes?.snippets ?? [];
  const paths = [...new Set(contributed.map((s) => s.path).filter((p): p is string => typeof p === 'string'))];
  const all: PromptSnippet[] = [];
  for (const rel of paths) {
    const uri = vscode.Uri.joinPath(context.extensionUri, rel);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    all.push(...parseSnippetFile(text, snippetFileLanguage(rel), rel));
  }
  cache = all;
  return all;
}

function languageLabel(language: string): string {
  if (language.startsWith('zh')) return vscode.l10n.t('Chinese (Simplified)');
  if (language === 'en') return vscode.l10n.t('English');
  return language;
}

export function registerInsertScaffold(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('promptWorkbench.insertScaffold', async (options?: ScaffoldOptions) => {
    let snippets: PromptSnippet[];
    try {
      snippets = await loadSnippets(context);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log().error(`Reading the prompt snippets: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The prompt snippets could not be read: {0}', message));
      return undefined;
    }
    let chosen: PromptSnippet | undefined;
    if (options && typeof options.prefix === 'string') {
      chosen = snippets.find((s) => s.prefix === options.prefix);
      if (!chosen) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no prompt snippet with the prefix "{0}".', options.prefix));
        return undefined;
      }
    } else {
      chosen = await pick(snippets);
      if (!chosen) return undefined;
    }
    let editor = vscode.window.activeTextEditor;
    if (!editor) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
      editor = await vscode.window.showTextDocument(doc);
    }
    const ok = await editor.insertSnippet(new vscode.SnippetString(chosen.body));
    return { prefix: chosen.prefix, language: chosen.language, inserted: ok };
  });
}

async function pick(snippets: PromptSnippet[]): Promise<PromptSnippet | undefined> {
  const ui = vscode.env.language.toLowerCase();
  const other = (language: string): number => Number(!ui.startsWith(language.split('-')[0]!));
  // The UI language's snippets first.
  const languages = [...new Set(snippets.map((s) => s.language))].sort((a, b) => other(a) - other(b) || a.localeCompare(b));
  const items: ScaffoldItem[] = [];
  for (const language of languages) {
    items.push({ label: languageLabel(language), kind: vscode.QuickPickItemKind.Separator });
    for (const snippet of snippets.filter((s) => s.language === language)) {
      items.push({ label: snippet.name, description: snippet.prefix, detail: snippet.description, snippet });
    }
  }
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Insert Prompt Scaffold'),
    placeHolder: vscode.l10n.t('Pick a prompting technique (type to filter, e.g. few-shot, cot, 少样本)'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return choice?.snippet;
}
