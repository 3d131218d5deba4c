import * as assert from 'node:assert/strict';
import { ChunkedCount, FIRST_SLICE_MAX_CHARS, FIRST_SLICE_MS, firstSliceMsFor, isSafeBoundary, SLICE_MS, splitText } from '../../src/core/chunks';
import { ENCODING_NAMES, type EncodingName, getEncoding } from '../../src/core/encodings';
import { PendingEdits } from '../../src/core/pendingEdits';
import { corpus, referenceCount, rng } from './reference';

const crlfSafe = (name: EncodingName) => name === 'o200k_base' || name === 'cl100k_base';
const opts = (name: EncodingName, target = 64) => ({ target, hardMax: 4096, crlf: crlfSafe(name) });


/** Moves an offset off the middle of a surrogate pair. */
function snap(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}

const PIECES = ['\uFEFF', '\u0085', 'a', 'The', ' ', '  ', '\n', '\n\n', '\r\n', '\t', '/', '// note\n', '/* x */', '\n/', 'é', '中文', '。', '，', '思维链', '😀', '👩🏽‍💻', '123', '4', "'s", '<|endoftext|>', '.\n', '\n\nHello', ' world', '\u00a0', 'x'];

describe('chunks: safe boundaries', () => {
  it('never splits "\\n\\n", a CRLF (for the older encodings) or a word', () => {
    assert.equal(isSafeBoundary('a\n\nb', 2, true), false); // between the two newlines
    assert.equal(isSafeBoundary('a\n\nb', 3, true), false); // after \n\n (preceded by whitespace)
    assert.equal(isSafeBoundary('ab.\nWord', 4, true), true);
    assert.equal(isSafeBoundary('ab\r\nWord', 4, true), true);
    assert.equal(isSafeBoundary('ab\r\nWord', 4, false), false);
    assert.equal(isSafeBoundary('ab\n/x', 3, true), false); // o200k joins a newline with a following /
    assert.equal(isSafeBoundary('hello world', 5, true), true); // before the space
    assert.equal(isSafeBoundary('hello world', 6, true), false); // after it
    assert.equal(isSafeBoundary('abc', 1, true), false);
    assert.equal(isSafeBoundary('ab12', 2, true), true);
    assert.equal(isSafeBoundary('😀😀', 1, true), false); // inside a surrogate pair
    assert.equal(isSafeBoundary('中文，中文', 2, true), true); // letter | punctuation
    assert.equal(isSafeBoundary('中文，中文', 3, true), false); // punctuation | letter: the mark joins the word
    assert.equal(isSafeBoundary("it's", 2, true), false); // apostrophe: contractions join the word
    assert.equal(isSafeBoundary('cafe\u0301', 4, true), false); // combining mark
  });

  it('splits a long Chinese paragraph without newlines at its punctuation, exactly', () => {
    const sentence = '这些评论来自一家卖厨房小家电的网店，顾客经常同时提到物流和商品本身，请只根据对商品本身的评价来判断。';
    const paragraph = sentence.repeat(200); // ~10,000 characters, one line
    for (const name of ENCODING_NAMES) {
      const chunked = ChunkedCount.of(paragraph, getEncoding(name).count, { target: 256, hardMax: 2048, crlf: crlfSafe(name) });
      assert.ok(chunked.exact, `${name}: no forced cut`);
      assert.ok(chunked.chunkCount > 20, `${name}: ${chunked.chunkCount} chunks`);
      assert.equal(chunked.total, referenceCount(name, paragraph), name);
    }
  });

  it('bounds the work on a run of letters with no break (BPE is quadratic in a piece\'s length)', () => {
    const run = 'x'.repeat(100_000);
    const enc = getEncoding('o200k_base');
    let longest = 0;
    const timed = (t: string): number => {
      const started = performance.now();
      const n = enc.count(t);
      longest = Math.max(longest, performance.now() - started);
      return n;
    };
    const chunked = ChunkedCount.of(run, timed, { target: 1024, hardMax: 2048, crlf: true });
    assert.equal(chunked.exact, false, 'forced cuts make it an estimate');
    assert.ok(chunked.chunkCount >= 100_000 / 2048, `${chunked.chunkCount} chunks`);
    assert.ok(longest < 200, `one chunk took ${longest.toFixed(0)} ms`);
    const full = referenceCount('o200k_base', run);
    assert.ok(Math.abs(chunked.total - full) / full < 0.05, `estimate ${chunked.total} vs exact ${full}`);
  });

  it('splits a text into chunks near the target that cover it exactly', () => {
    const text = corpus().english;
    const { lengths, forcedCuts } = splitText(text, opts('o200k_base', 100));
    assert.equal(lengths.reduce((a, b) => a + b, 0), text.length);
    assert.equal(forcedCuts, 0);
    assert.ok(lengths.length >= text.length / 400, `expected several chunks, got ${lengths.length}`);
    for (const l of lengths.slice(0, -1)) assert.ok(l >= 100, `chunk of ${l} chars is shorter than the target`);
  });

  it('cuts a text with no safe boundary at hardMax and says the count is inexact', () => {
    const text = '[1,2,3],{}'.repeat(1000); // digits and punctuation only: no safe boundary
    const chunked = ChunkedCount.of(text, getEncoding('o200k_base').count, { target: 64, hardMax: 1000, crlf: true });
    assert.equal(chunked.exact, false);
    assert.equal(chunked.length, text.length);
  });
});

describe('chunks: chunk sums equal the full count', () => {
  for (const name of ENCODING_NAMES) {
    for (const [label, text] of Object.entries(corpus())) {
      it(`${name}: ${label}`, () => {
        const enc = getEncoding(name);
        const chunked = ChunkedCount.of(text, enc.count, opts(name, 32));
        assert.ok(chunked.exact);
        assert.equal(chunked.total, referenceCount(name, text));
      });
    }
    it(`${name}: sliced counting gives the same total and pauses`, async () => {
      const text = Object.values(corpus()).join('\n').repeat(4);
      const enc = getEncoding(name);
      let pauses = 0;
      let clock = 0;
      const result = await ChunkedCount.sliced(text, enc.count, { sliceMs: 1, pause: async () => { pauses++; }, now: () => (clock += 0.5) }, opts(name));
      assert.ok(result);
      assert.equal(result.total, referenceCount(name, text));
      assert.ok(pauses > 10, `expected the work to pause, paused ${pauses} times`);
    });
  }

  it('sliced counting gives the first slice its own time, then slices of sliceMs', async () => {
    const enc = getEncoding('o200k_base');
    const text = 'A paragraph of prose.\n\n'.repeat(400);
    // The clock moves 1 ms per chunk counted, so a slice of N ms counts N chunks.
    let clock = 0;
    const perSlice: number[] = [0];
    const countFn = (s: string): number => {
      clock += 1;
      perSlice[perSlice.length - 1]!++;
      return enc.count(s);
    };
    const result = await ChunkedCount.sliced(text, countFn, { sliceMs: 3, firstSliceMs: 10, pause: async () => { perSlice.push(0); }, now: () => clock }, opts('o200k_base'));
    assert.ok(result);
    assert.equal(result.total, referenceCount('o200k_base', text));
    assert.ok(result.chunkCount > 20, `expected many chunks, got ${result.chunkCount}`);
    assert.deepEqual(perSlice.slice(0, 4), [10, 3, 3, 3]);
    assert.equal(perSlice.reduce((a, b) => a + b, 0), result.chunkCount);
  });

  it('gives the longer first slice only to texts it can shorten the count of (up to 1 MB)', () => {
    assert.equal(firstSliceMsFor(200_000), FIRST_SLICE_MS);
    assert.equal(firstSliceMsFor(FIRST_SLICE_MAX_CHARS), FIRST_SLICE_MS);
    assert.equal(firstSliceMsFor(FIRST_SLICE_MAX_CHARS + 1), SLICE_MS);
    assert.equal(firstSliceMsFor(10_000_000), SLICE_MS);
    assert.ok(FIRST_SLICE_MS > SLICE_MS && FIRST_SLICE_MS < 16);
  });

  it('sliced counting stops when cancelled', async () => {
    let clock = 0;
    const result = await ChunkedCount.sliced('word '.repeat(10000), getEncoding('o200k_base').count, { sliceMs: 1, pause: async () => {}, cancelled: () => true, now: () => (clock += 1) });
    assert.equal(result, undefined);
  });
});

describe('chunks: incremental counting stays exact under random edits (property test)', () => {
  const docs = corpus();
  const seedText = [docs.english, docs.chinese, docs.code, docs.mixedEmoji, docs.prompt.replace(/\n/g, '\r\n')].join('\n');
  for (const name of ENCODING_NAMES) {
    it(`${name}: 1,500 random edits, total checked after every edit`, function () {
      this.timeout(60_000);
      const enc = getEncoding(name);
      const random = rng(0xc0ffee + name.length);
      let text = seedText;
      const chunked = ChunkedCount.of(text, enc.count, opts(name, 256));
      for (let step = 0; step < 1500; step++) {
        const r = random();
        let offset = snap(text, Math.floor(random() * (text.length + 1)));
        let removed = 0;
        let inserted = '';
        if (r < 0.45) {
          inserted = PIECES[Math.floor(random() * PIECES.length)]!;
        } else if (r < 0.75) {
          removed = Math.min(text.length - offset, Math.floor(random() * 40));
          removed = snap(text, offset + removed) - offset;
        } else if (r < 0.9) {
          const start = snap(seedText, Math.floor(random() * seedText.length));
          inserted = seedText.slice(start, snap(seedText, Math.min(seedText.length, start + Math.floor(random() * 600))));
        } else {
          removed = Math.min(text.length - offset, Math.floor(random() * 8));
          removed = snap(text, offset + removed) - offset;
          inserted = PIECES[Math.floor(random() * PIECES.length)]! + PIECES[Math.floor(random() * PIECES.length)]!;
        }
        if (removed < 0) removed = 0;
        if (offset > text.length) offset = text.length;
        const next = text.slice(0, offset) + inserted + text.slice(offset + removed);
        chunked.applyEdit(offset, removed, inserted.length, (s, e) => next.slice(s, e));
        text = next;
        const full = enc.count(text);
        assert.equal(chunked.total, full, `${name}, step ${step}: incremental ${chunked.total} != full ${full}`);
        assert.equal(chunked.length, text.length);
      }
      assert.ok(chunked.exact);
      assert.equal(chunked.total, referenceCount(name, text));
    });
  }

  it('edits folded by PendingEdits give the same result in any order', () => {
    const enc = getEncoding('o200k_base');
    const base = docs.english;
    const chunked = ChunkedCount.of(base, enc.count, opts('o200k_base', 128));
    // Three simultaneous edits (as from three cursors), reported last-first as VS Code does.
    const edits = [
      { offset: 900, removed: 5, text: 'NEW' },
      { offset: 400, removed: 0, text: '中文\n\n' },
      { offset: 10, removed: 3, text: '' },
    ];
    let text = base;
    const pending = new PendingEdits(base.length);
    for (const e of edits) {
      text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.removed);
      pending.add(e.offset, e.removed, e.text.length);
    }
    const c = pending.combined()!;
    assert.equal(pending.length, text.length);
    chunked.applyEdit(c.offset, c.removed, c.inserted, (s, e) => text.slice(s, e));
    assert.equal(chunked.total, referenceCount('o200k_base', text));
  });
});
