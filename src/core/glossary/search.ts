/**
 * Search for the glossary panel and the Look Up Term quick pick: finds entries by any English
 * or Chinese name, abbreviation or alias, ignoring case, width and hyphen/space differences,
 * and tolerating typos (a bounded edit distance that allows a free start and end, so a
 * misspelt word inside a longer name still counts). The definitions count a little too.
 */
import { entryNames, entryTitle, type GlossaryEntry } from './schema';
import { foldText, isCjkCode } from './text';

export interface SearchHit {
  index: number;
  score: number;
}

interface Doc {
  names: string[];
  compact: string[];
  definitions: string;
  category: string;
  title: string;
}

/** Smallest edit distance (with transpositions) between `q` and any substring of `s`; stops above `max`. */
export function substringDistance(q: string, s: string, max: number): number {
  const m = q.length;
  const n = s.length;
  if (m === 0) return 0;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = new Array<number>(n + 1).fill(0); // row 0: free start
  let cur = new Array<number>(n + 1);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = q.charCodeAt(i - 1) === s.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && q.charCodeAt(i - 1) === s.charCodeAt(j - 2) && q.charCodeAt(i - 2) === s.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  let best = Infinity;
  for (let j = 0; j <= n; j++) best = Math.min(best, prev[j]!);
  return best;
}

function allowedTypos(q: string): number {
  let cjk = 0;
  for (let i = 0; i < q.length; i++) if (isCjkCode(q.charCodeAt(i))) cjk++;
  if (cjk > 0) return q.length >= 3 ? 1 : 0;
  if (q.length < 3) return 0;
  if (q.length <= 4) return 1;
  return q.length <= 8 ? 2 : 3;
}

function nameScore(q: string, qCompact: string, name: string, compact: string, typos: number): number {
  if (name === q) return 100;
  if (name.startsWith(q)) return 90 - Math.min(9, (name.length - q.length) / 4);
  if (name.includes(` ${q}`)) return 80;
  if (name.includes(q)) return 72;
  if (qCompact.length >= 2 && compact.includes(qCompact)) return 68;
  if (typos === 0) return 0;
  // Cheap filter: most of the query's characters must occur in the name.
  let present = 0;
  for (let i = 0; i < q.length; i++) if (name.includes(q[i]!)) present++;
  if (present < q.length - typos) return 0;
  const d = substringDistance(q, name, typos);
  return d <= typos ? 50 - (10 * d) / Math.max(1, typos) - Math.min(5, Math.abs(name.length - q.length) / 8) : 0;
}

export class GlossarySearch {
  private readonly docs: Doc[];

  constructor(private readonly entries: readonly GlossaryEntry[]) {
    this.docs = entries.map((e) => {
      const names = [...new Set([...entryNames(e).map((n) => foldText(n.text)), foldText(e.id.replace(/-/g, ' '))])].filter(Boolean);
      return {
        names,
        compact: names.map((n) => n.replace(/ /g, '')),
        definitions: foldText(`${e.definition.en ?? ''} ${e.definition.zh ?? ''}`),
        category: e.category,
        title: entryTitle(e).toLowerCase(),
      };
    });
  }

  /** Entries matching `query` (all when empty) in `category` (all when undefined), best first. */
  search(query: string, options: { category?: string; limit?: number } = {}): SearchHit[] {
    const q = foldText(query);
    const qCompact = q.replace(/ /g, '');
    const typos = allowedTypos(q);
    const hits: SearchHit[] = [];
    this.docs.forEach((d, index) => {
      if (options.category && d.category !== options.category) return;
      if (!q) {
        hits.push({ index, score: 0 });
        return;
      }
      let score = 0;
      for (let k = 0; k < d.names.length && score < 100; k++) score = Math.max(score, nameScore(q, qCompact, d.names[k]!, d.compact[k]!, typos));
      if (score === 0 && q.length >= 3 && d.definitions.includes(q)) score = 20;
      if (score > 0) hits.push({ index, score });
    });
    hits.sort((a, b) => b.score - a.score || this.docs[a.index]!.title.localeCompare(this.docs[b.index]!.title));
    return options.limit !== undefined ? hits.slice(0, options.limit) : hits;
  }

  entry(hit: SearchHit): GlossaryEntry {
    return this.entries[hit.index]!;
  }
}
