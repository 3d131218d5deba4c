/**
 * Live problems of prompt templates while typing (debounced): Handlebars syntax errors at their
 * line and column, variables used but not declared, declared but never used, front matter that
 * fails the schema (field named), a model that is not in the catalogue or that its vendor retires
 * (with a quick fix to the vendor's replacement, where the catalogue has it). Never edits the text
 * unless the user picks that fix.
 */
import * as vscode from 'vscode';
import { EngineError } from '../core/template/engine';
import type { Range, TemplateCheck, TemplateIssue } from '../core/template/types';
import { log } from '../services/log';
import type { SettingsService } from '../services/settings';
import { isRetired, retirementNote } from './countSummary';
import { issueMessage, retiredModelMessage, unknownModelMessage } from './templateMessages';
import { isTemplateDocument, TEMPLATE_SUFFIX, type TemplateService } from './templates';

export const DIAGNOSTIC_SOURCE = 'Prompt Workbench';

/** Wait after the last keystroke, by document size. */
function delayFor(doc: vscode.TextDocument): number {
  const size = doc.getText().length;
  return size < 100_000 ? 250 : size < 1_000_000 ? 600 : 1500;
}

export function registerTemplateDiagnostics(service: TemplateService, settings: SettingsService): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('promptWorkbench.templates');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents being checked, and whether they changed meanwhile. */
  const busy = new Map<string, boolean>();

  const schedule = (doc: vscode.TextDocument, delay = delayFor(doc)): void => {
    if (!isTemplateDocument(doc)) return;
    const key = doc.uri.toString();
    const old = timers.get(key);
    if (old) clearTimeout(old);
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void run(doc);
    }, delay));
  };

  const run = async (doc: vscode.TextDocument): Promise<void> => {
    const key = doc.uri.toString();
    if (busy.has(key)) {
      busy.set(key, true); // check again when the running one ends
      return;
    }
    busy.set(key, false);
    const version = doc.version;
    try {
      const check = await service.check(doc);
      if (!doc.isClosed && doc.version === version) collection.set(doc.uri, toDiagnostics(doc, check, settings));
    } catch (e) {
      if (!doc.isClosed && doc.version === version) collection.set(doc.uri, [failureDiagnostic(doc, e)]);
      if (!(e instanceof EngineError)) log().error(`Checking ${doc.uri.toString()}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    } finally {
      const again = busy.get(key);
      busy.delete(key);
      if (again && !doc.isClosed) schedule(doc, 0);
    }
  };

  const forget = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    const t = timers.get(key);
    if (t) clearTimeout(t);
    timers.delete(key);
    collection.delete(doc.uri);
    service.forget(doc);
  };

  // Open documents are checked shortly after activation, not during it.
  const initial = setTimeout(() => vscode.workspace.textDocuments.forEach((d) => schedule(d, 0)), 200);

  return vscode.Disposable.from(
    collection,
    vscode.languages.registerCodeActionsProvider(
      [{ pattern: `**/*${TEMPLATE_SUFFIX}` }, { scheme: 'untitled', language: 'handlebars' }],
      { provideCodeActions: (doc, _range, context) => replacementFixes(doc, context, settings) },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument(forget),
    settings.onDidChange(() => vscode.workspace.textDocuments.forEach((d) => schedule(d, 0))),
    { dispose: () => {
      clearTimeout(initial);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    } },
  );
}

export function toDiagnostics(doc: vscode.TextDocument, check: TemplateCheck, settings: SettingsService): vscode.Diagnostic[] {
  const out = check.issues.map((issue) => toDiagnostic(doc, issue));
  if (check.model) {
    const s = settings.get();
    const model = s.models.find((m) => m.id === check.model!.id);
    const range = visibleRange(doc, check.model.range);
    if (!model) {
      out.push(ourDiagnostic(range, unknownModelMessage(check.model.id, s.model.id), vscode.DiagnosticSeverity.Warning, 'unknownModel'));
    } else {
      const retirement = retirementNote(model);
      // Retired: a warning; only announced: for information.
      if (retirement) out.push(ourDiagnostic(range, retiredModelMessage(model.id, retirement.text), retirement.retired ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information, RETIRED_MODEL));
    }
  }
  return out;
}

const RETIRED_MODEL = 'retiredModel';

/** For each retired-model problem: replace the id with the vendor's replacement, if the catalogue has it and it is served. */
function replacementFixes(doc: vscode.TextDocument, context: vscode.CodeActionContext, settings: SettingsService): vscode.CodeAction[] {
  const fixes: vscode.CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || d.code !== RETIRED_MODEL || !d.range.isSingleLine) continue;
    const models = settings.get().models;
    const text = doc.getText(d.range);
    // The range is the front matter's value, quotes included if it has them.
    const model = models.find((m) => m.id === text.trim().replace(/^(["'])(.*)\1$/, '$2'));
    const next = models.find((m) => m.id === model?.retirement?.replacedBy);
    if (!model || !next || isRetired(next)) continue;
    const at = text.indexOf(model.id);
    const fix = new vscode.CodeAction(vscode.l10n.t('Use {0}, the recommended replacement', next.id), vscode.CodeActionKind.QuickFix);
    fix.edit = new vscode.WorkspaceEdit();
    fix.edit.replace(doc.uri, new vscode.Range(d.range.start.translate(0, at), d.range.start.translate(0, at + model.id.length)), next.id);
    fix.diagnostics = [d];
    fix.isPreferred = true;
    fixes.push(fix);
  }
  return fixes;
}

/** A problem of ours: the source every Prompt Workbench diagnostic carries, and its code. */
function ourDiagnostic(range: vscode.Range, message: string, severity: vscode.DiagnosticSeverity, code?: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  if (code !== undefined) d.code = code;
  return d;
}

function toDiagnostic(doc: vscode.TextDocument, issue: TemplateIssue): vscode.Diagnostic {
  const severity = issue.severity === 'error' ? vscode.DiagnosticSeverity.Error
    : issue.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const d = ourDiagnostic(visibleRange(doc, issue.range), issueMessage(issue), severity, issue.code);
  if (issue.code === 'unused') d.tags = [vscode.DiagnosticTag.Unnecessary];
  return d;
}

/** The issue's range, widened to at least one character so that it can be seen. */
function visibleRange(doc: vscode.TextDocument, r: Range): vscode.Range {
  const range = doc.validateRange(new vscode.Range(r.line, r.column, r.endLine, r.endColumn));
  if (!range.isEmpty) return range;
  const line = doc.lineAt(range.start.line);
  if (range.start.character < line.range.end.character) return new vscode.Range(range.start, range.start.translate(0, 1));
  if (range.start.character > 0) return new vscode.Range(range.start.translate(0, -1), range.start);
  return range;
}

function failureDiagnostic(doc: vscode.TextDocument, e: unknown): vscode.Diagnostic {
  const message = e instanceof EngineError && e.reason === 'timeout'
    ? vscode.l10n.t('This template took too long to check; it is not checked as you type. Render Template still works.')
    : vscode.l10n.t('This template could not be checked: {0}', e instanceof Error ? e.message : String(e));
  return ourDiagnostic(visibleRange(doc, { line: 0, column: 0, endLine: 0, endColumn: doc.lineAt(0).text.length }), message, vscode.DiagnosticSeverity.Information);
}
