/**
 * The extension host's side of one tokenizer worker: starts it, waits for the tokenizer to load,
 * sends texts to count. No `vscode` here, so unit tests drive real workers in plain Node.
 */
import type { Worker } from 'node:worker_threads';
import { FromWorkerSchema, type WorkerProblem } from './hfProtocol';

export class TokenizerWorkerError extends Error {
  constructor(readonly problem: WorkerProblem, message: string) {
    super(message);
    this.name = 'TokenizerWorkerError';
  }
}

export interface LoadInfo {
  vocabularySize: number;
  loadMs: number;
  withConfig: boolean;
  heapUsed: number;
  /** Whether the worker counts line by line and re-encodes only changed lines (src/core/hfChunks.ts). */
  byLines: boolean;
  /** Why not, when it counts the whole text after every change. */
  wholeTextReason?: string;
}

export class TokenizerWorker {
  readonly ready: Promise<LoadInfo>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private dead: TokenizerWorkerError | undefined;

  constructor(readonly file: string, workerScript: string) {
    this.worker = new (require('node:worker_threads') as typeof import('node:worker_threads')).Worker(workerScript, { workerData: { file } });
    this.worker.unref();
    let settle!: { resolve: (i: LoadInfo) => void; reject: (e: Error) => void };
    this.ready = new Promise<LoadInfo>((resolve, reject) => (settle = { resolve, reject }));
    this.ready.catch(() => undefined); // a load failure is reported through `ready` to whoever awaits it
    this.worker.on('message', (raw: unknown) => {
      const parsed = FromWorkerSchema.safeParse(raw);
      if (!parsed.success) return;
      const msg = parsed.data;
      switch (msg.type) {
        case 'loaded':
          settle.resolve(msg);
          return;
        case 'loadError':
          this.fail(new TokenizerWorkerError(msg.problem, msg.message), settle.reject);
          return;
        case 'counted':
        case 'stats': {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          p?.resolve(msg.type === 'counted' ? msg.tokens : msg.heapUsed);
          return;
        }
        case 'countError': {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          p?.reject(new TokenizerWorkerError(msg.problem, msg.message));
          return;
        }
      }
    });
    this.worker.on('error', (e) => this.fail(new TokenizerWorkerError('crashed', `the tokenizer worker crashed (${e.message})`), settle.reject));
    this.worker.on('exit', (code) => this.fail(new TokenizerWorkerError('crashed', `the tokenizer worker stopped (exit code ${code})`), settle.reject));
  }

  private fail(error: TokenizerWorkerError, rejectReady: (e: Error) => void): void {
    this.dead ??= error;
    rejectReady(error);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private request(message: { type: 'count'; text: string } | { type: 'stats' }): Promise<number> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Tokens in `text` (waits for the tokenizer to load). */
  async count(text: string): Promise<number> {
    await this.ready;
    return this.request({ type: 'count', text });
  }

  /** The worker's heap in bytes (for the benchmark). */
  async heapUsed(): Promise<number> {
    await this.ready;
    return this.request({ type: 'stats' });
  }

  dispose(): void {
    this.fail(new TokenizerWorkerError('crashed', 'the tokenizer was unloaded'), () => undefined);
    void this.worker.terminate();
  }
}
