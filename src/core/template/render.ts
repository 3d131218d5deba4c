/**
 * Renders a template: checks it, fills its variables (from the samples, or from given values),
 * makes sure every variable it uses has a value of the right shape, and runs Handlebars in
 * strict mode without escaping, within the output and time limits. Problems come back as
 * issues naming the variable and the line.
 */
import { inspectTemplate } from './check';
import { isPlainObject } from './names';
import { COMPILE_OPTIONS, createEnvironment, LimitError, RUNTIME_OPTIONS } from './handlebars';
import { pointRange } from './positions';
import { LIMITS, type Limits, type Range, type RenderRequest, type RenderResult, type TemplateCheck, type TemplateIssue } from './types';

export function renderTemplate(text: string, request: RenderRequest, limits: Limits = LIMITS): RenderResult {
  const t0 = Date.now();
  const { check, ast } = inspectTemplate(text, limits);
  const errors = check.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || !ast) {
    return { ok: false, issue: errors[0] ?? fail('renderFailed', pointRange(0, 0), ['?']), template: true, errorCount: errors.length };
  }
  const filled = fillValues(check, request);
  if ('issue' in filled) return { ok: false, issue: filled.issue, template: false, errorCount: 0 };

  const deadline = t0 + limits.renderMs;
  let out: string;
  try {
    const hb = createEnvironment(limits.maxOutputChars, deadline);
    const template = hb.compile(ast as unknown as string, COMPILE_OPTIONS);
    out = template(filled.context, RUNTIME_OPTIONS);
  } catch (e) {
    return { ok: false, issue: runtimeIssue(e, check, limits), template: false, errorCount: 0 };
  }
  if (out.length > limits.maxOutputChars) {
    return { ok: false, issue: fail('outputTooLarge', pointRange(check.bodyLine, 0), [String(limits.maxOutputChars)]), template: false, errorCount: 0 };
  }
  const result: RenderResult = { ok: true, text: out, ms: Date.now() - t0 };
  if (check.model) result.model = check.model.id;
  return result;
}

/** The render context: own properties only, built without assignment (so `__proto__` stays a name). */
function fillValues(check: TemplateCheck, request: RenderRequest): { context: Record<string, unknown> } | { issue: TemplateIssue } {
  const context: Record<string, unknown> = {};
  const set = (name: string, value: unknown): void => {
    Object.defineProperty(context, name, { value: plain(value), enumerable: true, writable: true, configurable: true });
  };
  // Every available value, so that {{lookup}} and @root reach declared-but-unused ones too.
  if (request.mode === 'samples') {
    for (const d of check.variables) {
      const value = d.hasSample ? d.sample : d.hasDefault ? d.default : undefined;
      if (value !== undefined) set(d.name, value);
    }
  } else {
    for (const [name, value] of Object.entries(request.values)) set(name, value);
  }
  for (const input of check.inputs) {
    const line = String(input.firstUse.line + 1);
    if (!Object.prototype.hasOwnProperty.call(context, input.name)) {
      const code = request.mode === 'values' ? 'missingValue' : input.declared ? 'missingSample' : 'undeclaredValue';
      return { issue: fail(code, input.firstUse, [input.name, line], input.name) };
    }
    const value = context[input.name];
    const use = check.uses.find((u) => u.name === input.name && (u.kind === 'list' || u.kind === 'object') && u.path === input.name);
    if (use && !(Array.isArray(value) || isPlainObject(value))) {
      return { issue: fail('notAList', use.range, [input.name, String(use.range.line + 1), use.kind === 'list' ? 'list' : 'map'], input.name) };
    }
  }
  return { context };
}

/** A deep copy made of plain objects, arrays and scalars (nothing callable, no getters). */
function plain(value: unknown, depth = 0): unknown {
  if (depth > 100) return null;
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: plain(v, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function runtimeIssue(e: unknown, check: TemplateCheck, limits: Limits): TemplateIssue {
  const top = pointRange(check.bodyLine, 0);
  if (e instanceof LimitError) {
    return e.limit === 'output'
      ? fail('outputTooLarge', top, [String(limits.maxOutputChars)])
      : fail('timeout', top, [String(Math.max(1, Math.round(limits.renderMs / 1000)))]);
  }
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) {
    if (/string length/i.test(message)) return fail('outputTooLarge', top, [String(limits.maxOutputChars)]);
    return fail('tooDeep', top, []);
  }
  const undefinedName = /^"(.*)" not defined in /.exec(message);
  if (undefinedName) {
    const err = e as { lineNumber?: number; column?: number; endLineNumber?: number; endColumn?: number };
    const line = (err.lineNumber ?? 1) - 1 + check.bodyLine;
    const column = err.column ?? 0;
    const range: Range = { line, column, endLine: (err.endLineNumber ?? line + 1) - 1 + check.bodyLine, endColumn: err.endColumn ?? column };
    return fail('notDefined', range, [undefinedName[1]!, String(line + 1), String(column + 1)], undefinedName[1]);
  }
  const notObject = /Cannot use 'in' operator to search for '(.*)' in/.exec(message);
  if (notObject) {
    const field = notObject[1]!;
    const use = check.uses.find((u) => u.path.split(/[./]/).includes(field));
    return fail('notAnObject', use?.range ?? top, [field], use?.name);
  }
  return fail('renderFailed', top, [message.replace(/ - \d+:\d+$/, '')]);
}

function fail(code: TemplateIssue['code'], range: Range, args: string[], variable?: string): TemplateIssue {
  const issue: TemplateIssue = { code, severity: 'error', range, args };
  if (variable !== undefined) issue.variable = variable;
  return issue;
}
