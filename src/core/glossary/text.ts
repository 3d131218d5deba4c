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
/** Flag bits in `kinds`. */
const LETTER = 1;
const UPPER = 2;

let classes: Uint8Array | undefined;
let kinds: Uint8Array | undefined;
let lower: Uint16Array | undefined;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
const ANY_LETTER = /\p{L}/u;

function init(): void {
  classes = new Uint8Array(0x10000);
  kinds = new Uint8Array(0x10000);
  lower = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    lower[c] = c;
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    const l = ch.toLowerCase();
    if (l.length === 1) lower[c] = l.charCodeAt(0);
    if (ANY_LETTER.test(ch)) kinds[c] = LETTER | (l !== ch ? UPPER : 0);
    if (c === 0x5f) classes[c] = WORD;
    else if (CJK.test(ch)) classes[c] = CJK_CHAR;
    else if (LETTER_OR_DIGIT.test(ch)) classes[c] = WORD;
  }
  for (const c of [0x20, 0x09, 0x2d, 0xa0, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x3000, 0xfe63, 0xff0d, 0x202f, 0x2009]) classes[c] = SEPARATOR;
  // Full-width ASCII (Ａ-ｚ, ０-９) folds to ASCII.
  for (let c = 0xff01; c <= 0xff5e; c++) {
    const ascii = c - 0xfee0;
    lower[c] = lower[ascii]!;
    classes[c] = classes[ascii]!;
  }
}

/** Word character: counts for word boundaries (underscore too, as in identifiers). */
export function isWordCode(c: number): boolean {
  if (!classes) init();
  return classes![c] === WORD;
}

/** Space, tab, hyphen or dash: any run of them matches one space in a name. */
export function isSepCode(c: number): boolean {
  if (!classes) init();
  return classes![c] === SEPARATOR;
}

/** Lower-cased, full-width folded; separators become SEP. */
export function foldCode(c: number): number {
  if (!classes) init();
  if (classes![c] === SEPARATOR) return SEP;
  return lower![c]!;
}

/** Full-width ASCII to ASCII only (case kept). */
export function widthFoldCode(c: number): number {
  return c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
}

/** Chinese, Japanese or Korean character (no word boundaries). */
export function isCjkCode(c: number): boolean {
  if (!classes) init();
  return classes![c] === CJK_CHAR;
}

export function isLetterCode(c: number): boolean {
  if (!kinds) init();
  return (kinds![c]! & LETTER) !== 0;
}

export function isUpperCode(c: number): boolean {
  if (!kinds) init();
  return (kinds![c]! & UPPER) !== 0;
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
