import * as assert from 'node:assert/strict';
import { DEFAULT_LANGUAGES } from '../../src/core/settings';
import { expandSnippet, parseSnippetFile, type PromptSnippet, snippetFileLanguage, stripJsonComments } from '../../src/core/template/snippets';
import { readRepoFile } from './reference';

const FILES = { en: 'snippets/prompts.en.code-snippets', 'zh-cn': 'snippets/prompts.zh-cn.code-snippets' } as const;
const load = (lang: keyof typeof FILES): PromptSnippet[] => parseSnippetFile(readRepoFile(FILES[lang]), lang, FILES[lang]);

/** What issue #3 asks for: the four-part prompt and each part, zero-/few-shot, CoT (both), system prompt, output formats. */
const TECHNIQUES = ['prompt', 'instruction', 'context', 'input', 'output', 'zeroshot', 'fewshot', 'fewshot-cot', 'cot', 'system', 'format-json', 'format-table', 'format-list', 'format-labels'];
const CJK = /[\u4e00-\u9fff]/;

describe('prompt snippets', () => {
  const en = load('en');
  const zh = load('zh-cn');

  it('cover every technique in English and Chinese with consistent prefixes', () => {
    assert.deepEqual(en.map((s) => s.technique), TECHNIQUES);
    assert.deepEqual(zh.map((s) => s.technique), TECHNIQUES);
    assert.deepEqual(en.map((s) => s.prefix), TECHNIQUES.map((t) => `pw-${t}`));
    assert.deepEqual(zh.map((s) => s.prefix), TECHNIQUES.map((t) => `pw-zh-${t}`));
  });

  it('are contributed for every prompt language of the token counter', () => {
    const pkg = JSON.parse(readRepoFile('package.json'));
    const contributed = (pkg.contributes.snippets as Array<{ language: string; path: string }>).map((s) => `${s.language} ${s.path}`);
    for (const language of DEFAULT_LANGUAGES) {
      for (const file of Object.values(FILES)) assert.ok(contributed.includes(`${language} ./${file}`), `${file} is not contributed for ${language}`);
    }
  });

  it('each explain the technique in one line, in the language of the snippet', () => {
    for (const s of [...en, ...zh]) {
      assert.ok(s.description.length >= 20 && !s.description.includes('\n'), `${s.prefix}: "${s.description}"`);
      assert.equal(CJK.test(s.description), s.language === 'zh-cn', `${s.prefix}: description language`);
      assert.equal(CJK.test(expandSnippet(s.body).text), s.language === 'zh-cn', `${s.prefix}: body language`);
    }
  });

  it('have tab stops numbered 1..n, one final cursor position, and choices where the set is fixed', () => {
    for (const s of [...en, ...zh]) {
      const e = expandSnippet(s.body);
      assert.ok(e.stops.length >= 1, s.prefix);
      assert.deepEqual(e.stops, e.stops.map((_, i) => i + 1), `${s.prefix}: stops ${e.stops.join(',')}`);
      assert.equal(s.body.match(/\$0/g)?.length, 1, `${s.prefix}: needs exactly one $0`);
      assert.ok(!/\$\{?\d/.test(e.text), `${s.prefix}: unexpanded placeholder in ${e.text}`);
      for (const d of Object.values(e.defaults)) assert.ok(d.trim().length > 0, `${s.prefix}: empty placeholder`);
    }
    const choices = (list: PromptSnippet[], t: string) => Object.values(expandSnippet(list.find((s) => s.technique === t)!.body).choices);
    assert.deepEqual(choices(en, 'output'), [['JSON', 'Markdown table', 'bulleted list', 'one word'], ['English', 'Simplified Chinese', 'same as the input']]);
    assert.deepEqual(choices(zh, 'output'), [['JSON', 'Markdown 表格', '项目符号列表', '一个词'], ['简体中文', '英文', '与输入相同']]);
    assert.deepEqual(choices(en, 'format-list'), [['numbered', 'bulleted']]);
    assert.deepEqual(choices(zh, 'format-labels'), [['正面', '负面', '中性']]);
  });

  it('few-shot has k input/output pairs and few-shot CoT has input/reasoning/answer triples', () => {
    const fewshot = expandSnippet(en.find((s) => s.technique === 'fewshot')!.body).text;
    assert.equal(fewshot.match(/^Review: /gm)?.length, 4); // 3 examples + the new input
    assert.equal(fewshot.match(/^Sentiment: \S/gm)?.length, 3);
    const cot = expandSnippet(zh.find((s) => s.technique === 'fewshot-cot')!.body).text;
    assert.equal(cot.match(/^问题：/gm)?.length, 3);
    assert.equal(cot.match(/^推理：\S/gm)?.length, 2);
    assert.equal(cot.match(/^答案：\S/gm)?.length, 2);
  });

  it('expand to exactly the text VS Code inserts with the defaults (mirrors, escapes, final cursor)', () => {
    const cot = expandSnippet(zh.find((s) => s.prefix === 'pw-zh-cot')!.body);
    assert.equal(cot.text, [
      '问题：火车 9:40 出发，全程 2 小时 35 分钟，几点到站？',
      '',
      '请一步一步地推理，写出每个中间结果，然后再下结论。',
      '最后单独占一行写出最终答案，以“答案：”开头。',
      '',
      '让我们一步一步地思考。',
      '',
    ].join('\n'));
    assert.equal(cot.final, cot.text.length);
    const json = expandSnippet(en.find((s) => s.prefix === 'pw-format-json')!.body);
    assert.ok(json.text.includes('  "evidence": ["a short quote from the input"]\n}\n```'), json.text);
    const few = expandSnippet(en.find((s) => s.prefix === 'pw-fewshot')!.body);
    assert.equal(few.text.slice(few.final - 'Sentiment: '.length), 'Sentiment: ');
    assert.equal(few.stops.length, 10);
    const synthetic = expandSnippet('a ${1:one ${2:two}} $2 ${3|x,y\\,z|} \\$1 \\} $0!');
    assert.deepEqual([synthetic.text, synthetic.final, synthetic.stops], ['a one two two x $1 } !', 21, [1, 2, 3]]);
  });

  it('reads the snippet files as VS Code does (comments, trailing commas) and names its language', () => {
    assert.deepEqual(JSON.parse(stripJsonComments('{ // c\n "a": "// not a comment", /* b */ "c": [1,],\n}')), { a: '// not a comment', c: [1] });
    assert.equal(snippetFileLanguage('./snippets/prompts.zh-cn.code-snippets'), 'zh-cn');
    assert.equal(snippetFileLanguage('./snippets/prompts.en.code-snippets'), 'en');
    assert.throws(() => parseSnippetFile('{"x": {"body": "b"}}', 'en', 'bad.code-snippets'), /bad\.code-snippets: x\.prefix/);
  });
});
