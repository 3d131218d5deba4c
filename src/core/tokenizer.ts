/** What a model counts with: an exact BPE encoding (loaded lazily) or a labelled estimate. */
import type { ChunkOptions, CountFn } from './chunks';
import { estimateTokens } from './cost';
import { getEncoding, isEncodingLoaded, loadEncoding } from './encodings';
import type { Model } from './models';

export interface Tokenizer {
  /** Identifies the counting rule: models that share it share their counts. */
  readonly key: string;
  readonly exact: boolean;
  /** Encoding name, or "estimate". */
  readonly label: string;
  readonly count: CountFn;
  readonly chunkOptions: ChunkOptions;
  /** False until what `count` needs is loaded; `prepare` loads it without holding the thread. */
  ready(): boolean;
  prepare(): Promise<void>;
}

const CHUNK_TARGET = 512;
/**
 * Longest chunk: BPE time grows with the square of a piece's length, and a run of letters with no
 * break (`xxxx…`, a line of CJK without punctuation) is one piece; 2,048 characters keep one such
 * chunk to ~10–30 ms. Text with a safe boundary every so often never gets near it.
 */
const HARD_MAX = 2048;

export function tokenizerFor(model: Model): Tokenizer {
  const spec = model.tokenizer;
  if (spec.kind === 'bpe') {
    const name = spec.encoding;
    const crlf = name === 'o200k_base' || name === 'cl100k_base';
    return {
      key: name,
      exact: true,
      label: name,
      count: (text) => getEncoding(name).count(text),
      chunkOptions: { target: CHUNK_TARGET, hardMax: HARD_MAX, crlf },
      ready: () => isEncodingLoaded(name),
      prepare: async () => {
        await loadEncoding(name);
      },
    };
  }
  const { charsPerToken, cjkCharsPerToken } = spec;
  return {
    key: `estimate:${charsPerToken}:${cjkCharsPerToken ?? ''}`,
    exact: false,
    label: 'estimate',
    count: (text) => estimateTokens(text, charsPerToken, cjkCharsPerToken),
    // An estimate is a sum per character: any split is exact for it.
    chunkOptions: { target: 16384, hardMax: 16384, crlf: true },
    ready: () => true,
    prepare: () => Promise.resolve(),
  };
}

/** A tokenizer that counts elsewhere (a worker thread): exact, but asynchronous. */
export interface AsyncTokenizer {
  readonly key: string;
  readonly exact: true;
  /** What the UI names it by, e.g. `tokenizer.json`. */
  readonly label: string;
  /** The tokenizer file, as resolved on disk. */
  readonly file: string;
  /** True while the file is being loaded. */
  readonly loading: boolean;
  countAsync(text: string): Promise<number>;
}

export type AnyTokenizer = Tokenizer | AsyncTokenizer;

export function isAsync(t: AnyTokenizer): t is AsyncTokenizer {
  return 'countAsync' in t;
}
