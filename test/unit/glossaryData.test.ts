import * as assert from 'node:assert/strict';
import { namePatterns, patternsOverlap } from '../../src/core/glossary/names';
import { BuiltInEntrySchema, CATEGORIES, entryNames } from '../../src/core/glossary/schema';
import { readRepoFile } from './reference';
import { builtIn, termRows } from './glossaryHelpers';

/**
 * Names from glossary-terms.md that deliberately belong to another entry: the list gives them
 * to two terms, and one name can only lead to one entry.
 */
const REASSIGNED: Record<string, string> = {
  '指令': 'instruction', // listed for Prompt too; 指令 is the prompt part "Instruction"
  'zero-shot': 'zero-shot-prompting', // listed for Zero-shot Learning too; in prompts it means zero-shot prompting
};

describe('glossary data (src/data/glossary.json)', () => {
  const { entries, matcher } = builtIn();
  const byId = new Map(entries.map((e) => [e.id, e]));
  const idOf = (name: string) => {
    const m = matcher.exact(name);
    return m ? entries[m.term]!.id : undefined;
  };

  it('matches the schema: every entry complete, with both names and both definitions', () => {
    const raw = JSON.parse(readRepoFile('src/data/glossary.json'));
    assert.equal(raw.version, 1);
    assert.ok(raw.entries.length >= 130, `only ${raw.entries.length} entries`);
    raw.entries.forEach((e: unknown, i: number) => {
      const r = BuiltInEntrySchema.safeParse(e);
      assert.ok(r.success, `entries[${i}]: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
    });
    assert.equal(entries.length, raw.entries.length);
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'ids are unique');
  });

  it('has short definitions: one to three sentences in each language', () => {
    for (const e of entries) {
      const en = e.definition.en!.split(/(?<=[a-z0-9)"”])[.!?](?=\s|$)/).filter((s) => s.trim()).length;
      const zh = e.definition.zh!.split(/[。！？]/).filter((s) => s.trim()).length;
      assert.ok(en >= 1 && en <= 3, `${e.id}: ${en} English sentences`);
      assert.ok(zh >= 1 && zh <= 3, `${e.id}: ${zh} Chinese sentences`);
      assert.ok(/[\u4e00-\u9fff]/.test(e.definition.zh!), `${e.id}: the Chinese definition has no Chinese`);
      assert.ok(e.definition.en!.length <= 450 && e.definition.zh!.length <= 200, `${e.id}: definition too long`);
    }
  });

  it('contains every term of glossary-terms.md, found by its English name, in the listed category', () => {
    const rows = termRows();
    assert.ok(rows.length >= 130, `read only ${rows.length} rows from glossary-terms.md`);
    for (const row of rows) {
      const ids = row.english.map((n) => idOf(n));
      assert.ok(ids[0], `"${row.english[0]}" (glossary-terms.md line ${row.line}) is not in the glossary`);
      for (const [k, id] of ids.entries()) assert.equal(id, ids[0], `"${row.english[k]}" leads to ${id}, "${row.english[0]}" to ${ids[0]}`);
      const entry = byId.get(ids[0]!)!;
      assert.equal(entry.category, row.category, `${entry.id}: category`);
      assert.ok(entry.definition.en && entry.definition.zh, `${entry.id}: both definitions`);
    }
  });

  it('finds every listed abbreviation, alias and Chinese name of a term on that same term', () => {
    for (const row of termRows()) {
      const id = idOf(row.english[0]!)!;
      for (const name of [...row.aliases, ...row.chinese]) {
        const want = REASSIGNED[name] ?? id;
        assert.equal(idOf(name), want, `"${name}" (row "${row.english[0]}", line ${row.line})`);
      }
    }
  });

  it('resolves every related-term link, without self-links or repeats', () => {
    for (const e of entries) {
      assert.equal(new Set(e.related).size, e.related.length, `${e.id}: repeated related id`);
      for (const r of e.related) {
        assert.ok(byId.has(r), `${e.id}: related "${r}" does not exist`);
        assert.notEqual(r, e.id, `${e.id} links to itself`);
      }
    }
  });

  it('has no two entries that claim the same name (variants and plurals included)', () => {
    const buckets = new Map<string, { id: string; p: ReturnType<typeof namePatterns>[number] }[]>();
    for (const e of entries) {
      for (const n of entryNames(e)) {
        for (const p of namePatterns(n.text, n.kind)) {
          const key = p.text.toLowerCase();
          buckets.set(key, [...(buckets.get(key) ?? []), { id: e.id, p }]);
        }
      }
    }
    const clashes: string[] = [];
    for (const list of buckets.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i]!;
          const b = list[j]!;
          if (a.id !== b.id && patternsOverlap(a.p, b.p)) clashes.push(`"${a.p.name}" (${a.id}) vs "${b.p.name}" (${b.id})`);
        }
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('finds each name of each entry in running text, English and Chinese', () => {
    for (const e of entries) {
      for (const n of entryNames(e)) {
        const text = /[\u4e00-\u9fff]/.test(n.text) ? `关于（${n.text}）的说明。` : `We explain (${n.text}) here.`;
        const found = matcher.findAll(text).filter((m) => text.slice(m.start, m.end).includes(n.text.slice(0, 1)));
        const at = text.indexOf(n.text);
        const hit = matcher.matchAt(text, at);
        assert.ok(hit, `"${n.text}" of ${e.id} not found in ${text} (found ${JSON.stringify(found)})`);
        assert.equal(entries[hit.term]!.id, e.id, `"${n.text}" of ${e.id} in ${text}`);
        assert.deepEqual([hit.start, hit.end], [at, at + n.text.length], `"${n.text}" span`);
      }
    }
  });

  it('uses only the known categories', () => {
    for (const e of entries) assert.ok((CATEGORIES as readonly string[]).includes(e.category), e.id);
    for (const c of CATEGORIES) assert.ok(entries.some((e) => e.category === c), `no entry in category ${c}`);
  });
});
