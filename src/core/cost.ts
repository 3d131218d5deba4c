/**
 * Token counts turned into what a user reads: cost, share of the context window, and the
 * estimate used for models whose tokenizer is not public.
 */
import type { Model } from './models';

const CJK = /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/g;

/**
 * Estimated tokens for a model without a public tokenizer: Chinese/Japanese/Korean characters and
 * all other characters at their own characters-per-token ratios. Not rounded, so that the sum
 * over chunks equals the estimate of the whole text; round when showing it.
 */
export function estimateTokens(text: string, charsPerToken: number, cjkCharsPerToken?: number): number {
  if (text.length === 0) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  const other = text.length - cjk;
  return other / charsPerToken + cjk / (cjkCharsPerToken ?? charsPerToken / 3);
}

export interface CostBreakdown {
  /** USD for the prompt's input tokens. */
  input: number;
  /** USD for the input tokens plus `expectedOutputTokens` at the output price. */
  withOutput: number;
  /** Share of the context window used by input + expected output, 0..∞ (1 = full). */
  contextShare: number;
}

/** The rates (USD per 1M tokens) that apply to a request with this many input tokens. */
export function ratesFor(model: Model, inputTokens: number): { input: number; output: number; longContext: boolean } {
  const long = model.price.longContext;
  if (long && inputTokens > long.aboveInputTokens) return { input: long.input, output: long.output, longContext: true };
  return { input: model.price.input, output: model.price.output, longContext: false };
}

export function costOf(model: Model, inputTokens: number, expectedOutputTokens: number): CostBreakdown {
  const rates = ratesFor(model, inputTokens);
  const input = (inputTokens * rates.input) / 1e6;
  const output = (expectedOutputTokens * rates.output) / 1e6;
  return {
    input,
    withOutput: input + output,
    contextShare: (inputTokens + expectedOutputTokens) / model.contextWindow,
  };
}

/** `$0.0042`, `$1.25`, `<$0.0001`: enough digits to tell prompts apart, never scientific notation. */
export function formatUsd(amount: number, locale = 'en'): string {
  if (amount === 0) return '$0';
  if (amount < 0.0001) return '<$0.0001';
  const digits = amount >= 1 ? 2 : amount >= 0.01 ? 4 : 5;
  return '$' + new Intl.NumberFormat(locale, { minimumFractionDigits: Math.min(digits, 2), maximumFractionDigits: digits }).format(amount);
}

export function formatInt(n: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.round(n));
}

export function formatPercent(share: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: share < 0.01 ? 2 : 1 }).format(share);
}
