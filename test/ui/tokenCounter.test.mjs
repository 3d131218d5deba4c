// Journey: a person opens a prompt in code-server (the packaged .vsix installed), reads the
// status bar, types, selects, runs Prompt: Count Tokens, switches to a cl100k_base model, and
// picks a model its vendor has retired.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { openFile, readNotifications, readStatusBarItem, readStatusBarTooltip, runCommand, screenshot, selectAll, typeInEditor } from '../harness/workbench.mjs';
import { REPO_ROOT } from '../harness/codeServer.mjs';
import { EXTENSION_ID, openWorkbench, referenceCount, STATUS_ITEM, tokensIn, writeWorkspaceSettings } from './journey.mjs';

const require = createRequire(import.meta.url);
const { estimateTokens } = require(path.join(REPO_ROOT, 'out', 'src', 'core', 'cost.js'));

const status = (page, waitFor, timeout = 30_000) => readStatusBarItem(page, STATUS_ITEM, { extensionId: EXTENSION_ID, waitFor, timeout });

describe('journey: live token counter in code-server', function () {
  let wb;
  let original;
  const file = 'summarise-article.md';
  const typed = '\nKeep it friendly and avoid jargon.';
  before(async function () {
    wb = await openWorkbench();
    // Read once: the editor may save the file while we type.
    original = fs.readFileSync(path.join(wb.folder, file), 'utf8');
  });
  after(async () => wb && (await wb.stop()));

  it('shows the exact o200k_base count when a prompt file is opened', async () => {
    await openFile(wb.page, file);
    const expected = referenceCount('o200k_base', original);
    const text = await status(wb.page, /\d tokens/);
    assert.equal(tokensIn(text), expected, `status bar says "${text}"`);
    assert.match(text, /\$0\.\d+/, 'shows the input cost');
    const tooltip = await readStatusBarTooltip(wb.page, STATUS_ITEM, { extensionId: EXTENSION_ID });
    assert.match(tooltip, /GPT-4o/);
    assert.match(tooltip, /o200k_base/);
    assert.match(tooltip, /Prices checked on\W*2025-10-01/, 'says how old the prices are');
    await screenshot(wb.page, 'token-counter-open');
  });

  it('updates the count as the user types', async () => {
    await wb.page.keyboard.press('Control+End');
    await typeInEditor(wb.page, typed);
    const expected = referenceCount('o200k_base', original + typed);
    const text = await status(wb.page, new RegExp(`^${expected.toLocaleString('en')} tokens`), 15_000);
    assert.equal(tokensIn(text), expected, `after typing, the status bar says "${text}"`);
  });

  it('counts the selection and says so', async () => {
    await selectAll(wb.page);
    const text = await status(wb.page, /selected/);
    const expected = referenceCount('o200k_base', original + typed);
    assert.equal(tokensIn(text), expected);
    await screenshot(wb.page, 'token-counter-selection');
  });

  it('runs Prompt: Count Tokens from the palette and shows the result', async () => {
    await runCommand(wb.page, 'Prompt: Count Tokens');
    // Not the progress notification ("Counting tokens…"): the result.
    const notes = await readNotifications(wb.page, { waitFor: /Selection: [\d,]+ tokens/, timeout: 20_000 });
    const expected = referenceCount('o200k_base', original + typed);
    const joined = notes.join('\n');
    assert.match(joined, new RegExp(`Selection: ${expected.toLocaleString('en')} tokens`), joined);
    assert.match(joined, /Prices checked on 2025-10-01\./, joined);
    await screenshot(wb.page, 'count-tokens-command');
  });

  it('opens the model picker from the status bar, grouped by provider with prices', async () => {
    const page = wb.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+End'); // drop the selection
    await page.locator(`[id="workbench.parts.statusbar"] .statusbar-item[id="${EXTENSION_ID}.${STATUS_ITEM}"]`).click();
    await page.waitForFunction(() => /Select the model to count tokens for/.test(document.querySelector('.quick-input-title')?.textContent ?? ''), null, { timeout: 15_000 });
    const separators = await page.$$eval('.quick-input-list .quick-input-list-separator', (els) => els.map((e) => e.textContent.trim()).filter(Boolean));
    assert.ok(separators.includes('OpenAI'), separators.join(', '));
    const rows = await page.$$eval('.quick-input-list .monaco-list-row', (els) => els.map((e) => e.textContent));
    assert.ok(rows.some((r) => /GPT-4o/.test(r) && /\$2\.50 in \/ \$10(\.00)? out per 1M tokens · 128,000 context/.test(r)), rows.slice(0, 5).join('\n'));
    await screenshot(page, 'select-model');
    await page.keyboard.type('gpt-4.1-mini');
    await page.waitForFunction(() => /gpt-4\.1-mini/.test(document.querySelector('.quick-input-list .monaco-list-row.focused')?.textContent ?? ''), null, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    // Same encoding (o200k_base), the mini model's price: $0.40 per 1M.
    const expected = referenceCount('o200k_base', original + typed);
    const text = await status(page, new RegExp(`^${expected.toLocaleString('en')} tokens · \\$0\\.000(10|1)`), 15_000);
    assert.equal(tokensIn(text), expected);
  });

  it('recounts with cl100k_base when the model changes to gpt-4', async () => {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+End'); // drop the selection
    writeWorkspaceSettings(wb.folder, { 'promptWorkbench.model': 'gpt-4' });
    const content = original + typed;
    const expected = referenceCount('cl100k_base', content);
    assert.notEqual(expected, referenceCount('o200k_base', content), 'the two encodings should differ on this text');
    const text = await status(wb.page, new RegExp(`^${expected.toLocaleString('en')} tokens`), 20_000);
    assert.equal(tokensIn(text), expected);
    await screenshot(wb.page, 'token-counter-gpt-4');
  });

  it('lists retired models last with the vendor\'s date, and warns when one is chosen', async () => {
    const page = wb.page;
    const item = page.locator(`[id="workbench.parts.statusbar"] .statusbar-item[id="${EXTENSION_ID}.${STATUS_ITEM}"]`);
    // gpt-4 (chosen in the step before) was retired on 2026-10-23: a warning icon in place of the usual one.
    await item.locator('.codicon-warning').waitFor({ state: 'visible', timeout: 15_000 });
    await item.click();
    // The picker is open and has the keyboard (a hidden quick input from an earlier step keeps its title in the DOM).
    await page.waitForFunction(() => {
      const widget = document.activeElement?.closest('.quick-input-widget');
      return !!widget && /Select the model to count tokens for/.test(widget.querySelector('.quick-input-title')?.textContent ?? '');
    }, null, { timeout: 15_000 });
    // The last group, at the end of the list (Up from the first item wraps round): the retired models, each with the vendor's words.
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => /Retired by/.test(document.querySelector('.quick-input-widget .monaco-list-row.focused')?.textContent ?? ''), null, { timeout: 10_000 });
    // Visible separators only: the command palette's list from an earlier step stays in the DOM, hidden.
    const separators = await page.$$eval('.quick-input-list .quick-input-list-separator', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.textContent.trim()).filter(Boolean));
    assert.equal(separators.at(-1), 'Retired by their vendors', separators.join(', '));
    await screenshot(page, 'select-model-retired');
    await page.keyboard.type('claude-sonnet-4-5');
    await page.waitForFunction(() => /claude-sonnet-4-5/.test(document.querySelector('.quick-input-widget .monaco-list-row.focused')?.textContent ?? ''), null, { timeout: 10_000 });
    const row = await page.$eval('.quick-input-widget .monaco-list-row.focused', (e) => e.textContent);
    assert.match(row, /Retired by Anthropic on 2026-11-30\. Recommended replacement: claude-sonnet-5-5\./, row);
    await page.keyboard.press('Enter');
    // Claude's tokenizer is not public: the catalogue's estimate (3.5 characters a token, 1 per CJK character).
    const expected = Math.round(estimateTokens(original + typed, 3.5, 1));
    const text = await status(page, /^≈[\d,]+ tokens/, 20_000);
    assert.equal(tokensIn(text), expected, text);
    await item.locator('.codicon-warning').waitFor({ state: 'visible', timeout: 5_000 });
    const tooltip = await readStatusBarTooltip(page, STATUS_ITEM, { extensionId: EXTENSION_ID });
    assert.match(tooltip, /Status\W*Retired by Anthropic on 2026-11-30\. Recommended replacement: claude-sonnet-5-5\./, tooltip);
    assert.match(tooltip, /Claude Sonnet 4\.5 is retired: its vendor no longer serves claude-sonnet-4-5\. Choose another model\./, tooltip);
    await screenshot(page, 'token-counter-retired-model');
  });
});
