/**
 * The tokenizer process: owns one Hugging Face tokenizer. Loads the file named by its first
 * argument, then answers count requests from the extension host over the IPC channel.
 *
 * A process of its own rather than a worker thread: the multi-second parse of a tokenizer.json and
 * its 100–150 MB heap stay out of the extension host's address space (no memory-map lock or
 * allocator shared with the host's thread, which VS Code needs for every keystroke), the whole
 * process — V8's garbage-collection threads too — runs at the lowest CPU priority, and running out
 * of memory on a huge file ends this process, not the extension host. It exits when the host goes.
 * Bundled as dist/hfWorker.js.
 */
import { getHeapStatistics } from 'node:v8';
import { type FromWorker, toWorkerSchema, type WorkerProblem } from '../core/hfProtocol';
import { type LoadedTokenizer, loadTokenizerFile, TokenizerFileError } from '../core/hfTokenizer';
import { runProcessInBackground } from './background';

runProcessInBackground();
process.on('disconnect', () => process.exit(0));

const post = (message: FromWorker): void => {
  if (process.connected) process.send?.(message);
};
const file = process.argv[2] ?? '';
const heapUsed = (): number => getHeapStatistics().used_heap_size;

/** What went wrong, for a loadError or countError message; `fallback` when it is not one of ours. */
function failure(e: unknown, fallback: WorkerProblem): { problem: WorkerProblem; message: string; args: string[] } {
  const message = e instanceof Error ? e.message : String(e);
  return e instanceof TokenizerFileError ? { problem: e.problem, message, args: e.args } : { problem: fallback, message, args: [message] };
}

let tokenizer: LoadedTokenizer | undefined;
try {
  tokenizer = loadTokenizerFile(file);
  const { chunking } = tokenizer;
  post({
    type: 'loaded',
    vocabularySize: tokenizer.vocabularySize,
    loadMs: tokenizer.loadMs,
    withConfig: tokenizer.withConfig,
    heapUsed: heapUsed(),
    byLines: chunking.byLines,
    wholeTextReason: chunking.byLines ? undefined : chunking.reason,
  });
} catch (e) {
  post({ type: 'loadError', ...failure(e, 'unsupported') });
}

process.on('message', (raw: unknown) => {
  const parsed = toWorkerSchema().safeParse(raw);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'stats') {
    post({ type: 'stats', id: msg.id, heapUsed: heapUsed() });
    return;
  }
  if (!tokenizer) {
    post({ type: 'countError', id: msg.id, problem: 'unsupported', message: 'the tokenizer is not loaded', args: ['not loaded'] });
    return;
  }
  const started = performance.now();
  try {
    const tokens = tokenizer.count(msg.text);
    post({ type: 'counted', id: msg.id, tokens, ms: performance.now() - started });
  } catch (e) {
    post({ type: 'countError', id: msg.id, ...failure(e, 'countFailed') });
  }
});
