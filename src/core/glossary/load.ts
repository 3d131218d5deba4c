/**
 * Reads glossaries: the built-in one, a workspace file (JSON with comments, positions from
 * jsonc-parser so every problem names its line and column) and the setting; then merges them.
 * Later layers win: built-in, then the setting, then workspace files. A user entry with the id
 * of an existing entry changes only the fields it gives; a new entry needs a name and a
 * definition. Every invalid entry is reported (where, field, what is wrong) and skipped; the
 * rest keeps working.
 */
import { findNodeAtLocation, getNodeValue, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { formatPath } from '../models';
import {
  BuiltInEntrySchema, type EntryInput, EntryInputSchema, type EntrySource, GlossaryFileSchema,
  type GlossaryEntry, GlossaryTermsSettingSchema,
} from './schema';

export interface GlossaryIssue {
  /** File (relative path) or setting name. */
  where: string;
  /** Field path, e.g. `entries[3].definition.en`. */
  path: string;
  /** 1-based, when known. */
  line?: number;
  column?: number;
  /** In English (logs, API); the extension words `code` with `args` in the user's language. */
  message: string;
  code?: 'notJson' | 'notAList' | 'duplicateId' | 'noSuchRelated';
  args?: string[];
  /** The workspace file it is in (URI string). */
  uri?: string;
}

export function formatIssue(i: GlossaryIssue): string {
  const pos = i.line !== undefined ? `:${i.line}:${i.column ?? 1}` : '';
  return `${i.where}${pos}${i.path ? ` ${i.path}` : ''}: ${i.message}`;
}

type Path = ReadonlyArray<PropertyKey>;

/** One user layer: the entries as given plus where each one is. */
export interface GlossaryLayer {
  source: EntrySource;
  /** Root of the field paths: `entries` for a file, the setting name for the setting. */
  root: Path;
  entries: { input: EntryInput; index: number }[];
  issues: GlossaryIssue[];
  /** Line/column (1-based) of a field, for files. */
  locate?: (path: Path) => { line: number; column: number } | undefined;
}

interface ZodLikeIssue { path: ReadonlyArray<PropertyKey>; message: string }

function pathText(path: Path): string {
  return formatPath('', path).replace(/^\./, '');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

function collectEntries(layer: GlossaryLayer, items: unknown[], base: Path): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const here = [...base, index];
    const r = EntryInputSchema.safeParse(item);
    if (!r.success) {
      for (const issue of r.error.issues as ReadonlyArray<ZodLikeIssue>) addIssue(layer, [...here, ...issue.path], issue.message);
      return;
    }
    const dup = seen.get(r.data.id);
    if (dup !== undefined) {
      addIssue(layer, [...here, 'id'], `duplicate id "${r.data.id}" (also ${pathText([...base, dup])}); this entry is ignored`);
      return;
    }
    seen.set(r.data.id, index);
    layer.entries.push({ input: r.data, index });
  });
}

export function addIssue(layer: GlossaryLayer, path: Path, message: string): void {
  const pos = layer.locate?.(path);
  layer.issues.push({ where: layer.source.label, path: pathText(path), message, ...(pos ?? {}), ...(layer.source.uri ? { uri: layer.source.uri } : {}) });
}

const JSONC = { allowTrailingComma: true, disallowComments: false };

/** Line/column (1-based) of the deepest node that exists on `path` (a missing field points at its object). */
function locator(text: string, getTree: () => Node | undefined): (path: Path) => { line: number; column: number } | undefined {
  let starts: number[] | undefined;
  return (path) => {
    const tree = getTree();
    if (!tree) return undefined;
    starts ??= lineStarts(text);
    for (let n = path.length; n >= 0; n--) {
      const node: Node | undefined = findNodeAtLocation(tree, path.slice(0, n) as (string | number)[]);
      if (node) return position(starts, node.parent?.type === 'property' && n > 0 ? node.parent.offset : node.offset);
    }
    return undefined;
  };
}

/**
 * A workspace glossary file's text (JSON; comments and trailing commas allowed). Plain JSON is
 * read with JSON.parse; the syntax tree that gives positions is built only when needed.
 */
export function parseGlossaryFile(text: string, source: EntrySource): GlossaryLayer {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let tree: Node | undefined;
  let built = false;
  const errors: ParseError[] = [];
  const getTree = () => {
    if (!built) tree = parseTree(text, errors, JSONC);
    built = true;
    return tree;
  };
  const layer: GlossaryLayer = { source, root: ['entries'], entries: [], issues: [], locate: locator(text, getTree) };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    getTree();
    if (errors.length > 0 || !tree) {
      const e = errors[0];
      const pos = e ? position(lineStarts(text), e.offset) : { line: 1, column: 1 };
      const what = e ? printParseErrorCode(e.error) : 'EmptyFile';
      layer.issues.push({ where: source.label, path: '', ...pos, message: `not valid JSON (${what}); fix it and save`, code: 'notJson', args: [what], ...(source.uri ? { uri: source.uri } : {}) });
      return layer;
    }
    data = getNodeValue(tree);
  }
  const file = GlossaryFileSchema.safeParse(data);
  if (!file.success) {
    for (const issue of file.error.issues as ReadonlyArray<ZodLikeIssue>) addIssue(layer, issue.path, issue.message);
    return layer;
  }
  collectEntries(layer, file.data.entries, ['entries']);
  return layer;
}

/** 1-based line of entries[index] in a glossary file's text. */
export function entryLine(text: string, index: number): number | undefined {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const tree = parseTree(text, [], JSONC);
  return locator(text, () => tree)(['entries', index])?.line;
}

/** The `promptWorkbench.glossary.terms` setting's value (a list of entries). */
export function parseTermsSetting(value: unknown, source: EntrySource): GlossaryLayer {
  const layer: GlossaryLayer = { source, root: [], entries: [], issues: [] };
  if (value === undefined || value === null) return layer;
  const r = GlossaryTermsSettingSchema.safeParse(value);
  if (!r.success) {
    layer.issues.push({ where: source.label, path: '', message: 'must be a list of terms like { "id": "my-term", "en": "…", "zh": "…", "definition": { "en": "…", "zh": "…" } }', code: 'notAList' });
    return layer;
  }
  collectEntries(layer, r.data, []);
  return layer;
}

/** The built-in glossary; problems are returned (tests require there are none). */
export function parseBuiltIn(data: unknown, label = 'src/data/glossary.json'): { entries: GlossaryEntry[]; issues: GlossaryIssue[] } {
  const source: EntrySource = { kind: 'builtIn', label: 'built-in' };
  const issues: GlossaryIssue[] = [];
  const file = GlossaryFileSchema.safeParse(data);
  if (!file.success) {
    return { entries: [], issues: (file.error.issues as ReadonlyArray<ZodLikeIssue>).map((i) => ({ where: label, path: pathText(i.path), message: i.message })) };
  }
  const entries: GlossaryEntry[] = [];
  const seen = new Set<string>();
  file.data.entries.forEach((item, i) => {
    const r = BuiltInEntrySchema.safeParse(item);
    if (!r.success) {
      for (const issue of r.error.issues as ReadonlyArray<ZodLikeIssue>) issues.push({ where: label, path: pathText(['entries', i, ...issue.path]), message: issue.message });
      return;
    }
    if (seen.has(r.data.id)) {
      issues.push({ where: label, path: pathText(['entries', i, 'id']), message: `duplicate id "${r.data.id}"`, code: 'duplicateId', args: [r.data.id] });
      return;
    }
    seen.add(r.data.id);
    entries.push({ ...r.data, source });
  });
  for (const e of entries) {
    e.related.forEach((id, k) => {
      if (!seen.has(id)) issues.push({ where: label, path: pathText(['entries', entries.indexOf(e), 'related', k]), message: `no entry with id "${id}"`, code: 'noSuchRelated', args: [id] });
    });
  }
  return { entries, issues };
}

const uniq = (xs: string[]) => [...new Set(xs)];

/** The built-in entries with the user layers applied, in order; plus what was wrong. */
export function mergeGlossary(builtIn: readonly GlossaryEntry[], layers: readonly GlossaryLayer[]): { entries: GlossaryEntry[]; issues: GlossaryIssue[] } {
  const byId = new Map<string, GlossaryEntry>(builtIn.map((e) => [e.id, e]));
  const issues: GlossaryIssue[] = [];
  const fromUser: { entry: GlossaryEntry; layer: GlossaryLayer; index: number }[] = [];
  for (const layer of layers) {
    issues.push(...layer.issues);
    for (const { input, index } of layer.entries) {
      const base = byId.get(input.id);
      const source: EntrySource = { ...layer.source, index };
      const entry: GlossaryEntry = {
        id: input.id,
        en: input.en ?? base?.en,
        zh: input.zh ?? base?.zh,
        abbr: input.abbr ?? base?.abbr ?? [],
        aliasesEn: input.aliasesEn ?? base?.aliasesEn ?? [],
        aliasesZh: input.aliasesZh ?? base?.aliasesZh ?? [],
        category: input.category ?? base?.category ?? 'custom',
        related: input.related ?? base?.related ?? [],
        definition: { ...base?.definition, ...input.definition },
        source,
        ...(base ? { overrides: true } : {}),
      };
      if (!entry.en && !entry.zh) {
        addIssue(layer, [...layer.root, index], `term "${input.id}" needs a name: give "en" or "zh"`);
        continue;
      }
      if (!entry.definition.en && !entry.definition.zh) {
        addIssue(layer, [...layer.root, index], `term "${input.id}" needs a definition: give "definition": { "en": "…" } or { "zh": "…" }`);
        continue;
      }
      entry.abbr = uniq(entry.abbr);
      entry.aliasesEn = uniq(entry.aliasesEn);
      entry.aliasesZh = uniq(entry.aliasesZh);
      byId.set(entry.id, entry);
      fromUser.push({ entry, layer, index });
    }
  }
  // Issues found while merging were added to the layers after their issues were copied.
  for (const layer of layers) for (const i of layer.issues) if (!issues.includes(i)) issues.push(i);
  for (const { entry, layer, index } of fromUser) {
    if (byId.get(entry.id) !== entry) continue;
    entry.related.forEach((id, k) => {
      if (!byId.has(id)) addIssue(layer, [...layer.root, index, 'related', k], `no term with id "${id}"`);
    });
  }
  for (const layer of layers) for (const i of layer.issues) if (!issues.includes(i)) issues.push(i);
  return { entries: [...byId.values()], issues };
}
