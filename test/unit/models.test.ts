import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import catalogueJson from '../../src/data/models.json';
import { costOf, estimateTokens, formatInt, formatPercent, formatUsd, ratesFor } from '../../src/core/cost';
import { localDate, mergeUserModels, parseCatalogue, retirementOf, type SettingIssue } from '../../src/core/models';
import { DEFAULT_LANGUAGES, resolveLanguages, resolveSettings } from '../../src/core/settings';
import { tokenizerFor } from '../../src/core/tokenizer';

const catalogue = parseCatalogue(catalogueJson);
const builtIn = catalogue.models;
const byId = (id: string) => builtIn.find((m) => m.id === id)!;

describe('model catalogue', () => {
  it('validates and has at least 25 models across the required providers', () => {
    assert.ok(builtIn.length >= 25, `only ${builtIn.length} models`);
    const providers = new Set(builtIn.map((m) => m.provider));
    for (const p of ['OpenAI', 'Anthropic', 'Google', 'DeepSeek', 'Alibaba Cloud (Qwen)', 'Mistral AI', 'Meta Llama']) assert.ok(providers.has(p), `missing ${p}`);
  });

  it('gives every built-in model a price-check date and sane limits', () => {
    for (const m of builtIn) {
      assert.match(m.pricesCheckedOn ?? '', /^\d{4}-\d{2}-\d{2}$/, m.id);
      assert.ok(m.maxOutputTokens <= m.contextWindow, `${m.id}: max output beyond context window`);
      assert.ok(m.price.output >= m.price.input * 0.5, `${m.id}: output price looks swapped`);
    }
  });

  it('uses the vendors\' API ids named in the guide, and exact encodings for OpenAI', () => {
    for (const id of ['gpt-4o', 'claude-sonnet-4-5', 'deepseek-chat', 'qwen-plus']) assert.ok(byId(id), id);
    assert.deepEqual(byId('gpt-4o').tokenizer, { kind: 'bpe', encoding: 'o200k_base' });
    assert.deepEqual(byId('gpt-4').tokenizer, { kind: 'bpe', encoding: 'cl100k_base' });
    assert.equal(byId('claude-sonnet-4-5').tokenizer.kind, 'estimate');
  });

  it('knows which models their vendors retire, and when', () => {
    assert.deepEqual(retirementOf(byId('claude-sonnet-4-5'), '2026-11-29'), { retired: false, on: '2026-11-30', replacedBy: 'claude-sonnet-5-5' });
    assert.deepEqual(retirementOf(byId('claude-sonnet-4-5'), '2026-11-30'), { retired: true, on: '2026-11-30', replacedBy: 'claude-sonnet-5-5' });
    assert.deepEqual(retirementOf(byId('gpt-5'), '2026-12-07'), { retired: false, on: '2026-12-11', replacedBy: 'gpt-6.1-sol' });
    assert.equal(retirementOf(byId('claude-opus-4-1'), '2000-01-01')?.retired, true, 'retired without a date: retired on any day');
    assert.equal(retirementOf(byId('gpt-4o'), '2026-12-07'), undefined);
    // Every replacement the catalogue names is either in it and not retired itself, or outside it.
    for (const m of builtIn) {
      const next = m.retirement?.replacedBy;
      if (next && builtIn.some((x) => x.id === next)) assert.equal(byId(next).retirement, undefined, `${m.id} → ${next}`);
    }
    assert.equal(localDate(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
  });

  it('applies the long-prompt rates above their threshold, to the whole request', () => {
    const sol = byId('gpt-6.2-sol');
    assert.deepEqual(ratesFor(sol, 272_000), { input: 2, output: 10, longContext: false });
    assert.deepEqual(ratesFor(sol, 272_001), { input: 4, output: 15, longContext: true });
    assert.equal(costOf(sol, 100_000, 1000).withOutput, 0.2 + 0.01);
    const long = costOf(sol, 300_000, 1000);
    assert.equal(long.input, 1.2);
    assert.equal(long.withOutput, 1.2 + 0.015);
    assert.deepEqual(ratesFor(byId('gpt-4o'), 10_000_000), { input: 2.5, output: 10, longContext: false });
  });

  it('rejects a retirement or long-prompt rate that is not well formed, naming the field', () => {
    const merged = mergeUserModels(builtIn, [
      { id: 'gpt-4o', retirement: { on: '30 November' } },
      { id: 'gpt-4o-mini', price: { longContext: { input: 1, output: 2 } } },
      { id: 'gpt-4.1', retirement: { on: '2027-01-14', replacedBy: 'gpt-6-luna' } },
    ]);
    assert.deepEqual(merged.issues.map((i) => i.where), ['promptWorkbench.models[0].retirement.on', 'promptWorkbench.models[1].price.longContext.aboveInputTokens']);
    assert.deepEqual(retirementOf(merged.models.find((m) => m.id === 'gpt-4.1')!, '2027-01-14'), { retired: true, on: '2027-01-14', replacedBy: 'gpt-6-luna' });
  });

  it('rejects a catalogue with duplicate ids, naming the entry', () => {
    const bad = { version: 1, models: [builtIn[0], builtIn[0]] };
    assert.throws(() => parseCatalogue(bad), /models\[1\]\.id: duplicate model id "gpt-4o"/);
  });
});

describe('user models (promptWorkbench.models)', () => {
  it('adds a valid model, overrides a built-in field, and reports each bad entry by field', () => {
    const merged = mergeUserModels(builtIn, [
      { id: 'my-gpt', name: 'My GPT', provider: 'Azure', tokenizer: { kind: 'bpe', encoding: 'o200k_base' }, price: { input: 2, output: 8 }, contextWindow: 1000, maxOutputTokens: 100 },
      { id: 'gpt-4o', price: { input: 1 } },
      { id: 'broken', name: 'x', provider: 'y', tokenizer: { kind: 'bpe', encoding: 'o300k' }, price: { input: -1, output: 1 }, contextWindow: 10, maxOutputTokens: 1 },
      { id: 'half' },
      'not an object',
    ]);
    assert.equal(merged.models.find((m) => m.id === 'my-gpt')?.price.input, 2);
    const gpt4o = merged.models.find((m) => m.id === 'gpt-4o')!;
    assert.equal(gpt4o.price.input, 1);
    assert.equal(gpt4o.price.output, byId('gpt-4o').price.output, 'untouched fields keep the built-in value');
    assert.equal(merged.models.length, builtIn.length + 1);
    const where = merged.issues.map((i) => i.where);
    assert.ok(where.includes('promptWorkbench.models[2].tokenizer.encoding'), where.join(', '));
    assert.ok(where.includes('promptWorkbench.models[2].price.input'), where.join(', '));
    assert.ok(where.some((w) => w.startsWith('promptWorkbench.models[3]')), where.join(', '));
    assert.ok(where.includes('promptWorkbench.models[4]'), where.join(', '));
    assert.ok(merged.issues.find((i) => i.where === 'promptWorkbench.models[2].price.input')!.message.includes('>=0'));
    assert.deepEqual([...merged.userIds].sort(), ['gpt-4o', 'my-gpt']);
  });

  it('keeps the catalogue\'s price date unless the user sets prices without a date of their own', () => {
    assert.equal(byId('gpt-4o').pricesCheckedOn, '2025-10-01');
    const merged = mergeUserModels(builtIn, [
      { id: 'gpt-4o', price: { input: 1 } },
      { id: 'gpt-4o-mini', contextWindow: 1000 },
      { id: 'claude-sonnet-4-5', price: { output: 12 }, pricesCheckedOn: '2026-11-01' },
      { id: 'deepseek-chat', pricesCheckedOn: '1 November' },
    ]);
    const date = (id: string) => merged.models.find((m) => m.id === id)!.pricesCheckedOn;
    assert.equal(date('gpt-4o'), undefined, 'new prices, no date: the catalogue\'s date would be wrong');
    assert.equal(date('gpt-4o-mini'), byId('gpt-4o-mini').pricesCheckedOn, 'prices untouched');
    assert.equal(date('claude-sonnet-4-5'), '2026-11-01');
    assert.deepEqual(merged.issues.map((i) => i.where), ['promptWorkbench.models[3].pricesCheckedOn']);
  });

  it('reports a setting that is not a list, keeping the catalogue', () => {
    const merged = mergeUserModels(builtIn, { id: 'x' });
    assert.deepEqual(merged.issues, [{ where: 'promptWorkbench.models', message: 'must be a list of models', code: 'notAList' }]);
    assert.equal(merged.models.length, builtIn.length);
  });
});

describe('settings', () => {
  const raw = { model: undefined, models: undefined, languages: undefined, expectedOutputTokens: undefined, liveCountLimit: undefined };

  it('defaults to an exact OpenAI model and the prompt languages', () => {
    const s = resolveSettings(builtIn, raw);
    assert.equal(s.model.id, 'gpt-4o');
    assert.equal(tokenizerFor(s.model).exact, true);
    assert.deepEqual(s.languages, DEFAULT_LANGUAGES);
    assert.deepEqual(s.issues, []);
  });

  it('falls back from an unknown model with a clear issue', () => {
    const s = resolveSettings(builtIn, { ...raw, model: 'gpt-17' });
    assert.equal(s.model.id, 'gpt-4o');
    assert.deepEqual(s.issues, [{ where: 'promptWorkbench.model', message: 'unknown model "gpt-17"; counting for "gpt-4o" instead', code: 'unknownModel', args: ['gpt-17', 'gpt-4o'] }]);
  });

  it('keeps defaults for invalid values and names them', () => {
    const s = resolveSettings(builtIn, { ...raw, languages: 'markdown', expectedOutputTokens: -5, liveCountLimit: 1.5 });
    assert.deepEqual(s.languages, DEFAULT_LANGUAGES);
    assert.equal(s.expectedOutputTokens, 500);
    assert.deepEqual(s.issues.map((i) => i.where), ['promptWorkbench.languages', 'promptWorkbench.expectedOutputTokens', 'promptWorkbench.liveCountLimit']);
  });

  it('takes the default language list as it is, and still checks any other list', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const declared = manifest.contributes.configuration.properties['promptWorkbench.languages'].default;
    // VS Code hands back package.json's default when nobody set the setting: the list activation takes without a schema.
    assert.deepEqual(declared, DEFAULT_LANGUAGES);
    const issues: SettingIssue[] = [];
    assert.deepEqual(resolveLanguages(declared, issues), DEFAULT_LANGUAGES);
    assert.deepEqual(resolveLanguages([' markdown ', 'go'], issues), ['markdown', 'go']);
    assert.deepEqual(issues, []);
    const blank: SettingIssue[] = [];
    assert.deepEqual(resolveLanguages([...DEFAULT_LANGUAGES.slice(0, 4), ' '], blank), DEFAULT_LANGUAGES);
    assert.deepEqual(blank.map((i) => i.where), ['promptWorkbench.languages[4]']);
  });

  it('can choose a user model', () => {
    const s = resolveSettings(builtIn, { ...raw, model: 'mine', models: [{ id: 'mine', name: 'Mine', provider: 'Me', tokenizer: { kind: 'estimate', charsPerToken: 4 }, price: { input: 0, output: 0 }, contextWindow: 8, maxOutputTokens: 8 }] });
    assert.equal(s.model.id, 'mine');
  });
});

describe('cost and estimates', () => {
  it('computes input cost, cost with output and context share', () => {
    const c = costOf(byId('gpt-4o'), 1_000_000, 500_000);
    assert.equal(c.input, 2.5);
    assert.equal(c.withOutput, 7.5);
    assert.equal(c.contextShare, 1_500_000 / 128000);
  });

  it('formats money, integers and percentages for people', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.00001), '<$0.0001');
    assert.equal(formatUsd(0.0031), '$0.0031');
    assert.equal(formatUsd(0.04567), '$0.0457');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatInt(1234567), '1,234,567');
    assert.equal(formatPercent(0.5), '50%');
    assert.equal(formatPercent(1.234), '123.4%');
  });

  it('estimates Chinese and other text at their own ratios', () => {
    assert.equal(estimateTokens('abcdefgh', 4, 2), 2);
    assert.equal(estimateTokens('中文中文', 4, 2), 2);
    assert.equal(estimateTokens('abcd中文', 4, 2), 2);
    assert.equal(estimateTokens('', 4), 0);
  });
});
