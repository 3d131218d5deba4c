/**
 * Values files for the preview (`Prompt: Select Preview Values…`): a JSON or YAML map from the
 * template's variable names to values, read with positions so that every problem names the
 * field, its line and column. Validated twice with zod: as a file (a map of JSON-like values),
 * then against the template (a list where the template runs {{#each}} over it, a map where it
 * enters it with {{#with}}, plain text or a number where it only prints it).
 *
 * Pure, but it needs the `yaml` library, so the extension loads it lazily from its own bundle
 * (dist/previewValues.js, built by esbuild.mjs) when a values file is first used.
 */
import { findNodeAtLocation, type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { isMap, LineCounter, parseDocument } from 'yaml';
import * as z from 'zod/mini';
import '../zod';
import type { TemplateInput, VariableDecl } from '../template/types';

export { useZodLocale } from '../zod';

/** A values file larger than this is refused (the rendered prompt is limited anyway). */
export const MAX_VALUES_BYTES = 5 * 1024 * 1024;
const MAX_DEPTH = 64;

export type ValuesProblemCode =
  /** args: [format ('JSON' | 'YAML'), message] */
  | 'syntax'
  /** args: [] — the top level is not a map */
  | 'notAMap'
  /** args: [message] — a zod issue (the file's own shape) */
  | 'schema'
  /** args: [expected ('list' | 'map' | 'text'), actual ('list' | 'map' | 'text' | 'number' | 'boolean' | 'null')] */
  | 'wrongType'
  /** args: [] — a variable the template does not use (warning) */
  | 'unused'
  /** args: [bytes, limit] */
  | 'tooLarge'
  /** args: [] */
  | 'binary'
  /** args: [depth] */
  | 'tooDeep';

export interface ValuesProblem {
  code: ValuesProblemCode;
  severity: 'error' | 'warning';
  args: string[];
  /** Field path, e.g. `examples[2].output`. */
  path?: string;
  /** 1-based. */
  line?: number;
  column?: number;
}

export interface ValuesFile {
  format: 'JSON' | 'YAML';
  values: Record<string, unknown>;
  /** 1-based line and column of the value at `path`, when known. */
  locate(path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined;
}

export type ParsedValues = { ok: true; file: ValuesFile } | { ok: false; problems: ValuesProblem[] };

export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/** A JSON-like value: text, number, boolean, null, lists and maps of them. */
const JsonValue: z.ZodMiniType<unknown> = z.union([
  z.string(),
  z.number().check(z.refine(Number.isFinite, { message: 'must be a finite number' })),
  z.boolean(),
  z.null(),
  z.array(z.lazy(() => JsonValue)),
  z.record(z.string(), z.lazy(() => JsonValue)),
]);

const ValuesSchema = z.record(z.string().check(z.minLength(1)), JsonValue);

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH) return depth;
  let max = depth;
  if (Array.isArray(value)) for (const v of value) max = Math.max(max, depthOf(v, depth + 1));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) max = Math.max(max, depthOf(v, depth + 1));
  return max;
}

function looksBinaryText(text: string): boolean {
  const head = text.slice(0, 8192);
  let nul = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nul++;
  return nul > 0;
}

/** Reads a values file's text; `fileName` decides the format (`.json` is JSON, anything else YAML). */
export function parseValuesFile(text: string, fileName: string): ParsedValues {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_VALUES_BYTES) return fail({ code: 'tooLarge', severity: 'error', args: [String(bytes), String(MAX_VALUES_BYTES)] });
  if (looksBinaryText(text)) return fail({ code: 'binary', severity: 'error', args: [] });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = text.length - body.length;
  const json = /\.json$/i.test(fileName);
  let value: unknown;
  let locate: ValuesFile['locate'];
  if (json) {
    const errors: ParseError[] = [];
    const root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    if (errors.length > 0 || !root) {
      const e = errors[0];
      const at = e ? lineColumnOf(text, e.offset + shift) : { line: 1, column: 1 };
      return fail({ code: 'syntax', severity: 'error', args: ['JSON', e ? printParseErrorCode(e.error) : 'empty file'], ...at });
    }
    value = nodeValue(root);
    locate = (path) => {
      const node = findNodeAtLocation(root, path.map((p) => (typeof p === 'number' ? p : String(p))));
      // A field's position is its key's, as for YAML.
      const at = node?.parent?.type === 'property' ? node.parent : node;
      return at ? lineColumnOf(text, at.offset + shift) : undefined;
    };
  } else {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
    const error = doc.errors[0];
    if (error) {
      const pos = lines.linePos(error.pos[0]);
      return fail({ code: 'syntax', severity: 'error', args: ['YAML', error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')], line: pos.line, column: pos.col });
    }
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return fail({ code: 'syntax', severity: 'error', args: ['YAML', e instanceof Error ? e.message : String(e)] });
    }
    locate = (path) => {
      const node = doc.getIn(path as unknown[], true) as { range?: [number, number, number] } | undefined;
      const pair = path.length > 0 ? keyNode(doc.getIn(path.slice(0, -1) as unknown[], true), path[path.length - 1]!) : undefined;
      const offset = pair ?? node?.range?.[0];
      if (offset === undefined) return undefined;
      const pos = lines.linePos(offset);
      return { line: pos.line, column: pos.col };
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail({ code: 'notAMap', severity: 'error', args: [], line: 1, column: 1 });
  }
  const depth = depthOf(value);
  if (depth > MAX_DEPTH) return fail({ code: 'tooDeep', severity: 'error', args: [String(MAX_DEPTH)] });
  const parsed = ValuesSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, 5).map((issue) => ({ code: 'schema' as const, severity: 'error' as const, args: [issue.message], path: formatFieldPath(issue.path), ...locate(issue.path) })),
    };
  }
  return { ok: true, file: { format: json ? 'JSON' : 'YAML', values: value as Record<string, unknown>, locate } };
}

/** Offset of the key of `key` inside a YAML map node (errors point at the field name). */
function keyNode(parent: unknown, key: PropertyKey): number | undefined {
  if (!isMap(parent)) return undefined;
  for (const item of parent.items) {
    const k = item.key as { value?: unknown; range?: [number, number, number] } | null;
    if (k && String(k.value) === String(key)) return k.range?.[0];
  }
  return undefined;
}

/** The value of a JSON tree node, built without assignment (so `__proto__` stays a key). */
function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v) continue;
        Object.defineProperty(out, String(k.value), { value: nodeValue(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function kindOf(v: unknown): 'list' | 'map' | 'text' | 'number' | 'boolean' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'text';
}

/**
 * Checks the values against how the template uses each variable; problems name the variable
 * and where it is in the file. Values for variables the template does not use are warnings.
 */
export function checkValuesAgainst(file: ValuesFile, inputs: readonly TemplateInput[], declared: readonly VariableDecl[]): ValuesProblem[] {
  const expected = (input: TemplateInput): 'list' | 'map' | 'text' | undefined => {
    if (input.kinds.includes('list')) return 'list';
    if (input.kinds.includes('object')) return 'map';
    if (input.kinds.every((k) => k === 'value')) return 'text';
    return undefined;
  };
  const shape: Record<string, z.ZodMiniType<unknown>> = {};
  const wanted = new Map<string, 'list' | 'map' | 'text'>();
  for (const input of inputs) {
    if (!Object.prototype.hasOwnProperty.call(file.values, input.name)) continue;
    const e = expected(input);
    if (!e) continue;
    wanted.set(input.name, e);
    shape[input.name] = e === 'list'
      ? z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
      : e === 'map' ? z.record(z.string(), z.unknown()) : z.union([z.string(), z.number(), z.boolean()]);
  }
  const problems: ValuesProblem[] = [];
  const result = z.looseObject(shape).safeParse(file.values);
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (seen.has(name)) continue;
      seen.add(name);
      const e = wanted.get(name);
      if (!e) continue;
      problems.push({ code: 'wrongType', severity: 'error', args: [e, kindOf(file.values[name])], path: name, ...file.locate([name]) });
    }
  }
  const used = new Set([...inputs.map((i) => i.name), ...declared.map((d) => d.name)]);
  for (const name of Object.keys(file.values)) {
    if (!used.has(name)) problems.push({ code: 'unused', severity: 'warning', args: [], path: name, ...file.locate([name]) });
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * The values to render with: the file's, and for every declared variable the file leaves out,
 * its front-matter sample (or default).
 */
export function mergeWithSamples(values: Record<string, unknown>, declared: readonly VariableDecl[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  };
  for (const d of declared) {
    const v = d.hasSample ? d.sample : d.hasDefault ? d.default : undefined;
    if (v !== undefined) set(d.name, v);
  }
  for (const [k, v] of Object.entries(values)) set(k, v);
  return out;
}

function fail(problem: ValuesProblem): ParsedValues {
  return { ok: false, problems: [problem] };
}
