/**
 * Lowers CPU priority for work that must never compete with the extension host's thread, which
 * VS Code needs for every keystroke (on a 2-core machine the host otherwise waits for a CPU while a
 * tokenizer loads or counts). Nice 19, the lowest: measured on 2 cores, the host's thread waited
 * >16 ms for a CPU 1–2 times per 30 keystrokes with the tokenizer at nice 10, 0–1 times at 19,
 * with the same count latency. Elsewhere, or if it is not allowed, nothing changes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/**
 * Lowers this whole process: for the tokenizer process (src/workers/hfWorker.ts), which is started
 * by the extension host and must not be the host itself. On Linux every thread that exists now
 * (V8's garbage-collection helpers included) is lowered, and threads started later inherit it.
 * Returns the nice value of this process's main thread afterwards.
 */
export function runProcessInBackground(nice = 19): number | undefined {
  try {
    if (process.platform === 'linux') {
      for (const name of fs.readdirSync('/proc/self/task')) {
        const tid = Number(name);
        if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.max(os.getPriority(tid), nice));
      }
    } else {
      os.setPriority(Math.max(os.getPriority(), nice));
    }
    return os.getPriority();
  } catch {
    return undefined;
  }
}
