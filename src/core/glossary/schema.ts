/**
 * The glossary file format, shared by the built-in glossary (src/data/glossary.json), the
 * workspace file `.vscode/prompt-glossary.json` and the `promptWorkbench.glossary.terms`
 * setting. One entry schema: `id` is always required; every other field may be left out in a
 * user entry that overrides a built-in term (only the given fields change). A complete entry —
 * what the built-in file must contain, checked by `BuiltInEntrySchema` — has both names, both
 * definitions, a category and its lists.
 */
import * as z from 'zod/mini';
import '../zod';

/** Categories of the built-in glossary (users may add their own). */
export const CATEGORIES = [
  'prompting', 'tokens', 'inference', 'models', 'architecture', 'training', 'data',
  'applications', 'evaluation', 'concepts', 'hardware', 'systems', 'tools',
] as const;
export type KnownCategory = (typeof CATEGORIES)[number];

const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(120));
const names = z.array(name).check(z.maxLength(50));
const definitionText = z.string().check(z.trim(), z.minLength(1), z.maxLength(4000));
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const id = z.string().check(z.trim(), z.minLength(1), z.maxLength(120), z.regex(ID_PATTERN, 'use lower-case letters, digits, ".", "_" and "-" (e.g. "my-term")'));

export const DefinitionSchema = z.strictObject({
  en: z.optional(definitionText),
  zh: z.optional(definitionText),
});

/** One entry as written in any glossary file or in the setting. */
export const EntryInputSchema = z.strictObject({
  id,
  /** English name. */
  en: z.optional(name),
  /** Simplified Chinese name. */
  zh: z.optional(name),
  /** Abbreviations and acronyms, matched case-sensitively (`CoT`, `LLM`). */
  abbr: z.optional(names),
  aliasesEn: z.optional(names),
  aliasesZh: z.optional(names),
  category: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(60))),
  /** Ids of related entries. */
  related: z.optional(z.array(id).check(z.maxLength(50))),
  definition: z.optional(DefinitionSchema),
});
export type EntryInput = z.infer<typeof EntryInputSchema>;

/** The file: `{ "version": 1, "entries": [...] }` (`$schema` allowed). */
export const GlossaryFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  version: z.optional(z.literal(1)),
  entries: z.array(z.unknown()),
});

/** The setting: a list of entries. */
export const GlossaryTermsSettingSchema = z.array(z.unknown());

/** What a built-in entry must have (a complete entry). */
export const BuiltInEntrySchema = z.strictObject({
  id,
  en: name,
  zh: name,
  abbr: names,
  aliasesEn: names,
  aliasesZh: names,
  category: z.enum(CATEGORIES),
  related: z.array(id),
  definition: z.strictObject({ en: definitionText, zh: definitionText }),
});
export type BuiltInEntry = z.infer<typeof BuiltInEntrySchema>;

export type SourceKind = 'builtIn' | 'setting' | 'workspace';

export interface EntrySource {
  kind: SourceKind;
  /** For people: "built-in", "promptWorkbench.glossary.terms", ".vscode/prompt-glossary.json". */
  label: string;
  /** Workspace file the entry comes from (a URI string). */
  uri?: string;
  /** Index of the entry in the file's `entries` or in the setting's list. */
  index?: number;
}

/** A resolved entry: every list present, at least one name and one definition. */
export interface GlossaryEntry {
  id: string;
  en?: string;
  zh?: string;
  abbr: string[];
  aliasesEn: string[];
  aliasesZh: string[];
  category: string;
  related: string[];
  definition: { en?: string; zh?: string };
  source: EntrySource;
  /** Built-in entry this one overrides (same id), if any. */
  overrides?: boolean;
}

export { entryNames, entryTitle } from './titles';
