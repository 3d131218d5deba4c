/**
 * Worker thread that owns one Hugging Face tokenizer: loads the file given in workerData.file,
 * then answers count requests. Keeps the multi-second parse and every count off the extension
 * host's thread. Bundled as dist/hfWorker.js.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { type FromWorker, ToWorkerSchema } from '../core/hfProtocol';
import { type LoadedTokenizer, loadTokenizerFile, TokenizerFileError } from '../core/hfTokenizer';
import { runInBackground } from './background';

runInBackground();

const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);
const file = String((workerData as { file?: unknown })?.file ?? '');
const heapUsed = (): number => getHeapStatistics().used_heap_size;

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
  const problem = e instanceof TokenizerFileError ? e.problem : 'unsupported';
  post({ type: 'loadError', problem, message: e instanceof Error ? e.message : String(e) });
}

port.on('message', (raw: unknown) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'stats') {
    post({ type: 'stats', id: msg.id, heapUsed: heapUsed() });
    return;
  }
  if (!tokenizer) {
    post({ type: 'countError', id: msg.id, problem: 'unsupported', message: 'the tokenizer is not loaded' });
    return;
  }
  const started = performance.now();
  try {
    const tokens = tokenizer.count(msg.text);
    post({ type: 'counted', id: msg.id, tokens, ms: performance.now() - started });
  } catch (e) {
    const problem = e instanceof TokenizerFileError ? e.problem : 'countFailed';
    post({ type: 'countError', id: msg.id, problem, message: e instanceof Error ? e.message : String(e) });
  }
});
