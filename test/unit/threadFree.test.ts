import * as assert from 'node:assert/strict';
import { whenThreadIsFree } from '../../src/core/threadFree';

/** Holds the thread for `ms`, as a task of another extension would. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/** `tasks` tasks of `ms` each, one after another (each a task of its own: timers can run between them). */
function burst(tasks: number, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let left = tasks;
    const step = (): void => {
      busy(ms);
      if (--left === 0) resolve(performance.now());
      else setImmediate(step);
    };
    setImmediate(step);
  });
}

describe('whenThreadIsFree (starting a process after a burst of tasks, not inside it)', () => {
  it('runs within a few milliseconds when nothing else holds the thread', async () => {
    const t0 = performance.now();
    const ranAt = await new Promise<number>((resolve) => whenThreadIsFree(() => resolve(performance.now())));
    assert.ok(ranAt - t0 < 60, `ran after ${ranAt - t0} ms`);
  });

  it('waits until a burst of 8 ms tasks is over, then runs', async () => {
    let ranAt: number | undefined;
    whenThreadIsFree(() => (ranAt = performance.now()));
    const burstEnd = await burst(8, 8);
    await new Promise((r) => setTimeout(r, 60));
    assert.ok(ranAt !== undefined, 'never ran');
    assert.ok(ranAt >= burstEnd, `ran ${burstEnd - ranAt} ms before the burst ended`);
  });

  it('runs after maxWaitMs even if the thread never comes free', async () => {
    let ranAt: number | undefined;
    const t0 = performance.now();
    whenThreadIsFree(() => (ranAt = performance.now()), { maxWaitMs: 60 });
    const burstEnd = await burst(30, 8); // ~240 ms
    assert.ok(ranAt !== undefined, 'never ran');
    assert.ok(ranAt - t0 >= 60 && ranAt < burstEnd, `ran at ${ranAt - t0} ms; the burst ended at ${burstEnd - t0} ms`);
  });

  it('never runs once cancelled', async () => {
    let ran = false;
    whenThreadIsFree(() => (ran = true)).cancel();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ran, false);
  });
});
