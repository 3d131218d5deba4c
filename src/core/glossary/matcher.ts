/**
 * Finds glossary terms in text. Built once per glossary: every pattern of every name (see
 * names.ts) goes into one trie over case- and width-folded characters, stored as a single
 * transition map (node × character → node). Scanning tries each position where a term may
 * start (not inside a Latin word) and walks the trie as far as the text allows, so a line is
 * scanned in time proportional to its length, whatever the size of the glossary. Matches are
 * leftmost-longest: at a position the longest name wins (`Large Language Model` over
 * `Language Model`), then the term with the higher priority (user terms over built-in ones).
 *
 * Word boundaries: a name that starts (ends) with a word character needs a non-word character
 * or the edge of the text before (after) it; Chinese characters are not word characters, so
 * `思维链` is found inside `使用思维链提示` and `CoT` inside `用CoT解题`, but `cot` not in `cotton`.
 * Names are plain text, never regular expressions: `C++` and `top-k & top-p` match literally.
 */
import { isExactAt, type NameKind, type NamePattern, namePatterns } from './names';
import { foldCode, isSepCode, isWordCode, SEP, widthFoldCode } from './text';

export interface MatcherTerm {
  names: ReadonlyArray<{ text: string; kind: NameKind }>;
  /** Higher wins when two terms claim the same text (default 0). */
  priority?: number;
}

export interface TermMatch {
  /** Offsets in the scanned text: [start, end). */
  start: number;
  end: number;
  /** Index of the term in the list the matcher was built from. */
  term: number;
  /** The name (as written in the glossary) that matched. */
  name: string;
}

interface Candidate {
  term: number;
  priority: number;
  pattern: NamePattern;
  /** Whether some character must match in case (checked after the trie walk). */
  cased: boolean;
  /** The pattern ends with a word character (needs a boundary after it). */
  wordEnd: boolean;
}

const isSepLike = (c: number) => isSepCode(c) || c === 0x5f;

export class GlossaryMatcher {
  private readonly next = new Map<number, number>();
  private readonly candidates = new Map<number, Candidate[]>();
  private nodes = 1;
  readonly patternCount: number;

  constructor(terms: ReadonlyArray<MatcherTerm>) {
    let count = 0;
    terms.forEach((term, index) => {
      const priority = term.priority ?? 0;
      for (const n of term.names) {
        for (const pattern of namePatterns(n.text, n.kind)) {
          this.add(pattern, index, priority);
          count++;
        }
      }
    });
    this.patternCount = count;
  }

  get nodeCount(): number {
    return this.nodes;
  }

  private add(pattern: NamePattern, term: number, priority: number): void {
    let node = 0;
    for (let i = 0; i < pattern.text.length; i++) {
      const key = node * 0x10000 + foldCode(pattern.text.charCodeAt(i));
      let to = this.next.get(key);
      if (to === undefined) {
        to = this.nodes++;
        this.next.set(key, to);
      }
      node = to;
    }
    const cand: Candidate = {
      term,
      priority,
      pattern,
      cased: pattern.mask !== '',
      wordEnd: isWordCode(pattern.text.charCodeAt(pattern.text.length - 1)),
    };
    const list = this.candidates.get(node);
    if (!list) {
      this.candidates.set(node, [cand]);
      return;
    }
    if (list.some((c) => c.term === term && c.pattern.text === pattern.text && c.pattern.mask === pattern.mask)) return;
    // Best first: higher priority, then the term listed first.
    let at = list.length;
    while (at > 0 && (list[at - 1]!.priority < priority || (list[at - 1]!.priority === priority && list[at - 1]!.term > term))) at--;
    list.splice(at, 0, cand);
  }

  /** Case check of a candidate against the text it was found at. */
  private caseMatches(c: Candidate, text: string, start: number): boolean {
    const p = c.pattern;
    let t = start;
    for (let k = 0; k < p.text.length; k++) {
      const pc = p.text.charCodeAt(k);
      if (pc === SEP) {
        while (t < text.length && isSepLike(text.charCodeAt(t))) t++;
        continue;
      }
      if (isExactAt(p, k) && widthFoldCode(text.charCodeAt(t)) !== pc) return false;
      t++;
    }
    return true;
  }

  /** The longest match starting at `start` (undefined if none). */
  private longestAt(text: string, start: number, end: number): TermMatch | undefined {
    let node = 0;
    let i = start;
    let best: TermMatch | undefined;
    while (i < end) {
      let c = text.charCodeAt(i);
      let j = i + 1;
      if (isSepLike(c)) {
        c = SEP;
        while (j < end && isSepLike(text.charCodeAt(j))) j++;
      } else {
        c = foldCode(c);
      }
      const to = this.next.get(node * 0x10000 + c);
      if (to === undefined) break;
      node = to;
      i = j;
      const list = this.candidates.get(node);
      if (!list) continue;
      for (const cand of list) {
        if (cand.wordEnd && i < text.length && isWordCode(text.charCodeAt(i))) continue;
        if (cand.cased && !this.caseMatches(cand, text, start)) continue;
        best = { start, end: i, term: cand.term, name: cand.pattern.name };
        break;
      }
    }
    return best;
  }

  private canStart(text: string, i: number): boolean {
    const c = text.charCodeAt(i);
    if (isSepLike(c)) return false;
    // Inside a Latin word no name can start (names starting with a word character need a boundary).
    return !(isWordCode(c) && i > 0 && isWordCode(text.charCodeAt(i - 1)));
  }

  /** Every match in `text` (or in [from, to)), leftmost-longest, not overlapping. */
  findAll(text: string, from = 0, to = text.length): TermMatch[] {
    const out: TermMatch[] = [];
    let i = from;
    while (i < to) {
      const m = this.canStart(text, i) ? this.longestAt(text, i, to) : undefined;
      if (m) {
        out.push(m);
        i = m.end;
      } else {
        i++;
      }
    }
    return out;
  }

  /**
   * The match that covers `offset` (start ≤ offset < end), or, failing that, one that ends at
   * `offset` (the cursor just after a term). Scans the text from its start up to `offset`, so
   * the answer agrees with findAll.
   */
  matchAt(text: string, offset: number): TermMatch | undefined {
    let i = 0;
    let last: TermMatch | undefined;
    while (i <= offset && i < text.length) {
      const m = this.canStart(text, i) ? this.longestAt(text, i, text.length) : undefined;
      if (m) {
        if (offset < m.end) return m;
        last = m;
        i = m.end;
      } else {
        i++;
      }
    }
    return last && last.end === offset ? last : undefined;
  }

  /** The term whose name is exactly `text` (ignoring surrounding spaces), if any. */
  exact(text: string): TermMatch | undefined {
    const t = text.trim();
    if (!t) return undefined;
    const m = this.longestAt(t, 0, t.length);
    return m && m.end === t.length ? m : undefined;
  }
}
