import * as assert from 'node:assert/strict';
import { checkTemplate, countTags } from '../../src/core/template/check';
import { splitFrontMatter } from '../../src/core/template/frontMatter';
import { scanBlocks } from '../../src/core/template/handlebars';
import type { TemplateCheck, TemplateIssue } from '../../src/core/template/types';
import { readRepoFile } from './reference';

/** `code name @line:col-line:col` (1-based lines and columns, as an editor shows them). */
function brief(i: TemplateIssue): string {
  const r = i.range;
  return `${i.code}${i.args.length ? ' ' + i.args.join('|') : ''} @${r.line + 1}:${r.column + 1}-${r.endLine + 1}:${r.endColumn + 1}`;
}
const issues = (c: TemplateCheck) => c.issues.map(brief);
const uses = (c: TemplateCheck) => c.uses.map((u) => `${u.name}:${u.kind}@${u.range.line + 1}:${u.range.column + 1}`);

const FRONT = (vars: string) => `---\nvariables:\n${vars}---\n`;

describe('template check: front matter', () => {
  it('splits front matter off and says where the body starts (LF and CRLF)', () => {
    assert.deepEqual(splitFrontMatter('---\na: 1\n---\nBody {{x}}\n'), { yaml: 'a: 1\n', yamlLine: 1, body: 'Body {{x}}\n', bodyLine: 3, unclosed: false });
    assert.deepEqual(splitFrontMatter('---\r\na: 1\r\n---\r\nBody'), { yaml: 'a: 1\r\n', yamlLine: 1, body: 'Body', bodyLine: 3, unclosed: false });
    assert.deepEqual(splitFrontMatter('No front matter\n---\n'), { yamlLine: 0, body: 'No front matter\n---\n', bodyLine: 0, unclosed: false });
    assert.equal(splitFrontMatter('---\na: 1\n').unclosed, true);
  });

  it('reads the declared variables in order, with descriptions, defaults and samples', () => {
    const c = checkTemplate(readRepoFile('examples/sentiment-few-shot.prompt.hbs'));
    assert.deepEqual(c.issues, []);
    assert.equal(c.model?.id, 'gpt-4o');
    assert.deepEqual(c.model?.range, { line: 3, column: 7, endLine: 3, endColumn: 13 });
    assert.deepEqual(c.variables.map((v) => [v.name, v.hasDefault, v.hasSample, v.range.line + 1]), [
      ['task', true, true, 6], ['examples', false, true, 10], ['review', false, true, 19],
    ]);
    assert.deepEqual(c.variables[1]!.sample, [
      { input: 'Battery lasts all day & the screen is gorgeous.', output: 'positive' },
      { input: 'It stopped charging after a week. <Sigh>', output: 'negative' },
      { input: 'Does what the box says, no more, no less.', output: 'neutral' },
    ]);
    assert.equal(c.bodyLine, 22);
  });

  it('names the field that fails the schema and points at it', () => {
    const c = checkTemplate('---\nmodle: gpt-4o\nvariables:\n  task:\n    defualt: x\n  n:\n    description: 3\n---\n{{task}} {{n}}');
    assert.deepEqual(issues(c), [
      'schemaUnknownKey modle|title, description, model, variables @2:1-2:6',
      'schemaUnknownKey variables.task.defualt|description, default, sample @5:5-5:12',
      'schema variables.n.description|Invalid input: expected string, received number @7:18-7:19',
    ]);
    // The body is still analysed with the declared names.
    assert.deepEqual(uses(c), ['task:value@9:3', 'n:value@9:12']);
  });

  it('reports broken YAML at its line, and an unclosed front matter', () => {
    const c = checkTemplate('---\nvariables:\n  task: [1, 2\n  other: 3\n---\n{{task}}');
    // One YAML error at the line after the unclosed [ (and no "undeclared task": the declarations are unknown).
    assert.deepEqual(issues(c), ['yaml Flow sequence in block collection must be sufficiently indented and end with a ] @4:3-4:4']);
    assert.deepEqual(issues(checkTemplate('---\ntitle: x\n{{task}}\n')), ['frontMatterUnclosed @1:1-1:4']);
    const dup = checkTemplate('---\nvariables:\n  a: {}\n  a: {}\n---\n{{a}}');
    assert.equal(dup.issues[0]?.code, 'yaml');
    assert.match(dup.issues[0]!.args[0]!, /unique/);
  });

  it('rejects variable names every object already has, and says how to write odd ones', () => {
    const c = checkTemplate(FRONT('  constructor: {}\n  my var: {}\n') + '{{constructor}} {{[my var]}}');
    assert.deepEqual(issues(c).filter((i) => /variableName/.test(i)), [
      'variableName constructor @3:3-3:14',
      'variableNameBrackets my var @4:3-4:9',
    ]);
  });

  it('does not expand a YAML alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const t0 = Date.now();
    const c = checkTemplate(`---\n${bomb.join('\n')}\n---\nx`);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(c.issues[0]?.code, 'yaml');
    assert.match(c.issues[0]!.args[0]!, /alias/i);
  });
});

describe('template check: Handlebars syntax', () => {
  it('puts an unclosed block on its opening tag, after the front matter', () => {
    const c = checkTemplate(FRONT('  xs: {}\n') + 'Intro\n\n  {{#each xs}}\n  {{this}}\n');
    assert.deepEqual(issues(c), ['unclosedBlock each|7 @7:3-7:15']);
  });

  it('puts a mismatched closing tag where it is', () => {
    assert.deepEqual(issues(checkTemplate('a\n{{#if a}}\n  {{#each xs}}{{/if}}\n')), ['mismatchedBlock if|each|3 @3:15-3:22']);
  });

  it('gives line and column of other syntax errors and what was expected', () => {
    assert.deepEqual(issues(checkTemplate('a\nb {{x }\nc')), ['syntax "}"|}}, name, }}}, "text", number, … @2:7-2:8']);
    assert.deepEqual(issues(checkTemplate('line\n  {{}}')), ['syntax "}}"|name, "text", number, @, true/false, … @2:5-2:7']);
    assert.deepEqual(issues(checkTemplate('{{#if a}}x{{else}}y{{else}}z{{/if}}')), ['syntax "{{else}}"|{{/ @1:20-1:28']);
  });

  it('scans block tags past comments and raw blocks', () => {
    assert.deepEqual(scanBlocks('{{!-- {{#if}} --}}{{#each a}}{{! {{/if}} }}{{/each}}'), {});
    assert.equal(scanBlocks('{{#each a}}\n{{#if b}}\n{{/each}}').mismatch?.args.join('|'), 'each|if|2');
    assert.equal(scanBlocks('x\n{{#with a}}').unclosed?.args.join('|'), 'with|2');
  });

  it('reports unknown helpers, partials, decorators and wrong numbers of values', () => {
    const c = checkTemplate(FRONT('  x: {}\n  xs: {}\n') + '{{upper x}}\n{{> header}}\n{{#if}}{{/if}}\n{{lookup xs}}\n{{log x}}\n{{#*inline "p"}}{{/inline}}\n{{#each xs}}{{/each}}');
    assert.deepEqual(issues(c), [
      'unknownHelper upper @6:3-6:8',
      'partial header @7:1-7:13',
      'helperArity if|1 @8:4-8:6',
      'helperArity lookup|2 @9:3-9:9',
      'unknownHelper log @10:3-10:6',
      'decorator inline @11:1-11:28',
    ]);
  });

  it('stops before parsing a template with too many tags, quickly', () => {
    const text = '{{a}}'.repeat(60_000);
    const t0 = Date.now();
    const c = checkTemplate(text);
    assert.ok(Date.now() - t0 < 500, `${Date.now() - t0} ms`);
    assert.deepEqual(issues(c), ['tooManyTags 60000|50000 @1:1-1:201']);
    assert.equal(countTags('{{a}} {{{b}}} {{!c}}'), 3);
  });
});

describe('template check: variable analysis', () => {
  it('finds used-but-undeclared and declared-but-unused variables', () => {
    const c = checkTemplate(FRONT('  task: {}\n  tone: {}\n') + 'Do {{task}} for {{audience}}.\n{{audience}} again');
    assert.deepEqual(issues(c), [
      'unused tone @4:3-4:7',
      'undeclared audience @6:19-6:27',
      'undeclared audience @7:3-7:11',
    ]);
    assert.deepEqual(c.inputs.map((i) => [i.name, i.declared, i.kinds.join()]), [['task', true, 'value'], ['audience', false, 'value']]);
  });

  it('follows the context into {{#each}}: item fields, this, @index, ../ and @root are not top-level variables', () => {
    const body = [
      '{{#each examples}}',
      '{{@index}}. {{input}} → {{this.output}} ({{../task}}, {{@root.tone}}, {{@first}})',
      '{{else}}',
      'No examples for {{task}}.',
      '{{/each}}',
    ].join('\n');
    const c = checkTemplate(FRONT('  task: {}\n  tone: {}\n  examples:\n    sample: [{input: a, output: b}]\n') + body);
    assert.deepEqual(issues(c), []);
    assert.deepEqual(uses(c), ['examples:list@8:9', 'task:value@9:44', 'tone:value@9:57', 'task:value@11:19']);
    assert.deepEqual(c.scopes.map((s) => [s.helper, s.of, s.fields.join(), s.data]), [['each', 'examples', 'input,output', true]]);
  });

  it('knows block params, {{#with}}, {{#if}}/{{#unless}} (same context) and sections', () => {
    const body = [
      '{{#each examples as |ex i|}}{{i}}: {{ex.input}} {{ex.nope}}{{/each}}',
      '{{#with person}}{{name}} {{age}}{{/with}}',
      '{{#if formal}}Dear {{person.name}}{{else}}Hi{{/if}}{{#unless short}}…{{/unless}}',
      '{{#flag}}{{task}}{{/flag}}{{^flag}}no{{/flag}}',
      '{{lookup examples 0}} {{#each (lookup examples 0)}}{{this}}{{/each}}',
    ].join('\n');
    const c = checkTemplate(FRONT('  examples:\n    sample: [{input: a, output: b}]\n  person:\n    sample: {name: Ann}\n  formal: {}\n  short: {}\n  flag:\n    default: true\n  task: {}\n') + body);
    assert.deepEqual(issues(c), [
      'itemField nope|examples|input, output @13:51-13:58',
      'itemField age|person|name @14:28-14:31',
    ]);
    assert.deepEqual(c.inputs.map((i) => `${i.name}:${i.kinds.join('/')}`), ['examples:list/argument', 'person:object/value', 'formal:condition', 'short:condition', 'flag:section', 'task:value']);
  });

  it('flags @index outside loops, unknown @data, ../ above the top, and a list printed as text', () => {
    const c = checkTemplate(FRONT('  xs:\n    sample: [1, 2]\n  m:\n    default: {a: 1}\n') + '{{@index}} {{@foo}} {{../x}} {{xs}} {{m}} {{#each xs}}{{constructor}}{{/each}}');
    assert.deepEqual(issues(c), [
      'dataOutsideEach @index @8:3-8:9',
      'unknownData @foo @8:14-8:18',
      'aboveTop ../x @8:23-8:27',
      'structuredAsText xs|list @8:32-8:34',
      'structuredAsText m|map @8:39-8:40',
      // xs holds numbers: no field list to check against, but `constructor` never has a value.
      'reservedField constructor @8:57-8:68',
    ]);
    const item = checkTemplate(FRONT('  xs:\n    sample: [{a: 1}]\n') + '{{#each xs}}{{constructor}}{{/each}}');
    assert.deepEqual(issues(item), ['reservedField constructor @6:15-6:26']);
    // Items that are plain text have no fields: {{audience}} inside the loop has no value.
    const scalars = checkTemplate(FRONT('  tags:\n    sample: [a, b]\n  audience: {}\n') + '{{#each tags as |t|}}{{this}} {{audience}} {{t.name}}{{/each}}');
    assert.deepEqual(issues(scalars), ['unused audience @5:3-5:11', 'scalarItems audience|tags @7:33-7:41', 'scalarItems name|tags @7:46-7:52']);
  });

  it('handles Chinese and emoji names and {{[literal segments]}}', () => {
    const c = checkTemplate(FRONT('  任务: {}\n  "😀": {}\n  "my var": {}\n') + '{{任务}} {{😀}} {{[my var]}} {{未声明}}');
    assert.deepEqual(uses(c), ['任务:value@7:3', '😀:value@7:10', 'my var:value@7:17', '未声明:value@7:30']);
    assert.deepEqual(issues(c).filter((i) => !i.startsWith('variableNameBrackets')), ['undeclared 未声明 @7:30-7:33']);
  });

  it('maps positions after CRLF front matter', () => {
    const c = checkTemplate('---\r\nvariables:\r\n  a: {}\r\n---\r\nx\r\n  {{b}}\r\n');
    assert.deepEqual(issues(c), ['unused a @3:3-3:4', 'undeclared b @6:5-6:6']);
  });
});
