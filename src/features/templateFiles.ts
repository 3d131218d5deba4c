/** What counts as a prompt template, without loading the template engine (used at activation). */
import type * as vscode from 'vscode';

export const TEMPLATE_SUFFIX = '.prompt.hbs';

/** A `*.prompt.hbs` file, or an unsaved Handlebars document. */
export function isTemplateDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.toLowerCase().endsWith(TEMPLATE_SUFFIX) || (doc.isUntitled && doc.languageId === 'handlebars');
}

export function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
