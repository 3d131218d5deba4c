/**
 * The extension host's side of one tokenizer process (src/workers/hfWorker.ts, a child process
 * rather than a worker thread — see there why): starts it, waits for the tokenizer to load, sends
 * texts to count. No `vscode` here, so unit tests drive real tokenizer processes in plain Node.
 */
import type { ChildProcess } from 'node:child_process';
import { fromWorkerSchema, type ToWorker, type WorkerProblem } from './hfProtocol';
import { whenThreadIsFree } from './threadFree';

/** The last line a process wrote to stderr that says something, for a crash message. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const oom = lines.find((l) => /heap out of memory|Allocation failed/i.test(l));
  return (oom ? 'out of memory' : lines[lines.length - 1] ?? '').slice(0, 200);
}

/** `message` is English, for the log; `problem` and `args` are for a message in the user's language. */
export class TokenizerWorkerError extends Error {
  constructor(readonly problem: WorkerProblem, message: string, readonly args: string[] = []) {
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
  /** Undefined until the process is started: once the thread is free (core/threadFree.ts). */
  private child: ChildProcess | undefined;
  private readonly starting: { cancel(): void };
  private settle!: { resolve: (i: LoadInfo) => void; reject: (e: Error) => void };
  private stderr = '';
  private readonly pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private dead: TokenizerWorkerError | undefined;
  private loading = true;

  constructor(readonly file: string, workerScript: string) {
    this.ready = new Promise<LoadInfo>((resolve, reject) => (this.settle = { resolve, reject }));
    this.ready.catch(() => undefined); // a load failure is reported through `ready` to whoever awaits it
    this.starting = whenThreadIsFree(() => this.start(workerScript));
  }

  private start(workerScript: string): void {
    if (this.dead) return;
    const settle = this.settle;
    const cannotRun = (why: string): void => this.fail(new TokenizerWorkerError('crashed', `the tokenizer process could not run (${why})`, [why]), settle.reject);
    const { fork } = require('node:child_process') as typeof import('node:child_process');
    let child: ChildProcess;
    try {
      child = fork(workerScript, [this.file], {
        // Not the host's flags (an inspector port, say); in VS Code's Electron, run as plain Node.
        execArgv: [],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
    } catch (e) {
      // Some failures to start a process throw here instead of emitting 'error' (EAGAIN, EMFILE…).
      cannotRun(e instanceof Error ? e.message : String(e));
      return;
    }
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    (child.stderr as { unref?(): void } | null)?.unref?.();
    child.on('message', (raw: unknown) => {
      const parsed = fromWorkerSchema().safeParse(raw);
      if (!parsed.success) return;
      const msg = parsed.data;
      switch (msg.type) {
        case 'loaded':
          this.loading = false;
          settle.resolve(msg);
          this.updateRef();
          return;
        case 'loadError':
          this.fail(new TokenizerWorkerError(msg.problem, msg.message, msg.args), settle.reject);
          return;
        case 'counted':
        case 'stats': {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          this.updateRef();
          p?.resolve(msg.type === 'counted' ? msg.tokens : msg.heapUsed);
          return;
        }
        case 'countError': {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          this.updateRef();
          p?.reject(new TokenizerWorkerError(msg.problem, msg.message, msg.args));
          return;
        }
      }
    });
    child.on('error', (e) => cannotRun(e.message));
    child.on('exit', (code, signal) => {
      const how = `${signal ? `signal ${signal}` : `exit code ${code}`}${lastLine(this.stderr) ? `: ${lastLine(this.stderr)}` : ''}`;
      this.fail(new TokenizerWorkerError('crashed', `the tokenizer process stopped (${how})`, [how]), settle.reject);
    });
  }

  /**
   * The process keeps this one's event loop alive only while it loads or a request waits for it
   * (so that a script awaiting a count does not end early, and an idle tokenizer keeps nothing alive).
   */
  private updateRef(): void {
    const child = this.child;
    if (!child) return; // until it starts, the pending start keeps the event loop alive
    const busy = !this.dead && (this.loading || this.pending.size > 0);
    const channel = (child as { channel?: { ref?(): void; unref?(): void } }).channel;
    if (busy) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
  }

  private fail(error: TokenizerWorkerError, rejectReady: (e: Error) => void): void {
    this.dead ??= error;
    rejectReady(error);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.updateRef();
  }

  /** The tokenizer process's id (for the benchmark's CPU accounting). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private request(message: { type: 'count'; text: string } | { type: 'stats' }): Promise<number> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      const sent: ToWorker = { ...message, id };
      // Requests are made after `ready`, which only a started process settles.
      this.child?.send(sent, (e) => {
        if (!e || !this.pending.has(id)) return;
        this.pending.delete(id);
        this.updateRef();
        reject(this.dead ?? new TokenizerWorkerError('crashed', `the tokenizer process cannot be reached (${e.message})`, [e.message]));
      });
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
    this.starting.cancel();
    // Not started yet: nothing else will settle `ready`.
    this.fail(new TokenizerWorkerError('crashed', 'the tokenizer was unloaded', ['unloaded']), this.child ? () => undefined : this.settle.reject);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}
