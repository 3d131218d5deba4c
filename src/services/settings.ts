/**
 * Current settings and model catalogue, re-read when the user changes them. Problems in the
 * user's settings are logged and shown once, naming the setting and the field; everything valid
 * keeps working.
 */
import * as vscode from 'vscode';
import catalogueJson from '../data/models.json';
import { type Model, parseCatalogue, type SettingIssue } from '../core/models';
import { resolveLanguages, resolveSettings, SECTION, type Settings } from '../core/settings';
import { log } from './log';

let builtIn: Model[] | undefined;

/** A setting problem in the user's language (our own messages; zod's come localized already). */
export function settingIssueText(issue: SettingIssue): string {
  const [a = '', b = ''] = issue.args ?? [];
  switch (issue.code) {
    case 'notAList':
      return vscode.l10n.t('must be a list of models');
    case 'newModelIncomplete':
      return vscode.l10n.t('{0} (a new model needs name, provider, tokenizer, price, contextWindow and maxOutputTokens)', a);
    case 'noModelForFile':
      return vscode.l10n.t('no model has the id "{0}"; add it to promptWorkbench.models or use a catalogue id', a);
    case 'unknownModel':
      return vscode.l10n.t('unknown model "{0}"; counting for "{1}" instead', a, b);
    case 'modelNotText':
      return vscode.l10n.t('must be a model id (text); counting for "{0}" instead', a);
    default:
      return issue.message;
  }
}

export function builtInModels(): Model[] {
  builtIn ??= parseCatalogue(catalogueJson, 'src/data/models.json').models;
  return builtIn;
}

export class SettingsService implements vscode.Disposable {
  private current: Settings | undefined;
  private currentLanguages: string[] | undefined;
  private readonly emitter = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private lastShownIssues = '';
  /** A change event due (see the constructor). */
  private fireTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.current = undefined;
      this.currentLanguages = undefined;
      // The reactions (validating the settings again, starting a tokenizer process, recounting)
      // run in a task of their own: VS Code's handling of a configuration change is already a
      // long task on the host's thread, and ours would make it longer. get() is fresh meanwhile.
      this.fireTimer ??= setTimeout(() => {
        this.fireTimer = undefined;
        this.emitter.fire(this.get());
      }, 0);
    });
  }

  get(): Settings {
    if (!this.current) {
      const config = vscode.workspace.getConfiguration(SECTION);
      this.current = resolveSettings(builtInModels(), {
        model: config.get('model'),
        models: config.get('models'),
        languages: config.get('languages'),
        expectedOutputTokens: config.get('expectedOutputTokens'),
        liveCountLimit: config.get('liveCountLimit'),
        tokenizerFiles: config.get('tokenizerFiles'),
      });
      this.report(this.current);
    }
    return this.current;
  }

  /**
   * `promptWorkbench.languages` alone: cheap enough for activation (no model catalogue). A problem
   * in it is reported by get(), with the other settings' problems.
   */
  languages(): string[] {
    this.currentLanguages ??= this.current?.languages ?? resolveLanguages(vscode.workspace.getConfiguration(SECTION).get('languages'));
    return this.currentLanguages;
  }

  private report(settings: Settings): void {
    const text = settings.issues.map((i) => `${i.where}: ${i.message}`).join('\n');
    if (text === this.lastShownIssues) return;
    this.lastShownIssues = text;
    if (!text) return;
    for (const issue of settings.issues) log().warn(`Setting ${issue.where}: ${issue.message}`);
    const first = settings.issues[0]!;
    const more = settings.issues.length - 1;
    const message = more > 0
      ? vscode.l10n.t('Prompt Workbench: {0} — {1} (and {2} more problems, see the log). Invalid entries are ignored; everything else keeps working.', first.where, settingIssueText(first), more)
      : vscode.l10n.t('Prompt Workbench: {0} — {1}. Invalid entries are ignored; everything else keeps working.', first.where, settingIssueText(first));
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(message, openSettings, showLog).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', first.where.replace(/\[.*$/, ''));
      else if (choice === showLog) log().show(true);
    });
  }

  dispose(): void {
    if (this.fireTimer) clearTimeout(this.fireTimer);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
