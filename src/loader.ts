/**
 * The extension's entry point (dist/extension.js): loads the bundle (dist/main.js, built from
 * src/extension.ts) with V8's code cache kept in the extension's global storage, so that
 * activations after the first compile little (see core/codeCache.ts), then hands over to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadWithCodeCache } from './core/codeCache';

type Main = typeof import('./extension');

declare const globalThis: { __promptWorkbenchLoad?: { ms: number; cache: string; parts: { readMs: number; compileMs: number; runMs: number } } };

/** How long after activation the cache is written: by then the code that runs at start-up is compiled. */
const SAVE_AFTER_MS = 5000;

let main: Main | undefined;

/**
 * This thread's time on a CPU and waiting for one, in ms (Linux: /proc/thread-self/schedstat), so
 * that activation can be told apart from the time VS Code's start-up kept the CPUs busy.
 */
function threadTimes(): { onCpuMs: number; waitingMs: number } | undefined {
  try {
    const [run, wait] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return run === undefined || wait === undefined || Number.isNaN(run) || Number.isNaN(wait) ? undefined : { onCpuMs: run / 1e6, waitingMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}

export function activate(context: vscode.ExtensionContext): ReturnType<Main['activate']> {
  const before = threadTimes();
  const storage = context.globalStorageUri;
  const cacheDir = storage.scheme === 'file' ? path.join(storage.fsPath, 'code-cache') : undefined;
  const loaded = loadWithCodeCache<Main>(path.join(__dirname, 'main.js'), require, cacheDir);
  main = loaded.exports;
  globalThis.__promptWorkbenchLoad = { ms: loaded.ms, cache: loaded.cache, parts: loaded.parts };
  const api = main.activate(context);
  const after = threadTimes();
  if (before && after) api.activationParts.thread = { onCpuMs: after.onCpuMs - before.onCpuMs, waitingForCpuMs: after.waitingMs - before.waitingMs };
  if (loaded.cache !== 'used' && cacheDir !== undefined) {
    const timer = setTimeout(() => {
      loaded.save().catch(() => undefined); // a cache that cannot be written only means compiling next time too
    }, SAVE_AFTER_MS);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return api;
}

export function deactivate(): void {
  main?.deactivate();
}
