/**
 * OpenAI BPE encodings, loaded lazily.
 *
 * Each encoding is a large table (o200k_base bundles to ~2.8 MB), so nothing here is loaded at
 * activation: `getEncoding` requires the module on first use. In the packaged extension, esbuild
 * turns the `../encodings/*` requests below into separate files in `dist/encodings/` (see
 * esbuild.mjs), so the main bundle stays small.
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
  default?: { bytePairEncodingCoreProcessor?: BpeCore };
}

/** The parts of gpt-tokenizer 4.0.0's (internal) BytePairEncodingCore that the fixes below touch. */
interface BpeCore {
  tokenSplitRegex?: RegExp;
  getBpeRankFromBytes?: (key: Uint8Array) => number | undefined;
  getBpeRankFromString?: (key: string) => number | undefined;
  binarySearch?: (key: Uint8Array) => number;
  bytePairNonUtfSortedEncoder?: Array<[Uint8Array, number]>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Makes gpt-tokenizer agree with OpenAI's tiktoken on two inputs where 4.0.0 differs:
 *
 * 1. Whitespace. tiktoken's pre-tokenizer is a Rust regex, where `\s` is Unicode White_Space: it
 *    includes U+0085 (NEXT LINE) and excludes U+FEFF (BYTE ORDER MARK). JavaScript's `\s` is the
 *    other way round, so `" \u0085a"` split into 3 pieces instead of 4. We give the library the
 *    same pattern with `\p{White_Space}`, which means in JavaScript what `\s` means in Rust.
 * 2. U+FEFF's bytes (EF BB BF). The library looks a byte sequence up by decoding it to a string,
 *    and its decoder drops a leading byte-order mark, so `"\uFEFF"` found no token (2 tokens
 *    instead of 1) and a sequence starting with it could even find the token of what follows. We
 *    look such sequences up with the mark kept, or by their bytes.
 *
 * Both patch one encoder instance, are checked on load (a library that does not have these
 * internals is left as it is and reported), and are pinned by tests against tiktoken.
 */
export function applyReferenceFixes(core: BpeCore | undefined): string[] {
  const problems: string[] = [];
  if (!core || !(core.tokenSplitRegex instanceof RegExp)) return ['gpt-tokenizer internals not found; U+0085/U+FEFF counts may differ from tiktoken'];
  const source = core.tokenSplitRegex.source;
  core.tokenSplitRegex = new RegExp(source.replace(/\\s/g, '\\p{White_Space}').replace(/\\S/g, '\\P{White_Space}'), core.tokenSplitRegex.flags);
  const byString = core.getBpeRankFromString?.bind(core);
  const original = core.getBpeRankFromBytes?.bind(core);
  const search = core.binarySearch?.bind(core);
  const sorted = core.bytePairNonUtfSortedEncoder;
  if (!byString || !original || !search || !sorted) {
    problems.push('gpt-tokenizer byte lookup not found; U+FEFF counts may differ from tiktoken');
    return problems;
  }
  core.getBpeRankFromBytes = (key) => {
    if (key[0] !== 0xef || key[1] !== 0xbb || key[2] !== 0xbf) return original(key);
    let asString: string | undefined;
    try {
      asString = utf8.decode(key);
    } catch {
      asString = undefined;
    }
    const rank = asString === undefined ? undefined : byString(asString);
    if (rank !== undefined) return rank;
    const index = search(key);
    return index >= 0 ? sorted[index]?.[1] : undefined;
  };
  return problems;
}

let bundledLoader: ((name: EncodingName) => unknown) | undefined;

/** Lets the extension load the encodings from its compressed bundles (see services/encodingFiles.ts). */
export function setEncodingLoader(loader: (name: EncodingName) => unknown): void {
  bundledLoader = loader;
}

function requireEncoding(name: EncodingName): GptTokenizerModule {
  const bundled = bundledLoader?.(name) as GptTokenizerModule | undefined;
  if (bundled) return bundled;
  // Literal requests, so that the bundler can map each one to its own lazily loaded file.
  switch (name) {
    case 'o200k_base':
      return require('../encodings/o200k_base') as GptTokenizerModule;
    case 'cl100k_base':
      return require('../encodings/cl100k_base') as GptTokenizerModule;
    case 'p50k_base':
      return require('../encodings/p50k_base') as GptTokenizerModule;
    case 'r50k_base':
      return require('../encodings/r50k_base') as GptTokenizerModule;
  }
}

/** Typed text is counted as text: a user who writes `<|endoftext|>` in a prompt sends those characters. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const loaded = new Map<EncodingName, Encoding>();
const modules = new Map<EncodingName, GptTokenizerModule>();

/** Reasons a reference fix could not be applied (for the log); empty when all applied. */
export const fixProblems: string[] = [];

export function isEncodingLoaded(name: EncodingName): boolean {
  return loaded.has(name);
}

export function getEncoding(name: EncodingName): Encoding {
  let encoding = loaded.get(name);
  if (!encoding) {
    const mod = requireEncoding(name);
    fixProblems.push(...applyReferenceFixes(mod.default?.bytePairEncodingCoreProcessor));
    modules.set(name, mod);
    encoding = {
      name,
      count: (text) => (text.length === 0 ? 0 : mod.countTokens(text, PLAIN_TEXT)),
      encode: (text) => mod.encode(text, PLAIN_TEXT),
    };
    loaded.set(name, encoding);
  }
  return encoding;
}

const utf8Encoder = new TextEncoder();

/**
 * The bytes of one token of `name` (loading the encoding if needed), for showing where tokens
 * begin and end (src/core/preview/tokens.ts); undefined for an id the encoding does not have.
 */
export function tokenBytes(name: EncodingName, id: number): Uint8Array | undefined {
  getEncoding(name);
  const core = modules.get(name)?.default?.bytePairEncodingCoreProcessor as { bytePairRankDecoder?: Array<string | number[] | Uint8Array | undefined> } | undefined;
  const entry = core?.bytePairRankDecoder?.[id];
  if (entry === undefined) return undefined;
  return typeof entry === 'string' ? utf8Encoder.encode(entry) : Uint8Array.from(entry);
}
