/**
 * The model catalogue: which tokenizer each model counts with, its prices and its limits.
 * Built-in models come from src/data/models.json; users add or override models in the
 * `promptWorkbench.models` setting. Both are validated here with the same schema.
 */
import * as z from 'zod/mini';
import './zod';
import { ENCODING_NAMES } from './encodings';
import { lazy } from './lazy';

/**
 * The schemas are built on first use, not when the module loads: building them takes a few
 * milliseconds, and activation needs none of them (the first count does).
 */
function makeSchemas() {
  const price = z.number().check(z.nonnegative());
  const positiveInt = z.int().check(z.positive());
  const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

  const TokenizerSchema = z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('bpe'),
      encoding: z.enum(ENCODING_NAMES),
    }),
    z.strictObject({
      kind: z.literal('estimate'),
      /** Characters of Latin-script text, code and punctuation per token. */
      charsPerToken: z.number().check(z.positive()),
      /** Chinese, Japanese and Korean characters per token (defaults to charsPerToken / 3). */
      cjkCharsPerToken: z.optional(z.number().check(z.positive())),
    }),
  ]);

  const RatesSchema = {
    input: price,
    cachedInput: z.optional(price),
    output: price,
  };
  const PriceSchema = z.strictObject({
    ...RatesSchema,
    /**
     * Other rates for a request whose input passes `aboveInputTokens` (vendors charge more for
     * long prompts: e.g. GPT-6.2 Sol above 272K input tokens); they apply to the whole request.
     */
    longContext: z.optional(z.strictObject({ aboveInputTokens: positiveInt, ...RatesSchema })),
  });

  /**
   * The vendor has retired the model's API id, or announced when it will. Without `on` the vendor
   * says it is retired but gives no date.
   */
  const RetirementSchema = z.strictObject({
    /** ISO date (YYYY-MM-DD) from which the vendor no longer serves the id. */
    on: z.optional(z.iso.date()),
    /** The vendor's recommended replacement (an API id; it need not be in the catalogue). */
    replacedBy: z.optional(text(200)),
  });

  const ModelSchema = z.strictObject({
    id: text(200),
    name: text(200),
    provider: text(100),
    tokenizer: TokenizerSchema,
    /** USD per million tokens. */
    price: PriceSchema,
    contextWindow: positiveInt,
    maxOutputTokens: positiveInt,
    /** ISO date (YYYY-MM-DD) on which the prices were last checked against the vendor's page. */
    pricesCheckedOn: z.optional(z.iso.date()),
    /** Hugging Face repository that publishes the model's tokenizer.json, where there is one. */
    huggingFaceTokenizer: z.optional(z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/))),
    retirement: z.optional(RetirementSchema),
  });

  const CatalogueSchema = z.strictObject({
    version: z.literal(1),
    models: z.array(ModelSchema).check(z.minLength(1)),
  }).check(z.superRefine((cat, ctx) => {
    const seen = new Set<string>();
    cat.models.forEach((m, i) => {
      if (seen.has(m.id)) ctx.issues.push({ code: 'custom', input: m.id, path: ['models', i, 'id'], message: `duplicate model id "${m.id}"` });
      seen.add(m.id);
    });
  }));

  /** A user's entry may leave out what it takes from the built-in model of the same id. */
  const UserModelSchema = z.extend(z.partial(ModelSchema), { id: ModelSchema.shape.id, price: z.optional(z.partial(PriceSchema)) });

  return { TokenizerSchema, ModelSchema, CatalogueSchema, UserModelSchema };
}

const schemas = lazy(makeSchemas);
type Schemas = ReturnType<typeof makeSchemas>;
export type TokenizerSpec = z.infer<Schemas['TokenizerSchema']>;
export type Model = z.infer<Schemas['ModelSchema']>;
export type Catalogue = z.infer<Schemas['CatalogueSchema']>;

/** Our own setting problems (zod's messages are already in the user's language through its locale). */
export type SettingIssueCode = 'notAList' | 'newModelIncomplete' | 'noModelForFile' | 'unknownModel' | 'modelNotText';

export interface SettingIssue {
  /** Where the problem is, e.g. `promptWorkbench.models[2].price.input`. */
  where: string;
  /** In English (logs, API); the extension words `code` with `args` in the user's language. */
  message: string;
  code?: SettingIssueCode;
  args?: string[];
}

export function formatPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  let out = root;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

export function zodIssues(root: string, error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): SettingIssue[] {
  return error.issues.map((issue) => ({ where: formatPath(root, issue.path), message: issue.message }));
}

export function parseCatalogue(data: unknown, source = 'models.json'): Catalogue {
  const result = schemas().CatalogueSchema.safeParse(data);
  if (!result.success) {
    const first = zodIssues(source, result.error).map((i) => `${i.where}: ${i.message}`).join('; ');
    throw new Error(`Invalid model catalogue: ${first}`);
  }
  return result.data;
}

export interface MergedModels {
  models: Model[];
  issues: SettingIssue[];
  /** Ids of models that come from (or were changed by) the user's settings. */
  userIds: Set<string>;
}

/**
 * Merges the user's `promptWorkbench.models` over the built-in catalogue. Each invalid entry is
 * reported (entry and field) and skipped; every valid entry and every built-in model still works.
 */
export function mergeUserModels(builtIn: readonly Model[], userValue: unknown, root = 'promptWorkbench.models'): MergedModels {
  const models = new Map(builtIn.map((m) => [m.id, m] as const));
  const issues: SettingIssue[] = [];
  const userIds = new Set<string>();
  if (userValue === undefined || userValue === null) return { models: [...models.values()], issues, userIds };
  if (!Array.isArray(userValue)) {
    issues.push({ where: root, message: 'must be a list of models', code: 'notAList' });
    return { models: [...models.values()], issues, userIds };
  }
  userValue.forEach((entry, i) => {
    const here = `${root}[${i}]`;
    const partial = schemas().UserModelSchema.safeParse(entry);
    if (!partial.success) {
      issues.push(...zodIssues(here, partial.error));
      return;
    }
    const builtInBase = models.get(partial.data.id);
    // New prices without a date of their own: the catalogue's date no longer says when they were checked.
    const base = builtInBase && partial.data.price && partial.data.pricesCheckedOn === undefined ? { ...builtInBase, pricesCheckedOn: undefined } : builtInBase;
    const merged = schemas().ModelSchema.safeParse(base ? { ...base, ...partial.data, price: { ...base.price, ...partial.data.price } } : partial.data);
    if (!merged.success) {
      const extra = ' (a new model needs name, provider, tokenizer, price, contextWindow and maxOutputTokens)';
      const found = zodIssues(here, merged.error);
      issues.push(...(base ? found : found.map((x): SettingIssue => ({ ...x, message: x.message + extra, code: 'newModelIncomplete', args: [x.message] }))));
      return;
    }
    models.set(merged.data.id, merged.data);
    userIds.add(merged.data.id);
  });
  return { models: [...models.values()], issues, userIds };
}

export interface RetirementState {
  /** True once the vendor no longer serves the id; false while it is only announced. */
  retired: boolean;
  on?: string;
  replacedBy?: string;
}

/** Where the model stands on `today` (YYYY-MM-DD, the local date): undefined while the vendor serves it with no end announced. */
export function retirementOf(model: Model, today: string): RetirementState | undefined {
  const r = model.retirement;
  if (!r) return undefined;
  return { retired: r.on === undefined || r.on <= today, on: r.on, replacedBy: r.replacedBy };
}

/** Today's local date as YYYY-MM-DD. */
export function localDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isExact(model: Model): boolean {
  return model.tokenizer.kind === 'bpe';
}

export function tokenizerLabel(model: Model): string {
  return model.tokenizer.kind === 'bpe' ? model.tokenizer.encoding : 'estimate';
}
