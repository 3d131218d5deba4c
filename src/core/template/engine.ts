/**
 * Runs template checks and renders in a worker thread (worker.ts), one request at a time, each
 * with a time limit; the worker has its own memory limit. When a request times out, is
 * cancelled, or the worker dies (out of memory), the worker is stopped and the next request
 * starts a fresh one: the caller gets an EngineError and the extension host keeps running.
 * Needs Node's worker_threads, not `vscode`.
 */
import type { Worker } from 'node:worker_threads';
import * as z from 'zod/mini';
import '../zod';
import { lazy } from '../lazy';
import { LIMITS, type Limits, type RenderRequest, type RenderResult, type TemplateCheck } from './types';

export type WorkerRequest =
  | { id: number; kind: 'check'; text: string; language: string; limits: Limits }
  | { id: number; kind: 'render'; text: string; request: RenderRequest; language: string; limits: Limits };

export type WorkerResponse =
  | { id: number; ok: true; result: TemplateCheck | RenderResult }
  | { id: number; ok: false; error: string };

/**
 * The envelope of a worker's answer (the result inside is built by our own check/render code);
 * built on the first render, not when the extension loads.
 */
const responseSchema = lazy(() =>
  z.union([
    z.object({ id: z.number(), ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
    z.object({ id: z.number(), ok: z.literal(false), error: z.string() }),
  ]),
);

export type EngineFailure = 'timeout' | 'cancelled' | 'crashed';

export class EngineError extends Error {
  constructor(readonly reason: EngineFailure, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface EngineOptions {
  /** Old-generation heap of the worker, in MB. */
  maxMemoryMb?: number;
  limits?: Limits;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  language?: string;
}

type Payload = { kind: 'check'; text: string } | { kind: 'render'; text: string; request: RenderRequest };

export class TemplateEngine {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private disposed = false;
  /** Workers started so far (for tests: a timeout or crash makes a new one). */
  started = 0;

  constructor(private readonly script: string, private readonly options: EngineOptions = {}) {}

  check(text: string, call: CallOptions = {}): Promise<TemplateCheck> {
    return this.enqueue({ kind: 'check', text }, call) as Promise<TemplateCheck>;
  }

  render(text: string, request: RenderRequest, call: CallOptions = {}): Promise<RenderResult> {
    return this.enqueue({ kind: 'render', text, request }, call) as Promise<RenderResult>;
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private enqueue(payload: Payload, call: CallOptions): Promise<unknown> {
    const run = this.queue.then(() => this.exec(payload, call));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private stop(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }

  private spawn(): Worker {
    const w = new (require('node:worker_threads') as typeof import('node:worker_threads')).Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb ?? 1024 },
    });
    w.unref();
    this.started++;
    return w;
  }

  private exec(payload: Payload, call: CallOptions): Promise<unknown> {
    if (this.disposed) return Promise.reject(new EngineError('cancelled', 'the template engine was stopped'));
    if (call.signal?.aborted) return Promise.reject(new EngineError('cancelled', 'cancelled'));
    const worker = (this.worker ??= this.spawn());
    const id = ++this.seq;
    const language = call.language ?? 'en';
    const limits = this.options.limits ?? LIMITS;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        fn();
      };
      const fail = (reason: EngineFailure, message: string): void => {
        if (this.worker === worker) this.stop();
        finish(() => reject(new EngineError(reason, message)));
      };
      const onMessage = (raw: unknown): void => {
        const parsed = responseSchema().safeParse(raw);
        if (!parsed.success || parsed.data.id !== id) return;
        const msg = parsed.data;
        finish(() => (msg.ok ? resolve(msg.result) : reject(new Error(msg.error))));
      };
      const onError = (e: Error): void => fail('crashed', e.message);
      const onExit = (code: number): void => fail('crashed', `the template worker exited (code ${code})`);
      const onAbort = (): void => fail('cancelled', 'cancelled');
      const timeoutMs = call.timeoutMs ?? 30_000;
      const timer = setTimeout(() => fail('timeout', `no answer within ${timeoutMs} ms`), timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      call.signal?.addEventListener('abort', onAbort);
      worker.ref();
      const request: WorkerRequest = payload.kind === 'check'
        ? { id, kind: 'check', text: payload.text, language, limits }
        : { id, kind: 'render', text: payload.text, request: payload.request, language, limits };
      worker.postMessage(request);
    });
  }
}
