/** `Prompt: Count Tokens` — the count of the document or selection, on demand, to read and copy. */
import * as vscode from 'vscode';
import { costOf, formatInt, formatPercent, formatUsd } from '../core/cost';
import type { Model } from '../core/models';
import { countInSlices, looksBinary } from '../services/documentCounts';
import type { SettingsService } from '../services/settings';
import type { TokenizerFilesService } from '../services/tokenizerFiles';
import { type CountFacts, isRetired, locale, plainSummary } from './countSummary';

/** Popular models shown beside the chosen provider's in the comparison. */
const POPULAR = ['gpt-4o', 'gpt-6.2-sol', 'claude-sonnet-5-5', 'gemini-2.5-pro', 'deepseek-chat', 'qwen-plus'];

export function registerCountTokens(settings: SettingsService, files: TokenizerFilesService): vscode.Disposable {
  return vscode.commands.registerCommand('promptWorkbench.countTokens', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No editor is open. Open a prompt file (or select text in one) and run Prompt: Count Tokens again.'));
      return;
    }
    const doc = editor.document;
    const selections = editor.selections.filter((s) => !s.isEmpty);
    const selection = selections.length > 0;
    if (!selection && looksBinary(doc)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This file looks binary, so its tokens are not counted.'));
      return;
    }
    const text = selection ? selections.map((s) => doc.getText(s)).join('') : doc.getText();
    const s = settings.get();
    // The chosen model first, even if retired; no other retired model.
    const compare = [s.model, ...s.models.filter((m) => m.id !== s.model.id && !isRetired(m) && (m.provider === s.model.provider || POPULAR.includes(m.id)))];
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Counting tokens…'), cancellable: true },
      async (_progress, cancel) => {
        const byTokenizer = new Map<string, { tokens: number; exact: boolean }>();
        const out: Array<{ model: Model; tokens: number; exact: boolean; label: string }> = [];
        for (const model of compare) {
          const tokenizer = files.tokenizerFor(model);
          let r = byTokenizer.get(tokenizer.key);
          if (!r) {
            r = await countInSlices(text, tokenizer, () => cancel.isCancellationRequested);
            if (!r) return undefined;
            byTokenizer.set(tokenizer.key, r);
          }
          out.push({ model, tokens: r.tokens, exact: r.exact, label: tokenizer.label });
        }
        return out;
      },
    );
    if (!results) return;
    const main = results[0]!;
    const facts: CountFacts = {
      model: main.model, tokens: main.tokens, exact: main.exact, characters: text.length,
      expectedOutputTokens: s.expectedOutputTokens, selection, tokenizerLabel: main.label,
    };
    const summary = plainSummary(facts);
    const copy = vscode.l10n.t('Copy');
    const compareLabel = vscode.l10n.t('Compare Models');
    const loc = locale();
    const table = [
      `# ${vscode.l10n.t('Token count of {0}', selection ? vscode.l10n.t('the selection in {0}', basename(doc)) : basename(doc))}`,
      '',
      vscode.l10n.t('{0} characters; cost with {1} expected output tokens. ≈ marks an estimate (the vendor\'s tokenizer is not public).', formatInt(text.length, loc), formatInt(s.expectedOutputTokens, loc)),
      '',
      `| ${vscode.l10n.t('Model')} | ${vscode.l10n.t('Tokenizer')} | ${vscode.l10n.t('Tokens')} | ${vscode.l10n.t('Input cost')} | ${vscode.l10n.t('With output')} | ${vscode.l10n.t('Context window')} |`,
      '|---|---|---:|---:|---:|---:|',
      ...results.map((r) => {
        const c = costOf(r.model, r.tokens, s.expectedOutputTokens);
        return `| ${r.model.name} (\`${r.model.id}\`) | ${r.label} | ${r.exact ? '' : '≈'}${formatInt(r.tokens, loc)} | ${formatUsd(c.input, loc)} | ${formatUsd(c.withOutput, loc)} | ${formatPercent(c.contextShare, loc)} |`;
      }),
      '',
    ].join('\n');
    void vscode.window.showInformationMessage(summary, copy, compareLabel).then(async (choice) => {
      if (choice === copy) {
        // The summary and the comparison, as text to paste into a ticket or a chat.
        await vscode.env.clipboard.writeText(`${summary}\n\n${table}`);
      } else if (choice === compareLabel) {
        const result = await vscode.workspace.openTextDocument({ language: 'markdown', content: table });
        await vscode.window.showTextDocument(result, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      }
    });
    // Returned to callers of executeCommand (and tests): what the notification says.
    return { summary, table, results: results.map((r) => ({ model: r.model.id, tokens: r.tokens, exact: r.exact })) };
  });
}

function basename(doc: vscode.TextDocument): string {
  return doc.uri.path.split('/').pop() || doc.uri.toString();
}
