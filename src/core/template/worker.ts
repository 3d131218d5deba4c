/**
 * Worker thread that checks and renders templates, so that a huge or pathological template
 * never blocks (or, running out of memory, never takes down) the extension host. Bundled as
 * dist/templateWorker.js; started by TemplateEngine (engine.ts).
 */
import { parentPort } from 'node:worker_threads';
import { useZodLocale } from '../zod';
import { checkTemplate } from './check';
import { renderTemplate } from './render';
import type { WorkerRequest, WorkerResponse } from './engine';

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    useZodLocale(request.language);
    response = request.kind === 'check'
      ? { id: request.id, ok: true, result: checkTemplate(request.text, request.limits) }
      : { id: request.id, ok: true, result: renderTemplate(request.text, request.request, request.limits) };
  } catch (e) {
    response = { id: request.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  parentPort!.postMessage(response);
});
