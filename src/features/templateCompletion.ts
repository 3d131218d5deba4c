/**
 * Completion inside `{{ }}` of a prompt template: the variables declared in the front matter
 * (with their description, default and sample), the block helpers after `{{#` and `{{/`, and
 * inside {{#each}} / {{#with}} the fields of the sample items plus this / @index / @first / @last.
 */
import * as vscode from 'vscode';
import { isPlainIdentifier } from '../core/template/names';
import type { BlockScope, TemplateCheck } from '../core/template/types';
import { isTemplateDocument, type TemplateService } from './templates';

const BLOCK_HELPERS = ['each', 'if', 'unless', 'with'];
const SHOWN_VALUE_CHARS = 400;

/** The tag being typed at `pos`: its opening sigil and the partial name before the cursor. */
export function tagAt(lineText: string, column: number): { sigil: string; word: string } | undefined {
  const before = lineText.slice(0, column);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return undefined;
  const inner = before.slice(open + 2).replace(/^\{+/, '').replace(/^~/, '');
  if (/^!/.test(inner)) return undefined; // a comment
  const sigil = /^\s*([#/^&>]?)/.exec(inner)![1]!;
  const word = /[^\s{}()#^/~&=|>"']*$/.exec(inner)![0];
  return { sigil, word };
}

export function registerTemplateCompletion(service: TemplateService): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider({ language: 'handlebars' }, {
    async provideCompletionItems(doc, pos) {
      if (!isTemplateDocument(doc)) return undefined;
      const tag = tagAt(doc.lineAt(pos.line).text, pos.character);
      if (!tag) return undefined;
      let check = service.lastCheck(doc);
      if (!check) check = await service.check(doc).catch(() => undefined);
      if (!check || pos.line < check.bodyLine) return undefined;
      const range = new vscode.Range(pos.translate(0, -tag.word.length), pos);
      return items(check, service.scopes(doc), tag, pos, range);
    },
  }, '{', '#', '/', '@', '.', ' ');
}

function items(check: TemplateCheck, scopes: readonly BlockScope[], tag: { sigil: string; word: string }, pos: vscode.Position, range: vscode.Range): vscode.CompletionItem[] {
  const out: vscode.CompletionItem[] = [];
  if (tag.sigil === '#' || tag.sigil === '/') {
    BLOCK_HELPERS.forEach((h, i) => {
      const item = new vscode.CompletionItem(h, vscode.CompletionItemKind.Keyword);
      item.range = range;
      item.sortText = `0${i}`;
      item.detail = vscode.l10n.t('Block helper');
      out.push(item);
    });
    if (tag.sigil === '/') return out;
  }
  if (tag.word.startsWith('@')) {
    for (const name of dataNames(scopes, pos)) {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Constant);
      item.range = range;
      item.sortText = `1${name}`;
      out.push(item);
    }
  }
  const scope = innermostScope(scopes, pos);
  if (scope) {
    scope.fields.forEach((field, i) => {
      const item = new vscode.CompletionItem(field, vscode.CompletionItemKind.Field);
      item.range = range;
      item.sortText = `2${String(i).padStart(4, '0')}`;
      item.detail = scope.of ? vscode.l10n.t('Field of the items of {0}', scope.of) : vscode.l10n.t('Field of the current item');
      out.push(item);
    });
    const self = new vscode.CompletionItem('this', vscode.CompletionItemKind.Keyword);
    self.range = range;
    self.sortText = '3this';
    self.detail = vscode.l10n.t('The current item');
    out.push(self);
  }
  check.variables.forEach((v, i) => {
    const insert = isPlainIdentifier(v.name) ? v.name : `[${v.name}]`;
    const label = scope ? `@root.${insert}` : insert;
    const item = new vscode.CompletionItem({ label, description: v.description }, vscode.CompletionItemKind.Variable);
    item.range = range;
    item.insertText = label;
    item.filterText = label;
    item.sortText = `4${String(i).padStart(4, '0')}`;
    item.detail = vscode.l10n.t('Template variable');
    const md = new vscode.MarkdownString();
    if (v.description) md.appendText(v.description + '\n\n');
    if (v.hasDefault) md.appendMarkdown(`**${vscode.l10n.t('Default')}**\n`).appendCodeblock(shown(v.default), 'yaml');
    if (v.hasSample) md.appendMarkdown(`**${vscode.l10n.t('Sample')}**\n`).appendCodeblock(shown(v.sample), 'yaml');
    item.documentation = md;
    out.push(item);
  });
  return out;
}

function dataNames(scopes: readonly BlockScope[], pos: vscode.Position): string[] {
  const scope = innermostScope(scopes, pos);
  const names = ['@root'];
  if (scope?.data) names.unshift('@index', '@first', '@last', '@key');
  return names;
}

function innermostScope(scopes: readonly BlockScope[], pos: vscode.Position): BlockScope | undefined {
  let best: BlockScope | undefined;
  for (const s of scopes) {
    const r = new vscode.Range(s.range.line, s.range.column, s.range.endLine, s.range.endColumn);
    if (!r.contains(pos)) continue;
    if (!best || r.start.isAfterOrEqual(new vscode.Position(best.range.line, best.range.column))) best = s;
  }
  return best;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}…` : text;
}
