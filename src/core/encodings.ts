/**
 * OpenAI BPE encodings, loaded lazily and without holding the thread.
 *
 * Each encoding is a large table (o200k_base: 200,000 tokens). Nothing is loaded at activation.
 * gpt-tokenizer ships each table as a JavaScript module whose evaluation and lookup-table
 * construction take one ~150 ms task; instead, the extension ships the tables as data
 * (dist/encodings/*.ranks.br, see esbuild.mjs and services/encodingFiles.ts), and `loadEncoding`
 * builds the lookup tables a slice at a time, then hands them to gpt-tokenizer's encoder.
 */
import rankFiles from '../encodings/rankFiles.json';

export const ENCODING_NAMES = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'] as const;
export type EncodingName = (typeof ENCODING_NAMES)[number];

export interface Encoding {
  readonly name: EncodingName;
  /** Number of tokens in `text`, with special-token strings such as `<|endoftext|>` counted as plain text. */
  count(text: string): number;
  encode(text: string): number[];
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

/** One rank table: the token of each rank, in rank order (`null` for an unused rank). */
export type RankFile = 'o200k_base' | 'cl100k_base' | 'p50k_base';

/**
 * Where the rank tables come from, as slices of entries in rank order (each entry a token
 * string, an array of byte values, or null for an unused rank). `sync` serves a count that cannot
 * wait; `load` is used by everything that can, and is built in slices so the thread is never held
 * for long.
 */
export interface RankSource {
  sync(file: RankFile): Iterable<unknown>;
  load(file: RankFile): Promise<Iterable<unknown>>;
}

/** r50k_base's table is the first 50,256 entries of p50k_base's (p50k_base only adds runs of spaces; a unit test checks this). */
const TABLES: Record<EncodingName, { file: RankFile; size?: number }> = {
  o200k_base: { file: 'o200k_base' },
  cl100k_base: { file: 'cl100k_base' },
  p50k_base: { file: 'p50k_base' },
  r50k_base: { file: 'p50k_base', size: 50256 },
};

/** Entries per slice: as many as per line of the shipped rank files, so that both paths pause alike. */
const SLICE = rankFiles.entriesPerLine;

/** In Node (tests, bench): gpt-tokenizer's own rank modules, in slices of `SLICE` entries. */
function* moduleSlices(file: RankFile): Iterable<unknown> {
  const ranks = requireRanks(file);
  for (let i = 0; i < ranks.length; i += SLICE) yield Array.from({ length: Math.min(SLICE, ranks.length - i) }, (_, j) => ranks[i + j] ?? null);
}

function requireRanks(file: RankFile): ReadonlyArray<unknown> {
  // Literal requests: in the extension these are never reached (the .vsix ships the tables as
  // files, see services/encodingFiles.ts); esbuild keeps them out of the bundle (esbuild.mjs).
  switch (file) {
    case 'o200k_base':
      return (require('../encodings/o200k_base') as { ranks: unknown[] }).ranks;
    case 'cl100k_base':
      return (require('../encodings/cl100k_base') as { ranks: unknown[] }).ranks;
    case 'p50k_base':
      return (require('../encodings/p50k_base') as { ranks: unknown[] }).ranks;
  }
}

let source: RankSource = { sync: moduleSlices, load: async (file) => moduleSlices(file) };

/** Lets the extension read the tables from the files it ships (see services/encodingFiles.ts). */
export function setRankSource(s: RankSource): void {
  source = s;
}

interface GptEncodingApi {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  decode(ids: number[]): string;
  vocabularySize: number;
  bytePairEncodingCoreProcessor?: BpeCore & Record<string, unknown>;
}

interface EncoderModule {
  GptEncoding: new (params: object) => GptEncodingApi;
  getEncodingParams(name: string, ranks: () => unknown[]): Record<string, unknown>;
}

function requireEncoder(): EncoderModule {
  // dist/encodings/encoder.js in the extension: loaded with the first table, not at activation.
  return require('../encodings/encoder') as EncoderModule;
}

/** Typed text is counted as text: a user who writes `<|endoftext|>` in a prompt sends those characters. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Token string → rank, split over 64 maps: one Map of 200,000 entries rehashes into a new table of
 * twice its size as it grows, a single ~10 ms step that cannot be sliced; 64 small maps rehash in
 * well under a millisecond each. gpt-tokenizer only calls `get` on it.
 */
class ShardedRanks {
  private readonly shards: Array<Map<string, number>> = Array.from({ length: 64 }, () => new Map());
  private shard(key: string): Map<string, number> {
    return this.shards[(key.length * 31 + (key.charCodeAt(key.length - 1) | 0)) & 63]!;
  }
  get(key: string): number | undefined {
    return this.shard(key).get(key);
  }
  set(key: string, rank: number): void {
    this.shard(key).set(key, rank);
  }
}

interface Table {
  decoder: Array<string | readonly number[]>;
  byString: ShardedRanks;
  nonUtf: Map<number, Uint8Array>;
  binary: Array<[Uint8Array, number]>;
  count: number;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Builds the lookup tables gpt-tokenizer's BytePairEncodingCore builds in its constructor (in one
 * ~70 ms loop for o200k_base), one slice at a time: the generator yields after each slice.
 */
function* buildTable(name: EncodingName, slices: Iterable<unknown>, size: number | undefined): Generator<void, Table> {
  const table: Table = { decoder: [], byString: new ShardedRanks(), nonUtf: new Map(), binary: [], count: 0 };
  const { decoder } = table;
  outer: for (const slice of slices) {
    if (!Array.isArray(slice)) throw new Error(`${name}: the token table is damaged (a slice is not a list); reinstall the extension`);
    for (const entry of slice as unknown[]) {
      if (size !== undefined && decoder.length >= size) break outer;
      const rank = decoder.length;
      if (typeof entry === 'string') {
        decoder.push(entry);
        table.byString.set(entry, rank);
      } else if (entry === null) {
        decoder.length = rank + 1; // an unused rank stays a hole, as in gpt-tokenizer's own table
        continue;
      } else if (Array.isArray(entry) && entry.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
        const bytes = Uint8Array.from(entry as number[]);
        decoder.push(entry as number[]);
        table.nonUtf.set(rank, bytes);
        table.binary.push([bytes, rank]);
      } else {
        throw new Error(`${name}: the token table is damaged at rank ${rank}; reinstall the extension`);
      }
      table.count++;
    }
    yield;
  }
  if (size !== undefined && decoder.length !== size) throw new Error(`${name}: the token table has ${decoder.length} entries, expected ${size}`);
  table.binary.sort((a, b) => compareBytes(a[0], b[0]));
  return table;
}

/** The fields of gpt-tokenizer 4.0.0's BytePairEncodingCore that hold the tables (checked before use). */
const CORE_FIELDS = ['bytePairRankDecoder', 'bytePairStringRankEncoder', 'bytePairNonUtfRankDecoder', 'bytePairNonUtfSortedEncoder', 'mergeableBytePairRankCount'] as const;

type Built = { encoding: Encoding; api: GptEncodingApi };

/**
 * Builds an encoding: the table a slice at a time, then gpt-tokenizer's encoder (created empty, so
 * its constructor does no work) joined to it. Yields between steps that each take a few ms.
 */
function* build(name: EncodingName, slices: Iterable<unknown>): Generator<void, Built> {
  const { size } = TABLES[name];
  const table = yield* buildTable(name, slices, size);
  yield;
  const encoder = requireEncoder();
  yield;
  const built = makeEncoding(name, table, encoder);
  yield;
  // V8 compiles the split regex on its first use (a few ms for o200k_base's): a step of its own…
  const regex = built.api.bytePairEncodingCoreProcessor?.tokenSplitRegex;
  if (regex instanceof RegExp) {
    regex.lastIndex = 0;
    regex.exec('Prompt 提示 🙂');
    regex.lastIndex = 0;
  }
  yield;
  // …then the first encode warms the merge code: another.
  const probe = 'Prompt 提示 🙂';
  if (built.api.decode(built.api.encode(probe, PLAIN_TEXT)) !== probe) throw new Error(`${name}: the token table does not round-trip; reinstall the extension`);
  return built;
}

function makeEncoding(name: EncodingName, table: Table, { GptEncoding, getEncodingParams }: EncoderModule): Built {
  // expectedVocabularySize is checked against the (empty) table the constructor sees; we check the size ourselves.
  const api = new GptEncoding({ ...getEncodingParams(name, () => []), expectedVocabularySize: undefined });
  const core = api.bytePairEncodingCoreProcessor;
  const missing = CORE_FIELDS.filter((f) => !core || !(f in core));
  if (!core || missing.length > 0) throw new Error(`gpt-tokenizer's encoder has changed (${missing.join(', ')} not found): this build of the extension needs gpt-tokenizer 4.0.0`);
  Object.assign(core, {
    bytePairRankDecoder: table.decoder,
    bytePairStringRankEncoder: table.byString,
    bytePairNonUtfRankDecoder: table.nonUtf,
    bytePairNonUtfSortedEncoder: table.binary,
    mergeableBytePairRankCount: table.count,
  });
  (api as { vocabularySize: number }).vocabularySize = table.count + ((core as { specialTokensEncoder?: Map<string, number> }).specialTokensEncoder?.size ?? 0);
  fixProblems.push(...applyReferenceFixes(core));
  return {
    api,
    encoding: {
      name,
      count: (text) => (text.length === 0 ? 0 : api.countTokens(text, PLAIN_TEXT)),
      encode: (text) => api.encode(text, PLAIN_TEXT),
    },
  };
}

const loaded = new Map<EncodingName, Encoding>();
const apis = new Map<EncodingName, GptEncodingApi>();
const loading = new Map<EncodingName, Promise<Encoding>>();

/** Reasons a reference fix could not be applied (for the log); empty when all applied. */
export const fixProblems: string[] = [];

export function isEncodingLoaded(name: EncodingName): boolean {
  return loaded.has(name);
}

function keep(name: EncodingName, built: Built): Encoding {
  const existing = loaded.get(name);
  if (existing) return existing; // built twice (a synchronous count overtook a load): keep the first
  loaded.set(name, built.encoding);
  apis.set(name, built.api);
  return built.encoding;
}

/**
 * The encoding, loaded now if it is not yet (in one go: ~40–100 ms for o200k_base). Code that
 * can wait calls `loadEncoding` first, which loads it without holding the thread.
 */
export function getEncoding(name: EncodingName): Encoding {
  const done = loaded.get(name);
  if (done) return done;
  const steps = build(name, source.sync(TABLES[name].file));
  let step = steps.next();
  while (!step.done) step = steps.next();
  return keep(name, step.value);
}

/** Default pause between slices: lets every other task on the thread run. */
const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Loads an encoding in slices of at most ~`sliceMs` milliseconds, pausing between them; the same
 * promise for concurrent callers.
 */
export function loadEncoding(name: EncodingName, sliceMs = 3, pause: () => Promise<void> = nextTask): Promise<Encoding> {
  const done = loaded.get(name);
  if (done) return Promise.resolve(done);
  let pending = loading.get(name);
  if (!pending) {
    pending = (async () => {
      const steps = build(name, await source.load(TABLES[name].file));
      let started = performance.now();
      let step = steps.next();
      while (!step.done) {
        if (performance.now() - started >= sliceMs) {
          await pause();
          if (loaded.has(name)) return loaded.get(name)!;
          started = performance.now();
        }
        step = steps.next();
      }
      return keep(name, step.value);
    })();
    loading.set(name, pending);
    pending.then(
      () => loading.delete(name),
      () => loading.delete(name),
    );
  }
  return pending;
}

const utf8Encoder = new TextEncoder();

/**
 * The bytes of one token of `name` (loading the encoding if needed), for showing where tokens
 * begin and end (src/core/preview/tokens.ts); undefined for an id the encoding does not have.
 */
export function tokenBytes(name: EncodingName, id: number): Uint8Array | undefined {
  getEncoding(name);
  const core = apis.get(name)?.bytePairEncodingCoreProcessor as { bytePairRankDecoder?: Array<string | number[] | Uint8Array | undefined> } | undefined;
  const entry = core?.bytePairRankDecoder?.[id];
  if (entry === undefined) return undefined;
  return typeof entry === 'string' ? utf8Encoder.encode(entry) : Uint8Array.from(entry);
}
