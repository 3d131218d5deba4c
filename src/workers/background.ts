/**
 * Lowers the calling worker thread's CPU priority. On Linux each thread has its own nice value,
 * so a worker that parses a tokenizer.json or counts 1 MB of text can yield a busy CPU to the
 * extension host's thread, which VS Code needs for every keystroke (on a 2-core machine, the host
 * otherwise waits for a CPU while the worker runs). Nice 19, the lowest: measured on 2 cores, the
 * host's thread waited >16 ms for a CPU 1–2 times per 30 keystrokes with the worker at nice 10,
 * 0–1 times at 19, with the same count latency. Elsewhere, or if it is not allowed, nothing
 * changes. Never applied to the main thread (that would lower the whole extension host).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** The nice value now in effect for this thread, or undefined when it was left as it was. */
export function runInBackground(nice = 19): number | undefined {
  if (isMainThread || process.platform !== 'linux') return undefined;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop()); // "<pid>/task/<tid>"
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return undefined;
    os.setPriority(tid, Math.max(os.getPriority(tid), nice));
    return os.getPriority(tid);
  } catch {
    return undefined;
  }
}
