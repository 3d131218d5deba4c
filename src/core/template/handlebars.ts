/**
 * Handlebars, locked down for prompt templates: an isolated environment (Handlebars.create())
 * with only the built-in block helpers (if, unless, each, with, lookup; `log` and the `inline`
 * decorator removed), no way to register helpers or partials from a template, strict mode (a
 * missing name is an error), no HTML escaping (a prompt is plain text), no prototype access,
 * and an output/time budget checked while looping. Parse errors come back with their position.
 */
import type * as HandlebarsTypes from 'handlebars';

type HandlebarsEnv = typeof HandlebarsTypes;

// The library itself, without lib/index.js's require() hook for .hbs files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Handlebars = (require('handlebars/dist/cjs/handlebars') as { default: HandlebarsEnv }).default;

export const KNOWN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'] as const;

export const COMPILE_OPTIONS = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: { log: false, helperMissing: false, blockHelperMissing: false },
} as const;

export const RUNTIME_OPTIONS = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
} as const;

// ---- AST (the parts of Handlebars 4.7's AST that the analysis reads) ----

export interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}
export interface PathNode { type: 'PathExpression'; data: boolean; depth: number; parts: string[]; original: string; loc: Loc }
export interface LiteralNode { type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'UndefinedLiteral' | 'NullLiteral'; value: unknown; original: unknown; loc: Loc }
export interface SubExpressionNode { type: 'SubExpression'; path: ExprNode; params: ExprNode[]; hash?: HashNode; loc: Loc }
export type ExprNode = PathNode | LiteralNode | SubExpressionNode;
export interface HashNode { type: 'Hash'; pairs: Array<{ key: string; value: ExprNode; loc: Loc }>; loc: Loc }
export interface ProgramNode { type: 'Program'; body: StatementNode[]; blockParams?: string[]; loc?: Loc; chained?: boolean }
export interface MustacheNode { type: 'MustacheStatement' | 'Decorator'; path: ExprNode; params: ExprNode[]; hash?: HashNode; loc: Loc }
export interface BlockNode { type: 'BlockStatement' | 'DecoratorBlock'; path: ExprNode; params: ExprNode[]; hash?: HashNode; program?: ProgramNode; inverse?: ProgramNode; loc: Loc }
export interface PartialNode { type: 'PartialStatement' | 'PartialBlockStatement'; name: ExprNode; params: ExprNode[]; hash?: HashNode; loc: Loc }
export interface TextNode { type: 'ContentStatement' | 'CommentStatement'; loc: Loc }
export type StatementNode = MustacheNode | BlockNode | PartialNode | TextNode;

/** A parse error in body coordinates (0-based line and column). */
export interface BodyError {
  kind: 'syntax' | 'unclosedBlock' | 'mismatchedBlock' | 'tooDeep';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  args: string[];
}

interface JisonLexer {
  yylloc?: { first_line: number; first_column: number; last_line: number; last_column: number };
  match?: string;
  _input?: string;
}

/** Parses the body without whitespace processing (compile() applies it once when rendering). */
export function parseBody(body: string): { ast: ProgramNode } | { error: BodyError } {
  try {
    return { ast: (Handlebars as unknown as { parseWithoutProcessing(s: string): ProgramNode }).parseWithoutProcessing(body) };
  } catch (e) {
    return { error: describeParseError(body, e) };
  }
}

function describeParseError(body: string, e: unknown): BodyError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) return { kind: 'tooDeep', line: 0, column: 0, endLine: 0, endColumn: 0, args: [] };
  const blocks = scanBlocks(body);
  // "each doesn't match if - 2:5" (a Handlebars Exception with the open block's position).
  if (/ doesn't match /.test(message)) {
    if (blocks.mismatch) return blocks.mismatch;
    const err = e as { lineNumber?: number; column?: number };
    const [open = '?', close = '?'] = message.replace(/ - \d+:\d+$/, '').split(" doesn't match ");
    const line = (err.lineNumber ?? 1) - 1;
    return { kind: 'mismatchedBlock', line, column: err.column ?? 0, endLine: line, endColumn: (err.column ?? 0) + 3 + open.length, args: [close, open, String(line + 1)] };
  }
  const lexer = (Handlebars as unknown as { Parser: { lexer: JisonLexer } }).Parser.lexer;
  const loc = lexer.yylloc;
  const got = /got '([^']+)'/.exec(message)?.[1];
  if (got === 'EOF' && blocks.unclosed) return blocks.unclosed;
  if (/^Lexical error/.test(message) && loc) {
    const rest = (lexer._input ?? '').split(/\r?\n/)[0]!.slice(0, 12);
    return { kind: 'syntax', line: loc.last_line - 1, column: loc.last_column, endLine: loc.last_line - 1, endColumn: loc.last_column + Math.max(1, rest.length), args: [JSON.stringify(rest), ''] };
  }
  const expected = (/Expecting (.*), got/.exec(message)?.[1] ?? '').split(', ').map((t) => t.replace(/'/g, '')).filter(Boolean);
  const found = got === 'EOF' ? describeToken('EOF') : lexer.match ? JSON.stringify(lexer.match) : describeToken(got ?? '');
  const rank = (t: string): number => {
    const i = LIKELY.indexOf(t);
    return i < 0 ? LIKELY.length : i;
  };
  const names = [...new Set(expected.sort((a, b) => rank(a) - rank(b)).map(describeToken))];
  const shown = names.length > 5 ? [...names.slice(0, 5), '…'] : names;
  if (loc) {
    return { kind: 'syntax', line: loc.first_line - 1, column: loc.first_column, endLine: loc.last_line - 1, endColumn: Math.max(loc.last_column, loc.first_column + 1), args: [found, shown.join(', ')] };
  }
  const line = Number(/line (\d+)/.exec(message)?.[1] ?? '1') - 1;
  return { kind: 'syntax', line, column: 0, endLine: line, endColumn: 1, args: [found, shown.join(', ')] };
}

const TOKENS: Record<string, string> = {
  EOF: 'end of file', CLOSE: '}}', CLOSE_UNESCAPED: '}}}', CLOSE_RAW_BLOCK: '}}}}', OPEN: '{{', OPEN_UNESCAPED: '{{{',
  OPEN_BLOCK: '{{#', OPEN_ENDBLOCK: '{{/', OPEN_INVERSE: '{{^', INVERSE: '{{else}}', OPEN_INVERSE_CHAIN: '{{else …',
  OPEN_PARTIAL: '{{>', OPEN_PARTIAL_BLOCK: '{{#>', OPEN_RAW_BLOCK: '{{{{', END_RAW_BLOCK: '{{{{/', OPEN_SEXPR: '(',
  CLOSE_SEXPR: ')', OPEN_BLOCK_PARAMS: 'as |', CLOSE_BLOCK_PARAMS: '|', EQUALS: '=', SEP: '.', ID: 'name',
  STRING: '"text"', NUMBER: 'number', BOOLEAN: 'true/false', UNDEFINED: 'undefined', NULL: 'null', DATA: '@',
  CONTENT: 'text', COMMENT: '{{! comment }}', INVALID: 'invalid character',
};

/** Tokens in the order a person most likely meant them. */
const LIKELY = ['CLOSE', 'ID', 'OPEN_ENDBLOCK', 'CLOSE_UNESCAPED', 'STRING', 'NUMBER', 'DATA', 'OPEN_SEXPR', 'CLOSE_SEXPR', 'EQUALS', 'INVERSE', 'OPEN_INVERSE_CHAIN', 'BOOLEAN'];

function describeToken(token: string): string {
  return TOKENS[token] ?? token;
}

interface OpenTag { name: string; line: number; column: number; length: number }

/**
 * A light scan of the block tags ({{#x}}, {{^x}}, {{/x}}), skipping comments and raw blocks, to
 * say which block is never closed or which closing tag does not match.
 */
export function scanBlocks(body: string): { unclosed?: BodyError; mismatch?: BodyError } {
  const stack: OpenTag[] = [];
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  const advance = (to: number): void => {
    for (let i = body.indexOf('\n', scanned); i >= 0 && i < to; i = body.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    scanned = Math.max(scanned, to);
  };
  let i = body.indexOf('{{');
  while (i >= 0) {
    advance(i);
    if (body.startsWith('{{{{', i)) {
      const end = body.indexOf('}}}}', i);
      if (end < 0) break;
      // Skip the raw block's content up to its closing {{{{/name}}}}.
      const close = body.indexOf('{{{{/', end);
      i = body.indexOf('{{', close < 0 ? end + 4 : body.indexOf('}}}}', close) + 4);
      continue;
    }
    let j = i + 2;
    if (body[j] === '~') j++;
    if (body.startsWith('!--', j)) {
      const end = body.indexOf('--', j + 3);
      i = end < 0 ? -1 : body.indexOf('{{', end);
      continue;
    }
    if (body[j] === '!') {
      const end = body.indexOf('}}', j);
      i = end < 0 ? -1 : body.indexOf('{{', end);
      continue;
    }
    const sigil = body[j];
    const close = body.indexOf('}}', j);
    const inner = body.slice(j + 1, close < 0 ? Math.min(body.length, j + 200) : close);
    const name = /^\s*[*>]?\s*([^\s}~()]+)/.exec(inner)?.[1] ?? '';
    const column = i - lineStart;
    const length = (close < 0 ? j + 1 + inner.length : close + 2) - i;
    if ((sigil === '#' || (sigil === '^' && name !== '')) && name) {
      stack.push({ name, line, column, length });
    } else if (sigil === '/' && name) {
      const top = stack[stack.length - 1];
      if (top && top.name === name) stack.pop();
      else if (top) {
        return { mismatch: { kind: 'mismatchedBlock', line, column, endLine: line, endColumn: column + length, args: [name, top.name, String(top.line + 1)] } };
      }
    }
    i = body.indexOf('{{', close < 0 ? j : close + 2);
  }
  const top = stack[stack.length - 1];
  if (!top) return {};
  return { unclosed: { kind: 'unclosedBlock', line: top.line, column: top.column, endLine: top.line, endColumn: top.column + top.length, args: [top.name, String(top.line + 1)] } };
}

// ---- Rendering ----

export class LimitError extends Error {
  constructor(readonly limit: 'output' | 'time') {
    super(limit === 'output' ? 'output limit' : 'time limit');
  }
}

interface BlockOptions {
  fn: (context: unknown, options?: unknown) => string;
  [key: string]: unknown;
}

/**
 * A fresh environment for one render. `each` (also used by sections over lists) stops the render
 * once one loop's output passes `maxOutputChars` or the deadline passes, so that nested loops
 * over large lists cannot run away.
 */
export function createEnvironment(maxOutputChars: number, deadline: number): HandlebarsEnv {
  const hb = Handlebars.create();
  hb.unregisterHelper('log');
  hb.unregisterDecorator('inline');
  const each = hb.helpers.each!;
  hb.registerHelper('each', function (this: unknown, context: unknown, options: BlockOptions) {
    const fn = options.fn;
    let produced = 0;
    const guarded = Object.assign(function (this: unknown, ...args: [unknown, unknown?]) {
      const out = fn.apply(this, args);
      produced += out.length;
      if (produced > maxOutputChars) throw new LimitError('output');
      if (Date.now() > deadline) throw new LimitError('time');
      return out;
    }, fn);
    return each.call(this, context, { ...options, fn: guarded });
  });
  return hb;
}
