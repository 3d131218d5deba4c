/**
 * A template's optional YAML front matter: split off the body, parsed with the `yaml` package
 * (no custom tags, alias expansion bounded) and validated with zod. Every problem names the
 * field and points at it in the file.
 *
 *   ---
 *   model: gpt-4o
 *   variables:
 *     task:
 *       description: What to do
 *       default: Classify the sentiment
 *       sample: Classify the sentiment of the review
 *   ---
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import * as z from 'zod/mini';
import '../zod';
import { isPlainIdentifier, isPlainObject, PROTOTYPE_NAMES } from './names';
import { LineIndex } from './positions';
import type { Range, TemplateIssue, VariableDecl } from './types';

export interface SplitTemplate {
  /** The YAML between the `---` lines; undefined when the file has no front matter. */
  yaml?: string;
  /** Document line of the first YAML line. */
  yamlLine: number;
  body: string;
  /** Document line on which the body starts. */
  bodyLine: number;
  /** True when `---` on the first line is never closed. */
  unclosed: boolean;
}

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;

export function splitFrontMatter(text: string): SplitTemplate {
  const open = OPEN.exec(text);
  if (!open) return { yamlLine: 0, body: text, bodyLine: 0, unclosed: false };
  CLOSE.lastIndex = open[0].length;
  const close = CLOSE.exec(text);
  if (!close) return { yaml: text.slice(open[0].length), yamlLine: 1, body: '', bodyLine: 0, unclosed: true };
  const bodyOffset = close.index + close[0].length;
  let bodyLine = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < bodyOffset; i = text.indexOf('\n', i + 1)) bodyLine++;
  return { yaml: text.slice(open[0].length, close.index), yamlLine: 1, body: text.slice(bodyOffset), bodyLine, unclosed: false };
}

const VariableSchema = z.strictObject({
  description: z.optional(z.string()),
  default: z.optional(z.unknown()),
  sample: z.optional(z.unknown()),
});

export const FrontMatterSchema = z.strictObject({
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  /** A model id from the catalogue; counts and costs of the rendered prompt use it. */
  model: z.optional(z.string().check(z.trim(), z.minLength(1))),
  variables: z.optional(z.nullable(z.record(z.string(), z.nullable(VariableSchema)))),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

const ALLOWED_KEYS: Record<string, string[]> = {
  '': ['title', 'description', 'model', 'variables'],
  variable: ['description', 'default', 'sample'],
};

export interface FrontMatterResult {
  /** False when the YAML could not be read: the declared variables are then unknown. */
  readable: boolean;
  model?: { id: string; range: Range };
  variables: VariableDecl[];
  issues: TemplateIssue[];
}

type Segment = string | number;

export function parseFrontMatter(yaml: string, yamlLine: number): FrontMatterResult {
  const index = new LineIndex(yaml);
  const at = (start: number, end: number): Range => index.range(start, end, yamlLine);
  const issues: TemplateIssue[] = [];
  const variables: VariableDecl[] = [];
  const doc = parseDocument(yaml, { prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      issues.push({ code: 'yaml', severity: 'error', range: at(e.pos[0], e.pos[1]), args: [yamlMessage(e.message)] });
    }
    return { readable: false, variables, issues };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    issues.push({ code: 'yaml', severity: 'error', range: at(0, 0), args: [yamlMessage(e instanceof Error ? e.message : String(e))] });
    return { readable: false, variables, issues };
  }
  if (data === null || data === undefined) return { readable: true, variables, issues };

  const parsed = FrontMatterSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
      if (issue.code === 'unrecognized_keys') {
        const allowed = path.length === 0 ? ALLOWED_KEYS['']! : path[0] === 'variables' && path.length === 2 ? ALLOWED_KEYS.variable! : [];
        for (const key of issue.keys) {
          const [s, e] = locate(doc, [...path, key], true) ?? [0, 0];
          issues.push({ code: 'schemaUnknownKey', severity: 'error', range: at(s, e), args: [fieldPath([...path, key]), allowed.join(', ')] });
        }
      } else {
        const [s, e] = locate(doc, path, false) ?? [0, 0];
        issues.push({ code: 'schema', severity: 'error', range: at(s, e), args: [fieldPath(path) || '(front matter)', issue.message] });
      }
    }
  }

  // Read what is usable even when some of it fails the schema, so the body is still checked.
  const root = isPlainObject(data) ? data : {};
  collectVariables(doc, root, at, variables, issues);
  const result: FrontMatterResult = { readable: true, variables, issues };
  if (typeof root.model === 'string' && root.model.trim() !== '') {
    const [s, e] = locate(doc, ['model'], false) ?? [0, 0];
    result.model = { id: root.model.trim(), range: at(s, e) };
  }
  return result;
}

function collectVariables(doc: Document, root: Record<string, unknown>, at: (s: number, e: number) => Range, variables: VariableDecl[], issues: TemplateIssue[]): void {
  const vars = root.variables;
  if (!isPlainObject(vars)) return;
  // Declaration order comes from the YAML map (a JS object lists integer-like keys first).
  const node = doc.getIn(['variables'], true);
  const names = isMap(node) ? node.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : Object.keys(vars);
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(vars, name)) continue;
    const [s, e] = locate(doc, ['variables', name], true) ?? [0, 0];
    const range = at(s, e);
    const spec = vars[name];
    const entry = isPlainObject(spec) ? spec : {};
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(entry, k) && entry[k] !== null && entry[k] !== undefined;
    const decl: VariableDecl = {
      name,
      hasDefault: has('default'),
      hasSample: has('sample'),
      range,
    };
    if (typeof entry.description === 'string') decl.description = entry.description;
    if (decl.hasDefault) decl.default = entry.default;
    if (decl.hasSample) decl.sample = entry.sample;
    if (name === '' || PROTOTYPE_NAMES.has(name) || name.includes(']')) {
      issues.push({ code: 'variableName', severity: 'error', range, args: [name], variable: name });
    } else if (!isPlainIdentifier(name)) {
      issues.push({ code: 'variableNameBrackets', severity: 'info', range, args: [name], variable: name });
    }
    variables.push(decl);
  }
}

function fieldPath(path: Segment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** The YAML library's message without its "at line 3, column 5:" tail and code excerpt (we point at the place). */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Offsets of the node at `path` (of its key when `key` is set or when it has no value). */
function locate(doc: Document, path: Segment[], key: boolean): [number, number] | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  let last: [number, number] | undefined = rangeOf(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) return last;
      keyNode = pair.key;
      node = pair.value;
      last = rangeOf(keyNode) ?? last;
    } else if (isSeq(node) && typeof seg === 'number') {
      keyNode = undefined;
      node = node.items[seg];
      last = rangeOf(node) ?? last;
    } else {
      return last;
    }
  }
  if (key && keyNode) return rangeOf(keyNode) ?? last;
  return rangeOf(node) ?? rangeOf(keyNode) ?? last;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}
