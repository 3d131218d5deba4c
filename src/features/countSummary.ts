/** The words and numbers shown for a count, shared by the status bar and `Prompt: Count Tokens`. */
import * as vscode from 'vscode';
import { costOf, formatInt, formatPercent, formatUsd, ratesFor } from '../core/cost';
import { localDate, type Model, retirementOf } from '../core/models';

export interface CountFacts {
  model: Model;
  tokens: number;
  characters: number;
  exact: boolean;
  expectedOutputTokens: number;
  /** Counted a selection rather than the whole document. */
  selection: boolean;
  tokenizerLabel: string;
}

export function locale(): string {
  return vscode.env.language || 'en';
}

/** `1,234 tokens`, or `≈1,234 tokens` for an estimate. */
export function tokensText(tokens: number, exact: boolean): string {
  const n = (exact ? '' : '≈') + formatInt(tokens, locale());
  return tokens === 1 ? vscode.l10n.t('{0} token', n) : vscode.l10n.t('{0} tokens', n);
}

/**
 * What the vendor says of the model's end, in a sentence, and whether it has come (undefined while
 * the model is served with no end announced):
 * "Retired by Anthropic on 2026-11-30. Recommended replacement: claude-sonnet-5-5."
 */
export function retirementNote(model: Model, today = localDate()): { text: string; retired: boolean } | undefined {
  const r = retirementOf(model, today);
  if (!r) return undefined;
  const when = r.retired
    ? (r.on ? vscode.l10n.t('Retired by {0} on {1}.', model.provider, r.on) : vscode.l10n.t('Retired by {0}.', model.provider))
    : vscode.l10n.t('{0} retires it on {1}.', model.provider, r.on!);
  return { text: r.replacedBy ? `${when} ${vscode.l10n.t('Recommended replacement: {0}.', r.replacedBy)}` : when, retired: r.retired };
}

/** True once the vendor no longer serves the model's id. */
export function isRetired(model: Model, today = localDate()): boolean {
  return retirementOf(model, today)?.retired === true;
}

export function factRows(f: CountFacts): Array<[string, string]> {
  const loc = locale();
  const cost = costOf(f.model, f.tokens, f.expectedOutputTokens);
  const rows: Array<[string, string]> = [
    [vscode.l10n.t('Model'), `${f.model.name} (\`${f.model.id}\`, ${f.model.provider})`],
    [vscode.l10n.t('Tokenizer'), f.exact ? vscode.l10n.t('{0} (exact)', f.tokenizerLabel) : vscode.l10n.t('estimate (≈), the vendor\'s tokenizer is not public')],
    [f.selection ? vscode.l10n.t('Tokens in selection') : vscode.l10n.t('Tokens'), (f.exact ? '' : '≈') + formatInt(f.tokens, loc)],
    [vscode.l10n.t('Characters'), formatInt(f.characters, loc)],
    [vscode.l10n.t('Input cost'), `${formatUsd(cost.input, loc)} (${inputRate(f)})`],
    [vscode.l10n.t('With {0} output tokens', formatInt(f.expectedOutputTokens, loc)), formatUsd(cost.withOutput, loc)],
    [vscode.l10n.t('Context window'), vscode.l10n.t('{0} of {1} tokens', formatPercent(cost.contextShare, loc), formatInt(f.model.contextWindow, loc))],
  ];
  // Prices change: say how old the catalogue's are (a user's own prices have no date unless they give one).
  if (f.model.pricesCheckedOn) rows.push([vscode.l10n.t('Prices checked on'), f.model.pricesCheckedOn]);
  const retirement = retirementNote(f.model);
  if (retirement) rows.push([vscode.l10n.t('Status'), retirement.text]);
  return rows;
}

/** `$2.00 per 1M tokens`, or with the long-prompt rate `$4.00 per 1M tokens (above 272,000 input tokens)`. */
function inputRate(f: CountFacts): string {
  const loc = locale();
  const rates = ratesFor(f.model, f.tokens);
  const rate = vscode.l10n.t('{0} per 1M tokens', formatUsd(rates.input, loc));
  const long = f.model.price.longContext;
  return rates.longContext && long ? vscode.l10n.t('{0} (above {1} input tokens)', rate, formatInt(long.aboveInputTokens, loc)) : rate;
}

export function overContext(f: CountFacts): boolean {
  return costOf(f.model, f.tokens, f.expectedOutputTokens).contextShare > 1;
}

/** One paragraph of plain text, for notifications and the clipboard. */
export function plainSummary(f: CountFacts): string {
  const cost = costOf(f.model, f.tokens, f.expectedOutputTokens);
  const loc = locale();
  const lines = [
    (f.selection ? vscode.l10n.t('Selection: {0}', tokensText(f.tokens, f.exact)) : tokensText(f.tokens, f.exact)) +
      ` · ${formatInt(f.characters, loc)} ${vscode.l10n.t('characters')} · ${f.model.id} (${f.exact ? f.tokenizerLabel : vscode.l10n.t('estimate')})`,
    vscode.l10n.t('Input {0}; with {1} output tokens {2}; {3} of the context window.', formatUsd(cost.input, loc), formatInt(f.expectedOutputTokens, loc), formatUsd(cost.withOutput, loc), formatPercent(cost.contextShare, loc)),
  ];
  if (f.model.pricesCheckedOn) lines.push(vscode.l10n.t('Prices checked on {0}.', f.model.pricesCheckedOn));
  const retirement = retirementNote(f.model);
  if (retirement) lines.push(retirement.text);
  if (cost.contextShare > 1) lines.push(vscode.l10n.t('Warning: this is more than the model\'s context window.'));
  return lines.join('\n');
}
