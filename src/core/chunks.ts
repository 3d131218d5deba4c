/**
 * Exact counting of large and changing texts by chunks.
 *
 * BPE tokenizers first cut text into "pieces" with a regular expression and then encode each piece
 * on its own, so a text's count is the sum of the counts of any split made only at piece
 * boundaries that the cut itself cannot move. A plain split at every newline is NOT such a split
 * (`"\n\n"` is one piece, two when split), so chunks end only at positions proven safe for every
 * supported encoding:
 *
 *  A. after a `\n` that follows a non-whitespace character, before a letter (`…x\nWord`);
 *     with `crlf`, also after `\r\n` that follows a non-whitespace character (o200k/cl100k only:
 *     the older encodings' `\s+(?!\S)` splits `\r\n` differently at the end of a text);
 *  B. before a space that sits between two letters (`word| word`): the space always joins the
 *     following word, and the previous word cannot reach past it;
 *  C. between a letter and a digit, either way round (`a|1`, `1|a`);
 *  D. between a letter and a punctuation mark or symbol (`中文|，`, `word|.`): the letters' piece
 *     ends there and the mark starts the next one (not before an apostrophe, which can join the
 *     word as in `it's`, nor before a combining mark). Chinese sentences end every few dozen
 *     characters, so long paragraphs without newlines still split.
 *
 * When a stretch of text has none of these (a binary file, a minified line of punctuation) it is
 * cut at `hardMax` characters and the result is marked inexact rather than left to block.
 */

export type CountFn = (text: string) => number;

export interface ChunkOptions {
  /** Aim for chunks of about this many UTF-16 units. */
  target: number;
  /** Never let a chunk grow beyond this; a forced cut makes the count inexact. */
  hardMax: number;
  /** Whether a chunk may end after `\r\n` (true for o200k_base and cl100k_base). */
  crlf: boolean;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { target: 512, hardMax: 2048, crlf: true };

const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
/** Whitespace in either JavaScript's or Rust's sense (the reference tokenizer is written in Rust). */
const SPACE = /[\s\u0085]/u;
const MARK = /\p{M}/u;

/** A letter (Unicode L) starts at `i`; false inside a surrogate pair. Also used by src/core/hfChunks.ts. */
export function isLetterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (c >= 0xdc00 && c <= 0xdfff) return false; // never split inside a surrogate pair
  return LETTER.test(String.fromCodePoint(text.codePointAt(i) ?? c));
}

/** Letter that ends at i (so a surrogate pair ending at i counts as the letter it encodes). */
function isLetterBefore(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xdc00 && c <= 0xdfff) return false;
  return isLetterAt(text, i);
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return DIGIT.test(text[i] ?? '');
}

function isSpaceAt(text: string, i: number): boolean {
  return SPACE.test(text[i] ?? '');
}

/** Whether a chunk may end just before index `p` of `text` (see the rules above). */
export function isSafeBoundary(text: string, p: number, crlf: boolean): boolean {
  if (p < 2 || p >= text.length) return false;
  const before = text.charCodeAt(p - 1);
  if (before === 0x0a) {
    if (!isLetterAt(text, p)) return false;
    const prev = text.charCodeAt(p - 2);
    if (prev === 0x0d) return crlf && p >= 3 && !isSpaceAt(text, p - 3);
    return !isSpaceAt(text, p - 2);
  }
  const at = text.charCodeAt(p);
  if (at === 0x20) return p + 1 < text.length && isLetterBefore(text, p - 1) && isLetterAt(text, p + 1);
  if (isLetterAt(text, p)) return isDigitAt(text, p - 1);
  if (isDigitAt(text, p)) return isLetterBefore(text, p - 1);
  return isPunctuationAt(text, p) && isLetterBefore(text, p - 1);
}

/** Not a letter, digit, whitespace, apostrophe or combining mark (and not the second half of a pair). */
function isPunctuationAt(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  if (c === 0x27 || (c >= 0xdc00 && c <= 0xdfff)) return false;
  if (c < 0x80) return c > 0x20 && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
  const ch = String.fromCodePoint(text.codePointAt(p) ?? c);
  return !LETTER.test(ch) && !DIGIT.test(ch) && !SPACE.test(ch) && !MARK.test(ch);
}

export interface Split {
  /** Chunk lengths, summing to the text's length. */
  lengths: number[];
  /** How many chunks were cut at hardMax, not at a safe boundary. */
  forcedCuts: number;
}

/** Splits `text[from, to)` into chunks, ending each at the first safe boundary past `target`. */
export function splitText(text: string, options: ChunkOptions, from = 0, to = text.length): Split {
  const lengths: number[] = [];
  let forcedCuts = 0;
  let start = from;
  while (to - start > options.target) {
    let cut = -1;
    const limit = Math.min(to, start + options.hardMax);
    for (let p = start + options.target; p < limit; p++) {
      if (isSafeBoundary(text, p, options.crlf)) {
        cut = p;
        break;
      }
    }
    if (cut < 0) {
      if (limit >= to) break; // the rest fits in one chunk
      cut = limit;
      // Do not leave half a surrogate pair on either side.
      if (text.charCodeAt(cut) >= 0xdc00 && text.charCodeAt(cut) <= 0xdfff) cut--;
      forcedCuts++;
    }
    lengths.push(cut - start);
    start = cut;
  }
  if (to > start || lengths.length === 0) lengths.push(to - start);
  return { lengths, forcedCuts };
}

/** Longest stretch of work between two pauses, in milliseconds. */
export const SLICE_MS = 5;

/**
 * A first count's first slice may run longer (still under the 16 ms a task may take), so that
 * more of a document of a few hundred KB (13–19 ms to count here) is done before other work on
 * the new document comes in. In slices of 5 ms, the first parse of a markdown document by
 * VS Code's markdown extension (90–290 ms on this thread, 20–40 ms after its editor opens) often
 * came between them and delayed the count.
 */
export const FIRST_SLICE_MS = 12;

/**
 * Texts longer than this get no longer first slice: they take far more than one slice anyway
 * (10 MB about 1 s), and 12 ms leaves less room than 5 ms under 16 ms for a pause of the runtime
 * or of the machine inside the slice (the benchmark saw 16–17 ms tasks counting 10 MB with it).
 */
export const FIRST_SLICE_MAX_CHARS = 1_000_000;

/** The first slice's time for a text of `length` characters. */
export function firstSliceMsFor(length: number): number {
  return length <= FIRST_SLICE_MAX_CHARS ? FIRST_SLICE_MS : SLICE_MS;
}

/** Lets a long computation give the thread back; resolves when it may go on. */
export type Yielder = () => Promise<void>;

export interface SliceOptions {
  /** Give the thread back after this many milliseconds of work. */
  sliceMs: number;
  /** The first slice's time, when it differs (a short text can then be done in one task). */
  firstSliceMs?: number;
  pause: Yielder;
  /** Checked after each pause; true abandons the work (the result is then undefined). */
  cancelled?: () => boolean;
  now?: () => number;
}

/**
 * Per-chunk counts of one text, kept exact across edits by recounting only the chunks an edit
 * touches (and their neighbours, whose boundaries the edit may have changed).
 */
export class ChunkedCount {
  private lengths: number[] = [];
  private counts: number[] = [];
  private forced: boolean[] = [];
  private sum = 0;
  private forcedCuts = 0;

  private constructor(
    private readonly countFn: CountFn,
    private readonly options: ChunkOptions,
  ) {}

  get total(): number {
    return this.sum;
  }

  get length(): number {
    let n = 0;
    for (const l of this.lengths) n += l;
    return n;
  }

  /** False when some chunk had to be cut away from a safe boundary. */
  get exact(): boolean {
    return this.forcedCuts === 0;
  }

  get chunkCount(): number {
    return this.lengths.length;
  }

  /** Counts `text` at once. */
  static of(text: string, countFn: CountFn, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): ChunkedCount {
    const result = new ChunkedCount(countFn, options);
    const split = splitText(text, options);
    result.load(text, split, 0, split.lengths.length, 0);
    return result;
  }

  /**
   * Counts `text` in slices of at most about `slice.sliceMs` (the first `slice.firstSliceMs`),
   * pausing between them. One clock per slice: splitting and counting share it.
   */
  static async sliced(
    text: string,
    countFn: CountFn,
    slice: SliceOptions,
    options: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
  ): Promise<ChunkedCount | undefined> {
    const now = slice.now ?? (() => performance.now());
    const result = new ChunkedCount(countFn, options);
    let started = now();
    let budget = slice.firstSliceMs ?? slice.sliceMs;
    /** Pauses if this slice has used its time; true when the work was cancelled meanwhile. */
    const pauseIfDue = async (): Promise<boolean> => {
      if (now() - started < budget) return false;
      await slice.pause();
      started = now();
      budget = slice.sliceMs;
      return slice.cancelled?.() ?? false;
    };
    // Splitting scans the text once; do it in slices too, for multi-megabyte documents.
    const lengths: number[] = [];
    let forcedCuts = 0;
    const span = 1 << 16;
    for (let from = 0; from < text.length; ) {
      let to = Math.min(text.length, from + span);
      // Extend the span to the next safe boundary so that the pieces join exactly.
      while (to < text.length && !isSafeBoundary(text, to, options.crlf) && to - from < span + options.hardMax) to++;
      const part = splitText(text, options, from, to);
      lengths.push(...part.lengths);
      forcedCuts += part.forcedCuts;
      if (to < text.length && !isSafeBoundary(text, to, options.crlf)) forcedCuts++;
      from = to;
      if (from < text.length && (await pauseIfDue())) return undefined;
    }
    if (text.length === 0) lengths.push(0);
    let offset = 0;
    for (let index = 0; index < lengths.length; index++) {
      if (index > 0 && (await pauseIfDue())) return undefined;
      const len = lengths[index]!;
      const c = countFn(text.slice(offset, offset + len));
      result.lengths.push(len);
      result.counts.push(c);
      result.forced.push(false);
      result.sum += c;
      offset += len;
    }
    result.forcedCuts = forcedCuts;
    return result;
  }

  private load(text: string, split: Split, at: number, n: number, base: number): void {
    let offset = base;
    for (let k = 0; k < n; k++) {
      const len = split.lengths[k]!;
      const c = this.countFn(text.slice(offset, offset + len));
      this.lengths.splice(at + k, 0, len);
      this.counts.splice(at + k, 0, c);
      this.forced.splice(at + k, 0, false);
      this.sum += c;
      offset += len;
    }
    this.forcedCuts += split.forcedCuts;
  }

  /**
   * Applies one edit: `removed` characters at `offset` were replaced by `inserted` characters.
   * `textOf(start, end)` returns the text after the edit between those offsets.
   * Returns how many characters were recounted.
   */
  applyEdit(offset: number, removed: number, inserted: number, textOf: (start: number, end: number) => string): number {
    const n = this.lengths.length;
    // Chunk starts, and the chunks holding the edit's first and last changed character.
    let first = n - 1;
    let last = n - 1;
    let start = 0;
    const starts = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      starts[k] = start;
      start += this.lengths[k]!;
    }
    const editEnd = offset + removed;
    for (let k = 0; k < n; k++) {
      if (offset < starts[k]! + this.lengths[k]!) {
        first = k;
        break;
      }
    }
    for (let k = first; k < n; k++) {
      if (editEnd <= starts[k]! + this.lengths[k]!) {
        last = k;
        break;
      }
    }
    // Widen to neighbours far enough from the edit that their boundaries still hold.
    while (first > 0 && offset - starts[first]! < 3) first--;
    while (last < n - 1 && starts[last]! + this.lengths[last]! - editEnd < 3) last++;
    const regionStart = starts[first] ?? 0;
    const oldEnd = n === 0 ? 0 : starts[last]! + this.lengths[last]!;
    const newEnd = oldEnd - removed + inserted;
    const text = textOf(regionStart, newEnd);

    for (let k = first; k <= last; k++) {
      this.sum -= this.counts[k]!;
      if (this.forced[k]) this.forcedCuts--;
    }
    const split = splitText(text, this.options);
    const lengths = split.lengths;
    const counts = new Array<number>(lengths.length);
    let o = 0;
    for (let k = 0; k < lengths.length; k++) {
      counts[k] = this.countFn(text.slice(o, o + lengths[k]!));
      this.sum += counts[k]!;
      o += lengths[k]!;
    }
    const forced = lengths.map((_, k) => k < split.forcedCuts);
    this.forcedCuts += split.forcedCuts;
    const removeCount = n === 0 ? 0 : last - first + 1;
    this.lengths.splice(first, removeCount, ...lengths);
    this.counts.splice(first, removeCount, ...counts);
    this.forced.splice(first, removeCount, ...forced);
    return text.length;
  }
}
