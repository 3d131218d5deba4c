/**
 * Variable analysis of a parsed template body: which top-level variables are used (and how),
 * following Handlebars' scoping — {{#each}} / {{#with}} / sections change the context, block
 * params (`as |item i|`) shadow names, `../` climbs one context, `@root.x` and `this` are
 * understood, @index/@key/@first/@last only exist inside loops — plus misuse that would fail
 * or print nonsense when rendering (unknown helpers, partials, a list printed as text, a field
 * the sample items do not have).
 */
import { isPlainObject, PROTOTYPE_NAMES } from './names';
import { KNOWN_HELPERS, type BlockNode, type ExprNode, type HashNode, type Loc, type MustacheNode, type PathNode, type ProgramNode, type StatementNode, type SubExpressionNode } from './handlebars';
import type { BlockScope, Range, TemplateIssue, UseKind, VariableDecl, VariableUse } from './types';

type Frame =
  | { kind: 'root' }
  | { kind: 'scope'; label: string; fields?: Fields }
  /** Inside a block whose context we cannot know (e.g. an unknown helper: already an error). */
  | { kind: 'opaque' };

/** Field names of the current item when known; 'scalar' when every item is a plain value (text, number…). */
type Fields = Set<string> | 'scalar';

interface BlockParams {
  names: string[];
  /** Fields of the first param's value (the item), when known. */
  fields?: Fields;
  label: string;
}

interface Target {
  /** The value the path points at, from the samples/defaults, when known. */
  values: unknown[];
  label: string;
}

const DATA_IN_LOOPS = new Set(['index', 'key', 'first', 'last']);
const MAX_ISSUES = 500;

export interface Analysis {
  uses: VariableUse[];
  issues: TemplateIssue[];
  scopes: BlockScope[];
}

export function analyzeBody(ast: ProgramNode, declared: readonly VariableDecl[], bodyLine: number): Analysis {
  return new Analyzer(declared, bodyLine).run(ast);
}

class Analyzer {
  private readonly frames: Frame[] = [{ kind: 'root' }];
  private readonly params: BlockParams[] = [];
  private loops = 0;
  private readonly uses: VariableUse[] = [];
  private readonly issues: TemplateIssue[] = [];
  private readonly scopes: BlockScope[] = [];
  private readonly vars: Map<string, VariableDecl>;

  constructor(declared: readonly VariableDecl[], private readonly bodyLine: number) {
    this.vars = new Map(declared.map((d) => [d.name, d]));
  }

  run(ast: ProgramNode): Analysis {
    this.program(ast);
    const used = new Set(this.uses.map((u) => u.name));
    for (const d of this.vars.values()) {
      if (!used.has(d.name)) this.issue('unused', 'warning', d.range, [d.name], d.name);
    }
    for (const u of this.uses) {
      if (!this.vars.has(u.name)) this.issue('undeclared', 'warning', u.range, [u.name], u.name);
    }
    return { uses: this.uses, issues: this.issues, scopes: this.scopes };
  }

  private range(loc: Loc | undefined): Range {
    if (!loc) return { line: this.bodyLine, column: 0, endLine: this.bodyLine, endColumn: 0 };
    return {
      line: loc.start.line - 1 + this.bodyLine,
      column: loc.start.column,
      endLine: loc.end.line - 1 + this.bodyLine,
      endColumn: loc.end.column,
    };
  }

  private issue(code: TemplateIssue['code'], severity: TemplateIssue['severity'], range: Range, args: string[], variable?: string): void {
    if (this.issues.length >= MAX_ISSUES) return;
    const issue: TemplateIssue = { code, severity, range, args };
    if (variable !== undefined) issue.variable = variable;
    this.issues.push(issue);
  }

  private program(p: ProgramNode | undefined): void {
    if (!p) return;
    for (const s of p.body) this.statement(s);
  }

  private statement(s: StatementNode): void {
    switch (s.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        this.call(s);
        return;
      case 'BlockStatement':
        this.block(s);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const name = s.name.type === 'PathExpression' ? s.name.original : String((s.name as { original?: unknown }).original ?? '');
        this.issue('partial', 'error', this.range(s.loc), [name]);
        return;
      }
      case 'Decorator':
      case 'DecoratorBlock': {
        const name = s.path.type === 'PathExpression' ? s.path.original : '';
        this.issue('decorator', 'error', this.range(s.loc), [name]);
        return;
      }
    }
  }

  /** A mustache {{x}} / {{helper a b}} or a subexpression (helper a b). */
  private call(node: MustacheNode | SubExpressionNode): void {
    const head = node.path;
    const isCall = node.type === 'SubExpression' || node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    const helper = this.helperName(head);
    if (helper) {
      this.checkArity(helper, node.params.length, head);
      this.params_(node.params, helper === 'if' || helper === 'unless' ? 'condition' : 'argument');
    } else if (isCall) {
      if (head.type === 'PathExpression') this.issue('unknownHelper', 'error', this.range(head.loc), [head.original]);
      this.params_(node.params, 'argument');
    } else if (head.type === 'PathExpression') {
      this.resolve(head, 'value');
    }
    this.hash(node.hash);
  }

  private block(b: BlockNode): void {
    const head = b.path;
    const helper = this.helperName(head);
    const isCall = b.params.length > 0 || (b.hash?.pairs.length ?? 0) > 0;
    const bp = b.program?.blockParams;
    if (helper === 'if' || helper === 'unless') {
      this.checkArity(helper, b.params.length, head);
      this.params_(b.params, 'condition');
      this.hash(b.hash);
      this.program(b.program);
      this.program(b.inverse);
      return;
    }
    if (helper === 'each' || helper === 'with') {
      this.checkArity(helper, b.params.length, head);
      const first = b.params[0];
      const target = first ? this.expr(first, helper === 'each' ? 'list' : 'object') : undefined;
      this.params_(b.params.slice(1), 'argument');
      this.hash(b.hash);
      const label = first && first.type === 'PathExpression' ? first.original : helper;
      const fields = target ? (helper === 'each' ? itemFields(target.values) : objectFields(target.values)) : undefined;
      this.enter(b, helper, label, fields, helper === 'each', bp);
      this.program(b.inverse);
      return;
    }
    if (helper === 'lookup' || isCall) {
      if (helper === 'lookup') this.checkArity(helper, b.params.length, head);
      else if (head.type === 'PathExpression') this.issue('unknownHelper', 'error', this.range(head.loc), [head.original]);
      this.params_(b.params, 'argument');
      this.hash(b.hash);
      this.frames.push({ kind: 'opaque' });
      this.program(b.program);
      this.frames.pop();
      this.program(b.inverse);
      return;
    }
    // A section, {{#x}}…{{/x}}: a list is looped over, a map entered, `true` keeps the context.
    if (head.type !== 'PathExpression') {
      this.program(b.program);
      this.program(b.inverse);
      return;
    }
    const target = this.resolve(head, 'section');
    const values = target?.values ?? [];
    if (b.program && values.length > 0 && values.every((v) => typeof v === 'boolean')) {
      this.program(b.program);
    } else if (b.program) {
      const list = values.length === 0 || values.some((v) => Array.isArray(v));
      const fields = list ? itemFields(values) ?? objectFields(values) : objectFields(values);
      this.enter(b, 'section', head.original, fields, list, bp);
    }
    this.program(b.inverse);
  }

  /** Walks a block's program in the new context (an item or an entered map). */
  private enter(b: BlockNode, helper: BlockScope['helper'], label: string, fields: Fields | undefined, loop: boolean, blockParams: string[] | undefined): void {
    if (!b.program) return;
    this.frames.push({ kind: 'scope', label, fields });
    if (blockParams && blockParams.length > 0) this.params.push({ names: blockParams, fields, label });
    if (loop) this.loops++;
    const scope: BlockScope = { range: this.range(b.program.loc ?? b.loc), helper, fields: fields instanceof Set ? [...fields] : [], data: loop || this.loops > 0 };
    const of = this.frames.length === 2 && !label.includes('.') && !label.startsWith('@') ? label : undefined;
    if (of !== undefined) scope.of = of;
    this.scopes.push(scope);
    this.program(b.program);
    if (loop) this.loops--;
    if (blockParams && blockParams.length > 0) this.params.pop();
    this.frames.pop();
  }

  private helperName(head: ExprNode): (typeof KNOWN_HELPERS)[number] | undefined {
    if (head.type !== 'PathExpression' || head.data || head.depth > 0 || head.parts.length !== 1) return undefined;
    if (/^(\.|this\b)/.test(head.original)) return undefined;
    const name = head.parts[0]!;
    if (this.params.some((p) => p.names.includes(name))) return undefined;
    return (KNOWN_HELPERS as readonly string[]).includes(name) ? (name as (typeof KNOWN_HELPERS)[number]) : undefined;
  }

  private checkArity(helper: string, count: number, head: ExprNode): void {
    const expected = helper === 'lookup' ? 2 : 1;
    if (count !== expected) this.issue('helperArity', 'error', this.range(head.loc), [helper, String(expected)]);
  }

  private params_(params: readonly ExprNode[], kind: UseKind): void {
    for (const p of params) this.expr(p, kind);
  }

  private hash(hash: HashNode | undefined): void {
    for (const pair of hash?.pairs ?? []) this.expr(pair.value, 'argument');
  }

  private expr(e: ExprNode, kind: UseKind): Target | undefined {
    if (e.type === 'SubExpression') {
      this.call(e);
      return undefined;
    }
    if (e.type === 'PathExpression') return this.resolve(e, kind);
    return undefined;
  }

  /** Records the use of a path and returns what it points at, when known. */
  private resolve(path: PathNode, kind: UseKind): Target | undefined {
    const range = this.range(path.loc);
    if (path.data) {
      const [first = '', ...rest] = path.parts;
      if (first === 'root') {
        if (rest.length === 0) return undefined;
        return this.useRoot(rest, path, kind, range);
      }
      if (DATA_IN_LOOPS.has(first)) {
        if (this.loops === 0) this.issue('dataOutsideEach', 'error', range, [`@${first}`]);
        return undefined;
      }
      this.issue('unknownData', 'error', range, [`@${first}`]);
      return undefined;
    }
    const scoped = /^(\.|this\b)/.test(path.original);
    const first = path.parts[0];
    if (!path.depth && !scoped && first !== undefined) {
      for (let i = this.params.length - 1; i >= 0; i--) {
        const bp = this.params[i]!;
        const at = bp.names.indexOf(first);
        if (at < 0) continue;
        const field = path.parts[1];
        if (at === 0 && field !== undefined) this.checkField(field, bp.fields, bp.label, range);
        return undefined;
      }
    }
    const index = this.frames.length - 1 - path.depth;
    const frame = this.frames[index];
    if (!frame) {
      this.issue('aboveTop', 'error', range, [path.original]);
      return undefined;
    }
    if (first === undefined) return undefined; // `this`, `..`
    if (frame.kind === 'root') return this.useRoot(path.parts, path, kind, range);
    if (frame.kind === 'scope') this.checkField(first, frame.fields, frame.label, range);
    return undefined;
  }

  private checkField(field: string, fields: Fields | undefined, label: string, range: Range): void {
    if (PROTOTYPE_NAMES.has(field)) this.issue('reservedField', 'warning', range, [field]);
    else if (fields === 'scalar') this.issue('scalarItems', 'warning', range, [field, label]);
    else if (fields && fields.size > 0 && !fields.has(field)) this.issue('itemField', 'warning', range, [field, label, [...fields].join(', ')]);
  }

  private useRoot(parts: readonly string[], path: PathNode, kind: UseKind, range: Range): Target {
    const name = parts[0]!;
    this.uses.push({ name, path: path.original, kind, range });
    const decl = this.vars.get(name);
    let values: unknown[] = [];
    if (decl) {
      values = [decl.sample, decl.default].filter((v) => v !== undefined && v !== null);
      for (const part of parts.slice(1)) {
        values = values.flatMap((v) => (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, part) ? [v[part]] : Array.isArray(v) && /^\d+$/.test(part) ? [v[Number(part)]] : []));
      }
      if (kind === 'value' && parts.length === 1 && values.length > 0) {
        if (values.every((v) => Array.isArray(v))) this.issue('structuredAsText', 'warning', range, [name, 'list'], name);
        else if (values.every((v) => isPlainObject(v))) this.issue('structuredAsText', 'warning', range, [name, 'map'], name);
      }
    }
    return { values, label: path.original };
  }
}

/** Field names of the items of the lists (or values of the maps) when all items are maps; 'scalar' when none is. */
function itemFields(values: readonly unknown[]): Fields | undefined {
  const items = values.flatMap((v) => (Array.isArray(v) ? v : isPlainObject(v) ? Object.values(v) : []));
  if (items.length === 0) return undefined;
  if (items.every((i) => i === null || ['string', 'number', 'boolean'].includes(typeof i))) return 'scalar';
  if (!items.every((i) => isPlainObject(i))) return undefined;
  return new Set(items.flatMap((i) => Object.keys(i as object)));
}

function objectFields(values: readonly unknown[]): Set<string> | undefined {
  const maps = values.filter((v) => isPlainObject(v));
  if (maps.length === 0 || maps.length !== values.length) return undefined;
  return new Set(maps.flatMap((m) => Object.keys(m as object)));
}
