import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptWorkbenchApi } from '../../src/api';

export const EXTENSION_ID = 'prompt-workbench.prompt-workbench';

export async function api(): Promise<PromptWorkbenchApi> {
  const ext = vscode.extensions.getExtension<PromptWorkbenchApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}

/** Polls `read` until `ok` holds for its value; fails with the last value seen. */
export async function waitFor<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

export async function openDoc(content: string, language = 'markdown'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc);
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('promptWorkbench').update(key, value, vscode.ConfigurationTarget.Global);
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** "1,234" in a status text → 1234. */
export function numberIn(text: string): number {
  const m = text.match(/(\d[\d,]*)\s+tokens?/);
  assert.ok(m, `no token count in "${text}"`);
  return Number(m[1]!.replace(/,/g, ''));
}
