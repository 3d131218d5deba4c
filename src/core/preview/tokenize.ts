/**
 * The token ids of a rendered prompt, kept up to date as the prompt changes on every keystroke.
 *
 * The text is cut into chunks only where the tokenizer cannot merge across (`isSafeBoundary`,
 * core/chunks.ts — the cut the live count relies on), so the ids of the chunks, one after the
 * other, are exactly the ids of the whole text. Where to cut is decided by the few characters
 * around each position (content-defined, like rsync's rolling hash), not by the distance from
 * the start of the text: after an edit, the chunks before it are kept, the chunks from the edit
 * on are cut and encoded again only until a cut falls where an old one did, and every chunk
 * after that is kept with its ids. The work is done in slices that give the thread back.
 * Pure: no `vscode`.
 */
import { isSafeBoundary, type SliceOptions } from '../chunks';

export interface ChunkRules {
  /** A chunk is at least this long (unless the text ends)… */
  minLen: number;
  /** …ends at a hash-chosen safe boundary, or at any safe boundary once it is this long… */
  target: number;
  /** …and is cut here when there is none (a forced cut, which makes the ids inexact). */
  hardMax: number;
  /** Whether `\r\n` may end a chunk (o200k_base, cl100k_base). */
  crlf: boolean;
}

export const DEFAULT_RULES: ChunkRules = { minLen: 128, target: 1024, hardMax: 2048, crlf: true };
/** About one safe boundary in 16 is chosen by the hash. */
const HASH_MASK = 15;

export interface Tokenized {
  ids: number[];
  /** False when a chunk had to be cut away from a safe boundary (ids near the cut may differ). */
  exact: boolean;
  /** Characters encoded in this call (the rest was kept from the previous text). */
  encodedChars: number;
  chunks: number;
}

interface Chunk {
  start: number;
  end: number;
  ids: number[];
  forced: boolean;
}

/** Where two texts start to differ, and how many characters of each differ after that. */
export function textDiff(before: string, after: string): { offset: number; removed: number; inserted: number } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { offset: start, removed: before.length - start - end, inserted: after.length - start - end };
}

function hashAccepts(text: string, p: number): boolean {
  const h = (Math.imul(text.charCodeAt(p - 2), 0x9e3779b1) ^ Math.imul(text.charCodeAt(p - 1), 0x85ebca6b) ^ Math.imul(text.charCodeAt(p), 0xc2b2ae35)) >>> 0;
  return ((h >>> 7) & HASH_MASK) === 0;
}

/** The end of the chunk that starts at `start`. */
export function nextCut(text: string, start: number, rules: ChunkRules): { end: number; forced: boolean } {
  if (text.length - start <= rules.minLen) return { end: text.length, forced: false };
  const limit = Math.min(text.length, start + rules.hardMax);
  const fallback = start + rules.target;
  for (let p = start + rules.minLen; p < limit; p++) {
    if (p >= fallback ? isSafeBoundary(text, p, rules.crlf) : hashAccepts(text, p) && isSafeBoundary(text, p, rules.crlf)) return { end: p, forced: false };
  }
  if (limit >= text.length) return { end: text.length, forced: false };
  let end = limit;
  // Never leave half a surrogate pair on either side.
  const c = text.charCodeAt(end);
  if (c >= 0xdc00 && c <= 0xdfff) end--;
  return { end, forced: true };
}

export class IncrementalTokens {
  private text: string | undefined;
  private chunks: Chunk[] = [];

  constructor(private readonly encode: (text: string) => number[], private readonly rules: ChunkRules = DEFAULT_RULES) {}

  get chunkCount(): number {
    return this.chunks.length;
  }

  /** Ids of `text`, in slices; undefined when cancelled (the previous text stays the base for the next call). */
  async tokenize(text: string, slice: SliceOptions): Promise<Tokenized | undefined> {
    const now = slice.now ?? (() => performance.now());
    const old = this.chunks;
    const out: Chunk[] = [];
    let pos = 0;
    let encodedChars = 0;
    /** New-text offset of each old chunk's start after the edit → its index. */
    let resync: Map<number, number> | undefined;
    let editEnd = 0;
    let delta = 0;
    if (this.text !== undefined) {
      if (this.text === text) return this.result(old, 0);
      const d = textDiff(this.text, text);
      delta = d.inserted - d.removed;
      editEnd = d.offset + d.inserted;
      // Keep the chunks whose cut the edit cannot have moved (a cut looks at up to 3 characters before it and 1 after).
      let k = 0;
      while (k < old.length && old[k]!.end <= d.offset - 4) k++;
      for (let i = 0; i < k; i++) out.push(old[i]!);
      pos = k > 0 ? old[k - 1]!.end : 0;
      resync = new Map();
      for (let i = k; i < old.length; i++) {
        const c = old[i]!;
        if (c.start >= d.offset + d.removed + 4) resync.set(c.start + delta, i);
      }
    }
    let started = now();
    while (pos < text.length) {
      const again = resync && pos >= editEnd + 4 ? resync.get(pos) : undefined;
      if (again !== undefined) {
        for (let i = again; i < old.length; i++) {
          const c = old[i]!;
          out.push(delta === 0 ? c : { start: c.start + delta, end: c.end + delta, ids: c.ids, forced: c.forced });
        }
        break;
      }
      const cut = nextCut(text, pos, this.rules);
      const ids = this.encode(text.slice(pos, cut.end));
      encodedChars += cut.end - pos;
      out.push({ start: pos, end: cut.end, ids, forced: cut.forced });
      pos = cut.end;
      if (pos < text.length && now() - started >= slice.sliceMs) {
        await slice.pause();
        if (slice.cancelled?.()) return undefined;
        started = now();
      }
    }
    this.text = text;
    this.chunks = out;
    return this.result(out, encodedChars);
  }

  private result(chunks: Chunk[], encodedChars: number): Tokenized {
    const ids: number[] = [];
    let exact = true;
    for (const c of chunks) {
      for (const id of c.ids) ids.push(id);
      if (c.forced) exact = false;
    }
    return { ids, exact, encodedChars, chunks: chunks.length };
  }

  clear(): void {
    this.text = undefined;
    this.chunks = [];
  }
}
