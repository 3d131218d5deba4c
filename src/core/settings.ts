/**
 * The extension's settings, validated with zod. Pure: takes the raw values VS Code returns and
 * gives typed settings plus a list of problems (setting, field and what is wrong).
 */
import * as z from 'zod/mini';
import './zod';
import { lazy } from './lazy';
import { mergeUserModels, type Model, type SettingIssue, zodIssues } from './models';

export const SECTION = 'promptWorkbench';

export const DEFAULT_LANGUAGES = ['markdown', 'plaintext', 'handlebars', 'prompt', 'instructions'];

/** Built on first use, not when the bundle loads. */
const schemas = lazy(() => {
  const name = () => z.string().check(z.trim(), z.minLength(1));
  return {
    languages: z.array(name()).check(z.maxLength(200)),
    expectedOutput: z.int().check(z.nonnegative(), z.lte(10_000_000)),
    liveLimit: z.int().check(z.positive()),
    tokenizerFiles: z.record(name(), name()),
  };
});

export interface RawSettings {
  model: unknown;
  models: unknown;
  languages: unknown;
  expectedOutputTokens: unknown;
  liveCountLimit: unknown;
  tokenizerFiles?: unknown;
}

export interface Settings {
  /** The model counted for (always one that exists). */
  model: Model;
  models: Model[];
  userModelIds: Set<string>;
  languages: string[];
  expectedOutputTokens: number;
  /** Documents longer than this many characters are not counted live. */
  liveCountLimit: number;
  /** Model id → path of a Hugging Face tokenizer.json, as the user wrote it. */
  tokenizerFiles: Record<string, string>;
  issues: SettingIssue[];
}

export const DEFAULTS = {
  model: 'gpt-4o',
  expectedOutputTokens: 500,
  liveCountLimit: 10_000_000,
};

function checked<T>(schema: z.ZodMiniType<T>, value: unknown, fallback: T, where: string, issues: SettingIssue[]): T {
  if (value === undefined || value === null) return fallback;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...zodIssues(where, result.error));
  return fallback;
}

/**
 * Just `promptWorkbench.languages` (what the glossary hover and the preview register for at
 * activation), without the model catalogue that resolveSettings builds. Problems go to `issues`.
 */
export function resolveLanguages(raw: unknown, issues: SettingIssue[] = []): string[] {
  // The default (what VS Code returns when nobody set it) is known to be valid: activation then builds no schema.
  if (Array.isArray(raw) && raw.length === DEFAULT_LANGUAGES.length && raw.every((l, i) => l === DEFAULT_LANGUAGES[i])) return [...DEFAULT_LANGUAGES];
  return checked(schemas().languages, raw, DEFAULT_LANGUAGES, `${SECTION}.languages`, issues);
}

export function resolveSettings(builtIn: readonly Model[], raw: RawSettings): Settings {
  const merged = mergeUserModels(builtIn, raw.models, `${SECTION}.models`);
  const issues = [...merged.issues];
  const languages = resolveLanguages(raw.languages, issues);
  const expectedOutputTokens = checked(schemas().expectedOutput, raw.expectedOutputTokens, DEFAULTS.expectedOutputTokens, `${SECTION}.expectedOutputTokens`, issues);
  const liveCountLimit = checked(schemas().liveLimit, raw.liveCountLimit, DEFAULTS.liveCountLimit, `${SECTION}.liveCountLimit`, issues);
  const tokenizerFiles = checked(schemas().tokenizerFiles, raw.tokenizerFiles, {}, `${SECTION}.tokenizerFiles`, issues);
  for (const id of Object.keys(tokenizerFiles)) {
    if (!merged.models.some((m) => m.id === id)) issues.push({ where: `${SECTION}.tokenizerFiles.${id}`, message: `no model has the id "${id}"; add it to ${SECTION}.models or use a catalogue id`, code: 'noModelForFile', args: [id] });
  }
  const fallback = merged.models.find((m) => m.id === DEFAULTS.model) ?? merged.models[0]!;
  let model = fallback;
  if (typeof raw.model === 'string' && raw.model.trim() !== '') {
    const wanted = raw.model.trim();
    const found = merged.models.find((m) => m.id === wanted);
    if (found) model = found;
    else issues.push({ where: `${SECTION}.model`, message: `unknown model "${wanted}"; counting for "${fallback.id}" instead`, code: 'unknownModel', args: [wanted, fallback.id] });
  } else if (raw.model !== undefined && raw.model !== null && raw.model !== '') {
    issues.push({ where: `${SECTION}.model`, message: `must be a model id (text); counting for "${fallback.id}" instead`, code: 'modelNotText', args: [fallback.id] });
  }
  return { model, models: merged.models, userModelIds: merged.userIds, languages, expectedOutputTokens, liveCountLimit, tokenizerFiles, issues };
}
