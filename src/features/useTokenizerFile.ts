/** `Prompt: Use Tokenizer File…` — make a model's count exact with its Hugging Face tokenizer.json. */
import * as vscode from 'vscode';
import type { Model } from '../core/models';
import { SECTION } from '../core/settings';
import type { SettingsService } from '../services/settings';
import type { TokenizerFilesService } from '../services/tokenizerFiles';

interface ModelItem extends vscode.QuickPickItem {
  model?: Model;
}

export function registerUseTokenizerFile(settings: SettingsService, files: TokenizerFilesService): vscode.Disposable {
  return vscode.commands.registerCommand('promptWorkbench.useTokenizerFile', async (modelArg?: unknown, fileArg?: unknown, scopeArg?: unknown) => {
    const s = settings.get();
    let model = typeof modelArg === 'string' ? s.models.find((m) => m.id === modelArg) : undefined;
    if (!model) {
      const estimated = s.models.filter((m) => m.tokenizer.kind === 'estimate');
      const exact = s.models.filter((m) => m.tokenizer.kind !== 'estimate');
      const toItem = (m: Model): ModelItem => {
        const current = s.tokenizerFiles[m.id];
        return {
          label: m.name,
          description: m.id,
          detail: current
            ? vscode.l10n.t('Now: {0}', current)
            : m.huggingFaceTokenizer
              ? vscode.l10n.t('Get tokenizer.json from huggingface.co/{0}', m.huggingFaceTokenizer)
              : undefined,
          model: m,
        };
      };
      const picked = await vscode.window.showQuickPick<ModelItem>([
        { label: vscode.l10n.t('Estimated (≈): make these exact'), kind: vscode.QuickPickItemKind.Separator },
        ...estimated.map(toItem),
        { label: vscode.l10n.t('Already exact'), kind: vscode.QuickPickItemKind.Separator },
        ...exact.map(toItem),
      ], { title: vscode.l10n.t('Which model is the tokenizer file for?'), matchOnDescription: true });
      model = picked?.model;
      if (!model) return undefined;
    }

    let file = typeof fileArg === 'string' ? fileArg : undefined;
    if (!file) {
      const uris = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Choose the tokenizer.json of {0}', model.name),
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        filters: { [vscode.l10n.t('Tokenizer')]: ['json'] },
        openLabel: vscode.l10n.t('Use This Tokenizer'),
      });
      if (!uris?.[0]) return undefined;
      if (uris[0].scheme !== 'file') {
        void vscode.window.showErrorMessage(vscode.l10n.t('The tokenizer file must be on this machine\'s disk.'));
        return undefined;
      }
      file = uris[0].fsPath;
    }

    const checked = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', file) },
      () => files.check(file!),
    );
    if (!checked.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Prompt Workbench: {0} cannot be used as the tokenizer of {1}: {2}', file, model.id, checked.error));
      return undefined;
    }

    let target: vscode.ConfigurationTarget | undefined =
      scopeArg === 'workspace' ? vscode.ConfigurationTarget.Workspace : scopeArg === 'user' ? vscode.ConfigurationTarget.Global : undefined;
    if (target === undefined) {
      const user = { label: vscode.l10n.t('User settings'), description: vscode.l10n.t('for every folder you open'), target: vscode.ConfigurationTarget.Global };
      const workspace = { label: vscode.l10n.t('Workspace settings'), description: vscode.l10n.t('for this folder only'), target: vscode.ConfigurationTarget.Workspace };
      const picked = vscode.workspace.workspaceFolders?.length
        ? await vscode.window.showQuickPick([user, workspace], { title: vscode.l10n.t('Where should the setting be saved?') })
        : user;
      target = picked?.target;
      if (target === undefined) return undefined;
    }
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<Record<string, string>>('tokenizerFiles');
    const existing = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
    await config.update('tokenizerFiles', { ...existing, [model.id]: file }, target);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is now counted exactly with {1} ({2} tokens in its vocabulary).', model.id, file, checked.vocabularySize.toLocaleString()));
    return { model: model.id, file };
  });
}
