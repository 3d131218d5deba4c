/** The preview's panel type and which documents it shows, without loading the preview itself. */
import type * as vscode from 'vscode';
import { isTemplateDocument } from '../templateFiles';

export const PREVIEW_VIEW_TYPE = 'promptWorkbench.preview';

export function isPreviewable(doc: vscode.TextDocument, languages: readonly string[]): boolean {
  if (doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-settings') return false;
  return isTemplateDocument(doc) || languages.includes(doc.languageId);
}
