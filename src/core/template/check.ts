/**
 * Checks a whole `*.prompt.hbs` document: front matter (YAML + schema), Handlebars syntax, and
 * the variable analysis. The result is plain data: diagnostics, declared variables, their uses,
 * and the inputs to ask for before rendering.
 */
import { analyzeBody } from './analyze';
import { parseFrontMatter, splitFrontMatter } from './frontMatter';
import { isPlainObject } from './names';
import { parseBody, type ProgramNode } from './handlebars';
import { compareRanges, LineIndex } from './positions';
import { LIMITS, type Limits, type Range, type TemplateCheck, type TemplateInput, type TemplateIssue, type VariableDecl, type VariableUse } from './types';

export interface Inspection {
  check: TemplateCheck;
  /** The parsed body, when it parsed. */
  ast?: ProgramNode;
}

export function checkTemplate(text: string, limits: Limits = LIMITS): TemplateCheck {
  return inspectTemplate(text, limits).check;
}

export function inspectTemplate(text: string, limits: Limits = LIMITS): Inspection {
  const t0 = Date.now();
  const issues: TemplateIssue[] = [];
  const check: TemplateCheck = {
    hasFrontMatter: false,
    variables: [],
    uses: [],
    inputs: [],
    scopes: [],
    issues,
    bodyLine: 0,
    stats: { characters: text.length, lines: 0, tags: 0, ms: 0 },
  };
  const done = (ast?: ProgramNode): Inspection => {
    issues.sort((a, b) => compareRanges(a.range, b.range));
    check.stats.ms = Date.now() - t0;
    return ast ? { check, ast } : { check };
  };
  if (text.length > limits.maxTemplateChars) {
    issues.push({ code: 'tooLong', severity: 'error', range: firstLine(text), args: [String(text.length), String(limits.maxTemplateChars)] });
    return done();
  }
  const index = new LineIndex(text);
  check.stats.lines = index.lineCount;
  const split = splitFrontMatter(text);
  check.bodyLine = split.bodyLine;
  if (split.unclosed) {
    check.hasFrontMatter = true;
    issues.push({ code: 'frontMatterUnclosed', severity: 'error', range: { line: 0, column: 0, endLine: 0, endColumn: 3 }, args: [] });
    return done();
  }
  let declarationsKnown = true;
  if (split.yaml !== undefined) {
    check.hasFrontMatter = true;
    const fm = parseFrontMatter(split.yaml, split.yamlLine);
    declarationsKnown = fm.readable;
    issues.push(...fm.issues);
    check.variables = fm.variables;
    if (fm.model) check.model = fm.model;
  }
  const tags = countTags(split.body);
  check.stats.tags = tags;
  if (tags > limits.maxTags) {
    issues.push({ code: 'tooManyTags', severity: 'error', range: firstLine(text), args: [String(tags), String(limits.maxTags)] });
    return done();
  }
  const parsed = parseBody(split.body);
  if ('error' in parsed) {
    const e = parsed.error;
    // Line numbers in the messages count from the top of the file, front matter included.
    const args = e.args.map((a, i) => ((e.kind === 'unclosedBlock' && i === 1) || (e.kind === 'mismatchedBlock' && i === 2) ? String(Number(a) + split.bodyLine) : a));
    issues.push({
      code: e.kind,
      severity: 'error',
      range: { line: e.line + split.bodyLine, column: e.column, endLine: e.endLine + split.bodyLine, endColumn: e.endColumn },
      args,
    });
    return done();
  }
  let analysis;
  try {
    analysis = analyzeBody(parsed.ast, check.variables, split.bodyLine);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    issues.push({ code: 'tooDeep', severity: 'error', range: firstLine(text), args: [] });
    return done();
  }
  check.uses = analysis.uses;
  check.scopes = analysis.scopes;
  // With unreadable YAML every variable would look undeclared: say nothing about declarations then.
  issues.push(...analysis.issues.filter((i) => declarationsKnown || (i.code !== 'undeclared' && i.code !== 'unused')));
  check.inputs = inputsOf(check.variables, check.uses);
  return done(parsed.ast);
}

/** The variables to fill before rendering: used ones, declared first (in declaration order), then undeclared ones by first use. */
export function inputsOf(variables: readonly VariableDecl[], uses: readonly VariableUse[]): TemplateInput[] {
  const byName = new Map<string, VariableUse[]>();
  for (const u of uses) {
    const list = byName.get(u.name);
    if (list) list.push(u);
    else byName.set(u.name, [u]);
  }
  const inputs: TemplateInput[] = [];
  const make = (name: string, decl: VariableDecl | undefined, list: VariableUse[]): TemplateInput => {
    const kinds = [...new Set(list.map((u) => u.kind))];
    const input: TemplateInput = {
      name,
      declared: !!decl,
      kinds,
      firstUse: list[0]!.range,
      hasDefault: decl?.hasDefault ?? false,
      hasSample: decl?.hasSample ?? false,
      structured: kinds.includes('list') || kinds.includes('object')
        || (decl !== undefined && [decl.default, decl.sample].some((v) => Array.isArray(v) || isPlainObject(v))),
    };
    if (decl?.description !== undefined) input.description = decl.description;
    if (decl?.hasDefault) input.default = decl.default;
    if (decl?.hasSample) input.sample = decl.sample;
    return input;
  };
  for (const d of variables) {
    const list = byName.get(d.name);
    if (list) inputs.push(make(d.name, d, list));
  }
  const declared = new Set(variables.map((d) => d.name));
  for (const [name, list] of byName) if (!declared.has(name)) inputs.push(make(name, undefined, list));
  return inputs;
}

/** Number of `{{` in the text (each becomes code when Handlebars compiles the template). */
export function countTags(text: string): number {
  let n = 0;
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 2)) n++;
  return n;
}

function firstLine(text: string): Range {
  const end = text.indexOf('\n');
  return { line: 0, column: 0, endLine: 0, endColumn: Math.min(end < 0 ? text.length : end, 200) };
}
