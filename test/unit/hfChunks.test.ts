import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ChunkCountCache, chunkPolicy, lineChunkEnds } from '../../src/core/hfChunks';
import { loadTokenizerFile, type LoadedTokenizer } from '../../src/core/hfTokenizer';
import { corpus, rng, tokenizerFile } from './reference';

const readJson = (pkg: string): Record<string, unknown> => JSON.parse(fs.readFileSync(tokenizerFile(pkg), 'utf8'));


/** What gets typed or pasted: line breaks of every kind, letters that start lines, marks that join them, specials. */
const INSERTS = [
  '\n', '\n\n', '\r\n', '\n\n\n', ' \n', '\t\n', '\nWord', '\nthe', '\n中文', '\n你好，世界。', '\nÉcole', '\n/path', '\n//', '.\n/path', ')\n//', '\n- item',
  'a', 'Z', ' ', '  ', '中', '。', '，', '😀', '👩🏽‍💻', '\u0301', 'e\u0301', '\u1100\u1161', '\n\u1161', '\n\u0301', '𝐀', '\n𝐀',
  "'s", "\n's", '123', '\n1234', '<|im_start|>', '\n<|im_end|>', '<｜User｜>', '<｜begin▁of▁sentence｜>', '\u0085', '\uFEFF', '\n\uFEFF',
  '<start_of_turn>user\n', '<end_of_turn>\n', '\t\t', '\n\t', '\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n',
];

function randomEdit(text: string, rnd: () => number, pool: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const kind = rnd();
  if (kind < 0.45) return text.slice(0, at) + INSERTS[Math.floor(rnd() * INSERTS.length)]! + text.slice(at);
  if (kind < 0.75) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 40));
  // Paste a stretch of real text, often cut mid-line.
  const from = Math.floor(rnd() * pool.length);
  return text.slice(0, at) + pool.slice(from, from + Math.floor(rnd() * 400)) + text.slice(at);
}

describe('line-by-line counting for open-model tokenizers (hfChunks)', function () {
  this.timeout(120_000);

  it('counts DeepSeek-V3, Qwen3, Llama 3.1, Gemma 3 and Mistral NeMo line by line', () => {
    for (const pkg of ['deepseek_v3', 'qwen3', 'llama3_1', 'gemma3', 'mistral_nemo']) assert.deepEqual(chunkPolicy(readJson(pkg)), { byLines: true }, pkg);
  });

  it('takes a tokenizer whose line breaks are added tokens (Gemma 3) only if every step works section by section', () => {
    const base = readJson('gemma3');
    const added = base.added_tokens as Array<Record<string, unknown>>;
    // chunkPolicy reads only these fields: a shallow copy will do (the file is 33 MB).
    const changed = (patch: Partial<Record<'normalizer' | 'pre_tokenizer' | 'added_tokens', unknown>>): string => {
      const p = chunkPolicy({ ...base, ...patch });
      return p.byLines ? 'by lines' : p.reason;
    };
    assert.equal(changed({}), 'by lines');
    assert.match(changed({ added_tokens: [...added, { id: 1, content: '\nHi', normalized: false }] }), /"\\nHi" goes on after a line break/);
    assert.match(changed({ added_tokens: [...added, { id: 1, content: 'Hi', lstrip: true }] }), /"Hi" takes the whitespace before it/);
    assert.match(changed({ pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first' } }), /pre-tokenizer Metaspace is not one checked/);
    assert.match(changed({ normalizer: { type: 'NFKC' } }), /normalizer NFKC is not one checked/);
    // A "\n" matched only after normalizing does not start a section: the first rule applies, and refuses.
    const normalizedBreaks = added.map((t) => (/^\n+$/.test(String(t.content)) ? { ...t, normalized: true } : t));
    assert.match(changed({ added_tokens: normalizedBreaks }), /contains a line break/);
    assert.equal(changed({ normalizer: null, pre_tokenizer: null }), 'by lines');
  });

  it('does not count line by line when any step was not checked', () => {
    const base = readJson('qwen3');
    const pre = base.pre_tokenizer as { pretokenizers: Array<Record<string, unknown>> };
    const changed = (patch: (j: Record<string, unknown>) => void): string => {
      const j = structuredClone(base);
      patch(j);
      const p = chunkPolicy(j);
      return p.byLines ? 'by lines' : p.reason;
    };
    assert.equal(changed(() => undefined), 'by lines');
    assert.match(changed((j) => (j.normalizer = { type: 'NFKC' })), /normalizer NFKC/);
    assert.match(changed((j) => ((j.pre_tokenizer as typeof pre).pretokenizers[0]!.pattern = { Regex: String((pre.pretokenizers[0]!.pattern as { Regex: string }).Regex).replace('\\s*[\\r\\n]+|', '') })), /pattern whose line starts were not checked/);
    assert.match(changed((j) => ((j.pre_tokenizer as typeof pre).pretokenizers[1]!.add_prefix_space = true)), /without a regular expression or prefix space/);
    assert.match(changed((j) => (j.pre_tokenizer = { type: 'Metaspace', replacement: '▁' })), /pre-tokenizer Metaspace/);
    assert.match(changed((j) => (j.pre_tokenizer = null)), /no pre-tokenizer/);
    assert.match(changed((j) => ((j.model as Record<string, unknown>).dropout = 0.1)), /dropout/);
    assert.match(changed((j) => ((j.model as Record<string, unknown>).type = 'Unigram')), /not BPE/);
    assert.match(changed((j) => (j.added_tokens as Array<Record<string, unknown>>).push({ id: 1, content: 'Hi', lstrip: true })), /"Hi" takes the whitespace before it/);
  });

  it('cuts only at a line start whose first character is a letter, and never inside a surrogate pair', () => {
    const text = 'alpha\n\nbeta\n1\n-\n中文\n𝐀x\n\u0301y\n'.repeat(200);
    let start = 0;
    const ends = lineChunkEnds(text, 1);
    assert.ok(ends.length > 500, `${ends.length} chunks`);
    for (const end of ends) {
      assert.ok(end > start);
      if (end < text.length) {
        assert.equal(text[end - 1], '\n');
        assert.match(String.fromCodePoint(text.codePointAt(end)!), /\p{L}/u, JSON.stringify(text.slice(end - 3, end + 3)));
      }
      start = end;
    }
    assert.equal(ends[ends.length - 1], text.length);
  });

  it('keeps the cuts after an edit where they were, so later chunks keep their counts', () => {
    const text = `${corpus().english}\n${corpus().chinese}\n${corpus().code}`;
    const before = lineChunkEnds(text);
    const at = Math.floor(text.length / 3);
    const after = lineChunkEnds(`${text.slice(0, at)}inserted words\nmore${text.slice(at)}`);
    const shifted = new Set(after.map((e) => e - 'inserted words\nmore'.length));
    const kept = before.filter((e) => e > at + 200).filter((e) => shifted.has(e)).length;
    assert.equal(kept, before.filter((e) => e > at + 200).length, 'every cut well after the edit is still there');
  });

  for (const [pkg, seed] of [['deepseek_v3', 1], ['qwen3', 2], ['llama3_1', 3], ['gemma3', 4], ['mistral_nemo', 5]] as const) {
    describe(pkg, () => {
      let tokenizer: LoadedTokenizer;
      before(() => {
        tokenizer = loadTokenizerFile(tokenizerFile(pkg));
        assert.equal(tokenizer.chunking.byLines, true);
      });
      const whole = (text: string): number => tokenizer.encode(text).length;

      it('equals a whole-text count after each of 400 random edits (typing, deleting, pasting; Chinese, emoji, CRLF, marks)', () => {
        const c = corpus();
        const pool = `${c.english}\n${c.chinese}\n${c.code}\n${c.mixedEmoji}\n${c.prompt}`;
        const rnd = rng(seed);
        const cache = new ChunkCountCache(whole, 200_000);
        let text = `${c.chinese.slice(0, 1500)}\n${c.english.slice(0, 1500)}\n${c.code.slice(0, 1000)}`;
        let encodedChars = 0;
        let countedChars = 0;
        for (let i = 0; i < 400; i++) {
          text = randomEdit(text, rnd, pool);
          if (text.length > 8000) text = text.slice(0, 4000) + text.slice(text.length - 2000);
          const expected = whole(text);
          assert.equal(cache.count(text), expected, `edit ${i} (seed ${seed}): ${JSON.stringify(text.slice(0, 80))}…`);
          encodedChars += cache.last.encodedChars;
          countedChars += text.length;
        }
        // The counts encoded only the chunks the edits changed: a share of what whole-text counts
        // encode. Measured 17–20 % for these walks (16–40 % with other code in the corpus: indented
        // code makes big chunks, as a chunk starts only at a line that begins with a letter).
        // Without the cache it is 100 %.
        assert.ok(encodedChars < countedChars / 2, `encoded ${encodedChars} of ${countedChars} characters counted over 400 edits`);
      });

      it('encodes only the chunk an edit changed in a 100 KB document', () => {
        const chinese = corpus().chinese;
        let text = '';
        for (let i = 0; text.length < 100_000; i++) text += `${i}. ${chinese.slice((i * 997) % chinese.length)}\n第${i}段\n`;
        const cache = new ChunkCountCache(whole);
        assert.equal(cache.count(text), whole(text));
        const at = Math.floor(text.length / 2);
        const edited = `${text.slice(0, at)}好${text.slice(at)}`;
        assert.equal(cache.count(edited), whole(edited));
        assert.equal(cache.last.encoded, 1, JSON.stringify(cache.last));
        assert.ok(cache.last.encodedChars < 5000, JSON.stringify(cache.last));
        assert.ok(cache.last.chunks > 50, JSON.stringify(cache.last));
      });
    });
  }

  it('forgets the least recently used chunks beyond its budget and still counts right', () => {
    let calls = 0;
    const countFn = (s: string): number => {
      calls++;
      return s.length;
    };
    const cache = new ChunkCountCache(countFn, 10_000);
    const doc = (n: number): string => Array.from({ length: 400 }, (_, i) => `Line ${n}-${i} of a document`).join('\n');
    for (let n = 0; n < 5; n++) assert.equal(cache.count(doc(n)), doc(n).length);
    assert.ok(cache.size < 5 * 400 && cache.size > 0, `${cache.size} chunks kept`);
    calls = 0;
    assert.equal(cache.count(doc(4)), doc(4).length);
    assert.equal(calls, 0, 'the last document counted is still cached');
  });
});
