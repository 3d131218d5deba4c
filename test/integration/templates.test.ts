import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { expandSnippet, parseSnippetFile } from '../../src/core/template/snippets';
import type { RenderCommandResult } from '../../src/features/templates';
import { REPO, readRepoFile, referenceCount } from '../unit/reference';
import { FEW_SHOT_EXPECTED } from '../unit/templateFixtures';
import { api, closeAll, numberIn, openDoc, setSetting, waitFor } from './helpers';

type Success = Extract<RenderCommandResult, { text: string }>;
type Failure = Extract<RenderCommandResult, { error: string }>;

const example = (name: string) => vscode.Uri.file(path.join(REPO, 'examples', name));
const SOURCE = 'Prompt Workbench';
/** A 1 MB variable value (1,048,576 characters of mixed prose). */
const BIG_VALUE = 'Long pasted context, 长篇参考资料, 🙂 '.repeat(40_330).slice(0, 1024 * 1024);

function success(r: RenderCommandResult | undefined): Success {
  assert.ok(r && 'text' in r, `the render failed: ${JSON.stringify(r)}`);
  return r;
}

function failure(r: RenderCommandResult | undefined): Failure {
  assert.ok(r && 'error' in r, `expected an error, got ${JSON.stringify(r).slice(0, 300)}`);
  return r;
}

/** Our diagnostics of a document as `severity line:col-line:col message` (1-based, like the Problems panel). */
function problems(uri: vscode.Uri): string[] {
  const sev = ['error', 'warning', 'info', 'hint'];
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE).map((d) =>
    `${sev[d.severity]} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`);
}

async function waitForProblems(uri: vscode.Uri, ok: (p: string[]) => boolean, what: string): Promise<string[]> {
  return waitFor(() => problems(uri), ok, what, 15_000);
}

describe('prompt templates: render commands', () => {
  afterEach(async () => {
    await closeAll();
    await setSetting('model', undefined);
  });

  it('renders the few-shot example with sample values: exact text, token count and cost, in a new editor', async () => {
    const pw = await api();
    const doc = await vscode.workspace.openTextDocument(example('sentiment-few-shot.prompt.hbs'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'handlebars');
    const before = doc.getText();
    const r = success(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplateWithSamples'));
    assert.equal(r.text, FEW_SHOT_EXPECTED);
    assert.equal(r.model, 'gpt-4o');
    const tokens = referenceCount('o200k_base', FEW_SHOT_EXPECTED);
    assert.equal(r.tokens, tokens);
    assert.equal(r.exact, true);
    assert.equal(r.cost, (tokens * 2.5) / 1e6);
    // The new editor holds exactly the rendered text, and the status bar counts it.
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), r.document);
    assert.equal(editor.document.isUntitled, true);
    assert.equal(editor.document.languageId, 'plaintext');
    assert.equal(editor.document.getText(), FEW_SHOT_EXPECTED);
    await waitFor(() => pw.statusBar().text, (t) => /tokens/.test(t) && numberIn(t) === tokens, `a status bar count of ${tokens}`);
    // The template itself is untouched.
    assert.equal(doc.getText(), before);
    assert.equal(doc.isDirty, false);
  });

  it('counts for the template\'s model, not the chosen one', async () => {
    await api();
    await setSetting('model', 'claude-sonnet-4-5');
    const r = success(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplateWithSamples', example('meeting-summary.prompt.hbs')));
    assert.equal(r.model, 'gpt-4o-mini');
    assert.equal(r.tokens, referenceCount('o200k_base', r.text));
    assert.match(r.text, /^## 说明\n请为刚加入项目的产品经理总结/);
  });

  it('gives an error naming a missing variable and its line', async () => {
    await api();
    const editor = await openDoc('---\nvariables:\n  task:\n    sample: Summarise\n---\n{{task}} for\n{{audience}}.\n', 'handlebars');
    const r = failure(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplateWithSamples', editor.document.uri));
    assert.equal(r.code, 'undeclaredValue');
    assert.equal(r.variable, 'audience');
    assert.equal(r.line, 7);
    assert.equal(r.error, 'Missing variable "audience" (used on line 7): it is not declared in the front matter, so it has no sample value.');
    const noSample = await openDoc('---\nvariables:\n  tone: {description: How it sounds}\n---\nIn a {{tone}} tone.', 'handlebars');
    const r2 = failure(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplateWithSamples', noSample.document.uri));
    assert.match(r2.error, /^Variable "tone" \(used on line 5\) has no sample or default value/);
  });

  it('refuses a template with syntax errors and points at the first one', async () => {
    await api();
    const editor = await openDoc('Intro\n{{#each items}}\n- {{this}}\n', 'handlebars');
    const r = failure(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplateWithSamples', editor.document.uri));
    assert.equal(r.code, 'unclosedBlock');
    assert.equal(r.line, 2);
    assert.match(r.error, /cannot be rendered until this problem is fixed\. Line 2: \{\{#each\}\} on line 2 is never closed: add \{\{\/each\}\}\./);
  });

  it('Render Template asks for each variable, prefilled with its default', async () => {
    await api();
    const uri = example('meeting-summary.prompt.hbs');
    // 纪要 is given; 读者 and 字数 are asked for, and accepting keeps their defaults.
    const pending = vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplate', uri, { values: { 纪要: 'A & B <ok>' } });
    let done: RenderCommandResult | undefined;
    void pending.then((r) => (done = r));
    const until = Date.now() + 15_000;
    let accepted = 0;
    while (!done && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 300));
      if (!done) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        accepted++;
      }
    }
    const r = success(await pending);
    assert.ok(accepted >= 2, `accepted ${accepted} input boxes`);
    assert.equal(r.text.split('\n')[1], '请为没有参会的同事总结下面的会议纪要，写出决定、负责人和截止日期，不超过 150 字。');
    assert.match(r.text, /"""\nA & B <ok>\n"""/);
  });

  it('renders given values without asking, exactly as typed (no HTML escaping)', async () => {
    await api();
    const r = success(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplate', example('sentiment-few-shot.prompt.hbs'), {
      values: { task: 'Label: "pos" & <neg>', examples: [{ input: 'x < y & z', output: 'neg' }], review: '\'quoted\'' },
    }));
    assert.equal(r.text, 'Label: "pos" & <neg>\n\nReview: x < y & z\nSentiment: neg\n\nReview: \'quoted\'\nSentiment:\n');
  });

  it('copes with a 5 MB template, a 1 MB value and Chinese/emoji names without blocking the extension host', async function () {
    this.timeout(120_000);
    await api();
    const filler = 'Reference text the model should read. 参考资料。 😀\n';
    const body = filler.repeat(Math.ceil((5 * 1024 * 1024) / filler.length));
    const editor = await openDoc(`---\nvariables:\n  任务: {sample: 总结}\n  "😀": {sample: 👍}\n  big: {}\n---\n{{任务}} {{😀}}\n${body}{{big}}\n`, 'handlebars');
    let last = Date.now();
    let stall = 0;
    const timer = setInterval(() => {
      stall = Math.max(stall, Date.now() - last);
      last = Date.now();
    }, 10);
    const t0 = Date.now();
    let r: RenderCommandResult | undefined;
    try {
      r = await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplate', editor.document.uri, { values: { 任务: '总结', '😀': '👍', big: BIG_VALUE } });
    } finally {
      clearInterval(timer);
    }
    const ms = Date.now() - t0;
    const ok = success(r);
    assert.equal(ok.text, `总结 👍\n${body}${BIG_VALUE}\n`);
    assert.ok(ok.text.startsWith('总结 👍\nReference text'));
    console.log(`      5 MB template + 1 MB value: render command ${ms} ms (worker ${ok.ms} ms, token count ${ok.countMs} ms), ${ok.tokens} tokens; longest extension-host stall ${stall} ms`);
    // Most of the time goes into VS Code opening a 6 MB untitled document; nothing may freeze the host for long.
    assert.ok(stall < 1500, `the extension host stalled for ${stall} ms`);
    const dense = await openDoc('{{a}}'.repeat(1 << 20), 'handlebars');
    const tooMany = failure(await vscode.commands.executeCommand<RenderCommandResult>('promptWorkbench.renderTemplateWithSamples', dense.document.uri));
    assert.equal(tooMany.code, 'tooManyTags');
    assert.match(tooMany.error, /has 1,048,576 \{\{…\}\} tags, more than the 50,000/);
    // The live check says the same in the Problems panel.
    assert.deepEqual(await waitForProblems(dense.document.uri, (p) => p.length > 0, 'the too-many-tags problem'),
      ['error 1:1-1:201 This template has 1,048,576 {{…}} tags, more than the 50,000 that are checked and rendered. Split it into smaller templates.']);
  });
});

describe('prompt templates: live diagnostics and completion', () => {
  afterEach(closeAll);

  it('reports syntax errors at the right line and column, and clears them when fixed', async () => {
    await api();
    const editor = await openDoc('---\nvariables:\n  items: {sample: [a]}\n---\nList:\n  {{#each items}}\n- {{this}}\n', 'handlebars');
    const uri = editor.document.uri;
    const found = await waitForProblems(uri, (p) => p.length > 0, 'a syntax error');
    assert.deepEqual(found, ['error 6:3-6:18 {{#each}} on line 6 is never closed: add {{/each}}.']);
    await editor.edit((e) => e.insert(new vscode.Position(7, 0), '{{/each}}\n'));
    await waitForProblems(uri, (p) => p.length === 0, 'no problems after the fix');
    await editor.edit((e) => e.insert(new vscode.Position(6, 0), '{{x }\n'));
    const again = await waitForProblems(uri, (p) => p.length > 0, 'a new syntax error');
    assert.deepEqual(again, ['error 7:5-7:6 Handlebars syntax error: unexpected "}"; expected }}, name, }}}, "text", number, ….']);
    assert.equal(editor.document.getText().includes('{{x }\n'), true); // the text is never changed for the user
  });

  it('reports undeclared and unused variables, schema fields and unknown models', async () => {
    await api();
    const editor = await openDoc([
      '---',
      'model: gpt-9',
      'variables:',
      '  task: {sample: Do it}',
      '  tone:',
      '    defualt: calm',
      '---',
      '{{task}} for {{audience}}',
      '{{#each examples}}{{inptu}}{{/each}}',
    ].join('\n'), 'handlebars');
    const found = await waitForProblems(editor.document.uri, (p) => p.length >= 5, 'five problems');
    assert.deepEqual(found, [
      'warning 5:3-5:7 Variable "tone" is declared but never used in the template.',
      'error 6:5-6:12 Unknown front matter field "variables.tone.defualt". Allowed here: description, default, sample.',
      'warning 8:16-8:24 Variable "audience" is used but not declared under "variables:" in the front matter.',
      'warning 9:9-9:17 Variable "examples" is used but not declared under "variables:" in the front matter.',
      'warning 2:8-2:13 Model "gpt-9" is not in the model catalogue; the rendered prompt is counted for gpt-4o instead. Run Prompt: Select Model to see the ids.',
    ]);
    const unused = vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.message.includes('never used'));
    assert.deepEqual(unused?.tags, [vscode.DiagnosticTag.Unnecessary]);
  });

  it('warns of a model its vendor retired, and the quick fix puts in the replacement', async () => {
    await api();
    const editor = await openDoc('---\nmodel: "claude-sonnet-4-5"\n---\nSummarise this.\n', 'handlebars');
    assert.deepEqual(await waitForProblems(editor.document.uri, (p) => p.length > 0, 'the retired model'), [
      'warning 2:8-2:27 Model "claude-sonnet-4-5": Retired by Anthropic on 2026-11-30. Recommended replacement: claude-sonnet-5-5.',
    ]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(1, 8, 1, 8));
    const fixes = actions.filter((a) => a.kind?.value === 'quickfix');
    assert.deepEqual(fixes.map((a) => a.title), ['Use claude-sonnet-5-5, the recommended replacement']);
    assert.ok(await vscode.workspace.applyEdit(fixes[0]!.edit!));
    assert.equal(editor.document.getText(), '---\nmodel: "claude-sonnet-5-5"\n---\nSummarise this.\n');
    await waitForProblems(editor.document.uri, (p) => p.length === 0, 'no problem once replaced');
  });

  it('tells of an announced retirement, with no fix when the replacement is not in the catalogue', async () => {
    await api();
    try {
      await setSetting('models', [{ id: 'gpt-4o', retirement: { on: '2099-01-14', replacedBy: 'gpt-99' } }]);
      const editor = await openDoc('---\nmodel: gpt-4o\n---\nHi\n', 'handlebars');
      assert.deepEqual(await waitForProblems(editor.document.uri, (p) => p.length > 0, 'the announced retirement'), [
        'info 2:8-2:14 Model "gpt-4o": OpenAI retires it on 2099-01-14. Recommended replacement: gpt-99.',
      ]);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(1, 8, 1, 8));
      assert.deepEqual(actions.filter((a) => a.kind?.value === 'quickfix').map((a) => a.title), []);
    } finally {
      await setSetting('models', undefined);
    }
  });

  it('reports broken YAML and unknown helpers', async () => {
    await api();
    const yaml = await openDoc('---\nvariables:\n  a: [1, 2\n---\n{{a}}', 'handlebars');
    assert.deepEqual(await waitForProblems(yaml.document.uri, (p) => p.length > 0, 'a YAML error'),
      ['error 4:1-4:2 The front matter is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']);
    const helper = await openDoc('{{upper name}}', 'handlebars');
    assert.deepEqual(await waitForProblems(helper.document.uri, (p) => p.length > 0, 'an unknown helper'), [
      'error 1:3-1:8 Unknown helper "upper": templates can only use if, unless, each, with and lookup (no code from the workspace runs).',
      'warning 1:9-1:13 Variable "name" is used but not declared under "variables:" in the front matter.',
    ]);
  });

  it('completes declared variable names inside {{ }}, and item fields inside {{#each}}', async () => {
    await api();
    const editor = await openDoc('---\nvariables:\n  task: {description: What to do}\n  examples: {sample: [{input: a, output: b}]}\n  任务: {}\n---\n{{#each examples}}\n\n{{/each}}\n\n', 'handlebars');
    await waitFor(() => vscode.languages.getDiagnostics(editor.document.uri).length, (n) => n >= 2, 'the first check');
    await editor.edit((e) => e.insert(new vscode.Position(9, 0), '{{'));
    const top = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(9, 2), '{');
    const labels = top.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['task', 'examples', '任务']) assert.ok(labels.includes(name), `no ${name} in ${labels.join(', ')}`);
    await editor.edit((e) => e.insert(new vscode.Position(7, 0), '{{'));
    const inside = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(7, 2), '{');
    const inLabels = inside.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['input', 'output', 'this', '@root.task']) assert.ok(inLabels.includes(name), `no ${name} in ${inLabels.join(', ')}`);
    const outside = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(6, 0));
    assert.ok(!outside.items.some((i) => i.detail === 'Template variable'), 'variables offered outside {{ }}');
  });
});

describe('Prompt: Insert Prompt Scaffold', () => {
  afterEach(closeAll);

  it('inserts the chosen technique from the snippet files, in English and Chinese', async () => {
    await api();
    for (const [prefix, file, lang] of [['pw-zh-cot', 'snippets/prompts.zh-cn.code-snippets', 'zh-cn'], ['pw-fewshot', 'snippets/prompts.en.code-snippets', 'en']] as const) {
      const editor = await openDoc('', 'markdown');
      const result = await vscode.commands.executeCommand<{ prefix: string; language: string; inserted: boolean }>('promptWorkbench.insertScaffold', { prefix });
      assert.deepEqual(result, { prefix, language: lang, inserted: true });
      const snippet = parseSnippetFile(readRepoFile(file), lang).find((s) => s.prefix === prefix)!;
      assert.equal(editor.document.getText(), expandSnippet(snippet.body).text);
      await closeAll();
    }
  });
});
