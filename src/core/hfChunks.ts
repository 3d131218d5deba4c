/**
 * Exact counts of changing texts with a Hugging Face tokenizer, without encoding the whole text
 * again after every edit (issue #9: the worker used to spend 40–190 ms of CPU per keystroke on a
 * 100 KB document, and on a 2-core machine that CPU is taken from the extension host's thread).
 *
 * The text is cut at line starts that no step of the tokenizer can reach across, each piece is
 * counted once, and the counts are kept by the piece's text: after an edit only the pieces whose
 * text changed are encoded. The sum is the whole text's count exactly — but only for tokenizers
 * whose every step is known to restart at such a line start. `chunkPolicy` decides that from the
 * tokenizer.json itself and otherwise says why not; those tokenizers count the whole text.
 *
 * Why a line start is safe for the accepted tokenizers (a chunk may start at index p when
 * `text[p-1]` is `\n` and `text[p]` is a letter, `\p{L}`):
 *  - added tokens are matched on the raw text first; none of them contains a line break or strips
 *    the whitespace to its left, so none can cover both p-1 and p;
 *  - the normalizer is none or NFC; NFC joins a character only to a preceding starter it composes
 *    with, and `\n` composes with nothing;
 *  - the pre-tokenizer is a sequence of `Split` (isolated) with one of the regular expressions in
 *    KNOWN_SPLIT_PATTERNS (DeepSeek-V3, Qwen2/2.5/3, Llama 3, Mistral's Tekken), then byte-level
 *    mapping without a prefix space. In each of those, the only alternatives that can take a `\n`
 *    end with it or with `/` (`\s*[\r\n]+`, `[\r\n]*` or `[\r\n/]*` after punctuation), none goes
 *    on from a `\n` to a letter, they come before `\s+(?!\S)`, and none looks behind: every piece
 *    ends at p or starts at or after it, and what starts at p does not depend on what comes before;
 *  - the model is BPE without dropout, which encodes each piece on its own.
 *
 * A second rule covers tokenizers in which a line break is an added token of its own (Gemma 3):
 * added tokens are matched on the raw text first, longest first, and the text between two matches
 * (a section) is normalized, pre-tokenized and encoded on its own. When `\n` is such a token
 * (matched on the raw text), no added token has a `\n` followed by anything but `\n` and none
 * takes the whitespace before it, a match always ends at p, so p starts a section in the whole
 * text as in the chunk. Normalizers and pre-tokenizers then work section by section, which is
 * the same in both — except Metaspace, which treats the first section of a text apart; it is not
 * accepted, nor is anything but a Split on a plain string.
 *
 * The property tests (test/unit/hfChunks.test.ts) check the sum against a whole-text count after
 * every one of many random edits, with the real tokenizer files.
 */
import { isLetterAt } from './chunks';

/** The Split patterns (exact strings from the tokenizer.json files) for which the rule above was checked. */
export const KNOWN_SPLIT_PATTERNS: ReadonlySet<string> = new Set([
  // DeepSeek-V3 / R1 (three splits in sequence).
  '\\p{N}{1,3}',
  '[一-龥぀-ゟ゠-ヿ]+',
  "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
  // Qwen2, Qwen2.5, Qwen3.
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  // Llama 3, 3.1, 3.2, 3.3.
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  // Mistral's Tekken (Mistral NeMo). Its punctuation alternative may go on after a line break, but only with `/`, not a letter.
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
]);

export type ChunkPolicy = { readonly byLines: true } | { readonly byLines: false; readonly reason: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The normalizer's first step (within a Sequence too) that `accepts` refuses, in words (`refused`
 * says why); undefined when every step is accepted or there is no normalizer.
 */
function normalizerProblem(n: unknown, accepts: (step: Json) => boolean, refused: string): string | undefined {
  if (n === null || n === undefined) return undefined;
  if (!isObject(n)) return 'its normalizer is not an object';
  if (n.type === 'Sequence' && Array.isArray(n.normalizers)) {
    for (const inner of n.normalizers) {
      const p = normalizerProblem(inner, accepts, refused);
      if (p) return p;
    }
    return undefined;
  }
  return accepts(n) ? undefined : `its normalizer ${String(n.type)} ${refused}`;
}

/** The first rule's normalizers: NFC only (nothing joins a `\n` to what follows it). */
const lineStartNormalizer = (n: Json): boolean => n.type === 'NFC';

/** The second rule's normalizers, which work on each section alone (checked with Gemma 3): NFC, or a Replace of a plain string. */
const sectionNormalizer = (n: Json): boolean =>
  n.type === 'NFC' || (n.type === 'Replace' && isObject(n.pattern) && typeof n.pattern.String === 'string' && typeof n.content === 'string');

function preTokenizerProblem(p: unknown): string | undefined {
  if (!isObject(p)) return 'it has no pre-tokenizer, so pieces may span lines';
  if (p.type !== 'Sequence' || !Array.isArray(p.pretokenizers)) return `its pre-tokenizer ${String(p.type)} is not one whose line starts were checked`;
  const steps = p.pretokenizers as unknown[];
  const last = steps[steps.length - 1];
  if (!isObject(last) || last.type !== 'ByteLevel' || last.use_regex !== false || last.add_prefix_space !== false) {
    return 'its pre-tokenizer does not end with a byte-level step without a regular expression or prefix space';
  }
  for (const step of steps.slice(0, -1)) {
    if (!isObject(step) || step.type !== 'Split') return 'its pre-tokenizer has a step other than Split';
    const pattern = isObject(step.pattern) ? step.pattern.Regex : undefined;
    if (step.behavior !== 'Isolated' || step.invert !== false || typeof pattern !== 'string' || !KNOWN_SPLIT_PATTERNS.has(pattern)) {
      return 'its pre-tokenizer splits with a pattern whose line starts were not checked';
    }
  }
  return undefined;
}

/** Whether the tokenizer described by this tokenizer.json may count a text line by line (see above). */
export function chunkPolicy(json: unknown): ChunkPolicy {
  if (!isObject(json)) return { byLines: false, reason: 'it is not a tokenizer.json object' };
  const model = json.model;
  if (!isObject(model) || model.type !== 'BPE') return { byLines: false, reason: 'its model is not BPE' };
  if (model.dropout !== undefined && model.dropout !== null && model.dropout !== 0) return { byLines: false, reason: 'its BPE has dropout' };
  const added = (Array.isArray(json.added_tokens) ? json.added_tokens : []).filter((t): t is Json & { content: string } => isObject(t) && typeof t.content === 'string');
  for (const t of added) {
    if (t.lstrip === true) return { byLines: false, reason: `its added token ${JSON.stringify(t.content)} takes the whitespace before it` };
  }
  const newlineToken = added.some((t) => t.content === '\n' && t.normalized !== true);
  if (newlineToken) {
    // The second rule: line breaks are tokens of their own.
    const across = added.find((t) => /\n[^\n]/.test(t.content));
    if (across) return { byLines: false, reason: `its added token ${JSON.stringify(across.content)} goes on after a line break` };
    const problem = normalizerProblem(json.normalizer, sectionNormalizer, 'is not one checked to work line by line') ?? sectionPreTokenizerProblem(json.pre_tokenizer);
    return problem ? { byLines: false, reason: problem } : { byLines: true };
  }
  const withBreak = added.find((t) => /[\r\n]/.test(t.content));
  if (withBreak) return { byLines: false, reason: `its added token ${JSON.stringify(withBreak.content)} contains a line break` };
  const problem = normalizerProblem(json.normalizer, lineStartNormalizer, 'may change text across a line start') ?? preTokenizerProblem(json.pre_tokenizer);
  return problem ? { byLines: false, reason: problem } : { byLines: true };
}

/** No pre-tokenizer, or a Split on a plain string (Gemma 3's); Metaspace depends on a section's place in the text. */
function sectionPreTokenizerProblem(p: unknown): string | undefined {
  if (p === null || p === undefined) return undefined;
  if (isObject(p) && p.type === 'Split' && isObject(p.pattern) && typeof p.pattern.String === 'string') return undefined;
  return `its pre-tokenizer ${isObject(p) ? String(p.type) : ''} is not one checked to work line by line`;
}

/**
 * Cuts `text` at safe line starts. Which line starts become cuts depends only on the text around
 * them (a hash of the line before), not on their position, so an edit moves no cut except where
 * it changed the text: the chunks after it keep their text and their cached counts.
 * Returns the chunks' end offsets.
 */
export function lineChunkEnds(text: string, every = 4): number[] {
  const ends: number[] = [];
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl < 0 || nl + 1 >= text.length) break;
    const p = nl + 1;
    from = p;
    if (!isLetterAt(text, p)) continue;
    // Cut at about one safe line start in `every`, chosen by a hash of the 8 characters before the newline.
    let h = 0;
    for (let i = Math.max(0, nl - 8); i < nl; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    if (((h >>> 0) ^ (h >>> 7)) % every !== 0) continue;
    ends.push(p);
  }
  ends.push(text.length);
  return ends;
}

export interface CacheStats {
  /** Chunks in the last text counted, and how many of them had to be encoded. */
  chunks: number;
  encoded: number;
  encodedChars: number;
}

/**
 * Counts texts chunk by chunk, remembering each chunk's count by its text, up to about `maxChars`
 * characters of remembered chunks (the least recently used go first).
 */
export class ChunkCountCache {
  private readonly counts = new Map<string, { tokens: number; used: number }>();
  private chars = 0;
  private generation = 0;
  last: CacheStats = { chunks: 0, encoded: 0, encodedChars: 0 };

  constructor(
    private readonly countFn: (text: string) => number,
    private readonly maxChars = 8_000_000,
  ) {}

  count(text: string): number {
    const generation = ++this.generation;
    const stats: CacheStats = { chunks: 0, encoded: 0, encodedChars: 0 };
    let total = 0;
    let start = 0;
    for (const end of lineChunkEnds(text)) {
      const chunk = text.slice(start, end);
      start = end;
      stats.chunks++;
      const known = this.counts.get(chunk);
      if (known) {
        known.used = generation;
        total += known.tokens;
        continue;
      }
      const tokens = this.countFn(chunk);
      stats.encoded++;
      stats.encodedChars += chunk.length;
      total += tokens;
      // Keep a copy of its own, not a slice that would keep this whole version of the text alive.
      this.counts.set(Buffer.from(chunk, 'utf16le').toString('utf16le'), { tokens, used: generation });
      this.chars += chunk.length;
    }
    this.last = stats;
    if (this.chars > this.maxChars) this.evict(generation);
    return total;
  }

  /** Drops the least recently used chunks (never those of the text just counted) until under budget. */
  private evict(current: number): void {
    const byAge = [...this.counts.entries()].filter(([, v]) => v.used !== current).sort((a, b) => a[1].used - b[1].used);
    for (const [key] of byAge) {
      if (this.chars <= this.maxChars / 2) break;
      this.counts.delete(key);
      this.chars -= key.length;
    }
  }

  get size(): number {
    return this.counts.size;
  }
}
