import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EngineError, TemplateEngine } from '../../src/core/template/engine';
import { REPO, readRepoFile } from './reference';
import { FEW_SHOT_EXPECTED } from './templateFixtures';

/** The compiled worker (tsc output; the extension uses the bundled dist/templateWorker.js). */
const WORKER = path.join(REPO, 'out', 'src', 'core', 'template', 'worker.js');

/** Runs fn while measuring the longest gap between timer ticks on this (the "extension host") thread. */
async function longestStall<T>(fn: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = Date.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    const value = await fn();
    return { value, stallMs };
  } finally {
    clearInterval(timer);
  }
}

describe('template engine (worker thread)', function () {
  this.timeout(60_000);
  let engine: TemplateEngine;
  beforeEach(() => {
    engine = new TemplateEngine(WORKER);
  });
  afterEach(() => engine.dispose());

  it('checks and renders in the worker, with the same results as in-process', async () => {
    const text = readRepoFile('examples/sentiment-few-shot.prompt.hbs');
    const check = await engine.check(text);
    assert.deepEqual(check.issues, []);
    assert.deepEqual(check.inputs.map((i) => i.name), ['task', 'examples', 'review']);
    const r = await engine.render(text, { mode: 'samples' });
    assert.ok(r.ok);
    assert.equal(r.text, FEW_SHOT_EXPECTED);
    assert.equal(engine.started, 1);
  });

  it('keeps this thread responsive while a 5 MB template with many tags is checked and rendered', async () => {
    const unit = 'Review {{n}}: {{#each items}}{{this}} {{/each}}and some prose that fills the template.\n';
    const tagged = unit.repeat(10_000); // 40,000 tags
    const text = tagged + 'x'.repeat(5 * 1024 * 1024 - tagged.length);
    const t0 = Date.now();
    const { value: check, stallMs: checkStall } = await longestStall(() => engine.check(text));
    const checkMs = Date.now() - t0;
    assert.equal(check.stats.tags, 40_000);
    assert.equal(text.length, 5 * 1024 * 1024);
    const t1 = Date.now();
    const { value: r, stallMs: renderStall } = await longestStall(() => engine.render(text, { mode: 'values', values: { n: 7, items: ['a', 'b'] } }));
    const renderMs = Date.now() - t1;
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issue));
    assert.ok(r.text.startsWith('Review 7: a b and some prose'));
    console.log(`      ${(text.length / 1048576).toFixed(1)} M chars, ${check.stats.tags} tags: check ${checkMs} ms, render ${renderMs} ms; longest stall of this thread ${Math.max(checkStall, renderStall)} ms`);
    assert.ok(Math.max(checkStall, renderStall) < 250, `this thread stalled ${Math.max(checkStall, renderStall)} ms`);
  });

  it('says at once that a 5 MB template of a million tags is too large', async () => {
    const r = await engine.render('{{a}}'.repeat(1 << 20), { mode: 'values', values: { a: 'x' } });
    assert.ok(!r.ok);
    assert.equal(r.issue.code, 'tooManyTags');
    assert.deepEqual(r.issue.args, ['1048576', '50000']);
  });

  it('stops a request that takes too long, and the next request gets a fresh worker', async () => {
    const slow = '{{#each a}}{{#each @root.a}}{{#each @root.a}}{{#each @root.a}}{{/each}}{{/each}}{{/each}}{{/each}}';
    const t0 = Date.now();
    await assert.rejects(
      engine.render(slow, { mode: 'values', values: { a: Array.from({ length: 400 }, (_, i) => i) } }, { timeoutMs: 300 }),
      (e: unknown) => e instanceof EngineError && e.reason === 'timeout',
    );
    assert.ok(Date.now() - t0 < 3000);
    const after = await engine.render('{{x}}!', { mode: 'values', values: { x: 'still works' } });
    assert.ok(after.ok && after.text === 'still works!');
    assert.equal(engine.started, 2);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const slow = engine.render('{{#each a}}{{#each @root.a}}{{#each @root.a}}{{/each}}{{/each}}{{/each}}', { mode: 'values', values: { a: Array.from({ length: 2000 }, (_, i) => i) } }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(slow, (e: unknown) => e instanceof EngineError && e.reason === 'cancelled');
  });

  it('survives a worker that runs out of memory', async () => {
    const small = new TemplateEngine(WORKER, { maxMemoryMb: 64, limits: { maxTemplateChars: 1e9, maxTags: 1e9, maxOutputChars: 1e9, renderMs: 60_000 } });
    try {
      // Handlebars turns each tag into code: a million of them do not fit in 64 MB.
      await assert.rejects(small.render('{{a}}'.repeat(1 << 20), { mode: 'values', values: { a: 'x' } }, { timeoutMs: 50_000 }),
        (e: unknown) => e instanceof EngineError && e.reason === 'crashed');
      const after = await small.check('{{ok}}');
      assert.deepEqual(after.inputs.map((i) => i.name), ['ok']);
    } finally {
      small.dispose();
    }
  });
});
