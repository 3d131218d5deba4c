import * as assert from 'node:assert/strict';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { type EncodingName, getEncoding, tokenBytes } from '../../src/core/encodings';
import { IncrementalTokens, nextCut, textDiff } from '../../src/core/preview/tokenize';
import { byteLengthCache, hexBytes, SegmentationError, segmenter, segmentTokens, toPieces, utf8Length } from '../../src/core/preview/tokens';
import { renderTemplate } from '../../src/core/template/render';
import { tokenizerFor } from '../../src/core/tokenizer';
import { corpus, readRepoFile, referenceEncode } from './reference';
import { FEW_SHOT_EXPECTED } from './templateFixtures';

const ENCODINGS: EncodingName[] = ['o200k_base', 'cl100k_base'];
const tiktoken = new Map<EncodingName, Tiktoken>();
function reference(name: EncodingName): Tiktoken {
  let e = tiktoken.get(name);
  if (!e) tiktoken.set(name, (e = get_encoding(name)));
  return e;
}
/** The reference's bytes of each token of `text`. */
const referenceBytes = (name: EncodingName, text: string): Uint8Array[] =>
  referenceEncode(name, text).map((id) => reference(name).decode_single_token_bytes(id));

const ourLength = (name: EncodingName) => byteLengthCache((id) => tokenBytes(name, id));

/**
 * Segments `text` with our encoder's ids and checks everything against tiktoken: the same ids,
 * each piece's bytes equal to the reference token's bytes (whole characters), pieces that join
 * to the text, and split characters given to the token with their first byte.
 */
function checkExact(name: EncodingName, text: string): { pieces: ReturnType<typeof toPieces>; partial: number } {
  const ids = getEncoding(name).encode(text);
  assert.deepEqual(ids, referenceEncode(name, text), 'token ids differ from tiktoken');
  const seg = segmentTokens(text, ids, ourLength(name));
  const pieces = toPieces(text, seg);
  assert.equal(pieces.length, ids.length);
  assert.equal(pieces.map((p) => p.text).join(''), text, 'the pieces join to the text');
  const refBytes = referenceBytes(name, text);
  let byteAt = 0;
  let charByte = 0; // UTF-8 offset of the piece's start in the text
  let partial = 0;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    assert.equal(p.id, ids[k]);
    assert.equal(p.text, text.slice(p.start, p.end));
    if (k > 0) assert.equal(p.start, pieces[k - 1]!.end);
    assert.deepEqual(tokenBytes(name, p.id), refBytes[k], `bytes of token ${k} (id ${p.id})`);
    const tokenEnd = byteAt + refBytes[k]!.length;
    const own = utf8Length(p.text);
    if (!p.partial) {
      // A whole token is exactly its characters.
      assert.equal(charByte, byteAt, `piece ${k} starts where its token does`);
      assert.deepEqual(new TextEncoder().encode(p.text), refBytes[k], `piece ${k} ${JSON.stringify(p.text)}`);
    } else {
      partial++;
      // Its characters are those whose first byte is in the token: the first starts in [byteAt, tokenEnd)…
      if (own > 0) assert.ok(charByte >= byteAt && charByte < tokenEnd, `piece ${k}: its first character starts inside it`);
      // …and a token with no text lies inside the character before it.
      else assert.ok(charByte >= tokenEnd, `piece ${k}: an empty piece lies inside a character`);
      assert.ok(charByte + own >= tokenEnd, `piece ${k}: its last character reaches the token's end`);
    }
    charByte += own;
    byteAt = tokenEnd;
  }
  assert.equal(byteAt, utf8Length(text));
  assert.equal(charByte, byteAt);
  return { pieces, partial };
}

after(() => {
  for (const e of tiktoken.values()) e.free();
  tiktoken.clear();
});

describe('preview: token segmentation, exact against tiktoken', () => {

  const c = corpus();
  const cases: Array<[string, string]> = [
    ['English', c.english],
    ['Chinese', c.chinese],
    ['emoji and mixed scripts', c.mixedEmoji],
    ['code', c.code],
    ['a prompt', c.prompt],
  ];
  for (const name of ENCODINGS) {
    for (const [label, text] of cases) {
      it(`${label} (${name}): same ids, bytes and boundaries as the reference`, () => {
        const { pieces } = checkExact(name, text);
        assert.ok(pieces.length > 20);
      });
    }
  }

  it('gives a character split across tokens to the token with its first byte; the others are empty and partial', () => {
    // 🦩 is f0 9f | a6 | a9 in o200k_base; 😀👍🏽 splits 🏽 (f0 9f 8f bd) as f0 9f 8f | bd.
    const { pieces, partial } = checkExact('o200k_base', 'A 🦩 and 😀👍🏽!');
    assert.ok(partial >= 4, `partial tokens: ${partial}`);
    const at = pieces.findIndex((p) => p.text.includes('🦩'));
    assert.ok(at >= 0 && pieces[at]!.partial);
    assert.match(hexBytes(tokenBytes('o200k_base', pieces[at]!.id)!), /f0 9f$/);
    assert.deepEqual(pieces.slice(at + 1, at + 3).map((p) => [p.text, p.partial, hexBytes(tokenBytes('o200k_base', p.id)!)]), [['', true, 'a6'], ['', true, 'a9']]);
    assert.equal(pieces[at + 3]!.partial, false);
  });

  it('handles CJK characters split in two (cl100k_base) and characters outside the BMP', () => {
    for (const text of ['龘鿰𠀀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '鿰'.repeat(50), '👩🏽‍💻🇨🇳🏳️‍🌈']) {
      for (const name of ENCODINGS) {
        const { partial } = checkExact(name, text);
        assert.ok(partial > 0, `${name} should split some character of ${text}`);
      }
    }
  });

  it('handles whitespace, line breaks, U+FEFF, U+0085, lone surrogates and the empty text', () => {
    for (const text of ['', ' ', '\n\n\n', 'a\r\nb\r\n', '\uFEFFhello', 'x\u0085y', 'tab\tsep\u00a0nbsp', 'lone \ud800 surrogate \udc00!', '<|endoftext|>']) {
      for (const name of ENCODINGS) checkExact(name, text);
    }
  });

  it('works in steps (so that the extension host can give the thread back) with the same result', () => {
    const text = c.mixedEmoji.repeat(3);
    const ids = getEncoding('o200k_base').encode(text);
    const whole = segmentTokens(text, ids, ourLength('o200k_base'));
    const s = segmenter(text, ids, ourLength('o200k_base'));
    let calls = 0;
    while (!s.step(7)) calls++;
    assert.ok(calls > 10);
    assert.deepEqual(s.result(), whole);
  });

  it('refuses ids that are not the text\'s', () => {
    const ids = getEncoding('o200k_base').encode('hello world');
    assert.throws(() => segmentTokens('hello', ids, ourLength('o200k_base')), SegmentationError);
    assert.throws(() => segmentTokens('hello world and more', ids, ourLength('o200k_base')), SegmentationError);
    assert.throws(() => segmentTokens('hello', [999_999_999], ourLength('o200k_base')), SegmentationError);
  });
});

describe('preview: rendered prompt → tokens, as the preview computes them', () => {
  it('renders the few-shot template and cuts it into exactly tiktoken\'s tokens', async () => {
    const r = renderTemplate(readRepoFile('examples/sentiment-few-shot.prompt.hbs'), { mode: 'samples' });
    assert.ok(r.ok);
    assert.equal(r.text, FEW_SHOT_EXPECTED);
    assert.ok(r.text.includes('& the screen') && r.text.includes('<Sigh>'), 'not HTML-escaped');
    const name = 'o200k_base';
    const tokenizer = tokenizerFor({ tokenizer: { kind: 'bpe', encoding: name } } as never);
    if (!('chunkOptions' in tokenizer)) throw new Error('expected a sync tokenizer');
    const cache = new IncrementalTokens((t) => getEncoding(name).encode(t), { minLen: 128, ...tokenizer.chunkOptions });
    const tokenized = await cache.tokenize(r.text, { sliceMs: 5, pause: async () => {} });
    assert.ok(tokenized);
    assert.deepEqual(tokenized.ids, referenceEncode(name, r.text));
    assert.equal(tokenized.exact, true);
    const pieces = toPieces(r.text, segmentTokens(r.text, tokenized.ids, ourLength(name)));
    assert.deepEqual(pieces.map((p) => p.text), referenceBytes(name, r.text).map((b) => new TextDecoder().decode(b)));
  });

  it('renders the Chinese template (Chinese variable names) and matches tiktoken\'s tokens', () => {
    const r = renderTemplate(readRepoFile('examples/meeting-summary.prompt.hbs'), { mode: 'samples' });
    assert.ok(r.ok);
    for (const name of ENCODINGS) checkExact(name, r.text);
  });

  it('re-encodes only the chunks an edit touched, with ids equal to a fresh encode (200 KB)', async () => {
    const c = corpus();
    let text = '';
    for (let i = 0; text.length < 200_000; i++) text += `${i}. ${c.english}\n${c.chinese}\n${c.code}\n${c.mixedEmoji}\n`;
    text = text.slice(0, 200_000);
    const enc = getEncoding('o200k_base');
    const cache = new IncrementalTokens((t) => enc.encode(t), { minLen: 128, target: 1024, hardMax: 2048, crlf: true });
    const slices = { sliceMs: 5, pause: async () => {} };
    const first = await cache.tokenize(text, slices);
    assert.ok(first);
    assert.equal(first.encodedChars, text.length);
    assert.deepEqual(first.ids, referenceEncode('o200k_base', text));
    assert.equal(first.exact, true);
    const edited = text.slice(0, 100_000) + ' 新增 inserted words 🦩' + text.slice(100_000);
    const second = await cache.tokenize(edited, slices);
    assert.ok(second);
    assert.ok(second.encodedChars < 5_000, `re-encoded ${second.encodedChars} characters`);
    assert.deepEqual(second.ids, referenceEncode('o200k_base', edited));
    // Cancelled: no result; the next call still starts from the last complete text.
    assert.equal(await cache.tokenize('Changed at the start. ' + edited.slice(30), { sliceMs: 0, pause: async () => {}, cancelled: () => true }), undefined);
    const third = await cache.tokenize(edited.slice(0, 150_000) + edited.slice(150_010), slices);
    assert.ok(third && third.encodedChars < 5_000, `re-encoded ${third?.encodedChars}`);
    assert.deepEqual(third.ids, referenceEncode('o200k_base', edited.slice(0, 150_000) + edited.slice(150_010)));
  });

  it('stays equal to tiktoken over a run of random edits (typing, deleting, pasting, at the ends too)', async () => {
    const c = corpus();
    let text = [c.english, c.chinese, c.mixedEmoji, c.code].join('\n').slice(0, 30_000);
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (const name of ENCODINGS) {
      const enc = getEncoding(name);
      const cache = new IncrementalTokens((t) => enc.encode(t), { minLen: 128, target: 1024, hardMax: 2048, crlf: name === 'o200k_base' || name === 'cl100k_base' });
      for (let step = 0; step < 60; step++) {
        const at = step % 10 === 0 ? 0 : step % 10 === 1 ? text.length : random(text.length + 1);
        const removed = Math.min(text.length - at, random(4) === 0 ? random(300) : random(3));
        const pieces = ['a', ' ', '\n', '\n\n', '中', '🦩', 'word ', '\r\n', c.mixedEmoji.slice(0, 200), ''];
        text = text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at + removed);
        const r = await cache.tokenize(text, { sliceMs: 5, pause: async () => {} });
        assert.ok(r);
        assert.deepEqual(r.ids, referenceEncode(name, text), `${name}, step ${step}`);
      }
    }
  });

  it('cuts only at safe boundaries, chosen by the text around them (the same cut after an edit elsewhere)', () => {
    const c = corpus();
    const text = c.english + c.english;
    const rules = { minLen: 128, target: 1024, hardMax: 2048, crlf: true };
    const cuts = (t: string): number[] => {
      const out: number[] = [];
      for (let p = 0; p < t.length;) out.push((p = nextCut(t, p, rules).end));
      return out;
    };
    const a = cuts(text);
    const b = cuts('Inserted at the start. ' + text);
    const shifted = new Set(b.map((x) => x - 'Inserted at the start. '.length));
    const common = a.filter((x) => shifted.has(x));
    assert.ok(common.length >= a.length - 3, `only ${common.length} of ${a.length} cuts realign`);
    assert.deepEqual(textDiff('abcXdef', 'abcYYdef'), { offset: 3, removed: 1, inserted: 2 });
  });
});
