/**
 * Character classes shared by the matcher and the search: which characters are word
 * characters (Latin, Greek, Cyrillic… letters and digits — not Chinese, Japanese or Korean,
 * which have no word boundaries), which separate words (spaces, hyphens, underscores), and how
 * characters fold for case- and width-insensitive comparison. One UTF-16 unit at a time, so
 * offsets in folded text are offsets in the original.
 */

export const SEP = 0x20;

const WORD = 1;
const SEPARATOR = 2;
const CJK_CHAR = 3;
const CLASS_MASK = 3;
const LETTER = 4;
const UPPER = 8;
const KNOWN = 128;

/** Per UTF-16 unit: KNOWN | class | LETTER | UPPER, worked out on first sight of the unit. */
const info = new Uint8Array(0x10000);
const lower = new Uint16Array(0x10000);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
const ANY_LETTER = /\p{L}/u;
const SEPARATORS = new Set([0x20, 0x09, 0x2d, 0xa0, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x3000, 0xfe63, 0xff0d, 0x202f, 0x2009]);

function classify(c: number): number {
  // Full-width ASCII (Ａ-ｚ, ０-９) behaves like ASCII.
  const base = c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
  let v = KNOWN;
  let low = c;
  if (c < 0xd800 || c > 0xdfff) {
    const ch = String.fromCharCode(base);
    const l = ch.toLowerCase();
    if (l.length === 1) low = l.charCodeAt(0);
    if (ANY_LETTER.test(ch)) v |= LETTER | (l !== ch ? UPPER : 0);
    if (SEPARATORS.has(c)) v |= SEPARATOR;
    else if (base === 0x5f) v |= WORD;
    else if (CJK.test(ch)) v |= CJK_CHAR;
    else if (LETTER_OR_DIGIT.test(ch)) v |= WORD;
  }
  info[c] = v;
  lower[c] = low;
  return v;
}

const infoOf = (c: number): number => info[c] || classify(c);

/** Word character: counts for word boundaries (underscore too, as in identifiers). */
export function isWordCode(c: number): boolean {
  return (infoOf(c) & CLASS_MASK) === WORD;
}

/** Space, tab, hyphen or dash: any run of them matches one space in a name. */
export function isSepCode(c: number): boolean {
  return (infoOf(c) & CLASS_MASK) === SEPARATOR;
}

/** Lower-cased, full-width folded; separators become SEP. */
export function foldCode(c: number): number {
  const v = infoOf(c);
  return (v & CLASS_MASK) === SEPARATOR ? SEP : lower[c]!;
}

/** Full-width ASCII to ASCII only (case kept). */
export function widthFoldCode(c: number): number {
  return c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
}

/** Chinese, Japanese or Korean character (no word boundaries). */
export function isCjkCode(c: number): boolean {
  return (infoOf(c) & CLASS_MASK) === CJK_CHAR;
}

export function isLetterCode(c: number): boolean {
  return (infoOf(c) & LETTER) !== 0;
}

export function isUpperCode(c: number): boolean {
  return (infoOf(c) & UPPER) !== 0;
}

/** Lower-case, full-width folded, separators collapsed to single spaces and trimmed. */
export function foldText(s: string): string {
  let out = '';
  let pendingSep = false;
  for (let i = 0; i < s.length; i++) {
    const f = foldCode(s.charCodeAt(i));
    if (f === SEP) {
      pendingSep = out.length > 0;
      continue;
    }
    if (pendingSep) out += ' ';
    pendingSep = false;
    out += String.fromCharCode(f);
  }
  return out;
}
