/**
 * Live token counts of open documents. The first count of a document runs in slices that give
 * the extension host back every few milliseconds; after that each edit recounts only the chunks
 * it touches (see core/chunks.ts), so typing never waits for a count.
 */
import * as vscode from 'vscode';
import { ChunkedCount, firstSliceMsFor, SLICE_MS } from '../core/chunks';
import { fixProblems } from '../core/encodings';
import { PendingEdits } from '../core/pendingEdits';
import { type AnyTokenizer, type AsyncTokenizer, isAsync, type Tokenizer } from '../core/tokenizer';
import { log } from './log';

export type CountState =
  | { kind: 'counting'; characters: number; loadingTokenizer?: boolean }
  | { kind: 'done'; tokens: number; characters: number; exact: boolean; stale?: boolean }
  | { kind: 'tooLarge'; characters: number }
  | { kind: 'binary'; characters: number }
  | { kind: 'error'; message: string };

export const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A document counted by a worker: recounted whole (debounced) after edits. */
interface AsyncEntry {
  readonly doc: vscode.TextDocument;
  readonly tokenizer: AsyncTokenizer;
  tokens?: number;
  /** Edited since the last count started. */
  dirty: boolean;
  running: boolean;
  cancelled: boolean;
  timer?: ReturnType<typeof setTimeout>;
  error?: string;
}

interface Entry {
  readonly doc: vscode.TextDocument;
  readonly tokenizer: Tokenizer;
  chunked?: ChunkedCount;
  /** Edits since the text `chunked` counts (or since the running first count's snapshot). */
  pending: PendingEdits;
  running: boolean;
  cancelled: boolean;
  error?: string;
}

/** A few NUL characters near the start mean a binary file opened as text. */
export function looksBinary(doc: vscode.TextDocument): boolean {
  const head = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 200), 0)).slice(0, 8192);
  let nul = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nul++;
  return nul > 0 && nul * 100 >= head.length;
}

export function documentLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(new vscode.Position(doc.lineCount, 0));
}

export class DocumentCounts implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly asyncEntries = new Map<string, AsyncEntry>();
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires when a document's count changes (or its state does). */
  readonly onDidUpdate = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly limit: () => number) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc)),
    );
  }

  private key(doc: vscode.TextDocument, tokenizer: AnyTokenizer): string {
    return `${tokenizer.key}\u0000${doc.uri.toString()}`;
  }

  /** The count as it stands; starts counting the document if it is not counted yet. */
  state(doc: vscode.TextDocument, tokenizer: AnyTokenizer): CountState {
    if (isAsync(tokenizer)) return this.asyncState(doc, tokenizer);
    const key = this.key(doc, tokenizer);
    let entry = this.entries.get(key);
    if (entry && entry.doc !== doc) {
      // Counted for an earlier document with the same URI (an untitled name used again, a file
      // reopened): that count is not this document's.
      this.drop(key, entry);
      entry = undefined;
    }
    const characters = documentLength(doc);
    if (!entry) {
      const refused = this.refusal(doc, characters);
      if (refused) return refused;
      entry = { doc, tokenizer, pending: new PendingEdits(characters), running: false, cancelled: false };
      this.entries.set(key, entry);
      this.start(entry);
    }
    if (entry.error) return { kind: 'error', message: entry.error };
    if (!entry.chunked || entry.running) return { kind: 'counting', characters };
    return { kind: 'done', tokens: entry.chunked.total, characters, exact: tokenizer.exact && entry.chunked.exact };
  }

  /** What a document that gets no entry shows instead (closed, too large, binary); undefined if it gets one. */
  private refusal(doc: vscode.TextDocument, characters: number): CountState | undefined {
    // A closed document is not counted: its entry would never be dropped (its close event has passed).
    if (doc.isClosed) return { kind: 'counting', characters };
    if (characters > this.limit()) return { kind: 'tooLarge', characters };
    if (looksBinary(doc)) return { kind: 'binary', characters };
    return undefined;
  }

  /** Whether a live count of the document was started (running or done), for any tokenizer. */
  started(doc: vscode.TextDocument): boolean {
    for (const entry of this.entries.values()) if (entry.doc === doc) return true;
    for (const entry of this.asyncEntries.values()) if (entry.doc === doc) return true;
    return false;
  }

  private asyncState(doc: vscode.TextDocument, tokenizer: AsyncTokenizer): CountState {
    const key = this.key(doc, tokenizer);
    const characters = documentLength(doc);
    let entry = this.asyncEntries.get(key);
    if (entry && entry.doc !== doc) {
      this.dropAsync(key, entry); // an earlier document's, with the same URI (see state)
      entry = undefined;
    }
    if (!entry) {
      const refused = this.refusal(doc, characters);
      if (refused) return refused;
      entry = { doc, tokenizer, dirty: true, running: false, cancelled: false };
      // One worker-counted entry per document: drop the one for an earlier tokenizer (file reloaded, model changed).
      for (const [k, other] of this.asyncEntries) if (other.doc === doc) this.dropAsync(k, other);
      this.asyncEntries.set(key, entry);
      this.runAsync(entry);
    }
    if (entry.error) return { kind: 'error', message: entry.error };
    if (entry.tokens === undefined) return { kind: 'counting', characters, loadingTokenizer: tokenizer.loading };
    return { kind: 'done', tokens: entry.tokens, characters, exact: true, stale: entry.dirty || entry.running };
  }

  /** Counts the whole document in the worker; once done, again if it was edited meanwhile. */
  private runAsync(entry: AsyncEntry): void {
    if (entry.running || entry.cancelled) return;
    entry.running = true;
    entry.dirty = false;
    const text = entry.doc.getText();
    entry.tokenizer.countAsync(text).then(
      (tokens) => {
        entry.running = false;
        if (entry.cancelled) return;
        entry.tokens = tokens;
        entry.error = undefined;
        this.emitter.fire(entry.doc);
        if (entry.dirty) this.scheduleAsync(entry);
      },
      (err: Error) => {
        entry.running = false;
        if (entry.cancelled) return;
        entry.error = err.message;
        log().error(`Counting ${entry.doc.uri.toString(true)} with ${entry.tokenizer.file} failed: ${err.message}`);
        this.emitter.fire(entry.doc);
      },
    );
  }

  private scheduleAsync(entry: AsyncEntry): void {
    if (entry.timer) clearTimeout(entry.timer);
    // Debounced by document size: getText() of a large document is not free.
    const delay = documentLength(entry.doc) > 1_000_000 ? 400 : 100;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.runAsync(entry);
    }, delay);
  }

  private start(entry: Entry): void {
    entry.running = true;
    entry.cancelled = false;
    const text = entry.doc.getText();
    entry.pending = new PendingEdits(text.length);
    const started = performance.now();
    entry.tokenizer
      .prepare()
      // The first slice in a task of its own, as early as possible: not in the task that asked for the
      // count (an editor change, where VS Code's own work runs too), and before the next I/O callbacks.
      .then(pause)
      .then(() => (entry.cancelled ? undefined : ChunkedCount.sliced(text, entry.tokenizer.count, { sliceMs: SLICE_MS, firstSliceMs: firstSliceMsFor(text.length), pause, cancelled: () => entry.cancelled }, entry.tokenizer.chunkOptions)))
      .then((chunked) => {
        if (!chunked || entry.cancelled) return;
        entry.chunked = chunked;
        entry.running = false;
        log().debug(`Counted ${entry.doc.uri.toString(true)} (${text.length} chars, ${entry.tokenizer.label}) in ${(performance.now() - started).toFixed(1)} ms: ${chunked.total}`);
        this.catchUp(entry);
        this.emitter.fire(entry.doc);
        while (fixProblems.length > 0) log().warn(fixProblems.shift()!);
      })
      .catch((err: unknown) => this.fail(entry, err));
  }

  private fail(entry: Entry, err: unknown): void {
    entry.running = false;
    entry.error = err instanceof Error ? err.message : String(err);
    log().error(`Counting ${entry.doc.uri.toString(true)} failed: ${entry.error}`);
    this.emitter.fire(entry.doc);
  }

  /** Brings `chunked` up to date with the edits made since it was counted. */
  private catchUp(entry: Entry): void {
    const edit = entry.pending.combined();
    if (!edit || !entry.chunked) return;
    const doc = entry.doc;
    const expected = entry.pending.length;
    entry.pending = new PendingEdits(expected);
    if (expected !== documentLength(doc)) {
      // The edits did not add up (should not happen): count again from scratch.
      log().warn(`Edit tracking lost sync for ${doc.uri.toString(true)}; recounting.`);
      entry.chunked = undefined;
      this.start(entry);
      return;
    }
    try {
      entry.chunked.applyEdit(edit.offset, edit.removed, edit.inserted, (s, e) =>
        doc.getText(new vscode.Range(doc.positionAt(s), doc.positionAt(e))),
      );
    } catch (err) {
      this.fail(entry, err);
    }
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    for (const [key, entry] of this.asyncEntries) {
      if (entry.doc !== e.document) continue;
      if (documentLength(e.document) > this.limit()) {
        this.dropAsync(key, entry);
        continue;
      }
      entry.dirty = true;
      entry.error = undefined;
      if (!entry.running) this.scheduleAsync(entry);
    }
    for (const [key, entry] of this.entries) {
      if (entry.doc !== e.document) continue;
      for (const change of e.contentChanges) entry.pending.add(change.rangeOffset, change.rangeLength, change.text.length);
      if (entry.pending.length > this.limit()) {
        this.drop(key, entry);
        continue;
      }
      if (!entry.running) this.catchUp(entry);
    }
    this.emitter.fire(e.document);
  }

  private drop(key: string, entry: Entry): void {
    entry.cancelled = true;
    this.entries.delete(key);
  }

  private dropAsync(key: string, entry: AsyncEntry): void {
    entry.cancelled = true;
    if (entry.timer) clearTimeout(entry.timer);
    this.asyncEntries.delete(key);
  }

  /** Drops the counts of a closed document (only its own: a later document may have the same URI). */
  forget(doc: vscode.TextDocument): void {
    for (const [key, entry] of this.asyncEntries) if (entry.doc === doc) this.dropAsync(key, entry);
    for (const [key, entry] of this.entries) if (entry.doc === doc) this.drop(key, entry);
  }

  dispose(): void {
    for (const [key, entry] of this.entries) this.drop(key, entry);
    for (const [key, entry] of this.asyncEntries) this.dropAsync(key, entry);
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}

/**
 * Counts any text (a selection, a document on demand): in slices on this thread, or in the
 * tokenizer's worker. Undefined if cancelled.
 */
export async function countInSlices(text: string, tokenizer: AnyTokenizer, cancelled?: () => boolean): Promise<{ tokens: number; exact: boolean } | undefined> {
  if (isAsync(tokenizer)) {
    const tokens = await tokenizer.countAsync(text);
    return cancelled?.() ? undefined : { tokens, exact: true };
  }
  await tokenizer.prepare();
  if (cancelled?.()) return undefined;
  const chunked = await ChunkedCount.sliced(text, tokenizer.count, { sliceMs: SLICE_MS, pause, cancelled }, tokenizer.chunkOptions);
  return chunked && { tokens: chunked.total, exact: tokenizer.exact && chunked.exact };
}
