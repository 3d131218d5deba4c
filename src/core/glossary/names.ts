/**
 * How a name is matched. Each name becomes one or more patterns: the name itself and its
 * variants (English plurals, "fine-tuning" → "finetuning", "KV 缓存" ↔ "KV缓存"). A pattern is
 * a string with separators collapsed to single spaces and a per-character flag saying whether
 * that character must match in case:
 *   - abbreviations (`abbr`) match case-sensitively throughout (`CoT`, not `cot` in `cotton`);
 *   - in other names, a word with a capital after its first letter (`ReAct`, `LLaMA`, `AI` in
 *     `Generative AI`, `FLOPs`) is matched case-sensitively, so `ReAct` does not match the
 *     JavaScript library `React` and `ZeRO` does not match `zero`; every other word is
 *     case-insensitive (`Fine tuning`, `LARGE LANGUAGE MODEL`).
 */
import { isCjkCode, isLetterCode, isSepCode, isUpperCode, isWordCode, widthFoldCode } from './text';

export type NameKind = 'en' | 'zh' | 'abbr';

export interface NamePattern {
  /** Width-folded, separators as single spaces, case kept. */
  text: string;
  /** '1' where the character must match in case, '0' elsewhere; '' when no character must. */
  mask: string;
  /** The name as written in the glossary. */
  name: string;
}

interface Unit { c: number; exact: boolean; /** a separator that was one hyphen between two letters */ hyphen?: boolean }

const isUpper = isUpperCode;
const isLatinLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

const isLetter = isLetterCode;
const HYPHENS = new Set([0x2d, 0x2010, 0x2011]);

function normalize(name: string): Unit[] {
  const units: Unit[] = [];
  let sepStart = -1;
  for (let i = 0; i < name.length; i++) {
    const c = widthFoldCode(name.charCodeAt(i));
    if (isSepCode(c) || c === 0x5f /* _ */) {
      if (sepStart < 0) sepStart = i;
      continue;
    }
    if (sepStart >= 0 && units.length > 0) {
      const hyphen = i - sepStart === 1 && HYPHENS.has(name.charCodeAt(sepStart)) && isLetter(units[units.length - 1]!.c) && isLetter(c);
      units.push({ c: 0x20, exact: false, hyphen });
    }
    sepStart = -1;
    units.push({ c, exact: false });
  }
  return units;
}

/** Marks the case-sensitive characters (see the module comment). */
function markCase(units: Unit[], kind: NameKind): void {
  if (kind === 'abbr') {
    for (const u of units) u.exact = true;
    return;
  }
  let i = 0;
  while (i < units.length) {
    if (!isWordCode(units[i]!.c)) { i++; continue; }
    let j = i;
    let mixed = false;
    while (j < units.length && isWordCode(units[j]!.c)) {
      if (j > i && isUpper(units[j]!.c) && isLetter(units[j - 1]!.c)) mixed = true;
      j++;
    }
    if (mixed) for (let k = i; k < j; k++) units[k]!.exact = true;
    i = j;
  }
}

const lowerUnits = (s: string): Unit[] => [...s].map((ch) => ({ c: ch.charCodeAt(0), exact: false }));

/** English plural / singular forms of the last word. */
function numberVariants(units: Unit[], kind: NameKind): Unit[][] {
  const n = units.length;
  if (n < 2 || kind === 'zh') return [];
  const last = units[n - 1]!;
  if (!isLatinLetter(last.c)) return [];
  // The last word.
  let s = n - 1;
  while (s > 0 && isLatinLetter(units[s - 1]!.c)) s--;
  const word = String.fromCharCode(...units.slice(s).map((u) => u.c));
  if (kind === 'abbr' || last.exact) {
    // LLM → LLMs, LoRA → LoRAs; not for lower-case endings (FLOPs).
    return isUpper(last.c) ? [[...units, { c: 0x73, exact: true }]] : [];
  }
  const lw = word.toLowerCase();
  if (lw.length < 3) return [];
  const head = units.slice(0, s);
  const out: Unit[][] = [];
  const add = (w: string) => out.push([...head, ...keepCase(units.slice(s), w)]);
  if (/ies$/.test(lw)) add(lw.slice(0, -3) + 'y'); // abilities → ability
  else if (/[^suia]s$/.test(lw) && lw.length > 3) add(lw.slice(0, -1)); // parameters → parameter
  else if (/[^aeiou]y$/.test(lw)) add(lw.slice(0, -1) + 'ies'); // vocabulary → vocabularies
  else if (/(s|x|z|ch|sh)$/.test(lw)) add(lw + 'es'); // bias → biases
  else add(lw + 's');
  return out;
}

/** Replaces a word's letters, keeping the original units' case flags where they line up. */
function keepCase(orig: Unit[], w: string): Unit[] {
  return lowerUnits(w).map((u, i) => ({ c: i < orig.length && String.fromCharCode(orig[i]!.c).toLowerCase() === w[i] ? orig[i]!.c : u.c, exact: false }));
}

/** "fine-tuning" → "finetuning" (only where the name had a hyphen between two letters). */
function joinedVariant(units: Unit[]): Unit[] | undefined {
  const joined = units.filter((u) => !u.hyphen);
  return joined.length === units.length ? undefined : joined;
}

/** "KV 缓存" ↔ "KV缓存", "生成式AI" ↔ "生成式 AI". */
function cjkSpacingVariants(units: Unit[]): Unit[][] {
  let hasGap = false;
  let hasTouch = false;
  for (let i = 1; i < units.length; i++) {
    const a = units[i - 1]!.c;
    const b = units[i]!.c;
    if ((isCjkCode(a) && isWordCode(b)) || (isWordCode(a) && isCjkCode(b))) hasTouch = true;
    if (b === 0x20 && i + 1 < units.length) {
      const c = units[i + 1]!.c;
      if ((isCjkCode(a) && isWordCode(c)) || (isWordCode(a) && isCjkCode(c))) hasGap = true;
    }
  }
  const out: Unit[][] = [];
  if (hasGap) {
    out.push(units.filter((u, i) => !(u.c === 0x20 && i > 0 && i + 1 < units.length
      && ((isCjkCode(units[i - 1]!.c) && isWordCode(units[i + 1]!.c)) || (isWordCode(units[i - 1]!.c) && isCjkCode(units[i + 1]!.c))))));
  }
  if (hasTouch) {
    const spaced: Unit[] = [];
    units.forEach((u, i) => {
      const prev = units[i - 1];
      if (prev && ((isCjkCode(prev.c) && isWordCode(u.c)) || (isWordCode(prev.c) && isCjkCode(u.c)))) spaced.push({ c: 0x20, exact: false });
      spaced.push(u);
    });
    out.push(spaced);
  }
  return out;
}

function toPattern(units: Unit[], name: string): NamePattern {
  let text = '';
  let mask = '';
  let cased = false;
  for (const u of units) {
    text += String.fromCharCode(u.c);
    mask += u.exact ? '1' : '0';
    if (u.exact) cased = true;
  }
  return { text, mask: cased ? mask : '', name };
}

/** Whether character k of the pattern must match in case. */
export function isExactAt(p: NamePattern, k: number): boolean {
  return p.mask.charCodeAt(k) === 0x31;
}

/** The patterns a name is found by (the name first, then its variants), without duplicates. */
export function namePatterns(name: string, kind: NameKind): NamePattern[] {
  const base = normalize(name);
  if (base.length === 0) return [];
  markCase(base, kind);
  const forms: Unit[][] = [base];
  const joined = joinedVariant(base);
  if (joined) forms.push(joined);
  for (const f of [...forms]) forms.push(...numberVariants(f, kind));
  for (const f of [...forms]) forms.push(...cjkSpacingVariants(f));
  const seen = new Set<string>();
  const out: NamePattern[] = [];
  for (const f of forms) {
    const p = toPattern(f, name);
    const key = `${p.text}\u0000${p.mask}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Whether some text would be matched by both patterns (same length, each character compatible). */
export function patternsOverlap(a: NamePattern, b: NamePattern): boolean {
  if (a.text.length !== b.text.length) return false;
  for (let i = 0; i < a.text.length; i++) {
    const x = a.text[i]!;
    const y = b.text[i]!;
    const ax = isExactAt(a, i);
    const bx = isExactAt(b, i);
    if (ax && bx) {
      if (x !== y) return false;
    } else if (ax || bx) {
      const fixed = ax ? x : y;
      const free = ax ? y : x;
      if (free.toLowerCase() !== fixed.toLowerCase()) return false;
    } else if (x.toLowerCase() !== y.toLowerCase()) return false;
  }
  return true;
}
