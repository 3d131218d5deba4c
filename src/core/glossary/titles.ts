/** Names and titles of glossary entries (no schema: used where the glossary is not loaded yet). */
import type { GlossaryEntry } from './schema';

/** Every name an entry can be found by, with the kind that decides how it is matched. */
export function entryNames(e: Pick<GlossaryEntry, 'en' | 'zh' | 'abbr' | 'aliasesEn' | 'aliasesZh'>): { text: string; kind: 'en' | 'zh' | 'abbr' }[] {
  const out: { text: string; kind: 'en' | 'zh' | 'abbr' }[] = [];
  if (e.en) out.push({ text: e.en, kind: 'en' });
  for (const a of e.aliasesEn) out.push({ text: a, kind: 'en' });
  for (const a of e.abbr) out.push({ text: a, kind: 'abbr' });
  if (e.zh) out.push({ text: e.zh, kind: 'zh' });
  for (const a of e.aliasesZh) out.push({ text: a, kind: 'zh' });
  return out;
}

/** Display title: "English · 中文" (either alone when the other is missing or the same). */
export function entryTitle(e: Pick<GlossaryEntry, 'en' | 'zh' | 'id'>): string {
  if (e.en && e.zh && e.en !== e.zh) return `${e.en} · ${e.zh}`;
  return e.en ?? e.zh ?? e.id;
}
