/** The live token count in the status bar, for the active prompt document or its selection. */
import * as vscode from 'vscode';
import { costOf, formatInt, formatUsd } from '../core/cost';
import { isAsync } from '../core/tokenizer';
import { type CountState, countInSlices, type DocumentCounts } from '../services/documentCounts';
import type { SettingsService } from '../services/settings';
import type { TokenizerFilesService } from '../services/tokenizerFiles';
import { type CountFacts, factRows, isRetired, locale, overContext, tokensText } from './countSummary';

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

export const STATUS_ITEM_ID = 'promptWorkbench.tokens';
/** Selections up to this size are counted at once; larger ones in slices. */
const SYNC_SELECTION_LIMIT = 64 * 1024;

export interface StatusBarSnapshot {
  text: string;
  visible: boolean;
  tooltip: string;
  /** performance.now() when the text last changed. */
  changedAt: number;
}

export interface StatusBarView {
  readonly disposable: vscode.Disposable;
  /** What the item shows now (for the extension's API, tests and the benchmark). */
  snapshot(): StatusBarSnapshot;
}

export function registerStatusBar(settings: SettingsService, counts: DocumentCounts, files: TokenizerFilesService): StatusBarView {
  let visible = false;
  let changedAt = 0;
  const item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Prompt Workbench: Token Count');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  /** The item shows "counting…" for this document: its count is shown as soon as it is done. */
  let countingDoc: vscode.TextDocument | undefined;

  const schedule = (delay = 15): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void update();
    }, delay);
  };

  const show = (text: string, tooltip: vscode.MarkdownString | string, command: string): void => {
    if (item.text !== text) changedAt = performance.now();
    item.text = text;
    item.tooltip = tooltip;
    item.command = command;
    item.show();
    visible = true;
  };

  const tooltipFor = (facts: CountFacts): vscode.MarkdownString => {
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['promptWorkbench.selectModel', 'promptWorkbench.countTokens', 'promptWorkbench.useTokenizerFile'] };
    md.appendMarkdown(`**${vscode.l10n.t('Prompt Workbench')}**\n\n| | |\n|---|---|\n`);
    for (const [k, v] of factRows(facts)) md.appendMarkdown(`| ${k} | ${v.replace(/\|/g, '\\|')} |\n`);
    if (overContext(facts)) md.appendMarkdown(`\n$(warning) ${vscode.l10n.t('More than the model\'s context window: the request would fail.')}\n`);
    if (isRetired(facts.model)) md.appendMarkdown(`\n$(warning) ${vscode.l10n.t('{0} is retired: its vendor no longer serves {1}. Choose another model.', escapeMarkdown(facts.model.name), '`' + facts.model.id.replace(/`/g, '') + '`')}\n`);
    const file = files.fileFor(facts.model.id);
    if (file?.state === 'ready' && facts.exact) {
      md.appendMarkdown(`\n${vscode.l10n.t('Counted with the tokenizer file {0}.', '`' + file.file.replace(/`/g, '') + '`')}\n`);
    } else if (file?.state === 'error') {
      md.appendMarkdown(`\n$(error) ${vscode.l10n.t('The tokenizer file {0} cannot be used: {1}', '`' + file.file.replace(/`/g, '') + '`', escapeMarkdown(file.error ?? ''))}\n`);
    }
    const links = [`[${vscode.l10n.t('Change model')}](command:promptWorkbench.selectModel)`, `[${vscode.l10n.t('Count Tokens')}](command:promptWorkbench.countTokens)`];
    if (!facts.exact) {
      const args = encodeURIComponent(JSON.stringify([facts.model.id]));
      links.push(`[${vscode.l10n.t('Make this exact…')}](command:promptWorkbench.useTokenizerFile?${args})`);
    }
    md.appendMarkdown(`\n${links.join(' · ')}`);
    return md;
  };

  const showState = (state: CountState, facts: Omit<CountFacts, 'tokens' | 'exact' | 'characters'>, doc?: vscode.TextDocument): void => {
    countingDoc = state.kind === 'counting' ? doc : undefined;
    switch (state.kind) {
      case 'counting':
        if (state.loadingTokenizer) {
          show(`$(sync~spin) ${vscode.l10n.t('loading tokenizer…')}`, vscode.l10n.t('Loading the tokenizer file for {0}…', facts.model.id), 'promptWorkbench.selectModel');
          return;
        }
        show(`$(sync~spin) ${vscode.l10n.t('counting…')}`, vscode.l10n.t('Counting tokens of {0} characters…', formatInt(state.characters, locale())), 'promptWorkbench.selectModel');
        return;
      case 'tooLarge':
        show(`$(warning) ${vscode.l10n.t('too large — run Count Tokens')}`, vscode.l10n.t('{0} characters is more than the live-count limit (setting promptWorkbench.liveCountLimit). Click to count once.', formatInt(state.characters, locale())), 'promptWorkbench.countTokens');
        return;
      case 'binary':
        show(`$(file-binary) ${vscode.l10n.t('binary — not counted')}`, vscode.l10n.t('This file looks binary, so its tokens are not counted.'), 'promptWorkbench.countTokens');
        return;
      case 'error':
        show(`$(error) ${vscode.l10n.t('token count failed')}`, vscode.l10n.t('Counting failed: {0}. See the Prompt Workbench log.', state.message), 'promptWorkbench.countTokens');
        return;
      case 'done': {
        const full: CountFacts = { ...facts, tokens: state.tokens, characters: state.characters, exact: state.exact };
        const cost = costOf(full.model, full.tokens, 0).input;
        show(`${iconFor(full.model, '$(symbol-numeric)')} ${tokensText(state.tokens, state.exact)}${costSuffix(cost)}`, tooltipFor(full), 'promptWorkbench.selectModel');
        return;
      }
    }
  };

  /** A retired model's count still shows, with a warning in place of the usual icon (the tooltip says why). */
  const iconFor = (model: CountFacts['model'], usual: string): string => (isRetired(model) ? '$(warning)' : usual);

  const costSuffix = (usd: number): string => (usd === 0 ? '' : ` · ${formatUsd(usd, locale())}`);

  const update = async (): Promise<void> => {
    const gen = ++generation;
    countingDoc = undefined;
    const editor = vscode.window.activeTextEditor;
    const s = settings.get();
    if (!editor || !s.languages.includes(editor.document.languageId)) {
      item.hide();
      visible = false;
      return;
    }
    const tokenizer = files.tokenizerFor(s.model);
    const base = { model: s.model, expectedOutputTokens: s.expectedOutputTokens, tokenizerLabel: tokenizer.label };
    const selections = editor.selections.filter((sel) => !sel.isEmpty);
    if (selections.length === 0) {
      showState(counts.state(editor.document, tokenizer), { ...base, selection: false }, editor.document);
      return;
    }
    const texts = selections.map((sel) => editor.document.getText(sel));
    const characters = texts.reduce((n, t) => n + t.length, 0);
    let tokens = 0;
    let exact = tokenizer.exact;
    if (characters <= SYNC_SELECTION_LIMIT && !isAsync(tokenizer) && tokenizer.ready()) {
      for (const t of texts) tokens += tokenizer.count(t);
    } else {
      showState({ kind: 'counting', characters }, { ...base, selection: true });
      for (const t of texts) {
        const r = await countInSlices(t, tokenizer, () => gen !== generation);
        if (!r) return;
        tokens += r.tokens;
        exact &&= r.exact;
      }
    }
    if (gen !== generation) return;
    const facts: CountFacts = { ...base, selection: true, tokens, characters, exact };
    const cost = costOf(s.model, tokens, 0).input;
    const label = selections.length > 1
      ? vscode.l10n.t('{0} in {1} selections', tokensText(tokens, exact), selections.length)
      : vscode.l10n.t('{0} selected', tokensText(tokens, exact));
    show(`${iconFor(s.model, '$(selection)')} ${label}${costSuffix(cost)}`, tooltipFor(facts), 'promptWorkbench.selectModel');
  };

  /**
   * Updates in this task, not a timer's turn later. For a newly active editor this starts its count
   * at once: other extensions react to the same document (VS Code's markdown extension parses it
   * for its language server, >100 ms for 200 KB), and a count begun first is done first. For a
   * first count that is done, it shows it before any long task of another extension.
   */
  const updateNow = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    void update();
  };

  const subscriptions = [
    item,
    vscode.window.onDidChangeActiveTextEditor(updateNow),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === vscode.window.activeTextEditor) schedule();
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc === vscode.window.activeTextEditor?.document) schedule(0); // language changed
    }),
    counts.onDidUpdate((doc) => {
      if (doc !== vscode.window.activeTextEditor?.document) return;
      if (doc === countingDoc) updateNow(); // a first count that is done
      else schedule(); // updates while typing are coalesced
    }),
    settings.onDidChange(() => schedule(0)),
    files.onDidChange(() => schedule(0)),
    { dispose: () => timer && clearTimeout(timer) },
  ];
  schedule(0);
  return {
    disposable: vscode.Disposable.from(...subscriptions),
    snapshot: () => ({
      text: item.text,
      visible,
      tooltip: typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value ?? '',
      changedAt,
    }),
  };
}
