/**
 * OpenAI BPE encodings, loaded lazily.
 *
 * Each encoding is a large table (o200k_base bundles to ~2.8 MB), so nothing here is loaded at
 * activation: `getEncoding` requires the module on first use. In the packaged extension, esbuild
 * rewrites the `gpt-tokenizer/encoding/*` requests below to separate files in `dist/encodings/`
 * (see esbuild.mjs), so the main bundle stays small.
 */

export const ENCODING_NAMES = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'] as const;
export type EncodingName = (typeof ENCODING_NAMES)[number];

export interface Encoding {
  readonly name: EncodingName;
  /** Number of tokens in `text`, with special-token strings such as `<|endoftext|>` counted as plain text. */
  count(text: string): number;
  encode(text: string): number[];
}

interface GptTokenizerModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
}

function requireEncoding(name: EncodingName): GptTokenizerModule {
  // Literal requests, so that the bundler can map each one to its own lazily loaded file.
  switch (name) {
    case 'o200k_base':
      return require('gpt-tokenizer/encoding/o200k_base') as GptTokenizerModule;
    case 'cl100k_base':
      return require('gpt-tokenizer/encoding/cl100k_base') as GptTokenizerModule;
    case 'p50k_base':
      return require('gpt-tokenizer/encoding/p50k_base') as GptTokenizerModule;
    case 'r50k_base':
      return require('gpt-tokenizer/encoding/r50k_base') as GptTokenizerModule;
  }
}

/** Typed text is counted as text: a user who writes `<|endoftext|>` in a prompt sends those characters. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const loaded = new Map<EncodingName, Encoding>();

export function isEncodingLoaded(name: EncodingName): boolean {
  return loaded.has(name);
}

export function getEncoding(name: EncodingName): Encoding {
  let encoding = loaded.get(name);
  if (!encoding) {
    const mod = requireEncoding(name);
    encoding = {
      name,
      count: (text) => (text.length === 0 ? 0 : mod.countTokens(text, PLAIN_TEXT)),
      encode: (text) => mod.encode(text, PLAIN_TEXT),
    };
    loaded.set(name, encoding);
  }
  return encoding;
}
