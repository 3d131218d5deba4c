/**
 * The preview's work, away from the panel: rendering a template (in its own template worker, with
 * the preview's limits), counting the rendered prompt for a model, and cutting it into tokens for
 * the token view. Everything that takes time is either in the worker or done in 5 ms slices, so
 * the extension host is never held up; a newer request makes older slices stop.
 */
import * as vscode from 'vscode';
import { type SliceOptions, SLICE_MS } from '../../core/chunks';
import { loadEncoding, tokenBytes } from '../../core/encodings';
import type { Model } from '../../core/models';
import { TOKEN_VIEW_LIMIT } from '../../core/preview/messages';
import { IncrementalTokens } from '../../core/preview/tokenize';
import { byteLengthCache, hexBytes, segmenter, type TokenSegments } from '../../core/preview/tokens';
import { EngineError, TemplateEngine } from '../../core/template/engine';
import { LIMITS, type RenderRequest, type RenderResult, type TemplateCheck } from '../../core/template/types';
import { type AnyTokenizer, isAsync } from '../../core/tokenizer';
import { countInSlices, pause } from '../../services/documentCounts';

/** Preview renders stop sooner than Render Template's: the preview re-renders on every pause in typing. */
export const PREVIEW_LIMITS = { ...LIMITS, renderMs: 5_000 };
const CALL_TIMEOUT_MS = 10_000;
/** A render still running after this long is stopped when a newer one is wanted. */
const ABORT_AFTER_MS = 400;

export interface CountResult {
  tokens: number;
  exact: boolean;
  /** Token ids, for exact BPE encodings. */
  ids?: number[];
  encoding?: string;
}

export type TokenViewResult =
  | { state: 'ready'; segments: TokenSegments; partialHex: Array<{ index: number; hex: string }>; covered: number; approximate: boolean }
  | { state: 'unavailable'; reason: 'estimate' | 'tokenizerFile' | 'failed'; detail?: string };

export class PreviewPipeline implements vscode.Disposable {
  private engine: TemplateEngine | undefined;
  private readonly caches = new Map<string, IncrementalTokens>();
  private readonly byteLengths = new Map<string, (id: number) => number | undefined>();
  private renderController: AbortController | undefined;
  private renderStarted = 0;
  /** Longest stretch of work this pipeline did without giving the thread back (ms, for the benchmark). */
  longestSliceMs = 0;

  constructor(private readonly workerScript: string) {}

  /** Starts the template worker ahead of the first render (when the preview opens). */
  warmUp(): void {
    this.engine ??= new TemplateEngine(this.workerScript, { limits: PREVIEW_LIMITS });
  }

  /** Stops a render that has been running for a while (a newer one is wanted). */
  abortSlowRender(): void {
    if (this.renderController && performance.now() - this.renderStarted > ABORT_AFTER_MS) this.renderController.abort();
  }

  async check(text: string): Promise<TemplateCheck> {
    this.warmUp();
    return this.engine!.check(text, { timeoutMs: CALL_TIMEOUT_MS, language: vscode.env.language });
  }

  async render(text: string, request: RenderRequest): Promise<RenderResult | { failure: 'timeout' | 'cancelled' | 'crashed'; message: string }> {
    this.warmUp();
    const controller = new AbortController();
    this.renderController = controller;
    this.renderStarted = performance.now();
    try {
      return await this.engine!.render(text, request, { timeoutMs: CALL_TIMEOUT_MS, signal: controller.signal, language: vscode.env.language });
    } catch (e) {
      if (e instanceof EngineError) return { failure: e.reason, message: e.message };
      return { failure: 'crashed', message: e instanceof Error ? e.message : String(e) };
    } finally {
      if (this.renderController === controller) this.renderController = undefined;
    }
  }

  /** Slices of SLICE_MS, recording the longest stretch between pauses; call `done()` at the end. */
  private slices(cancelled: () => boolean): SliceOptions & { done(): void } {
    let since = performance.now();
    const note = (): void => {
      this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - since);
    };
    return {
      sliceMs: SLICE_MS,
      pause: async () => {
        note();
        await pause();
        since = performance.now();
      },
      cancelled,
      done: note,
    };
  }

  /** Tokens of `text` for `model` with `tokenizer`; undefined when cancelled. */
  async count(text: string, model: Model, tokenizer: AnyTokenizer, cancelled: () => boolean): Promise<CountResult | undefined> {
    if (!isAsync(tokenizer) && tokenizer.exact && model.tokenizer.kind === 'bpe') {
      const name = model.tokenizer.encoding;
      let cache = this.caches.get(name);
      if (!cache) {
        const encoding = await loadEncoding(name);
        if (cancelled()) return undefined;
        const o = tokenizer.chunkOptions;
        cache = new IncrementalTokens((t) => encoding.encode(t), { minLen: 128, target: o.target, hardMax: o.hardMax, crlf: o.crlf });
        this.caches.set(name, cache);
      }
      const slices = this.slices(cancelled);
      const r = await cache.tokenize(text, slices);
      slices.done();
      return r && { tokens: r.ids.length, exact: r.exact, ids: r.ids, encoding: name };
    }
    const r = await countInSlices(text, tokenizer, cancelled);
    return r && { tokens: r.tokens, exact: r.exact };
  }

  /** The token view of `text` from its count; undefined when cancelled. */
  async tokenView(text: string, counted: CountResult, model: Model, tokenizer: AnyTokenizer, cancelled: () => boolean): Promise<TokenViewResult | undefined> {
    if (!counted.ids || !counted.encoding || model.tokenizer.kind !== 'bpe') {
      return { state: 'unavailable', reason: isAsync(tokenizer) ? 'tokenizerFile' : 'estimate' };
    }
    const name = model.tokenizer.encoding;
    let byteLength = this.byteLengths.get(name);
    if (!byteLength) {
      byteLength = byteLengthCache((id) => tokenBytes(name, id));
      this.byteLengths.set(name, byteLength);
    }
    const s = segmenter(text, counted.ids, byteLength);
    const slices = this.slices(cancelled);
    try {
      let started = performance.now();
      while (!s.step(2000)) {
        if (performance.now() - started >= SLICE_MS) {
          await slices.pause();
          if (cancelled()) return undefined;
          started = performance.now();
        }
      }
    } catch (e) {
      return { state: 'unavailable', reason: 'failed', detail: e instanceof Error ? e.message : String(e) };
    }
    const all = s.result();
    // Only the first TOKEN_VIEW_LIMIT characters are shown as tokens.
    let covered = 0;
    let n = 0;
    while (n < all.lens.length && covered + all.lens[n]! <= TOKEN_VIEW_LIMIT) covered += all.lens[n++]!;
    const segments: TokenSegments = n === all.ids.length ? all : { ids: all.ids.slice(0, n), lens: all.lens.slice(0, n), partial: all.partial.filter((i) => i < n) };
    const partialHex = segments.partial.slice(0, TOKEN_VIEW_LIMIT).map((index) => ({ index, hex: hexBytes(tokenBytes(name, segments.ids[index]!) ?? new Uint8Array()) }));
    slices.done();
    return { state: 'ready', segments, partialHex, covered, approximate: !counted.exact };
  }

  dispose(): void {
    this.renderController?.abort();
    this.engine?.dispose();
    this.engine = undefined;
    for (const c of this.caches.values()) c.clear();
    this.caches.clear();
  }
}
