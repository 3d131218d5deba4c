/** Shared by the glossary unit tests: the built-in glossary, the shared term list, a big synthetic glossary. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBuiltIn } from '../../src/core/glossary/load';
import { GlossaryMatcher } from '../../src/core/glossary/matcher';
import { entryNames, type GlossaryEntry } from '../../src/core/glossary/schema';
import { readRepoFile, REPO } from './reference';

let cached: { entries: GlossaryEntry[]; matcher: GlossaryMatcher } | undefined;

export function builtIn(): { entries: GlossaryEntry[]; matcher: GlossaryMatcher } {
  if (!cached) {
    const { entries, issues } = parseBuiltIn(JSON.parse(readRepoFile('src/data/glossary.json')));
    assert.deepEqual(issues, []);
    cached = { entries, matcher: new GlossaryMatcher(entries.map((e) => ({ names: entryNames(e) }))) };
  }
  return cached;
}

export interface TermRow {
  english: string[];
  aliases: string[];
  chinese: string[];
  category: string;
  line: number;
}

/** The rows of ../shared/glossary-terms.md (both tables). */
export function termRows(): TermRow[] {
  const file = path.join(REPO, '..', 'shared', 'glossary-terms.md');
  assert.ok(fs.existsSync(file), `${file} is missing (the shared term list the glossary must cover)`);
  const rows: TermRow[] = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line.startsWith('|') || /^\|\s*-/.test(line) || /^\|\s*English\s*\|/.test(line)) return;
    const cells = line.slice(1, -1).split('|').map((c) => c.trim());
    if (cells.length !== 4) return;
    const [en, alias, zh, category] = cells as [string, string, string, string];
    const english = en.replace(/\s*\(.*?\)\s*/g, ' ').trim().split(/,\s*/).filter(Boolean);
    const aliases = alias.split(/,\s*/).map((a) => a.trim()).filter((a) => a && !a.includes('='));
    const chinese = zh === '—' ? [] : zh.split(/\s*\/\s*/).filter(Boolean);
    rows.push({ english, aliases, chinese, category, line: i + 1 });
  });
  return rows;
}

/** n synthetic user entries with English, Chinese and abbreviation names. */
export function syntheticEntries(n: number): GlossaryEntry[] {
  const han = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明';
  const entries: GlossaryEntry[] = [];
  for (let i = 0; i < n; i++) {
    const zh = han[i % han.length]! + han[(i * 7 + 3) % han.length]! + han[(i * 13 + 5) % han.length]! + String.fromCharCode(0x4e00 + (i % 5000));
    entries.push({
      id: `user-term-${i}`,
      en: `Custom Term ${i.toString(36)} Method`,
      zh,
      abbr: [`UT${i.toString(36).toUpperCase()}X`],
      aliasesEn: [`ut-${i}-alias`],
      aliasesZh: [],
      category: 'custom',
      related: [],
      definition: { en: `Definition of custom term ${i}.`, zh: `自定义术语${i}的释义。` },
      source: { kind: 'workspace', label: '.vscode/prompt-glossary.json' },
    });
  }
  return entries;
}
