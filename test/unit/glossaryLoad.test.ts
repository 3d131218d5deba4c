import * as assert from 'node:assert/strict';
import { entryLine, formatIssue, mergeGlossary, parseGlossaryFile, parseTermsSetting } from '../../src/core/glossary/load';
import { commandUri, escapeMarkdown, hoverSections } from '../../src/core/glossary/render';
import { GlossarySearch } from '../../src/core/glossary/search';
import type { EntrySource } from '../../src/core/glossary/schema';
import { builtIn, syntheticEntries } from './glossaryHelpers';

const FILE: EntrySource = { kind: 'workspace', label: '.vscode/prompt-glossary.json', uri: 'file:///w/.vscode/prompt-glossary.json' };
const SETTING: EntrySource = { kind: 'setting', label: 'promptWorkbench.glossary.terms' };

describe('glossary loading (schema, positions, merging)', () => {
  const { entries } = builtIn();

  it('reads a valid workspace file with comments and trailing commas', () => {
    const text = `{
  // our team's terms
  "version": 1,
  "entries": [
    { "id": "golden-set", "en": "Golden Set", "zh": "黄金测试集", "abbr": ["GS"], "category": "evaluation",
      "related": ["evaluation-benchmark"], "definition": { "en": "Our reviewed test prompts.", "zh": "审核过的测试提示词。" } },
  ],
}`;
    const layer = parseGlossaryFile(text, FILE);
    assert.deepEqual(layer.issues, []);
    assert.equal(layer.entries.length, 1);
    assert.equal(entryLine(text, 0), 5, 'line of the entry');
    const merged = mergeGlossary(entries, [layer]);
    assert.deepEqual(merged.issues, []);
    const gs = merged.entries.find((e) => e.id === 'golden-set')!;
    assert.equal(gs.source.kind, 'workspace');
    assert.equal(gs.source.index, 0);
    assert.equal(merged.entries.length, entries.length + 1);
  });

  it('reports a JSON syntax error once, with line and column', () => {
    const layer = parseGlossaryFile('{\n  "entries": [\n    { "id": "x" ]\n}', FILE);
    assert.equal(layer.issues.length, 1);
    const [i] = layer.issues;
    assert.equal(i!.line, 3);
    assert.equal(i!.column, 17);
    assert.match(i!.message, /not valid JSON/);
    assert.equal(formatIssue(i!).startsWith(".vscode/prompt-glossary.json:3:17"), true, formatIssue(i!));
    assert.equal(i!.uri, FILE.uri);
  });

  it('names the field and its position for each invalid entry, and keeps the valid ones', () => {
    const text = [
      '{ "version": 1, "entries": [',
      '  { "id": "ok-term", "en": "OK", "definition": { "en": "Fine." } },',
      '  { "id": "bad-def", "en": "Bad", "definition": { "en": 42 } },',
      '  { "en": "No id", "definition": { "en": "x" } },',
      '  { "id": "typo", "en": "Typo", "defintion": { "en": "x" } },',
      '  { "id": "Bad Id", "en": "Id", "definition": { "en": "x" } }',
      ']}',
    ].join('\n');
    const layer = parseGlossaryFile(text, FILE);
    const byPath = new Map(layer.issues.map((i) => [i.path, i]));
    assert.deepEqual([...byPath.keys()].sort(), ['entries[1].definition.en', 'entries[2].id', 'entries[3]', 'entries[4].id'].sort(), JSON.stringify(layer.issues));
    assert.deepEqual([byPath.get('entries[1].definition.en')!.line, byPath.get('entries[1].definition.en')!.column], [3, 51]);
    assert.equal(byPath.get('entries[2].id')!.line, 4, 'a missing field points at its entry');
    assert.match(byPath.get('entries[3]')!.message, /defintion/);
    assert.match(byPath.get('entries[4].id')!.message, /lower-case/);
    assert.deepEqual(layer.entries.map((e) => e.input.id), ['ok-term']);
    const merged = mergeGlossary(entries, [layer]);
    assert.ok(merged.entries.some((e) => e.id === 'ok-term'));
    assert.ok(merged.entries.some((e) => e.id === 'chain-of-thought'), 'the built-in glossary keeps working');
  });

  it('rejects a file of the wrong shape with one clear problem', () => {
    const layer = parseGlossaryFile('[{"id": "x"}]', FILE);
    assert.equal(layer.issues.length, 1);
    assert.deepEqual([layer.issues[0]!.line, layer.issues[0]!.column], [1, 1]);
    const v2 = parseGlossaryFile('{"version": 2, "entries": []}', FILE);
    assert.equal(v2.issues[0]!.path, 'version');
  });

  it('lets a user entry change only the fields it gives, and later layers win', () => {
    const setting = parseTermsSetting([{ id: 'chain-of-thought', definition: { zh: '我们团队的思维链定义。' } }], SETTING);
    const file = parseGlossaryFile(JSON.stringify({ entries: [{ id: 'chain-of-thought', aliasesEn: ['step-by-step prompting'] }] }), FILE);
    const merged = mergeGlossary(entries, [setting, file]);
    assert.deepEqual(merged.issues, []);
    const cot = merged.entries.find((e) => e.id === 'chain-of-thought')!;
    assert.equal(cot.definition.zh, '我们团队的思维链定义。', 'from the setting');
    assert.match(cot.definition.en!, /intermediate reasoning/, 'kept from the built-in entry');
    assert.deepEqual(cot.aliasesEn, ['step-by-step prompting'], 'from the file');
    assert.deepEqual(cot.abbr, ['CoT']);
    assert.equal(cot.source.kind, 'workspace');
    assert.equal(cot.overrides, true);
    assert.equal(merged.entries.length, entries.length);
  });

  it('requires a name and a definition for a new term, and checks related links', () => {
    const setting = parseTermsSetting([
      { id: 'nameless', definition: { en: 'x' } },
      { id: 'undefined-term', en: 'Undefined' },
      { id: 'linked', zh: '链接', definition: { zh: '有链接。' }, related: ['nowhere', 'rlhf'] },
    ], SETTING);
    const merged = mergeGlossary(entries, [setting]);
    assert.deepEqual(merged.issues.map((i) => i.path), ['[0]', '[1]', '[2].related[0]']);
    assert.match(merged.issues[0]!.message, /needs a name/);
    assert.match(merged.issues[1]!.message, /needs a definition/);
    assert.equal(merged.issues[0]!.where, 'promptWorkbench.glossary.terms');
    assert.ok(merged.entries.some((e) => e.id === 'linked'));
    assert.ok(!merged.entries.some((e) => e.id === 'nameless'));
  });

  it('rejects a setting that is not a list', () => {
    assert.equal(parseTermsSetting({ id: 'x' }, SETTING).issues.length, 1);
    assert.equal(parseTermsSetting(undefined, SETTING).issues.length, 0);
  });

  it('loads 5,000 user entries quickly', function () {
    this.timeout(20_000);
    const text = JSON.stringify({ version: 1, entries: syntheticEntries(5_000).map(({ source: _s, ...e }) => e) }, null, 2);
    const t = performance.now();
    const layer = parseGlossaryFile(text, FILE);
    const merged = mergeGlossary(entries, [layer]);
    const ms = performance.now() - t;
    assert.deepEqual(layer.issues, []);
    assert.equal(merged.entries.length, entries.length + 5_000);
    console.log(`      parsing, validating and merging 5,000 user entries (${(text.length / 1024).toFixed(0)} KB): ${ms.toFixed(0)} ms`);
    assert.ok(ms < 5_000, `${ms} ms`);
  });
});

describe('glossary hover text', () => {
  const { entries } = builtIn();
  const cot = entries.find((e) => e.id === 'chain-of-thought')!;
  const labels = { related: 'Related:', openInGlossary: 'Open in Glossary', openInGlossaryTooltip: 'Show it', category: 'Prompting' };
  const related = [{ id: 'few-shot-prompting', title: 'Few-shot Prompting · 少样本提示', en: 'Few-shot Prompting', zh: '少样本提示' }];

  it('shows both names, the UI language first, related terms and an Open in Glossary link', () => {
    const enUi = hoverSections({ entry: cot, related, zhFirst: false, labels, openCommand: 'promptWorkbench.openGlossary' });
    assert.equal(enUi.length, 3);
    assert.match(enUi[0]!, /^\*\*Chain of Thought\*\* · \*\*思维链\*\*/);
    assert.match(enUi[0]!, /`CoT`/);
    assert.match(enUi[0]!, /intermediate reasoning steps/);
    assert.match(enUi[1]!, /中间推导步骤/);
    assert.ok(enUi[2]!.includes(`[Few\\-shot Prompting \\(少样本提示\\)](${commandUri('promptWorkbench.openGlossary', ['few-shot-prompting'])} "Show it")`), enUi[2]);
    assert.ok(enUi[2]!.includes(`[$(book) Open in Glossary](${commandUri('promptWorkbench.openGlossary', ['chain-of-thought'])}`));
    const zhUi = hoverSections({ entry: cot, related, zhFirst: true, labels, openCommand: 'promptWorkbench.openGlossary' });
    assert.match(zhUi[0]!, /^\*\*思维链\*\* · \*\*Chain of Thought\*\*/);
    assert.match(zhUi[0]!, /中间推导步骤/);
    assert.match(zhUi[1]!, /intermediate reasoning steps/);
    assert.ok(zhUi[2]!.includes('[少样本提示 \\(Few\\-shot Prompting\\)]'), zhUi[2]);
  });

  it('escapes HTML, links and icons in entry text', () => {
    const evil = { ...cot, en: '<img src=x onerror=alert(1)>', definition: { en: 'Click [here](command:workbench.action.quit) $(alert) **bold** <script>alert(1)</script>' } };
    const [first] = hoverSections({ entry: evil, related: [], zhFirst: false, labels, openCommand: 'promptWorkbench.openGlossary' });
    assert.ok(!first!.includes('<img') && !first!.includes('<script'), first);
    assert.ok(first!.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'), first);
    assert.ok(!first!.includes('](command:workbench'), 'no live link');
    assert.ok(first!.includes('\\$\\(alert\\)'), 'no icon');
    assert.equal(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
  });
});

describe('glossary search', () => {
  const { entries } = builtIn();
  const search = new GlossarySearch(entries);
  const top = (q: string, n = 1, category?: string) => search.search(q, { category }).slice(0, n).map((h) => entries[h.index]!.id);

  it('finds terms by English and Chinese names, abbreviations and aliases, ignoring case', () => {
    assert.deepEqual(top('RLHF'), ['rlhf']);
    assert.deepEqual(top('rlhf'), ['rlhf']);
    assert.deepEqual(top('lora'), ['low-rank-adaptation']);
    assert.deepEqual(top('思维链'), ['chain-of-thought']);
    assert.deepEqual(top('上下文学习'), ['in-context-learning']);
    assert.deepEqual(top('nucleus sampling'), ['top-k-top-p']);
    assert.deepEqual(top('finetuning'), ['fine-tuning']);
    assert.deepEqual(top('Temperature'), ['temperature']);
  });

  it('tolerates typos', () => {
    assert.deepEqual(top('halucination'), ['hallucination']);
    assert.deepEqual(top('hallucinaton'), ['hallucination']);
    assert.ok(top('reinforcment learning', 2).includes('reinforcement-learning'), top('reinforcment learning', 3).join());
    assert.deepEqual(top('tranformer'), ['transformer']);
    assert.deepEqual(top('qunatization'), ['quantization']);
    assert.deepEqual(top('xyzzyq'), []);
  });

  it('filters by category and lists everything for an empty query', () => {
    assert.equal(search.search('').length, entries.length);
    const hardware = search.search('', { category: 'hardware' }).map((h) => entries[h.index]!);
    assert.ok(hardware.length >= 5 && hardware.every((e) => e.category === 'hardware'));
    assert.deepEqual(top('RLHF', 1, 'hardware'), []);
  });

  it('searches 5,000 user entries fast enough to type', () => {
    const big = new GlossarySearch([...entries, ...syntheticEntries(5_000)]);
    const t = performance.now();
    const hits = big.search('custom term 1a methd');
    const ms = performance.now() - t;
    console.log(`      fuzzy search over 5,136 entries: ${ms.toFixed(1)} ms`);
    assert.ok(hits.length > 0);
    assert.ok(ms < 1_000, `${ms} ms`);
  });
});
