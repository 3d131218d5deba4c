// Journey: a prompt author types a snippet prefix (pw-fewshot, pw-zh-cot, …), accepts the
// completion, tabs through the stops to the final cursor and gets the technique's text — for
// every technique in English and Chinese; the snippets are offered in every prompt language;
// and `Prompt: Insert Prompt Scaffold…` inserts the same snippets from a quick pick.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../harness/codeServer.mjs';
import { focusEditor, openFile, readEditorText, readStatusBarItem, screenshot } from '../harness/workbench.mjs';
import { startCommand } from '../harness/workbench.mjs';
import { openWorkbench } from './journey.mjs';

const require = createRequire(import.meta.url);
// The compiled snippet reader (npm test compiles with tsc before the journeys).
const { expandSnippet, parseSnippetFile } = require(path.join(REPO_ROOT, 'out', 'src', 'core', 'template', 'snippets.js'));

const FILES = [['snippets/prompts.en.code-snippets', 'en'], ['snippets/prompts.zh-cn.code-snippets', 'zh-cn']];
const SNIPPETS = FILES.flatMap(([file, lang]) => parseSnippetFile(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'), lang, file));
const FINAL = '@@'; // typed at the final cursor position

const SUGGEST = '.editor-widget.suggest-widget';
const SUGGEST_ROW = `${SUGGEST} .monaco-list-row`;
const QUICK_ROW = '.quick-input-widget .quick-input-list .monaco-list-row';


/** The text VS Code should show after accepting the snippet, tabbing to the end and typing FINAL. */
function expected(snippet) {
  const e = expandSnippet(snippet.body);
  return e.text.slice(0, e.final) + FINAL + e.text.slice(e.final);
}

async function clearEditor(page) {
  await focusEditor(page);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => {
    const lines = document.querySelectorAll('.part.editor .editor-group-container.active .monaco-editor .view-lines .view-line');
    return lines.length === 1 && lines[0].textContent.replace(/\u00a0/g, ' ').trim() === '';
  }, null, { timeout: 15_000 });
}

/**
 * Opens the suggestions (Ctrl+Space, as a person would in Markdown) and accepts our snippet's row:
 * moves down the list until the focused row is the snippet (Emmet offers a row with the same
 * label in Handlebars), re-reading the list after every key since it can update meanwhile.
 */
async function acceptSuggestion(page, snippet) {
  const prefix = snippet.prefix;
  // "<prefix>, <name>, Snippet", then ", docs: …" once the details pane is open.
  const isOurs = (aria) => aria.startsWith(`${prefix}, ${snippet.name}, Snippet`);
  const visible = () => page.$eval(SUGGEST, (e) => e.classList.contains('visible')).catch(() => false);
  const deadline = Date.now() + 20_000;
  let seen = [];
  while (Date.now() < deadline) {
    if (!(await visible())) await page.keyboard.press('Control+Space');
    await page.waitForTimeout(150);
    seen = await page.$$eval(SUGGEST_ROW, (els) => els.map((e) => e.getAttribute('aria-label') || '')).catch(() => []);
    if (!seen.some(isOurs)) continue;
    for (let step = 0; step <= seen.length; step++) {
      const focused = await page.$eval(`${SUGGEST_ROW}.focused`, (e) => e.getAttribute('aria-label') || '').catch(() => '');
      if (isOurs(focused)) {
        await page.keyboard.press('Enter');
        return;
      }
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(80);
    }
  }
  throw new Error(`acceptSuggestion(${prefix}): no suggestion for "${snippet.name}" (saw ${seen.join(' | ') || 'none'})`);
}

/** Types the prefix, accepts the completion, presses Tab once per tab stop and types FINAL. */
async function insertByPrefix(page, snippet) {
  const firstLine = expandSnippet(snippet.body).text.split('\n')[0];
  // The suggest widget can close between reading its focused row and the Enter that accepts it
  // (Enter then types a line break): start again from an empty editor, up to three times.
  for (let attempt = 1; ; attempt++) {
    await clearEditor(page);
    await page.keyboard.type(snippet.prefix);
    await acceptSuggestion(page, snippet);
    const inserted = await page.waitForFunction((text) => {
      const el = document.querySelector('.part.editor .editor-group-container.active .monaco-editor .view-lines');
      return !!el && el.textContent.replace(/\u00a0/g, ' ').includes(text.slice(0, 20));
    }, firstLine, { timeout: 5_000 }).then(() => true, () => false);
    if (inserted) break;
    if (attempt === 3) throw new Error(`${snippet.prefix}: the snippet's first line never appeared (editor: ${JSON.stringify(await readEditorText(page))})`);
  }
  for (let i = 0; i < expandSnippet(snippet.body).stops.length; i++) {
    await page.keyboard.press('Tab');
    await page.waitForTimeout(60);
  }
  await page.keyboard.type(FINAL);
  return settledText(page, expected(snippet));
}

/** The editor's text once it equals `want` (or whatever it shows after 10 s). */
async function settledText(page, want) {
  const deadline = Date.now() + 10_000;
  let text = await readEditorText(page);
  while (text !== want && Date.now() < deadline) {
    await page.waitForTimeout(100);
    text = await readEditorText(page);
  }
  return text;
}

describe('journey: prompt snippets in code-server', function () {
  let wb;
  before(async function () {
    wb = await openWorkbench({
      files: { 'scratch.md': '', 'scratch.txt': '', 'scratch.prompt.hbs': '', 'scratch.prompt': '' },
    });
    await openFile(wb.page, 'scratch.md');
    // Room for the longest snippet line: hide the side bar (Ctrl+B).
    await wb.page.keyboard.press('Control+B');
  });
  after(async () => wb && (await wb.stop()));

  it('offers 14 techniques in English and 14 in Chinese', () => {
    assert.equal(SNIPPETS.filter((s) => s.language === 'en').length, 14);
    assert.equal(SNIPPETS.filter((s) => s.language === 'zh-cn').length, 14);
  });

  for (const snippet of SNIPPETS) {
    it(`${snippet.prefix}: type the prefix in Markdown, accept, tab to the end → ${snippet.name}`, async () => {
      const text = await insertByPrefix(wb.page, snippet);
      assert.equal(text, expected(snippet));
      if (snippet.prefix === 'pw-fewshot' || snippet.prefix === 'pw-zh-cot') await screenshot(wb.page, `snippet-${snippet.prefix}`);
    });
  }

  it('shows the snippet name beside the prefix in the suggestions', async () => {
    await clearEditor(wb.page);
    await wb.page.keyboard.type('pw-zh-few');
    await wb.page.keyboard.press('Control+Space');
    await wb.page.waitForSelector(`${SUGGEST_ROW}`, { timeout: 10_000 });
    const rows = await wb.page.$$eval(SUGGEST_ROW, (els) => els.map((e) => e.getAttribute('aria-label')));
    // "<prefix>, <name>, Snippet" (followed by ", docs: …" when the details pane is open).
    assert.ok(rows.some((r) => r.startsWith('pw-zh-fewshot, 提示：少样本（k 个示例）, Snippet')), rows.join('\n'));
    await screenshot(wb.page, 'snippet-suggestions');
    await wb.page.keyboard.press('Escape');
  });

  for (const [file, language, prefix] of [['scratch.txt', 'Plain Text', 'pw-zh-fewshot'], ['scratch.prompt.hbs', 'Handlebars', 'pw-format-json'], ['scratch.prompt', 'prompt', 'pw-zh-system']]) {
    it(`is offered in ${language} too (${file}, ${prefix})`, async () => {
      await openFile(wb.page, file);
      const mode = await readStatusBarItem(wb.page, 'status.editor.mode', { extensionId: undefined }).catch(() => '?');
      assert.match(mode, new RegExp(language, 'i'), `language mode of ${file}`);
      const snippet = SNIPPETS.find((s) => s.prefix === prefix);
      assert.equal(await insertByPrefix(wb.page, snippet), expected(snippet));
    });
  }

  it('Prompt: Insert Prompt Scaffold… lists the techniques by language and inserts the chosen one', async () => {
    const { page } = wb;
    await openFile(page, 'scratch.md');
    await clearEditor(page);
    // The Command Palette, as a person would use it (our quick pick opens right after it closes).
    await startCommand(page, 'Prompt: Insert Prompt Scaffold…');
    await page.waitForFunction(() => document.querySelector('.quick-input-widget .quick-input-title')?.textContent === 'Insert Prompt Scaffold', null, { timeout: 10_000 });
    // The first group is the UI language's (English here); typing "pw-zh" leaves the Chinese group.
    const firstGroup = async (firstPrefix) => {
      await page.waitForFunction(([sel, p]) => document.querySelector(`${sel}.focused .label-description`)?.textContent.trim() === p, [QUICK_ROW, firstPrefix], { timeout: 10_000 });
      return page.$$eval(QUICK_ROW, (els) => els
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => e.querySelector('.quick-input-list-separator'))
        .filter((sep) => sep && sep.getClientRects().length > 0)
        .map((sep) => sep.textContent.trim())
        .filter(Boolean));
    };
    // The first visible group is the UI language's (English); the Command Palette's own groups must be gone.
    assert.equal((await firstGroup('pw-prompt'))[0], 'English');
    await screenshot(page, 'insert-scaffold-pick');
    // Scrolling down, or typing "pw-zh" (separators are hidden while filtering), gives the Chinese ones.
    await page.keyboard.type('pw-zh');
    await firstGroup('pw-zh-prompt');
    const shown = await page.$$eval(QUICK_ROW, (els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.querySelector('.label-description')?.textContent.trim()));
    assert.ok(shown.length >= 5 && shown.every((p) => p.startsWith('pw-zh-')), shown.join(', '));
    await page.keyboard.type('-fewshot-cot');
    await page.waitForFunction((sel) => {
      const f = document.querySelector(`${sel}.focused .label-description`);
      return f && f.textContent.trim() === 'pw-zh-fewshot-cot';
    }, QUICK_ROW, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    const snippet = SNIPPETS.find((s) => s.prefix === 'pw-zh-fewshot-cot');
    const e = expandSnippet(snippet.body);
    await screenshot(page, 'insert-scaffold-inserted');
    await page.waitForFunction((text) => {
      const el = document.querySelector('.part.editor .editor-group-container.active .monaco-editor .view-lines');
      return !!el && el.textContent.replace(/\u00a0/g, ' ').includes(text);
    }, e.text.split('\n')[0], { timeout: 15_000 });
    for (let i = 0; i < e.stops.length; i++) {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(60);
    }
    await page.keyboard.type(FINAL);
    assert.equal(await settledText(page, expected(snippet)), expected(snippet));
    await screenshot(page, 'insert-scaffold-done');
  });
});
