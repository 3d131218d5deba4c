import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's log (Output panel → "Prompt Workbench"), created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Prompt Workbench', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
