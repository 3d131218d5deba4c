import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ENCODING_NAMES, getEncoding, isEncodingLoaded } from '../../src/core/encodings';
import { corpus, referenceCount, referenceEncode } from './reference';

describe('encodings: counts equal tiktoken exactly', () => {
  const texts = {
    ...corpus(),
    specialTokens: 'Say <|endoftext|> then <|im_start|>user\nhi<|im_end|> and <|fim_prefix|>x<|fim_suffix|>',
    emoji: '👩🏽‍💻 🇨🇳 🏳️‍🌈 😀😃😄 family: 👨‍👩‍👧‍👦',
    crlf: 'line one\r\nline two\r\n\r\n  indented\r\nend',
    whitespace: 'a\n\n\nb  \n  \t\tc   ',
    empty: '',
  };
  for (const name of ENCODING_NAMES) {
    for (const [label, text] of Object.entries(texts)) {
      it(`${name}: ${label}`, () => {
        assert.equal(getEncoding(name).count(text), referenceCount(name, text));
      });
    }
  }

  it('o200k_base token ids equal the reference on Chinese', () => {
    const text = corpus().chinese!;
    assert.deepEqual(getEncoding('o200k_base').encode(text), referenceEncode('o200k_base', text));
  });

  it('counts known values (fixed expectations, from tiktoken)', () => {
    // These pin the reference itself, so a broken reference cannot make the tests pass.
    assert.equal(referenceCount('o200k_base', 'hello world'), 2);
    assert.equal(getEncoding('o200k_base').count('hello world'), 2);
    assert.equal(getEncoding('cl100k_base').count('<|endoftext|>'), 7);
    assert.equal(getEncoding('o200k_base').count('<|endoftext|>'), referenceCount('o200k_base', '<|endoftext|>'));
  });

  it('loads no encoding table until a count needs it', () => {
    const modulePath = require.resolve('../../src/core/encodings');
    const script = `
      const m = require(${JSON.stringify(modulePath)});
      const loaded = () => Object.keys(require.cache).filter((k) => k.includes('bpeRanks')).map((k) => k.split('/').pop());
      const before = loaded();
      m.getEncoding('cl100k_base').count('hi');
      console.log(JSON.stringify({ before, after: loaded(), flag: m.isEncodingLoaded('cl100k_base'), other: m.isEncodingLoaded('o200k_base') }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.deepEqual(out, { before: [], after: ['cl100k_base.js'], flag: true, other: false });
  });
});

describe('encodings: exact where gpt-tokenizer 4.0.0 alone differs from tiktoken', () => {
  it('counts the byte-order mark U+FEFF as tiktoken does', () => {
    assert.equal(referenceCount('o200k_base', '\uFEFF'), 1);
    assert.equal(getEncoding('o200k_base').count('\uFEFF'), 1);
    assert.equal(getEncoding('cl100k_base').count('\uFEFF'), referenceCount('cl100k_base', '\uFEFF'));
    assert.deepEqual(getEncoding('o200k_base').encode('\uFEFFHello'), referenceEncode('o200k_base', '\uFEFFHello'));
  });

  it('treats U+0085 (NEXT LINE) as whitespace, as tiktoken does', () => {
    assert.equal(referenceCount('o200k_base', ' \u0085a'), 4);
    assert.equal(getEncoding('o200k_base').count(' \u0085a'), 4);
  });

  it('agrees with tiktoken on 2,000 random strings full of U+FEFF, U+0085 and other odd characters', () => {
    const alphabet = ['\uFEFF', '\u0085', ' ', '\n', '\r\n', '\t', '\u00a0', '\u3000', 'a', 'Z', 'é', '中', '文', '😀', '1', '23', '.', '/', "'s", '<|endoftext|>', '\u200b', '\u2028'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const len = 1 + Math.floor(next() * 12);
      for (let k = 0; k < len; k++) text += alphabet[Math.floor(next() * alphabet.length)];
      for (const name of ENCODING_NAMES) {
        assert.deepEqual(getEncoding(name).encode(text), referenceEncode(name, text), `${name}: ${JSON.stringify(text)}`);
      }
    }
  });
});

describe('encodings: r50k_base is built from p50k_base\'s table', () => {
  it('relies on r50k_base\'s ranks being the first 50,256 of p50k_base\'s', () => {
    const p50k = require('gpt-tokenizer/bpeRanks/p50k_base').default as unknown[];
    const r50k = require('gpt-tokenizer/bpeRanks/r50k_base').default as unknown[];
    assert.equal(r50k.length, 50256);
    assert.deepEqual(p50k.slice(0, 50256), r50k);
  });
});
