/**
 * Prompt templates (`*.prompt.hbs`): `Prompt: Render Template` (asks for each variable, input
 * boxes prefilled with the defaults) and `Prompt: Render Template with Sample Values`. The
 * result opens in a new editor, exactly as rendered, with its token count and cost for the
 * template's model. Checking and rendering run in a worker thread (src/core/template/engine.ts),
 * so a huge template never blocks the extension host; no code from the workspace runs.
 */
import * as vscode from 'vscode';
import { costOf, formatUsd } from '../core/cost';
import { isPlainObject } from '../core/template/names';
import { EngineError, TemplateEngine } from '../core/template/engine';
import type { BlockScope, IssueCode, RenderRequest, RenderResult, TemplateCheck, TemplateInput } from '../core/template/types';
import { tokenizerFor } from '../core/tokenizer';
import { countInSlices } from '../services/documentCounts';
import { log } from '../services/log';
import type { SettingsService } from '../services/settings';
import { locale, tokensText } from './countSummary';
import { registerTemplateCompletion } from './templateCompletion';
import { registerTemplateDiagnostics } from './templateDiagnostics';
import { basename, isTemplateDocument } from './templateFiles';
import { issueMessage, unknownModelMessage } from './templateMessages';

export { basename, isTemplateDocument, TEMPLATE_SUFFIX } from './templateFiles';
const CHECK_TIMEOUT_MS = 15_000;
const RENDER_TIMEOUT_MS = 30_000;
/** Above this many characters the render shows a cancellable notification instead of a status bar spinner. */
const LARGE = 500_000;
const PARSE_ERRORS = new Set<IssueCode>(['syntax', 'unclosedBlock', 'mismatchedBlock', 'frontMatterUnclosed', 'yaml', 'tooLong', 'tooManyTags', 'tooDeep']);


/** Checks (cached per document version) and renders, each kind in its own worker. */
export class TemplateService implements vscode.Disposable {
  private checker: TemplateEngine | undefined;
  private renderer: TemplateEngine | undefined;
  private readonly latest = new Map<string, { version: number; check: TemplateCheck }>();
  private readonly running = new Map<string, { version: number; promise: Promise<TemplateCheck> }>();
  /** Block scopes of the last check that parsed (a tag being typed does not parse). */
  private readonly goodScopes = new Map<string, BlockScope[]>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  private script(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'templateWorker.js').fsPath;
  }

  /** The check of the document's current text. */
  check(doc: vscode.TextDocument): Promise<TemplateCheck> {
    const key = doc.uri.toString();
    const version = doc.version;
    const cached = this.latest.get(key);
    if (cached && cached.version === version) return Promise.resolve(cached.check);
    const inFlight = this.running.get(key);
    if (inFlight && inFlight.version === version) return inFlight.promise;
    this.checker ??= new TemplateEngine(this.script());
    const promise = this.checker.check(doc.getText(), { timeoutMs: CHECK_TIMEOUT_MS, language: vscode.env.language }).then((check) => {
      this.latest.set(key, { version, check });
      if (!check.issues.some((i) => PARSE_ERRORS.has(i.code))) this.goodScopes.set(key, check.scopes);
      return check;
    }).finally(() => {
      if (this.running.get(key)?.promise === promise) this.running.delete(key);
    });
    this.running.set(key, { version, promise });
    return promise;
  }

  /** The last check of the document, whatever its version (for completion while typing). */
  lastCheck(doc: vscode.TextDocument): TemplateCheck | undefined {
    return this.latest.get(doc.uri.toString())?.check;
  }

  /** The {{#each}} / {{#with}} scopes of the last version of the document that parsed. */
  scopes(doc: vscode.TextDocument): BlockScope[] {
    return this.goodScopes.get(doc.uri.toString()) ?? [];
  }

  render(text: string, request: RenderRequest, signal: AbortSignal): Promise<RenderResult> {
    this.renderer ??= new TemplateEngine(this.script());
    return this.renderer.render(text, request, { timeoutMs: RENDER_TIMEOUT_MS, signal, language: vscode.env.language });
  }

  forget(doc: vscode.TextDocument): void {
    this.latest.delete(doc.uri.toString());
    this.goodScopes.delete(doc.uri.toString());
  }

  dispose(): void {
    this.checker?.dispose();
    this.renderer?.dispose();
    this.latest.clear();
    this.goodScopes.clear();
  }
}

export type RenderCommandResult =
  | { text: string; tokens: number; exact: boolean; model: string; cost: number; document: string; ms: number; countMs: number }
  | { error: string; code?: string; variable?: string; line?: number }
  | { cancelled: true };

export interface RenderOptions {
  /** Values to use without asking (the others are asked for). */
  values?: Record<string, unknown>;
}

export function registerTemplates(context: vscode.ExtensionContext, settings: SettingsService): vscode.Disposable {
  const service = new TemplateService(context.extensionUri);
  return vscode.Disposable.from(
    service,
    vscode.commands.registerCommand('promptWorkbench.renderTemplate', (uri?: unknown, options?: RenderOptions) => renderCommand(service, settings, 'ask', uri, options)),
    vscode.commands.registerCommand('promptWorkbench.renderTemplateWithSamples', (uri?: unknown) => renderCommand(service, settings, 'samples', uri)),
    registerTemplateDiagnostics(service, settings),
    registerTemplateCompletion(service),
  );
}

async function templateDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && (isTemplateDocument(active) || active.languageId === 'handlebars')) return active;
  // The rendered prompt may be active: fall back to a visible template.
  return vscode.window.visibleTextEditors.map((e) => e.document).find(isTemplateDocument);
}

async function renderCommand(service: TemplateService, settings: SettingsService, mode: 'ask' | 'samples', uri: unknown, options?: RenderOptions): Promise<RenderCommandResult> {
  const doc = await templateDocument(uri);
  if (!doc) {
    const message = vscode.l10n.t('Open a prompt template (a *.prompt.hbs file) and run the command again.');
    void vscode.window.showInformationMessage(message);
    return { error: message };
  }
  const name = basename(doc.uri);
  const text = doc.getText();
  let check: TemplateCheck;
  try {
    check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking {0}…', name) }, () => service.check(doc));
  } catch (e) {
    return engineFailure(e, name);
  }
  const errors = check.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    const message = errors.length === 1
      ? vscode.l10n.t('{0} cannot be rendered until this problem is fixed. Line {1}: {2}', name, first.range.line + 1, issueMessage(first))
      : vscode.l10n.t('{0} cannot be rendered until its {1} problems are fixed. First, line {2}: {3}', name, errors.length, first.range.line + 1, issueMessage(first));
    showError(message, true);
    return failure(message, first.code, first.variable, first.range.line + 1);
  }

  let request: RenderRequest;
  if (mode === 'samples') {
    request = { mode: 'samples' };
  } else {
    const values = await askValues(check, name, options?.values);
    if (!values) return { cancelled: true };
    request = { mode: 'values', values };
  }

  const controller = new AbortController();
  let result: RenderResult;
  try {
    const large = text.length > LARGE;
    result = await vscode.window.withProgress(
      { location: large ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: vscode.l10n.t('Rendering {0}…', name), cancellable: large },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return service.render(text, request, controller.signal);
      },
    );
  } catch (e) {
    return engineFailure(e, name);
  }
  if (!result.ok) {
    const message = result.template
      ? vscode.l10n.t('{0} cannot be rendered until this problem is fixed. Line {1}: {2}', name, result.issue.range.line + 1, issueMessage(result.issue))
      : issueMessage(result.issue);
    showError(message, result.template);
    return failure(message, result.issue.code, result.issue.variable, result.issue.range.line + 1);
  }

  const s = settings.get();
  const wanted = result.model ?? check.model?.id;
  const model = (wanted !== undefined && s.models.find((m) => m.id === wanted)) || s.model;
  const countStart = Date.now();
  const counted = await countInSlices(result.text, tokenizerFor(model));
  const countMs = Date.now() - countStart;
  const tokens = counted?.tokens ?? 0;
  const exact = counted?.exact ?? false;
  const cost = costOf(model, tokens, 0).input;
  // Plain text: shown exactly as rendered (no word wrap, no Markdown preview), and counted by the status bar.
  const output = await vscode.workspace.openTextDocument({ language: 'plaintext', content: result.text });
  await vscode.window.showTextDocument(output, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  let summary = vscode.l10n.t('Rendered {0}: {1} · {2} input cost with {3} ({4}).', name, tokensText(tokens, exact), formatUsd(cost, locale()), model.name, model.id);
  if (wanted !== undefined && wanted !== model.id) summary += ' ' + unknownModelMessage(wanted, model.id);
  const copy = vscode.l10n.t('Copy');
  void vscode.window.showInformationMessage(summary, copy).then(async (choice) => {
    if (choice === copy) await vscode.env.clipboard.writeText(result.text);
  });
  log().info(`Rendered ${name}: ${result.text.length} characters, ${tokens} tokens for ${model.id} in ${result.ms} ms`);
  return { text: result.text, tokens, exact, model: model.id, cost, document: output.uri.toString(), ms: result.ms, countMs };
}

function failure(error: string, code?: string, variable?: string, line?: number): RenderCommandResult {
  const out: { error: string; code?: string; variable?: string; line?: number } = { error };
  if (code !== undefined) out.code = code;
  if (variable !== undefined) out.variable = variable;
  if (line !== undefined) out.line = line;
  return out;
}

function showError(message: string, problems: boolean): void {
  const show = vscode.l10n.t('Show Problems');
  const p = problems ? vscode.window.showErrorMessage(message, show) : vscode.window.showErrorMessage(message);
  void p.then((choice) => {
    if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

function engineFailure(e: unknown, name: string): RenderCommandResult {
  if (e instanceof EngineError && e.reason === 'cancelled') return { cancelled: true };
  const message = e instanceof EngineError && e.reason === 'timeout'
    ? vscode.l10n.t('{0} took too long to check or render and was stopped. Is it very large?', name)
    : vscode.l10n.t('The template worker stopped while working on {0} ({1}). Is the template or a value very large?', name, e instanceof Error ? e.message : String(e));
  log().error(`Template ${name}: ${e instanceof Error ? e.message : String(e)}`);
  showError(message, false);
  return failure(message, e instanceof EngineError ? e.reason : 'failed');
}

/** What an input box shows for a value: text as is, anything else as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function askValues(check: TemplateCheck, name: string, given: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined> {
  const values: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    Object.defineProperty(values, k, { value: v, enumerable: true, writable: true, configurable: true });
  };
  for (const [k, v] of Object.entries(given ?? {})) set(k, v);
  const todo = check.inputs.filter((i) => !Object.prototype.hasOwnProperty.call(values, i.name));
  for (const [index, input] of todo.entries()) {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Render {0} ({1}/{2}): {3}', name, index + 1, todo.length, input.name),
      prompt: promptFor(input),
      value: input.hasDefault ? asText(input.default) : '',
      placeHolder: input.structured ? vscode.l10n.t('JSON, e.g. [{"input": "…", "output": "…"}]') : undefined,
      ignoreFocusOut: true,
      validateInput: input.structured ? (v) => structuredProblem(v, input) : undefined,
    });
    if (value === undefined) return undefined;
    set(input.name, parseInput(value, input));
  }
  return values;
}

function promptFor(input: TemplateInput): string {
  const parts = [input.description ?? vscode.l10n.t('Value of "{0}"', input.name)];
  if (!input.declared) parts.push(vscode.l10n.t('(not declared in the front matter)'));
  if (input.structured) parts.push(vscode.l10n.t('(a list or map, written as JSON)'));
  return parts.join(' ');
}

function structuredProblem(text: string, input: TemplateInput): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return vscode.l10n.t('Not valid JSON: {0}', e instanceof Error ? e.message : String(e));
  }
  if (input.kinds.includes('list') && !(Array.isArray(value) || isPlainObject(value))) return vscode.l10n.t('Enter a JSON list, e.g. [{"input": "…", "output": "…"}].');
  if (input.kinds.includes('object') && !isPlainObject(value)) return vscode.l10n.t('Enter a JSON map, e.g. {"name": "…"}.');
  return undefined;
}

function parseInput(text: string, input: TemplateInput): unknown {
  if (input.structured) return JSON.parse(text);
  const typed = input.hasDefault ? input.default : input.sample;
  if (typeof typed === 'boolean' && /^(true|false)$/.test(text.trim())) return text.trim() === 'true';
  return text;
}
