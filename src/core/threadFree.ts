/**
 * Runs work that holds the thread for a few milliseconds in one piece (starting a process: the
 * fork of a 200+ MB extension host takes ~5 ms) once the thread is free, instead of right after
 * whatever burst of tasks asked for it.
 *
 * Measured in the extension host: writing a setting makes VS Code deliver the change, every
 * extension's listeners run, and the git extension starts a `git` process, one task right after
 * another. A tokenizer process started from our listener in that burst made one stretch of
 * 17–26 ms with no pause for a keystroke; started after it, it is a stretch of its own.
 *
 * "Free": `quietTicks` timer ticks in a row, each within `quietMs` of the one before (nothing
 * longer ran between them). After `maxWaitMs` the work runs anyway. No `vscode` here.
 */
export interface ThreadFreeOptions {
  quietMs?: number;
  quietTicks?: number;
  maxWaitMs?: number;
}

export function whenThreadIsFree(run: () => void, { quietMs = 4, quietTicks = 2, maxWaitMs = 250 }: ThreadFreeOptions = {}): { cancel(): void } {
  const started = performance.now();
  let last = started;
  let quiet = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    const now = performance.now();
    quiet = now - last <= quietMs ? quiet + 1 : 0;
    last = now;
    if (quiet >= quietTicks || now - started >= maxWaitMs) {
      timer = undefined;
      run();
      return;
    }
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    cancel: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
