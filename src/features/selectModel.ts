/** `Prompt: Select Model` — which model the counts, costs and context share are for. */
import * as vscode from 'vscode';
import { formatInt, formatUsd } from '../core/cost';
import type { Model } from '../core/models';
import { SECTION } from '../core/settings';
import type { SettingsService } from '../services/settings';
import { isRetired, locale, retirementNote } from './countSummary';

const RECENT_KEY = 'promptWorkbench.recentModels';
const RECENT_MAX = 5;

interface ModelItem extends vscode.QuickPickItem {
  model?: Model;
}

export function describeModel(model: Model): string {
  const loc = locale();
  const tokenizer = model.tokenizer.kind === 'bpe' ? model.tokenizer.encoding : vscode.l10n.t('≈ estimate');
  const line = vscode.l10n.t('{0} in / {1} out per 1M tokens · {2} context · {3}',
    formatUsd(model.price.input, loc), formatUsd(model.price.output, loc), formatInt(model.contextWindow, loc), tokenizer);
  const retirement = retirementNote(model);
  return retirement ? `$(warning) ${retirement.text} ${line}` : line;
}

export function registerSelectModel(context: vscode.ExtensionContext, settings: SettingsService): vscode.Disposable {
  return vscode.commands.registerCommand('promptWorkbench.selectModel', async (modelId?: unknown) => {
    const s = settings.get();
    let chosen: Model | undefined;
    if (typeof modelId === 'string') {
      chosen = s.models.find((m) => m.id === modelId);
      if (!chosen) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Unknown model "{0}".', modelId));
        return undefined;
      }
    } else {
      const recent = context.globalState.get<string[]>(RECENT_KEY, []).filter((id) => s.models.some((m) => m.id === id));
      const toItem = (m: Model): ModelItem => ({
        label: m.id === s.model.id ? `$(check) ${m.name}` : m.name,
        description: m.id + (s.userModelIds.has(m.id) ? ` · ${vscode.l10n.t('from your settings')}` : ''),
        detail: describeModel(m),
        model: m,
      });
      const items: ModelItem[] = [];
      if (recent.length > 0) {
        items.push({ label: vscode.l10n.t('Recently used'), kind: vscode.QuickPickItemKind.Separator });
        for (const id of recent) items.push(toItem(s.models.find((m) => m.id === id)!));
      }
      // Retired models come last, in a group of their own: still there for old prompts' costs.
      const listed = s.models.filter((m) => !recent.includes(m.id));
      const current = listed.filter((m) => !isRetired(m));
      const retired = listed.filter((m) => isRetired(m));
      for (const provider of new Set(current.map((m) => m.provider))) {
        items.push({ label: provider, kind: vscode.QuickPickItemKind.Separator });
        for (const m of current) if (m.provider === provider) items.push(toItem(m));
      }
      if (retired.length > 0) {
        items.push({ label: vscode.l10n.t('Retired by their vendors'), kind: vscode.QuickPickItemKind.Separator });
        for (const m of retired) items.push(toItem(m));
      }
      const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Select the model to count tokens for'),
        placeHolder: vscode.l10n.t('Current: {0} ({1})', s.model.name, s.model.id),
        matchOnDescription: true,
        matchOnDetail: true,
      });
      chosen = picked?.model;
    }
    if (!chosen) return undefined;
    const recent = context.globalState.get<string[]>(RECENT_KEY, []);
    await context.globalState.update(RECENT_KEY, [chosen.id, ...recent.filter((id) => id !== chosen!.id)].slice(0, RECENT_MAX));
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<string>('model');
    const target = inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('model', chosen.id, target);
    return chosen.id;
  });
}
