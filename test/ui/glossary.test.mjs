// Journey: a prompt author hovers CoT and 思维链 in a markdown prompt, opens the glossary view
// and searches RLHF, follows a hover's "Open in Glossary" link, works the view with the
// keyboard, and breaks the workspace glossary file (one clear message; built-in terms still work).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { focusEditor, hoverAt, openFile, readNotifications, readStatusBarItem, runCommand, screenshot } from '../harness/workbench.mjs';
import { EXTENSION_ID, openWorkbench, STATUS_ITEM, writeWorkspaceSettings } from './journey.mjs';

const DOC = 'glossary-demo.md';
const CONTENT = [
  '# Reasoning prompt',
  '',
  'Ask the model for CoT before the final answer, then check it with self-consistency.',
  '',
  '请先用思维链逐步推理，再给出答案。',
  '',
].join('\n');

/** The glossary view's page (inside the webview's two iframes). */
const view = (page) => page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');

async function detailTitle(page, want, timeout = 20_000) {
  const h = view(page).locator('#detail-title');
  await h.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  let text = await h.textContent();
  while (!want.test(text) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    text = await h.textContent();
  }
  assert.match(text, want);
  return text;
}

describe('journey: bilingual glossary in code-server', function () {
  let wb;
  before(async function () {
    wb = await openWorkbench({ files: { [DOC]: CONTENT } });
    await openFile(wb.page, DOC);
    // The extension is active once its token count shows (hovers come from then on).
    await readStatusBarItem(wb.page, STATUS_ITEM, { extensionId: EXTENSION_ID, waitFor: /tokens/, timeout: 30_000 });
  });
  after(async () => wb && (await wb.stop()));

  it('shows Chain of Thought in both languages when hovering CoT', async () => {
    const text = await hoverAt(wb.page, 'CoT');
    assert.match(text, /Chain of Thought · 思维链/);
    assert.match(text, /intermediate reasoning steps/);
    assert.match(text, /中间推导步骤/);
    assert.ok(text.indexOf('intermediate reasoning') < text.indexOf('中间推导步骤'), 'English (the UI language) first');
    assert.match(text, /Related: .*Few-shot Prompting/);
    assert.match(text, /Open in Glossary/);
    await screenshot(wb.page, 'glossary-hover-cot');
  });

  it('shows the same entry when hovering 思维链 in Chinese text', async () => {
    const text = await hoverAt(wb.page, '思维链');
    assert.match(text, /Chain of Thought · 思维链/);
    assert.match(text, /中间推导步骤/);
    await screenshot(wb.page, 'glossary-hover-chinese');
  });

  it('opens the glossary view, searches RLHF and reads the entry', async () => {
    await runCommand(wb.page, 'Prompt: Open Glossary');
    const search = view(wb.page).locator('#search');
    await search.waitFor({ state: 'visible', timeout: 30_000 });
    await search.click();
    await search.fill('');
    await wb.page.keyboard.type('RLHF');
    const first = view(wb.page).locator('#list li[role="option"]').first();
    await first.waitFor({ state: 'visible' });
    const deadline = Date.now() + 10_000;
    while (!/Reinforcement Learning from Human Feedback/.test(await first.textContent()) && Date.now() < deadline) await wb.page.waitForTimeout(100);
    assert.match(await first.textContent(), /Reinforcement Learning from Human Feedback/);
    await wb.page.keyboard.press('Enter');
    await detailTitle(wb.page, /Reinforcement Learning from Human Feedback · 基于人类反馈的强化学习/);
    const detail = await view(wb.page).locator('#detail').innerText();
    assert.match(detail, /people rank model responses/);
    assert.match(detail, /先由人对模型回答排序/);
    assert.match(detail, /Related terms/);
    assert.match(detail, /Reward Model/);
    await screenshot(wb.page, 'glossary-view-rlhf');
  });

  it('works from the keyboard: a misspelt search, arrow keys, a related term', async () => {
    const search = view(wb.page).locator('#search');
    await search.click();
    await search.fill('halucination');
    await wb.page.waitForTimeout(300);
    await wb.page.keyboard.press('ArrowDown');
    await detailTitle(wb.page, /^Hallucination · 幻觉$/);
    const focused = await view(wb.page).locator(':focus').getAttribute('id');
    assert.equal(focused, 'list', 'ArrowDown moves into the list');
    await wb.page.keyboard.press('Enter'); // to the entry
    assert.equal(await view(wb.page).locator(':focus').getAttribute('id'), 'detail-title');
    await wb.page.keyboard.press('Tab'); // first related term
    const relatedName = (await view(wb.page).locator(':focus').innerText()).trim();
    assert.match(relatedName, /Retrieval-Augmented Generation/);
    await wb.page.keyboard.press('Enter');
    await detailTitle(wb.page, /^Retrieval-Augmented Generation · 检索增强生成$/);
    await screenshot(wb.page, 'glossary-view-keyboard');
  });

  it('opens the view on the hovered term from the hover\'s Open in Glossary link', async () => {
    await openFile(wb.page, DOC);
    await focusEditor(wb.page);
    await hoverAt(wb.page, 'CoT');
    const linkInHover = wb.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'Open in Glossary' }).last();
    await linkInHover.waitFor({ state: 'visible' });
    await linkInHover.click();
    await detailTitle(wb.page, /^Chain of Thought · 思维链$/);
    const active = view(wb.page).locator('#list li.active');
    await active.waitFor({ state: 'visible' });
    assert.match(await active.innerText(), /Chain of Thought/);
    assert.equal(await view(wb.page).locator('#search').inputValue(), '', 'the whole list is shown');
    await screenshot(wb.page, 'glossary-open-from-hover');
  });

  it('shows a team term from the settings with its source, its HTML as plain text in the view and the hover', async () => {
    const evil = '<img src=x onerror="document.body.dataset.pwned=1">';
    writeWorkspaceSettings(wb.folder, {
      'promptWorkbench.glossary.terms': [{
        id: 'evil-term', en: 'Evil Term', zh: '恶意术语', related: ['prompt-injection'],
        definition: { en: `Renders as text: ${evil}`, zh: '<script>document.body.dataset.pwned=1</script>' },
      }],
    });
    const search = view(wb.page).locator('#search');
    // The page reloads when the glossary changes; wait for the term to be searchable.
    const deadline = Date.now() + 20_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      await search.fill('evil term').catch(() => {});
      await wb.page.waitForTimeout(400);
      found = /Evil Term/.test(await view(wb.page).locator('#list').innerText().catch(() => ''));
    }
    assert.ok(found, 'the settings term appears in the view');
    await search.press('Enter');
    await detailTitle(wb.page, /^Evil Term · 恶意术语$/);
    const detail = await view(wb.page).locator('#detail').innerText();
    assert.ok(detail.includes(`Renders as text: ${evil}`), detail);
    assert.ok(detail.includes('<script>document.body.dataset.pwned=1</script>'), detail);
    assert.match(detail, /From setting promptWorkbench\.glossary\.terms/);
    assert.equal(await view(wb.page).locator('#detail img, #detail script').count(), 0, 'no element made from the text');
    assert.equal(await view(wb.page).locator('body[data-pwned]').count(), 0);
    await screenshot(wb.page, 'glossary-view-user-term-escaped');
    await openFile(wb.page, DOC); // Quick Open leaves the focus in the editor
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('Watch out for the Evil Term.');
    await screenshot(wb.page, 'glossary-typed-user-term');
    // A glossary view reloaded for the changed setting must not take the focus from the editor.
    assert.equal(await search.inputValue(), 'evil term', 'nothing typed went into the glossary search box');
    const text = await hoverAt(wb.page, 'Evil Term');
    assert.ok(text.includes(`Renders as text: ${evil}`), text);
    assert.equal(await wb.page.locator('.monaco-hover:not(.hidden) img').count(), 0);
    await screenshot(wb.page, 'glossary-hover-user-term-escaped');
    writeWorkspaceSettings(wb.folder, {});
  });

  it('reports a broken .vscode/prompt-glossary.json in one message with field and position; built-in terms keep working', async () => {
    const file = path.join(wb.folder, '.vscode', 'prompt-glossary.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  "version": 1,\n  "entries": [\n    { "id": "golden-set", "en": "Golden Set", "definition": { "en": 42 } }\n  ]\n}\n');
    const notes = await readNotifications(wb.page, { waitFor: /prompt-glossary\.json:4:63/, timeout: 20_000 });
    const ours = notes.filter((n) => /glossary/i.test(n));
    assert.equal(ours.length, 1, JSON.stringify(notes));
    assert.match(ours[0], /entries\[0\]\.definition\.en/);
    assert.match(ours[0], /built-in glossary keeps working/);
    await screenshot(wb.page, 'glossary-broken-file');
    await openFile(wb.page, DOC);
    const text = await hoverAt(wb.page, 'CoT');
    assert.match(text, /Chain of Thought/);
  });
});
