/**
 * Glossary hovers in prompt documents (`promptWorkbench.languages` plus
 * `promptWorkbench.glossary.extraLanguages`): the term in both languages, its definition in the
 * UI language first and the other below, related terms and an `Open in Glossary` link.
 */
import * as vscode from 'vscode';
import { hoverSections } from '../core/glossary/render';
import { categoryLabel, GLOSSARY_SECTION, type GlossaryService, relatedOf, sourceLabel, uiIsChinese } from '../services/glossaryService';
import type { SettingsService } from '../services/settings';
import { OPEN_GLOSSARY_COMMAND } from './glossaryView';

/** Lines longer than this are not scanned (minified files and the like). */
const MAX_LINE = 100_000;

function languages(settings: SettingsService): string[] {
  const extra = vscode.workspace.getConfiguration(GLOSSARY_SECTION).get<unknown>('extraLanguages');
  const list = [...settings.languages()];
  if (Array.isArray(extra)) for (const l of extra) if (typeof l === 'string' && l.trim()) list.push(l.trim());
  return [...new Set(list)];
}

function hoverEnabled(): boolean {
  return vscode.workspace.getConfiguration(GLOSSARY_SECTION).get<boolean>('hover', true) !== false;
}

export function registerGlossaryHover(settings: SettingsService, glossary: GlossaryService): vscode.Disposable {
  const provider: vscode.HoverProvider = {
    async provideHover(doc, position, token) {
      if (!hoverEnabled()) return undefined;
      const line = doc.lineAt(position.line).text;
      if (line.length > MAX_LINE) return undefined;
      const snap = await glossary.get();
      if (token.isCancellationRequested) return undefined;
      const m = snap.matcher.matchAt(line, position.character);
      if (!m || m.end === position.character) return undefined; // the cursor must be on the term
      const entry = snap.entries[m.term]!;
      const sections = hoverSections({
        entry,
        related: relatedOf(snap, entry),
        zhFirst: uiIsChinese(),
        openCommand: OPEN_GLOSSARY_COMMAND,
        labels: {
          related: vscode.l10n.t('Related:'),
          openInGlossary: vscode.l10n.t('Open in Glossary'),
          openInGlossaryTooltip: vscode.l10n.t('Show this term in the Prompt Glossary view'),
          category: categoryLabel(entry.category),
          source: sourceLabel(entry.source),
        },
      });
      const contents = sections.map((s) => {
        const md = new vscode.MarkdownString(s, true);
        md.isTrusted = { enabledCommands: [OPEN_GLOSSARY_COMMAND] };
        md.supportHtml = false;
        return md;
      });
      return new vscode.Hover(contents, new vscode.Range(position.line, m.start, position.line, m.end));
    },
  };

  let registration: vscode.Disposable | undefined;
  let registeredFor = '';
  const register = () => {
    const langs = languages(settings);
    const key = langs.join('\u0000');
    if (key === registeredFor) return;
    registeredFor = key;
    registration?.dispose();
    registration = vscode.languages.registerHoverProvider(langs.map((language) => ({ language })), provider);
  };
  register();
  const subscriptions = [
    settings.onDidChange(register),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${GLOSSARY_SECTION}.extraLanguages`)) register();
    }),
  ];
  return new vscode.Disposable(() => {
    registration?.dispose();
    for (const s of subscriptions) s.dispose();
  });
}
