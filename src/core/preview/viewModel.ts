/**
 * What the preview's header shows for a rendered prompt: tokens, characters, input cost, cost
 * with the expected output, and the context-window gauge. Numbers are formatted for the UI
 * language here; the sentences around them come from `words` (localised by the extension).
 * Pure: no `vscode`.
 */
import { costOf, formatInt, formatPercent, formatUsd } from '../cost';
import type { Model } from '../models';
import { gaugeLevel, type GaugeThresholds } from './gauge';
import type { Header } from './messages';

export interface HeaderWords {
  /** `1,234 tokens` / `≈1,234 tokens` (the number is formatted already). */
  tokens(formatted: string, tokens: number): string;
  counting(): string;
  /** `With 500 output tokens`. */
  withOutput(formatted: string): string;
  /** `12.5% of 128,000`. */
  share(percent: string, contextWindow: string): string;
  /** `The template names gpt-4o-mini (GPT-4o mini)`. */
  templateModel(id: string, name: string): string;
}

export interface HeaderInput {
  model: Model;
  /** Undefined while counting. */
  tokens: number | undefined;
  exact: boolean;
  tokenizer: string;
  characters: number;
  expectedOutputTokens: number;
  thresholds: GaugeThresholds;
  locale: string;
  /** The template's front-matter model, when it is a known model other than `model`. */
  templateModel?: Model;
  /** What the vendor says of `model`'s end, worded by the extension. */
  retirement?: { text: string; retired: boolean };
}

export function buildHeader(input: HeaderInput, words: HeaderWords): Header {
  const { model, locale } = input;
  const tokens = input.tokens ?? 0;
  const cost = costOf(model, tokens, input.expectedOutputTokens);
  const header: Header = {
    model: { id: model.id, name: model.name },
    tokensText: input.tokens === undefined ? words.counting() : words.tokens((input.exact ? '' : '≈') + formatInt(tokens, locale), tokens),
    exact: input.exact,
    tokenizer: input.tokenizer,
    characters: formatInt(input.characters, locale),
    inputCost: formatUsd(cost.input, locale),
    withOutputCost: formatUsd(cost.withOutput, locale),
    withOutputLabel: words.withOutput(formatInt(input.expectedOutputTokens, locale)),
    share: cost.contextShare,
    shareText: words.share(formatPercent(cost.contextShare, locale), formatInt(model.contextWindow, locale)),
    level: gaugeLevel(cost.contextShare, input.thresholds),
  };
  // Estimates are fractional (summed per chunk); the header shows them rounded.
  if (input.tokens !== undefined) header.tokens = Math.round(input.tokens);
  if (input.templateModel && input.templateModel.id !== model.id) {
    header.templateModel = { id: input.templateModel.id, label: words.templateModel(input.templateModel.id, input.templateModel.name) };
  }
  if (input.retirement) header.retirement = { ...input.retirement };
  return header;
}
