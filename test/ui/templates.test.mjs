// Journey: a prompt author opens a Handlebars prompt template in code-server (the packaged
// .vsix installed), renders it with its sample values and reads the prompt, its token count and
// cost; fills the variables in input boxes; reads the Problems panel of a broken template; gets
// an error naming a missing variable; and moves a template off a retired model with the quick fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../harness/codeServer.mjs';
import { openFile, readEditorText, readNotifications, readStatusBarItem, runCommand, screenshot } from '../harness/workbench.mjs';
import { startCommand } from '../harness/workbench.mjs';
import { EXTENSION_ID, openWorkbench, referenceCount, STATUS_ITEM, tokensIn } from './journey.mjs';

const require = createRequire(import.meta.url);
const { formatUsd } = require(path.join(REPO_ROOT, 'out', 'src', 'core', 'cost.js'));
const { FEW_SHOT_EXPECTED } = require(path.join(REPO_ROOT, 'out', 'test', 'unit', 'templateFixtures.js'));
const models = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src', 'data', 'models.json'), 'utf8')).models;
const price = (id) => models.find((m) => m.id === id).price.input;

const INPUT = '.quick-input-widget .quick-input-box input';
const BROKEN = [
  '---',
  'model: gpt-9',
  'variables:',
  '  items: {sample: [a, b]}',
  '  tone: {default: calm}',
  '---',
  'List for {{audience}}:',
  '  {{#each items}}',
  '- {{this}}',
  '',
].join('\n');
const MISSING = '---\nvariables:\n  task: {sample: Summarise the text}\n---\n{{task}} for {{reader}}.\n';
const RETIRED = '---\nmodel: claude-sonnet-4-5\n---\nSummarise the notes below in three bullet points.\n';


/** The rendered prompt: the active editor is the new untitled one. */
async function readRendered(page) {
  await page.waitForFunction(() => /Untitled-\d/.test(document.querySelector('.part.editor .editor-group-container.active .tab.active')?.getAttribute('aria-label') || ''), null, { timeout: 15_000 });
  return readEditorText(page);
}

/** Rows of the Problems panel: "message [Ln l, Col c]". */
async function readProblems(page, { waitFor, timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((e) => {
      const lines = e.innerText.split('\n').map((l) => l.trim()).filter(Boolean);
      return lines.length > 2 ? `${lines[0]} ${lines[lines.length - 1]}` : lines.join(' ');
    })).catch(() => []);
    if (!waitFor || rows.some((r) => waitFor.test(r))) return rows;
    await page.waitForTimeout(200);
  }
  throw new Error(`readProblems: no row matching ${waitFor} within ${timeout} ms (rows: ${JSON.stringify(rows)})`);
}

describe('journey: prompt templates in code-server', function () {
  let wb;
  before(async function () {
    wb = await openWorkbench({ files: { 'broken.prompt.hbs': BROKEN, 'missing.prompt.hbs': MISSING, 'retired.prompt.hbs': RETIRED } });
  });
  after(async () => wb && (await wb.stop()));

  it('Must show: renders the few-shot template with its sample values — exact text, token count and cost', async () => {
    const { page } = wb;
    await openFile(page, 'sentiment-few-shot.prompt.hbs');
    await runCommand(page, 'Prompt: Render Template with Sample Values');
    const text = await readRendered(page);
    assert.equal(text, FEW_SHOT_EXPECTED);
    const tokens = referenceCount('o200k_base', FEW_SHOT_EXPECTED);
    const cost = formatUsd((tokens * price('gpt-4o')) / 1e6);
    const [note] = await readNotifications(page, { waitFor: /^Rendered sentiment-few-shot\.prompt\.hbs/ });
    assert.equal(note, `Rendered sentiment-few-shot.prompt.hbs: ${tokens} tokens · ${cost} input cost with GPT-4o (gpt-4o).`);
    // The live counter counts the new editor too.
    const status = await readStatusBarItem(page, STATUS_ITEM, { extensionId: EXTENSION_ID, waitFor: new RegExp(`^${tokens} tokens`), timeout: 20_000 });
    assert.equal(tokensIn(status), tokens);
    assert.ok(status.includes(cost), status);
    await screenshot(page, 'template-render-samples');
  });

  it('Must show: a template with a missing variable gives an error naming the variable', async () => {
    const { page } = wb;
    await openFile(page, 'missing.prompt.hbs');
    await runCommand(page, 'Prompt: Render Template with Sample Values');
    const notes = await readNotifications(page, { waitFor: /Missing variable "reader"/ });
    assert.ok(notes.includes('Missing variable "reader" (used on line 5): it is not declared in the front matter, so it has no sample value.'), notes.join('\n'));
    await screenshot(page, 'template-missing-variable');
  });

  it('shows the problems of a broken template in the Problems panel, at their lines', async () => {
    const { page } = wb;
    await openFile(page, 'broken.prompt.hbs');
    await page.keyboard.press('Control+Shift+M');
    const rows = await readProblems(page, { waitFor: /never closed/ });
    assert.ok(rows.includes('{{#each}} on line 8 is never closed: add {{/each}}. [Ln 8, Col 3]'), rows.join('\n'));
    assert.ok(rows.includes('Model "gpt-9" is not in the model catalogue; the rendered prompt is counted for gpt-4o instead. Run Prompt: Select Model to see the ids. [Ln 2, Col 8]'), rows.join('\n'));
    await screenshot(page, 'template-problems-unclosed');
    // Close the block as a person would: the syntax error goes, the variable problems show.
    await openFile(page, 'broken.prompt.hbs'); // back into its editor
    await page.keyboard.press('Control+End');
    await page.keyboard.type('{{/each}}');
    const after = await readProblems(page, { waitFor: /audience/ });
    const expectedRows = [
      'Variable "tone" is declared but never used in the template. [Ln 5, Col 3]',
      'Variable "audience" is used but not declared under "variables:" in the front matter. [Ln 7, Col 12]',
    ];
    for (const row of expectedRows) assert.ok(after.includes(row), `missing "${row}" in\n${after.join('\n')}`);
    assert.ok(!after.some((r) => /never closed/.test(r)), after.join('\n'));
    await screenshot(page, 'template-problems-variables');
    await page.keyboard.press('Control+Shift+M'); // hide the panel again
  });

  it('warns of a retired model in the front matter, and Quick Fix puts in the vendor\'s replacement', async () => {
    const { page } = wb;
    await openFile(page, 'retired.prompt.hbs');
    await page.keyboard.press('Control+Shift+M');
    const row = 'Model "claude-sonnet-4-5": Retired by Anthropic on 2026-11-30. Recommended replacement: claude-sonnet-5-5. [Ln 2, Col 8]';
    const rows = await readProblems(page, { waitFor: /claude-sonnet-4-5/ });
    assert.ok(rows.includes(row), rows.join('\n'));
    await openFile(page, 'retired.prompt.hbs'); // back into its editor
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End'); // on the model's id
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Use claude-sonnet-5-5, the recommended replacement' });
    await action.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'template-retired-model-fix');
    await page.keyboard.press('Enter'); // the fix is the focused (preferred) action
    let deadline = Date.now() + 10_000;
    let text = await readEditorText(page);
    while (!text.includes('claude-sonnet-5-5') && Date.now() < deadline) {
      await page.waitForTimeout(200);
      text = await readEditorText(page);
    }
    assert.equal(text, RETIRED.replace('claude-sonnet-4-5', 'claude-sonnet-5-5'));
    deadline = Date.now() + 15_000;
    let left = await readProblems(page);
    while (left.some((r) => r.includes('claude-sonnet-4-5')) && Date.now() < deadline) {
      await page.waitForTimeout(200);
      left = await readProblems(page);
    }
    assert.ok(!left.some((r) => r.includes('claude-sonnet')), left.join('\n'));
    assert.ok(left.some((r) => r.includes('Variable "tone"')), `the panel still lists the other templates' problems:\n${left.join('\n')}`);
    await page.keyboard.press('Control+Shift+M'); // hide the panel again
  });

  it('Render Template asks for each variable in an input box prefilled with its default', async () => {
    const { page } = wb;
    await openFile(page, 'meeting-summary.prompt.hbs');
    await startCommand(page, 'Prompt: Render Template');
    const box = async (title) => {
      await page.waitForFunction((t) => document.querySelector('.quick-input-widget .quick-input-title')?.textContent === t, title, { timeout: 10_000 });
      return page.$eval(INPUT, (e) => e.value);
    };
    assert.equal(await box('Render meeting-summary.prompt.hbs (1/3): 读者'), '没有参会的同事');
    await screenshot(page, 'template-input-box');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('新来的实习生');
    await page.keyboard.press('Enter');
    assert.equal(await box('Render meeting-summary.prompt.hbs (2/3): 字数'), '150');
    await page.keyboard.press('Enter');
    assert.equal(await box('Render meeting-summary.prompt.hbs (3/3): 纪要'), '');
    await page.keyboard.type('周五上线 & 回滚预案 <待定>');
    await page.keyboard.press('Enter');
    const text = await readRendered(page);
    const expected = [
      '## 说明',
      '请为新来的实习生总结下面的会议纪要，写出决定、负责人和截止日期，不超过 150 字。',
      '',
      '## 输入数据',
      '"""',
      '周五上线 & 回滚预案 <待定>',
      '"""',
      '',
      '## 输出指示',
      '用简体中文，每条要点以“- ”开头。',
      '要点：',
      '',
    ].join('\n');
    assert.equal(text, expected);
    const tokens = referenceCount('o200k_base', expected);
    const [note] = await readNotifications(page, { waitFor: /^Rendered meeting-summary\.prompt\.hbs/ });
    assert.equal(note, `Rendered meeting-summary.prompt.hbs: ${tokens} tokens · ${formatUsd((tokens * price('gpt-4o-mini')) / 1e6)} input cost with GPT-4o mini (gpt-4o-mini).`);
    await screenshot(page, 'template-render-asked');
  });
});
