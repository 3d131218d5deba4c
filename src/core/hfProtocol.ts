/** Messages between the extension host and the tokenizer worker (src/workers/hfWorker.ts), validated on arrival. */
import * as z from 'zod/mini';
import './zod';
import { lazy } from './lazy';

/** Built on first use, not when the bundle loads (as every schema here). */
export const toWorkerSchema = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('count'), id: z.number(), text: z.string() }),
  z.object({ type: z.literal('stats'), id: z.number() }),
]));
export type ToWorker = z.infer<ReturnType<typeof toWorkerSchema>>;

const problemSchema = lazy(() => z.enum(['missing', 'directory', 'tooLarge', 'unreadable', 'notJson', 'notTokenizer', 'unsupported', 'countFailed', 'crashed']));

export const fromWorkerSchema = lazy(() => {
  const problem = problemSchema();
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('loaded'), vocabularySize: z.number(), loadMs: z.number(), withConfig: z.boolean(), heapUsed: z.number(), byLines: z.boolean(), wholeTextReason: z.optional(z.string()) }),
    z.object({ type: z.literal('loadError'), problem, message: z.string(), args: z.array(z.string()) }),
    z.object({ type: z.literal('counted'), id: z.number(), tokens: z.number(), ms: z.number() }),
    z.object({ type: z.literal('countError'), id: z.number(), problem, message: z.string(), args: z.array(z.string()) }),
    z.object({ type: z.literal('stats'), id: z.number(), heapUsed: z.number() }),
  ]);
});
export type FromWorker = z.infer<ReturnType<typeof fromWorkerSchema>>;
export type WorkerProblem = z.infer<ReturnType<typeof problemSchema>>;
