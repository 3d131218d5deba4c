// Journey: a prompt author opens the few-shot template in code-server (the packaged .vsix
// installed), opens the live preview beside it, reads the rendered prompt and its token count in
// the panel, types into the template and watches the preview follow, switches to the token view
// and hovers a token, opens a template whose output is markup (shown as text, nothing runs), and
// opens the preview with ctrl+k v.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../harness/codeServer.mjs';
import { openFile, readStatusBarItem, runCommand, screenshot, waitForWorkbench } from '../harness/workbench.mjs';
import { EXTENSION_ID, openWorkbench, referenceCount, STATUS_ITEM, tokensIn } from './journey.mjs';

const require = createRequire(import.meta.url);
const { FEW_SHOT_EXPECTED } = require(path.join(REPO_ROOT, 'out', 'test', 'unit', 'templateFixtures.js'));
const { get_encoding } = require('tiktoken');

const XSS = [
  '---',
  'variables:',
  '  payload: {sample: "<img src=x onerror=\\"document.body.dataset.pwned=1\\">"}',
  '---',
  '<script>document.body.dataset.pwned = 1</script> & {{payload}} &amp; done',
  '',
].join('\n');
const XSS_RENDERED = '<script>document.body.dataset.pwned = 1</script> & <img src=x onerror="document.body.dataset.pwned=1"> &amp; done\n';

const VALUES = 'review: "Arrived late & the box was crushed <again>."\n';
const LONG = Array.from({ length: 300 }, (_, i) => `Line ${i + 1}: notes for the prompt, 第 ${i + 1} 行。`).join('\n') + '\n';

/** The preview's page: the webview's outer iframe, then its content frame. */
const preview = (page) => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

/** Polls `read()` until `ok(value)`; returns the value and when it matched. */
async function until(page, read, ok, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let value = await read().catch(() => undefined);
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 400)}`);
    await page.waitForTimeout(50);
    value = await read().catch(() => undefined);
  }
  return { value, at: Date.now() };
}

const text = (page) => preview(page).locator('#text').textContent();
const headerTokens = (page) => preview(page).locator('#tokens').textContent();

/** tiktoken's tokens of `s`: ids and texts. */
function referenceTokens(s) {
  const enc = get_encoding('o200k_base');
  try {
    const ids = Array.from(enc.encode_ordinary(s));
    return ids.map((id) => ({ id, text: new TextDecoder().decode(enc.decode_single_token_bytes(id)) }));
  } finally {
    enc.free();
  }
}

/** What the token view shows for a token's text: whitespace made visible. */
const shown = (s) => s.replace(/ /g, '·').replace(/\t/g, '→').replace(/\n/g, '↵\n');

describe('journey: live prompt preview in code-server', function () {
  let wb;
  before(async function () {
    // Typed text goes in as typed: no auto-closed brackets, quotes or HTML tags (handlebars gets HTML's tag closing).
    wb = await openWorkbench({
      files: { 'markup.prompt.hbs': XSS, 'sentiment-values.yaml': VALUES, 'long-notes.md': LONG },
      userSettings: { 'editor.autoClosingBrackets': 'never', 'editor.autoClosingQuotes': 'never', 'html.autoClosingTags': false, 'editor.quickSuggestions': { other: false, comments: false, strings: false }, 'editor.suggestOnTriggerCharacters': false },
    });
  });
  after(async () => wb && (await wb.stop()));

  it('Must show: Open Preview to the Side shows the few-shot prompt as rendered, with tiktoken\'s token count', async () => {
    const { page } = wb;
    await openFile(page, 'sentiment-few-shot.prompt.hbs');
    await runCommand(page, 'Prompt: Open Preview to the Side');
    const { value } = await until(page, () => text(page), (t) => t === FEW_SHOT_EXPECTED, 'the rendered prompt in the preview', 30_000);
    assert.ok(value.includes('Battery lasts all day & the screen is gorgeous.'), 'unescaped &');
    assert.ok(value.includes('It stopped charging after a week. <Sigh>'), 'unescaped <…>');
    assert.ok(value.includes('The "fast" charger takes 5 hours & gets hot.'));
    const expected = referenceCount('o200k_base', FEW_SHOT_EXPECTED);
    const { value: header } = await until(page, () => headerTokens(page), (t) => /\d tokens/.test(t ?? ''), 'the token count');
    assert.equal(tokensIn(header), expected);
    assert.equal(header, `${expected} tokens`);
    const view = preview(page);
    assert.equal(await view.locator('#model').inputValue(), 'gpt-4o');
    assert.equal(await view.locator('#chars').textContent(), `${FEW_SHOT_EXPECTED.length} characters`);
    assert.match(await view.locator('#cost').textContent(), /^Input \$0\.000\d+$/);
    assert.match(await view.locator('#gauge-label').textContent(), /% of the 128,000-token context window$/);
    assert.equal(await view.locator('#gauge').getAttribute('data-level'), 'green');
    assert.equal(await view.locator('#source-name').textContent(), 'sentiment-few-shot.prompt.hbs');
    // The preview opened beside the editor: two editor groups, the template still active in the first.
    assert.equal(await page.locator('.part.editor .editor-group-container').count(), 2);
    await screenshot(page, 'preview-few-shot');
  });

  it('says in the header when the chosen model is retired, and what its vendor recommends', async () => {
    const { page } = wb;
    const note = preview(page).locator('#model-retirement');
    assert.equal(await note.isHidden(), true, 'no note for gpt-4o');
    await preview(page).locator('#model').selectOption('claude-sonnet-4-5');
    const { value } = await until(page, () => note.textContent(), (t) => /Retired by/.test(t ?? ''), 'the retirement note');
    assert.equal(value.trim(), 'Retired by Anthropic on 2026-11-30. Recommended replacement: claude-sonnet-5-5.');
    assert.equal(await note.locator('.codicon-warning').count(), 1);
    await screenshot(page, 'preview-retired-model');
    await preview(page).locator('#model').selectOption('gpt-4o');
    await until(page, () => note.isHidden(), (hidden) => hidden === true, 'the note gone with gpt-4o');
    const tokens = referenceCount('o200k_base', FEW_SHOT_EXPECTED);
    await until(page, () => headerTokens(page), (t) => t === `${tokens.toLocaleString('en')} tokens`, 'the gpt-4o count again');
  });

  it('follows typing in the template within two seconds, count included', async () => {
    const { page } = wb;
    await openFile(page, 'sentiment-few-shot.prompt.hbs'); // focuses the template's editor
    await page.keyboard.press('Control+End');
    const typed = 'Answer with one word & no <tags>.';
    const started = Date.now();
    await page.keyboard.type(typed);
    const typedAt = Date.now();
    const want = FEW_SHOT_EXPECTED + typed;
    const { at } = await until(page, () => text(page), (t) => t === want, 'the typed text in the preview', 10_000);
    const ms = at - typedAt;
    assert.ok(ms < 2000, `the preview changed ${ms} ms after the last keystroke`);
    const count = referenceCount('o200k_base', want);
    await until(page, () => headerTokens(page), (t) => t === `${count} tokens`, `${count} tokens in the header`);
    // The status bar counts the template itself; the preview counts the rendered prompt.
    const status = await readStatusBarItem(page, STATUS_ITEM, { extensionId: EXTENSION_ID, waitFor: /tokens/ });
    assert.notEqual(tokensIn(status), count);
    console.log(`      typing ${typed.length} characters took ${typedAt - started} ms; the preview showed them ${ms} ms after the last keystroke`);
    await screenshot(page, 'preview-after-typing');
    await page.keyboard.press('Control+S');
  });

  it('shows the tokens in the token view, in alternating colours, with their ids on hover', async () => {
    const { page } = wb;
    const view = preview(page);
    const current = await text(page);
    const reference = referenceTokens(current);
    await view.locator('#toggle-tokens').click();
    assert.equal(await view.locator('#toggle-tokens').getAttribute('aria-pressed'), 'true');
    const tokens = view.locator('#token-list .tok');
    await until(page, () => tokens.count(), (n) => n === reference.length, `${reference.length} tokens`, 15_000);
    const shownTexts = await tokens.evaluateAll((els) => els.map((e) => e.textContent));
    assert.deepEqual(shownTexts, reference.map((t) => shown(t.text)));
    const classes = await tokens.evaluateAll((els) => els.slice(0, 6).map((e) => e.className));
    assert.deepEqual(classes, ['tok c0', 'tok c1', 'tok c2', 'tok c3', 'tok c4', 'tok c0']);
    // Hover the token " gorgeous" and read its id.
    const k = reference.findIndex((t) => t.text === ' gorgeous');
    assert.ok(k > 0);
    await tokens.nth(k).hover();
    const tip = view.locator('#tooltip');
    await tip.waitFor({ state: 'visible' });
    const tipText = await tip.innerText();
    assert.match(tipText, new RegExp(`Token ${k + 1} · id ${reference[k].id}`));
    assert.match(tipText, /" gorgeous"/);
    await screenshot(page, 'preview-token-view');
    // Back to the text (the choice is remembered).
    await view.locator('#toggle-tokens').click();
    await view.locator('#text').waitFor({ state: 'visible' });
  });

  it('follows the active editor to a template whose output is markup, and shows it as text (nothing runs)', async () => {
    const { page } = wb;
    // The token view's toggle was clicked last, so the preview's group is active: open the file in the first group.
    await page.keyboard.press('Control+1');
    await openFile(page, 'markup.prompt.hbs');
    await until(page, () => text(page), (t) => t === XSS_RENDERED, 'the markup shown as text');
    const view = preview(page);
    assert.equal(await view.locator('#text img, #text script, #problems img').count(), 0, 'no element was made from the text');
    assert.equal(await view.locator('body[data-pwned]').count(), 0, 'no script ran');
    assert.equal(await view.locator('#source-name').textContent(), 'markup.prompt.hbs');
    await screenshot(page, 'preview-markup-as-text');
  });

  it('renders with a values file picked in Prompt: Select Preview Values…, and back with the samples', async () => {
    const { page } = wb;
    await page.keyboard.press('Control+1');
    await openFile(page, 'sentiment-few-shot.prompt.hbs');
    await runCommand(page, 'Prompt: Select Preview Values…');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type('sentiment-values');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    const { value } = await until(page, () => text(page), (t) => (t ?? '').includes('Review: Arrived late & the box was crushed <again>.\nSentiment:'), 'the review from the values file');
    assert.ok(value.startsWith('Classify the sentiment of the customer review'), 'the other variables keep their samples');
    assert.equal(await preview(page).locator('#values').innerText(), 'Values: sentiment-values.yaml');
    await screenshot(page, 'preview-values-file');
    await runCommand(page, 'Prompt: Select Preview Values…');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type('Use the sample values');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await until(page, () => preview(page).locator('#values').innerText(), (t) => t === 'Sample values from the front matter', 'back to the samples');
    assert.ok(!(await text(page)).includes('crushed'));
  });

  it('keeps the scroll position while the document changes', async () => {
    const { page } = wb;
    await openFile(page, 'long-notes.md');
    await until(page, () => text(page), (t) => t === LONG, 'the long document');
    const scrollTo = (y) => preview(page).locator('body').evaluate((b, yy) => { b.ownerDocument.defaultView.scrollTo(0, yy); return b.ownerDocument.defaultView.scrollY; }, y);
    const scrollY = () => preview(page).locator('body').evaluate((b) => b.ownerDocument.defaultView.scrollY);
    const at = await scrollTo(1500);
    assert.ok(at > 1000, `scrolled to ${at}`);
    await openFile(page, 'long-notes.md');
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('New first line. ');
    await until(page, () => text(page), (t) => (t ?? '').startsWith('New first line. Line 1:'), 'the edit');
    await page.waitForTimeout(300);
    assert.equal(await scrollY(), at, 'the preview stayed where it was scrolled to');
    await page.keyboard.press('Control+S');
  });

  it('opens with ctrl+k v on a prompt file, and shows a template error with its line', async () => {
    const { page } = wb;
    await runCommand(page, 'View: Close All Editor Groups');
    await page.waitForFunction(() => !document.querySelector('iframe.webview.ready'), null, { timeout: 10_000 }).catch(() => {});
    await openFile(page, 'meeting-summary.prompt.hbs');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('V');
    await until(page, () => text(page), (t) => (t ?? '').startsWith('## 说明\n请为刚加入项目的产品经理总结'), 'the Chinese template rendered', 30_000);
    await until(page, () => headerTokens(page), (t) => /\d tokens/.test(t ?? ''), 'the count');
    const rendered = await text(page);
    assert.equal(tokensIn(await headerTokens(page)), referenceCount('o200k_base', rendered));
    // Break the template: the error and its line show, the last render stays, marked stale.
    await openFile(page, 'meeting-summary.prompt.hbs');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('{{#if 读者}}');
    const problem = preview(page).locator('#problems .problem.error');
    await problem.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await problem.innerText(), /\{\{#if\}\} on line \d+ is never closed/);
    assert.match(await problem.locator('.go-to-line').innerText(), /meeting-summary\.prompt\.hbs, line \d+/);
    // The last render that worked stays (typed partly, e.g. with a lone "{" that is still plain text).
    assert.ok((await text(page)).startsWith(rendered), 'the last good render stays');
    assert.equal(await preview(page).locator('#text-view.stale').count(), 1);
    await screenshot(page, 'preview-template-error');
    for (let i = 0; i < '{{#if 读者}}'.length; i++) await page.keyboard.press('Backspace');
    await problem.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await preview(page).locator('#text-view.stale').count(), 0);
    assert.equal(await text(page), rendered);
  });

  it('comes back after a reload of the window, on the same template, with the token view as it was', async () => {
    const { page } = wb;
    await page.keyboard.press('Control+S'); // nothing typed is left unsaved (the edits above were undone)
    await preview(page).locator('#toggle-tokens').click();
    await preview(page).locator('#token-list .tok').first().waitFor({ state: 'visible' });
    // As a user reloads: Developer: Reload Window (VS Code saves its state, then reloads the page).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForLoadState('domcontentloaded');
    await page.waitForTimeout(1000);
    await waitForWorkbench(page);
    const tokens = preview(page).locator('#token-list .tok');
    await tokens.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await preview(page).locator('#source-name').textContent(), 'meeting-summary.prompt.hbs');
    assert.equal(await preview(page).locator('#toggle-tokens').getAttribute('aria-pressed'), 'true');
    const rendered = await preview(page).locator('#token-list').textContent();
    assert.ok(rendered.startsWith('##·说明↵'), rendered.slice(0, 40));
    await screenshot(page, 'preview-restored-after-reload');
  });
});
