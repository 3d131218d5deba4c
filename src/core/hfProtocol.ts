/** Messages between the extension host and the tokenizer worker (src/workers/hfWorker.ts), validated on arrival. */
import * as z from 'zod/mini';
import './zod';

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('count'), id: z.number(), text: z.string() }),
  z.object({ type: z.literal('stats'), id: z.number() }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

const problem = z.enum(['missing', 'directory', 'tooLarge', 'unreadable', 'notJson', 'notTokenizer', 'unsupported', 'countFailed', 'crashed']);

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loaded'), vocabularySize: z.number(), loadMs: z.number(), withConfig: z.boolean(), heapUsed: z.number(), byLines: z.boolean(), wholeTextReason: z.optional(z.string()) }),
  z.object({ type: z.literal('loadError'), problem, message: z.string(), args: z.array(z.string()) }),
  z.object({ type: z.literal('counted'), id: z.number(), tokens: z.number(), ms: z.number() }),
  z.object({ type: z.literal('countError'), id: z.number(), problem, message: z.string(), args: z.array(z.string()) }),
  z.object({ type: z.literal('stats'), id: z.number(), heapUsed: z.number() }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
export type WorkerProblem = z.infer<typeof problem>;
