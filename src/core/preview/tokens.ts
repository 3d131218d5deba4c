/**
 * Cuts a text into its tokens for the preview's token view: from the token ids an encoder gave
 * for the text and the bytes of each token, where each token starts and ends in the text
 * (UTF-16 offsets, as JavaScript strings and the DOM count).
 *
 * Tokens are made of UTF-8 bytes, so a token may end inside a character: `🦩` is three tokens in
 * o200k_base (`f0 9f`, `a6`, `a9`). A character belongs to the token that holds its first byte;
 * the tokens that hold only its later bytes get no text and are marked `partial` (as is the
 * token that starts it), so that every token is shown, with its id, and no text is shown twice.
 * Pure: no `vscode`.
 */

export interface TokenPiece {
  id: number;
  /** The text the token covers ('' for a token made only of the later bytes of a character). */
  text: string;
  /** UTF-16 offsets in the text. */
  start: number;
  end: number;
  /** The token starts or ends inside a character. */
  partial: boolean;
}

/** Token boundaries in a compact form (what the webview receives). */
export interface TokenSegments {
  ids: number[];
  /** UTF-16 length of each token's text (0 for a continuation of a split character). */
  lens: number[];
  /** Indices of the tokens that start or end inside a character. */
  partial: number[];
}

export class SegmentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegmentationError';
  }
}

/** UTF-8 bytes of the character at `i` (a lone surrogate is encoded as U+FFFD, 3 bytes, as TextEncoder does), and its UTF-16 length. */
function charAt(text: string, i: number): [bytes: number, units: number] {
  const c = text.charCodeAt(i);
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [4, 2];
  }
  return [3, 1];
}

/** UTF-8 length of a text (TextEncoder's, lone surrogates as U+FFFD). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length;) {
    const [bytes, units] = charAt(text, i);
    n += bytes;
    i += units;
  }
  return n;
}

/**
 * Segments `text` step by step: each call of the returned function handles up to `budget`
 * tokens and returns true when all are done (so that a caller can give the thread back between
 * calls). `byteLength(id)` is the number of bytes of the token `id`. Throws a SegmentationError
 * when the tokens do not add up to the text (they were not made from it).
 */
export function segmenter(text: string, ids: readonly number[], byteLength: (id: number) => number | undefined): { step(budget: number): boolean; result(): TokenSegments } {
  const lens = new Array<number>(ids.length);
  const partial: number[] = [];
  let k = 0;
  /** UTF-16 offset up to which characters have been given to a token. */
  let pos = 0;
  /** Byte offset of `pos` (always at a character boundary). */
  let assigned = 0;
  /** Byte offset where token k starts. */
  let tokenStart = 0;
  return {
    step(budget) {
      const stop = Math.min(ids.length, k + Math.max(1, budget));
      for (; k < stop; k++) {
        const id = ids[k]!;
        const bytes = byteLength(id);
        if (bytes === undefined || bytes <= 0) throw new SegmentationError(`token ${id} (number ${k + 1}) is not in the encoding`);
        const tokenEnd = tokenStart + bytes;
        const startsInside = assigned > tokenStart;
        const from = pos;
        // Every character whose first byte lies in this token.
        while (assigned < tokenEnd) {
          if (pos >= text.length) throw new SegmentationError(`the tokens are longer than the text (token ${k + 1} of ${ids.length})`);
          const [b, u] = charAt(text, pos);
          assigned += b;
          pos += u;
        }
        lens[k] = pos - from;
        if (startsInside || assigned > tokenEnd) partial.push(k);
        tokenStart = tokenEnd;
      }
      if (k < ids.length) return false;
      if (pos !== text.length || assigned !== tokenStart) throw new SegmentationError(`the tokens cover ${tokenStart} bytes, the text has more (${utf8Length(text)})`);
      return true;
    },
    result() {
      if (k < ids.length) throw new SegmentationError('segmentation is not finished');
      return { ids: [...ids], lens, partial };
    },
  };
}

/** Segments the whole text at once. */
export function segmentTokens(text: string, ids: readonly number[], byteLength: (id: number) => number | undefined): TokenSegments {
  const s = segmenter(text, ids, byteLength);
  s.step(Number.MAX_SAFE_INTEGER);
  return s.result();
}

/** The segments as one piece per token: id, text, start and end. */
export function toPieces(text: string, seg: TokenSegments): TokenPiece[] {
  const partial = new Set(seg.partial);
  const out: TokenPiece[] = [];
  let start = 0;
  for (let k = 0; k < seg.ids.length; k++) {
    const end = start + seg.lens[k]!;
    out.push({ id: seg.ids[k]!, text: text.slice(start, end), start, end, partial: partial.has(k) });
    start = end;
  }
  return out;
}

/** Hex of a token's bytes, e.g. `f0 9f` (shown for tokens that split a character). */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Byte lengths of token ids, remembered per encoding (ids repeat a lot in a prompt). */
export function byteLengthCache(bytesOf: (id: number) => Uint8Array | undefined): (id: number) => number | undefined {
  const cache = new Map<number, number>();
  return (id) => {
    let n = cache.get(id);
    if (n === undefined) {
      const b = bytesOf(id);
      if (b === undefined) return undefined;
      n = b.length;
      cache.set(id, n);
    }
    return n;
  };
}
