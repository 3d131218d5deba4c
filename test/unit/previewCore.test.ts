import * as assert from 'node:assert/strict';
import catalogue from '../../src/data/models.json';
import { parseCatalogue } from '../../src/core/models';
import { DEFAULT_THRESHOLDS, gaugeLevel, parseThresholds } from '../../src/core/preview/gauge';
import { HeaderSchema, type HostToView, parseHostMessage, parseViewMessage, SavedStateSchema, TEXT_LIMIT } from '../../src/core/preview/messages';
import { checkValuesAgainst, mergeWithSamples, parseValuesFile, type ParsedValues, type ValuesFile } from '../../src/core/preview/values';
import { buildHeader, type HeaderWords } from '../../src/core/preview/viewModel';
import { checkTemplate } from '../../src/core/template/check';
import { renderTemplate } from '../../src/core/template/render';
import { readRepoFile, referenceCount } from './reference';
import { FEW_SHOT_EXPECTED } from './templateFixtures';

const words: HeaderWords = {
  tokens: (n, count) => `${n} token${count === 1 ? '' : 's'}`,
  counting: () => 'counting…',
  withOutput: (n) => `With ${n} output tokens`,
  share: (pct, window) => `${pct} of ${window}`,
  templateModel: (id, name) => `template: ${name} (${id})`,
};

function ok(p: ParsedValues): ValuesFile {
  if (!p.ok) assert.fail(`not parsed: ${JSON.stringify(p.problems)}`);
  return p.file;
}
function problems(p: ParsedValues): string[] {
  if (p.ok) assert.fail('parsed although it should not');
  return p.problems.map((x) => `${x.code}${x.path ? ` ${x.path}` : ''}${x.line ? ` @${x.line}:${x.column}` : ''} ${x.args.join('|')}`.trim());
}

describe('preview: context gauge', () => {
  it('turns yellow, orange and red at 50 / 80 / 100 % by default', () => {
    const t = DEFAULT_THRESHOLDS;
    assert.deepEqual([0, 0.49, 0.5, 0.79, 0.8, 0.999, 1, 3].map((s) => gaugeLevel(s, t)), ['green', 'green', 'yellow', 'yellow', 'orange', 'orange', 'red', 'red']);
  });

  it('reads the user\'s thresholds, and falls back to the defaults with the field named', () => {
    assert.deepEqual(parseThresholds({ yellow: 10, orange: 20, red: 90 }), { thresholds: { yellow: 10, orange: 20, red: 90 }, issues: [] });
    assert.deepEqual(parseThresholds({ red: 120 }).thresholds, { yellow: 50, orange: 80, red: 120 });
    assert.deepEqual(parseThresholds(undefined).thresholds, DEFAULT_THRESHOLDS);
    const bad = parseThresholds({ yellow: 'half' });
    assert.deepEqual(bad.thresholds, DEFAULT_THRESHOLDS);
    assert.equal(bad.issues[0]?.where, 'promptWorkbench.preview.gaugeThresholds.yellow');
    assert.equal(parseThresholds({ yellow: -5 }).issues[0]?.where, 'promptWorkbench.preview.gaugeThresholds.yellow');
    assert.match(parseThresholds({ green: 5 }).issues[0]?.message ?? '', /green/);
    const unordered = parseThresholds({ yellow: 90, orange: 80 });
    assert.deepEqual(unordered.thresholds, DEFAULT_THRESHOLDS);
    assert.deepEqual(unordered.unordered, { yellow: 90, orange: 80, red: 100 });
  });
});

describe('preview: header view model', () => {
  const models = parseCatalogue(catalogue).models;
  const gpt4o = models.find((m) => m.id === 'gpt-4o')!;
  const claude = models.find((m) => m.id === 'claude-sonnet-4-5')!;

  it('shows tokens, characters, cost and the context share for the rendered few-shot prompt', () => {
    const tokens = referenceCount('o200k_base', FEW_SHOT_EXPECTED);
    const h = buildHeader({ model: gpt4o, tokens, exact: true, tokenizer: 'o200k_base', characters: FEW_SHOT_EXPECTED.length, expectedOutputTokens: 500, thresholds: DEFAULT_THRESHOLDS, locale: 'en' }, words);
    assert.equal(h.tokens, tokens);
    assert.equal(h.tokensText, `${tokens} tokens`);
    assert.equal(h.characters, String(FEW_SHOT_EXPECTED.length));
    assert.equal(h.inputCost, `$${((tokens * 2.5) / 1e6).toFixed(5)}`.replace(/0+$/, ''));
    assert.equal(h.share, (tokens + 500) / 128_000);
    assert.equal(h.level, 'green');
    assert.equal(h.withOutputLabel, 'With 500 output tokens');
    assert.equal(h.templateModel, undefined);
  });

  it('marks estimates with ≈ and rounds them; names a different template model; goes red past the window', () => {
    const h = buildHeader({ model: claude, tokens: 1234.56, exact: false, tokenizer: 'estimate', characters: 4000, expectedOutputTokens: 500, thresholds: DEFAULT_THRESHOLDS, locale: 'zh-CN', templateModel: gpt4o }, words);
    assert.equal(h.tokens, 1235);
    assert.equal(h.tokensText, '≈1,235 tokens');
    assert.equal(h.templateModel?.id, 'gpt-4o');
    assert.equal(h.templateModel?.label, 'template: GPT-4o (gpt-4o)');
    const full = buildHeader({ model: gpt4o, tokens: 128_000, exact: true, tokenizer: 'o200k_base', characters: 1, expectedOutputTokens: 0, thresholds: DEFAULT_THRESHOLDS, locale: 'en' }, words);
    assert.equal(full.level, 'red');
    assert.match(full.shareText, /^100% of 128,000$/);
    const counting = buildHeader({ model: gpt4o, tokens: undefined, exact: true, tokenizer: 'o200k_base', characters: 1, expectedOutputTokens: 0, thresholds: DEFAULT_THRESHOLDS, locale: 'en' }, words);
    assert.equal(counting.tokens, undefined);
    assert.equal(counting.tokensText, 'counting…');
  });

  it('carries the retirement note it is given, and none otherwise; the page accepts it', () => {
    const base = { model: claude, tokens: 10, exact: false, tokenizer: 'estimate', characters: 40, expectedOutputTokens: 0, thresholds: DEFAULT_THRESHOLDS, locale: 'en' };
    const note = { text: 'Retired by Anthropic on 2026-11-30.', retired: true };
    const h = buildHeader({ ...base, retirement: note }, words);
    assert.deepEqual(h.retirement, note);
    assert.equal(buildHeader(base, words).retirement, undefined);
    assert.equal(HeaderSchema.safeParse(h).success, true);
    assert.equal(HeaderSchema.safeParse({ ...h, retirement: { text: 'x'.repeat(501), retired: true } }).success, false, 'an over-long note is refused');
    assert.equal(HeaderSchema.safeParse({ ...h, retirement: { text: 'x' } }).success, false, 'retired or not must be said');
  });
});

describe('preview: messages between the extension and the page', () => {
  const update: HostToView = {
    type: 'update', seq: 3, textSeq: 3, text: '<script>alert(1)</script> & 中文 🦩', length: 32, stale: false, empty: false, problems: [],
    locked: false, busy: false, source: { uri: 'file:///a.prompt.hbs', name: 'a.prompt.hbs', kind: 'template' },
  };

  it('accepts what the extension sends', () => {
    assert.deepEqual(parseHostMessage(update), { ok: true, message: update });
    const tokens = { type: 'tokens', state: 'ready', seq: 3, ids: Uint32Array.from([1, 2]), lens: Uint32Array.from([1, 0]), partial: [{ index: 1, hex: 'a6' }], covered: 1, approximate: false, tokenizer: 'o200k_base' };
    assert.equal(parseHostMessage(tokens).ok, true);
    assert.equal(parseHostMessage({ ...tokens, ids: [1, 2] }).ok, false, 'token ids come as a Uint32Array');
    assert.equal(parseHostMessage({ type: 'tokens', state: 'unavailable', seq: 1, reason: 'estimate' }).ok, true);
    assert.equal(parseViewMessage({ type: 'painted', seq: 3, what: 'text', ms: 4.2, textLength: 32, tokensShown: 0, headerTokens: '12 tokens' }).ok, true);
    assert.equal(parseViewMessage({ type: 'reveal', file: 'values', line: 3, column: 2 }).ok, true);
  });

  it('refuses malformed, oversized or unknown messages, saying where', () => {
    const r = parseHostMessage({ ...update, seq: -1 });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /^seq: /);
    assert.equal(parseHostMessage({ ...update, text: 'x'.repeat(TEXT_LIMIT + 1) }).ok, false);
    assert.equal(parseHostMessage({ ...update, extra: 1 }).ok, false);
    assert.equal(parseHostMessage({ type: 'eval', code: 'alert(1)' }).ok, false);
    assert.equal(parseHostMessage({ type: 'tokens', state: 'ready', seq: 1 }).ok, false);
    assert.equal(parseViewMessage({ type: 'reveal', file: '/etc/passwd', line: 1 }).ok, false);
    assert.equal(parseViewMessage({ type: 'selectModel', id: 'x'.repeat(500) }).ok, false);
    assert.equal(parseViewMessage({ type: 'reveal', file: 'source', line: 0 }).ok, false);
    assert.equal(parseViewMessage('ready').ok, false);
  });

  it('reads back the page\'s saved state, ignoring what it does not know', () => {
    assert.deepEqual(SavedStateSchema.parse({ uri: 'file:///a', locked: true, scroll: { text: 10 } }), { uri: 'file:///a', locked: true });
    assert.equal(SavedStateSchema.safeParse({ uri: 42 }).success, false);
  });
});

describe('preview: values files', () => {
  const template = readRepoFile('examples/sentiment-few-shot.prompt.hbs');
  const check = checkTemplate(template);

  it('reads YAML and JSON maps with the position of each field', () => {
    const y = ok(parseValuesFile('# values\nreview: It broke <again> & again.\nexamples:\n  - input: a\n    output: b\n', 'v.yaml'));
    assert.equal(y.format, 'YAML');
    assert.deepEqual(y.values, { review: 'It broke <again> & again.', examples: [{ input: 'a', output: 'b' }] });
    assert.deepEqual(y.locate(['examples']), { line: 3, column: 1 });
    assert.deepEqual(y.locate(['examples', 0, 'output']), { line: 5, column: 5 });
    const j = ok(parseValuesFile('\uFEFF{\n  "review": "ok",\n  "examples": []\n}', 'v.json'));
    assert.equal(j.format, 'JSON');
    assert.deepEqual(j.values, { review: 'ok', examples: [] });
    assert.deepEqual(j.locate(['examples']), { line: 3, column: 3 });
    // `__proto__` stays a plain key.
    const p = ok(parseValuesFile('{"__proto__": {"polluted": true}}', 'p.json'));
    assert.equal(Object.prototype.hasOwnProperty.call(p.values, '__proto__'), true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('says where a file is not valid JSON or YAML, not a map, binary, too deep or too large', () => {
    assert.deepEqual(problems(parseValuesFile('{\n  "a": 1,\n  "b": [1, 2,]\n}', 'v.json')), ['syntax @3:14 JSON|ValueExpected']);
    assert.match(problems(parseValuesFile('a: 1\nb: [unclosed\n', 'v.yaml'))[0]!, /^syntax @\d+:\d+ YAML\|/);
    assert.match(problems(parseValuesFile('a: 1\na: 2\n', 'v.yml'))[0]!, /^syntax @2:1 YAML\|Map keys must be unique/);
    assert.deepEqual(problems(parseValuesFile('- just\n- a list\n', 'v.yaml')), ['notAMap @1:1']);
    assert.deepEqual(problems(parseValuesFile('"text"', 'v.json')), ['notAMap @1:1']);
    assert.deepEqual(problems(parseValuesFile('a\u0000b', 'v.json')), ['binary']);
    assert.deepEqual(problems(parseValuesFile('{"a":' + '['.repeat(100) + ']'.repeat(100) + '}', 'v.json')), ['tooDeep 64']);
    assert.match(problems(parseValuesFile('a: ' + 'x'.repeat(6 * 1024 * 1024), 'v.yaml'))[0]!, /^tooLarge \d+\|5242880$/);
    // An alias bomb stops at yaml's alias limit.
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';
    assert.match(problems(parseValuesFile(bomb, 'bomb.yaml'))[0]!, /^syntax YAML\|/);
  });

  it('checks the values against how the template uses them, naming the field and its line', () => {
    const f = ok(parseValuesFile('review: fine\nexamples: not a list\ntask: [a, b]\nextra: 1\n', 'v.yaml'));
    const found = checkValuesAgainst(f, check.inputs, check.variables).map((p) => `${p.severity} ${p.code} ${p.path} @${p.line}:${p.column} ${p.args.join('|')}`);
    assert.deepEqual(found, [
      'error wrongType examples @2:1 list|text',
      'error wrongType task @3:1 text|list',
      'warning unused extra @4:1 ',
    ]);
    const good = ok(parseValuesFile('review: fine\n', 'v.yaml'));
    assert.deepEqual(checkValuesAgainst(good, check.inputs, check.variables), []);
  });

  it('renders with the file\'s values and the samples for the rest', () => {
    const f = ok(parseValuesFile('review: "Arrived broken <again> & late."\n', 'v.yaml'));
    const values = mergeWithSamples(f.values, check.variables);
    const r = renderTemplate(template, { mode: 'values', values });
    assert.ok(r.ok);
    assert.equal(r.text, FEW_SHOT_EXPECTED.replace('The "fast" charger takes 5 hours & gets hot.', 'Arrived broken <again> & late.'));
  });
});
