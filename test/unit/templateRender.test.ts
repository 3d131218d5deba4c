import * as assert from 'node:assert/strict';
import { renderTemplate } from '../../src/core/template/render';
import { LIMITS, type RenderResult } from '../../src/core/template/types';
import { readRepoFile } from './reference';
import { FEW_SHOT_EXPECTED } from './templateFixtures';


function ok(r: RenderResult): string {
  if (!r.ok) assert.fail(`render failed: ${r.issue.code} ${r.issue.args.join('|')} at line ${r.issue.range.line + 1}`);
  return r.text;
}

function failed(r: RenderResult): string {
  if (r.ok) assert.fail(`rendered although it should fail: ${JSON.stringify(r.text.slice(0, 200))}`);
  return `${r.issue.code} ${r.issue.args.join('|')} @${r.issue.range.line + 1}:${r.issue.range.column + 1}`;
}

const values = (v: Record<string, unknown>) => ({ mode: 'values' as const, values: v });

describe('template rendering', () => {
  it('renders the few-shot example with its sample values, exactly', () => {
    const r = renderTemplate(readRepoFile('examples/sentiment-few-shot.prompt.hbs'), { mode: 'samples' });
    assert.equal(ok(r), FEW_SHOT_EXPECTED);
    assert.equal(r.ok && r.model, 'gpt-4o');
  });

  it('renders the Chinese example with Chinese variable names', () => {
    const text = ok(renderTemplate(readRepoFile('examples/meeting-summary.prompt.hbs'), { mode: 'samples' }));
    assert.equal(text, [
      '## 说明',
      '请为刚加入项目的产品经理总结下面的会议纪要，写出决定、负责人和截止日期，不超过 150 字。',
      '',
      '## 输入数据',
      '"""',
      '周一例会：发布日期从 3 月 1 日推迟到 3 月 8 日，因为支付接口还在联调。',
      '小王负责补充退款流程的测试用例；小李周三前给出新的发布清单。',
      '"""',
      '',
      '## 输出指示',
      '用简体中文，每条要点以“- ”开头。',
      '要点：',
      '',
    ].join('\n'));
  });

  it('keeps &, <, > and quotes as typed (no HTML escaping), also in triple-stash and values', () => {
    const t = 'A & B <b> "q" \'s\' {{x}} {{{x}}} {{&x}}';
    assert.equal(ok(renderTemplate(t, values({ x: `<tag a="1"> & 'y' \`z\`` }))), 'A & B <b> "q" \'s\' <tag a="1"> & \'y\' `z` <tag a="1"> & \'y\' `z` <tag a="1"> & \'y\' `z`');
  });

  it('fills {{#each}} over a list of examples, with @index, @first, @last, this and ../', () => {
    const t = [
      '---', 'variables:', '  task: {default: Label it}', '  examples:', '    sample:', '      - {input: a, output: "1"}', '      - {input: b, output: "2"}', '---',
      '{{#each examples}}',
      '{{@index}}{{#if @first}} (first){{/if}}{{#if @last}} (last){{/if}}: {{input}} -> {{this.output}} [{{../task}}]',
      '{{/each}}',
      '{{#each examples as |ex i|}}{{i}}={{ex.input}};{{/each}}',
      '{{#each empty}}x{{else}}none{{/each}}',
    ].join('\n');
    assert.equal(ok(renderTemplate(t.replace('{{#each empty}}', '{{#each examples}}'), { mode: 'samples' })).split('\n').slice(0, 3).join('\n'),
      '0 (first): a -> 1 [Label it]\n1 (last): b -> 2 [Label it]\n0=a;1=b;');
    assert.equal(ok(renderTemplate(t, values({ task: 'T', examples: [{ input: 'q', output: 'w' }], empty: [] }))),
      '0 (first) (last): q -> w [T]\n0=q;\nnone');
  });

  it('supports if/else, unless, with, lookup, sections and @root', () => {
    const t = '{{#if formal}}Dear{{else}}Hi{{/if}} {{#with person}}{{name}} ({{@root.role}}){{/with}}{{#unless short}}, thanks{{/unless}}. {{lookup names 1}} {{#list}}<{{this}}>{{/list}}{{#flag}} on{{/flag}}';
    assert.equal(ok(renderTemplate(t, values({ formal: false, person: { name: 'Ann' }, role: 'PM', short: false, names: ['x', 'y'], list: ['a', 'b'], flag: true }))),
      'Hi Ann (PM), thanks. y <a><b> on');
  });

  it('handles Chinese and emoji in names and values', () => {
    const t = '---\nvariables:\n  任务: {sample: 判断情感}\n  "😀": {sample: "🎉 好评 👍"}\n---\n{{任务}}：{{😀}}';
    assert.equal(ok(renderTemplate(t, { mode: 'samples' })), '判断情感：🎉 好评 👍');
  });

  it('names a missing variable and its line (samples, values, undeclared)', () => {
    const front = '---\nvariables:\n  task: {sample: Do it}\n  tone: {description: no value}\n---\n';
    assert.equal(failed(renderTemplate(`${front}{{task}}\nin a {{tone}} tone`, { mode: 'samples' })), 'missingSample tone|7 @7:8');
    assert.equal(failed(renderTemplate(`${front}{{task}}\n\n{{audience}}`, { mode: 'samples' })), 'undeclaredValue audience|8 @8:3');
    assert.equal(failed(renderTemplate('Hello {{name}}', values({}))), 'missingValue name|1 @1:9');
    // Without the check, Handlebars would render {{#each}} over a missing list as nothing.
    assert.equal(failed(renderTemplate('{{#each examples}}{{input}}{{/each}}', values({}))), 'missingValue examples|1 @1:9');
  });

  it('fails in strict mode when an item lacks a field, naming it with line and column', () => {
    const t = '---\nvariables:\n  ex:\n    sample:\n      - {input: a, output: b}\n      - {input: c}\n---\n{{#each ex}}\n{{input}} => {{output}}\n{{/each}}';
    assert.equal(failed(renderTemplate(t, { mode: 'samples' })), 'notDefined output|9|16 @9:16');
  });

  it('rejects a text value where a list is looped over', () => {
    assert.equal(failed(renderTemplate('x\n{{#each examples}}{{this}}{{/each}}', values({ examples: 'not a list' }))), 'notAList examples|2|list @2:9');
  });

  it('gives no access to prototypes, and no helpers or partials from the template', () => {
    assert.equal(failed(renderTemplate('{{constructor.name}}', values({}))), 'missingValue constructor|1 @1:3');
    const item = renderTemplate('{{#each xs}}[{{constructor}}{{__proto__}}{{toString}}]{{/each}}', values({ xs: [{ a: 1 }] }));
    assert.equal(ok(item), '[]');
    assert.equal(failed(renderTemplate('{{#each xs}}{{this.constructor.constructor}}{{/each}}', values({ xs: [{}] }))).split(' ')[0], 'notDefined');
    assert.equal(failed(renderTemplate('{{log "x"}}', values({}))), 'unknownHelper log @1:3');
    assert.equal(failed(renderTemplate('{{#*inline "p"}}x{{/inline}}{{> p}}', values({}))), 'decorator inline @1:1');
    // A value named __proto__ is just a name, it does not change the context's prototype.
    assert.equal(ok(renderTemplate('{{[__proto__]}}', values(JSON.parse('{"__proto__": "safe"}')))), 'safe');
  });

  it('renders a 1 MB value and a 5 MB template', () => {
    const big = '字'.repeat(1024 * 1024);
    let t0 = Date.now();
    const one = ok(renderTemplate('A {{v}} B', values({ v: big })));
    const oneMs = Date.now() - t0;
    assert.equal(one.length, big.length + 4);
    assert.ok(one.startsWith('A 字字') && one.endsWith('字 B'));
    const para = 'Reference prose for the model: numbers 12345, symbols & < > "quotes", 中文和 emoji 😀.\n';
    const body = para.repeat(Math.ceil((5 * 1024 * 1024) / para.length));
    const template = `---\nvariables:\n  task: {sample: Summarise}\n  items: {sample: [a, b]}\n---\n{{task}}\n${body}{{#each items}}- {{this}}\n{{/each}}`;
    t0 = Date.now();
    const text = ok(renderTemplate(template, { mode: 'samples' }));
    const fiveMs = Date.now() - t0;
    assert.equal(text, `Summarise\n${body}- a\n- b\n`);
    console.log(`      1 MB value: ${oneMs} ms; 5 MB template (${(template.length / 1048576).toFixed(1)} M chars): ${fiveMs} ms`);
    assert.ok(fiveMs < 5000, `${fiveMs} ms`);
  });

  it('stops runaway output and loops with a clear reason', () => {
    const list = Array.from({ length: 300 }, (_, i) => i);
    const boom = '{{#each a}}{{#each @root.a}}{{#each @root.a}}{{@root.big}}{{/each}}{{/each}}{{/each}}';
    let t0 = Date.now();
    assert.equal(failed(renderTemplate(boom, values({ a: list, big: 'x'.repeat(1000) }))), `outputTooLarge ${LIMITS.maxOutputChars} @1:1`);
    assert.ok(Date.now() - t0 < 3000);
    const quiet = '{{#each a}}{{#each @root.a}}{{#each @root.a}}{{#each @root.a}}{{/each}}{{/each}}{{/each}}{{/each}}';
    t0 = Date.now();
    assert.equal(failed(renderTemplate(quiet, values({ a: list }), { ...LIMITS, renderMs: 300 })), 'timeout 1 @1:1');
    assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
    // Without loops the output can still pass the limit: {{v}} a thousand times over a 1 MB value.
    assert.equal(failed(renderTemplate('{{v}}'.repeat(1000), values({ v: 'x'.repeat(1 << 20) }))), `outputTooLarge ${LIMITS.maxOutputChars} @1:1`);
  });

  it('says in the manifest that rendering runs no workspace code, and contributes the commands', () => {
    const pkg = JSON.parse(readRepoFile('package.json'));
    const nls = JSON.parse(readRepoFile('package.nls.json'));
    const nlsZh = JSON.parse(readRepoFile('package.nls.zh-cn.json'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(pkg.capabilities.untrustedWorkspaces.description, '%capabilities.untrustedWorkspaces%');
    assert.match(nls['capabilities.untrustedWorkspaces'], /no code from the workspace runs/);
    assert.match(nlsZh['capabilities.untrustedWorkspaces'], /不会运行工作区中的任何代码/);
    const commands = pkg.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of ['promptWorkbench.renderTemplate', 'promptWorkbench.renderTemplateWithSamples', 'promptWorkbench.insertScaffold']) assert.ok(commands.includes(id), id);
    const title = pkg.contributes.menus['editor/title'].map((m: { command: string; when: string }) => `${m.command} ${m.when}`);
    assert.deepEqual(title.filter((t: string) => t.includes('Template')), [
      'promptWorkbench.renderTemplate resourceFilename =~ /\\.prompt\\.hbs$/',
      'promptWorkbench.renderTemplateWithSamples resourceFilename =~ /\\.prompt\\.hbs$/',
    ]);
  });

  it('refuses to render a template with errors, with the first one', () => {
    const r = renderTemplate('ok\n{{#each xs}}\n', values({ xs: [] }));
    assert.equal(failed(r), 'unclosedBlock each|2 @2:1');
    assert.equal(!r.ok && r.template, true);
  });
});
