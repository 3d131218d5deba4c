// Helpers that drive the VS Code 1.100 web workbench (code-server 4.100.3) the way a person
// would: keyboard shortcuts, Quick Open, the Command Palette, the mouse. Each takes a
// playwright `page` showing the workbench, waits with a timeout and throws an error that names
// what it was waiting for.
//
// DOM facts (checked in code-server 4.100.3 / VS Code 1.100.3):
// - A status bar item made with vscode.window.createStatusBarItem('<itemId>', …) is
//   `#workbench.parts.statusbar .statusbar-item[id="<publisher>.<name>.<itemId>"]` with
//   publisher and name lower-cased (ExtensionIdentifier.toKey) and itemId as given; its text is
//   in `a.statusbar-item-label`, codicons are `<span class="codicon codicon-NAME">` elements.
// - The editor hover is `.monaco-editor .monaco-hover` (visible: not `.hidden`), its content in
//   `.monaco-hover-content`; the status bar's tooltip is a workbench hover, `.workbench-hover`.
// - Notification toasts: `.notifications-toasts .notification-toast`, message text in
//   `.notification-list-item-message`.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
export const SCREENSHOT_DIR = path.resolve(
  process.env.PW_SCREENSHOT_DIR || path.join(REPO_ROOT, 'test-results', 'screenshots'),
);

const DEFAULT_TIMEOUT = 15_000;
const STATUSBAR = '[id="workbench.parts.statusbar"]';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';
const QUICK_INPUT_ROW = '.quick-input-widget .quick-input-list .monaco-list-row';
const ACTIVE_EDITOR = '.part.editor .editor-group-container.active .monaco-editor';

/** Runs fn(); on failure throws `Error("<what>: <cause>")`. */
async function step(what, fn) {
  try {
    return await fn();
  } catch (e) {
    const cause = (e && e.message ? e.message : String(e)).split('\n')[0];
    const err = new Error(`${what}: ${cause}`);
    err.cause = e;
    throw err;
  }
}

function clean(text) {
  return (text || '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Waits until the workbench is up: `.monaco-workbench`, the status bar, the editor part, and
 * the connection to the server (remote indicator in the status bar).
 */
export async function waitForWorkbench(page, { timeout = 60_000 } = {}) {
  const deadline = Date.now() + timeout;
  const left = () => Math.max(1000, deadline - Date.now());
  await step(`waitForWorkbench: .monaco-workbench did not appear within ${timeout} ms`, () =>
    page.waitForSelector('.monaco-workbench', { state: 'attached', timeout: left() }));
  await step('waitForWorkbench: the status bar did not appear', () =>
    page.waitForSelector(`${STATUSBAR} .statusbar-item`, { state: 'visible', timeout: left() }));
  await step('waitForWorkbench: the editor area did not appear', () =>
    page.waitForSelector('.part.editor', { state: 'visible', timeout: left() }));
  await step('waitForWorkbench: the remote indicator (status.host) did not appear', () =>
    page.waitForSelector(`${STATUSBAR} [id="status.host"]`, { state: 'visible', timeout: left() }));
  // Let the initial layout and restored editors settle before keyboard input.
  await page.waitForTimeout(300);
}

/** Sends Escape until no quick input / hover is open (max 3 times). */
async function closeQuickInput(page) {
  for (let i = 0; i < 3; i++) {
    if (!(await page.locator(QUICK_INPUT).isVisible().catch(() => false))) return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(100);
  }
}

async function openQuickInput(page, key, what, timeout) {
  await closeQuickInput(page);
  // Keyboard shortcuts go to whatever has focus; give the workbench focus first.
  await page.locator('.monaco-workbench').focus().catch(() => {});
  await page.keyboard.press(key);
  await step(`${what}: the quick input did not open after ${key}`, () =>
    page.waitForSelector(QUICK_INPUT_BOX, { state: 'visible', timeout }));
}

/**
 * Waits until the quick input list has a row whose label satisfies `matches(label)`, makes it
 * the focused row (arrow keys, as a person would), and presses Enter.
 */
async function pickRow(page, matches, what, timeout) {
  const deadline = Date.now() + timeout;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await page.$$eval(QUICK_INPUT_ROW, (els) =>
      els.map((el) => ({
        label: (el.querySelector('.label-name')?.textContent || '').replace(/\u00a0/g, ' ').trim(),
        description: (el.querySelector('.label-description')?.textContent || '').replace(/\u00a0/g, ' ').trim(),
        aria: el.getAttribute('aria-label') || '',
        focused: el.classList.contains('focused'),
        index: Number(el.getAttribute('data-index')),
      })),
    ).catch(() => []);
    const target = rows.find((r) => matches(r));
    if (target) {
      const focused = rows.find((r) => r.focused);
      if (!focused || focused.index !== target.index) {
        const from = focused ? focused.index : -1;
        const key = target.index > from ? 'ArrowDown' : 'ArrowUp';
        for (let i = 0; i < Math.abs(target.index - from); i++) await page.keyboard.press(key);
        await page.waitForTimeout(50);
        const nowFocused = await page.$eval(`${QUICK_INPUT_ROW}.focused`, (el) => Number(el.getAttribute('data-index'))).catch(() => -1);
        if (nowFocused !== target.index) continue; // list changed under us: look again
      }
      await page.keyboard.press('Enter');
      return target;
    }
    await page.waitForTimeout(100);
  }
  const seen = rows.map((r) => `"${r.label}${r.description ? ` (${r.description})` : ''}"`).join(', ') || 'no rows';
  throw new Error(`${what}: no matching entry in the quick input within ${timeout} ms (saw ${seen})`);
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P, type the path, Enter) and waits until its
 * editor tab is the active one.
 */
export async function openFile(page, relativePath, { timeout = DEFAULT_TIMEOUT } = {}) {
  const rel = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  const base = path.posix.basename(rel);
  const dir = path.posix.dirname(rel);
  const what = `openFile(${JSON.stringify(relativePath)})`;
  await openQuickInput(page, 'Control+P', what, timeout);
  await page.keyboard.type(rel);
  await pickRow(
    page,
    (r) => r.label === base && (dir === '.' || r.description === dir || r.description.endsWith(`/${dir}`) || r.description.startsWith(dir) || r.aria.includes(dir)),
    what,
    timeout,
  );
  await step(`${what}: the editor tab "${base}" did not become active`, () =>
    page.waitForFunction(
      (name) => {
        const tab = document.querySelector('.part.editor .editor-group-container.active .tab.active');
        return !!tab && (tab.getAttribute('data-resource-name') === name || (tab.getAttribute('aria-label') || '').startsWith(name));
      },
      base,
      { timeout },
    ));
  await step(`${what}: the text editor did not appear`, () =>
    page.waitForSelector(`${ACTIVE_EDITOR} .view-lines`, { state: 'visible', timeout }));
}

/**
 * Runs a command from the Command Palette: F1, type the title (e.g. "Prompt: Say Hello" — the
 * category prefix is part of what is shown), pick the entry with that title, Enter.
 */
export async function runCommand(page, title, { timeout = DEFAULT_TIMEOUT } = {}) {
  const what = `runCommand(${JSON.stringify(title)})`;
  await openQuickInput(page, 'F1', what, timeout);
  await step(`${what}: the Command Palette did not show ">"`, () =>
    page.waitForFunction((sel) => document.querySelector(sel)?.value.startsWith('>'), QUICK_INPUT_BOX, { timeout }));
  await page.keyboard.type(title);
  const want = clean(title).toLowerCase();
  await pickRow(page, (r) => clean(r.label).toLowerCase() === want, what, timeout);
  await step(`${what}: the Command Palette did not close`, () =>
    page.waitForSelector(QUICK_INPUT, { state: 'hidden', timeout }));
}

/**
 * Runs a command from the Command Palette whose own quick input opens right away (so the palette
 * never visibly closes, which runCommand waits for): F1, type the title, Enter on that row.
 */
export async function startCommand(page, title, { timeout = DEFAULT_TIMEOUT } = {}) {
  const what = `startCommand(${JSON.stringify(title)})`;
  await openQuickInput(page, 'F1', what, timeout);
  await page.keyboard.type(title);
  const want = clean(title).toLowerCase();
  await pickRow(page, (r) => clean(r.label).toLowerCase() === want, what, timeout);
}

/** Focuses the active text editor (clicking into its text, as a person would). */
export async function focusEditor(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await closeQuickInput(page);
  const editor = page.locator(ACTIVE_EDITOR).first();
  await step('focusEditor: no active text editor', () => editor.waitFor({ state: 'visible', timeout }));
  const focused = await editor.evaluate((el) => el.classList.contains('focused')).catch(() => false);
  if (!focused) {
    // Click at the end of the last line so the caret does not jump into existing text.
    const lines = editor.locator('.view-lines');
    const box = await lines.boundingBox();
    if (box) await page.mouse.click(box.x + box.width - 5, box.y + box.height - 5);
    else await lines.click();
    await step('focusEditor: the editor did not take focus', () =>
      page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains('focused'), ACTIVE_EDITOR, { timeout }));
  }
}

/** Types text into the active editor with the keyboard (auto-closing etc. apply). */
export async function typeInEditor(page, text, { delay = 0, timeout = DEFAULT_TIMEOUT } = {}) {
  await focusEditor(page, { timeout });
  await page.keyboard.type(text, { delay });
}

/** Selects everything in the active editor (Ctrl+A). */
export async function selectAll(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await focusEditor(page, { timeout });
  await page.keyboard.press('Control+A');
  await step('selectAll: the editor shows no selection', () =>
    page.waitForSelector(`${ACTIVE_EDITOR} .selected-text`, { state: 'attached', timeout: 3000 }))
    .catch((e) => {
      // An empty document has nothing to select.
      if (!/selectAll/.test(e.message)) throw e;
    });
}

/** Text of the active editor as rendered (visible lines only). */
export async function readEditorText(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  await step('readEditorText: no active text editor', () =>
    page.waitForSelector(`${ACTIVE_EDITOR} .view-lines`, { state: 'visible', timeout }));
  return page.$eval(`${ACTIVE_EDITOR} .view-lines`, (el) =>
    [...el.querySelectorAll('.view-line')]
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n'));
}

/** CSS selector of the status bar item contributed with createStatusBarItem(itemId, …). */
export function statusBarItemSelector(itemId, { extensionId } = {}) {
  const esc = (s) => s.replace(/["\\]/g, '\\$&');
  if (extensionId) return `${STATUSBAR} .statusbar-item[id="${esc(`${extensionId.toLowerCase()}.${itemId}`)}"]`;
  // "<publisher>.<name>.<itemId>", or the full id if given.
  return `${STATUSBAR} .statusbar-item[id$=".${esc(itemId)}"], ${STATUSBAR} .statusbar-item[id="${esc(itemId)}"]`;
}

function statusBarItem(page, itemId, opts) {
  return page.locator(statusBarItemSelector(itemId, opts)).first();
}

/**
 * Visible text of the status bar item created with createStatusBarItem('<itemId>', …) — codicons
 * ($(name)) stripped, whitespace collapsed. Options: extensionId ("publisher.name") to pin the
 * exact DOM id, waitFor (string or RegExp) to wait until the text matches, timeout.
 */
export async function readStatusBarItem(page, itemId, { extensionId, waitFor, timeout = DEFAULT_TIMEOUT } = {}) {
  const item = statusBarItem(page, itemId, { extensionId });
  const what = `readStatusBarItem(${JSON.stringify(itemId)})`;
  await step(`${what}: no visible status bar item ${statusBarItemSelector(itemId, { extensionId })}`, () =>
    item.waitFor({ state: 'visible', timeout }));
  const read = () => item.evaluate((el) => {
    const label = el.querySelector('.statusbar-item-label') || el;
    const copy = label.cloneNode(true);
    copy.querySelectorAll('.codicon, [class*="codicon-"]').forEach((c) => c.remove());
    return copy.textContent;
  }).then(clean);
  if (waitFor === undefined) return read();
  const ok = (t) => (waitFor instanceof RegExp ? waitFor.test(t) : t.includes(waitFor));
  const deadline = Date.now() + timeout;
  let text = await read();
  while (!ok(text)) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: text did not match ${waitFor} within ${timeout} ms (last: ${JSON.stringify(text)})`);
    }
    await page.waitForTimeout(100);
    text = await read();
  }
  return text;
}

/** Hover text of a status bar item (moves the mouse onto it and reads the hover). */
export async function readStatusBarTooltip(page, itemId, { extensionId, timeout = DEFAULT_TIMEOUT } = {}) {
  const item = statusBarItem(page, itemId, { extensionId });
  const what = `readStatusBarTooltip(${JSON.stringify(itemId)})`;
  await step(`${what}: no visible status bar item`, () => item.waitFor({ state: 'visible', timeout }));
  await moveMouseAway(page);
  await item.hover();
  const hover = page.locator('.workbench-hover-container .workbench-hover, .monaco-hover.workbench-hover').last();
  await step(`${what}: no tooltip (.workbench-hover) appeared`, () => hover.waitFor({ state: 'visible', timeout }));
  const text = clean(await hover.innerText());
  await moveMouseAway(page);
  return text;
}

async function moveMouseAway(page) {
  // The activity bar's empty lower area has no hovers.
  const vp = page.viewportSize() || { width: 1280, height: 720 };
  await page.mouse.move(vp.width / 2, 1);
  await page.keyboard.press('Escape').catch(() => {});
}

/**
 * Moves the mouse over the first visible occurrence of `text` in the active editor and returns
 * the text of the editor hover that appears (throws if none appears).
 */
export async function hoverAt(page, text, { timeout = DEFAULT_TIMEOUT } = {}) {
  const what = `hoverAt(${JSON.stringify(text)})`;
  await step(`${what}: no active text editor`, () =>
    page.waitForSelector(`${ACTIVE_EDITOR} .view-lines`, { state: 'visible', timeout }));
  await closeQuickInput(page);
  // Text just typed may not be rendered yet: look for it until the timeout.
  await page.waitForFunction(([sel, needle]) => document.querySelector(sel)?.textContent.replace(/\u00a0/g, ' ').includes(needle), [`${ACTIVE_EDITOR} .view-lines`, text], { timeout }).catch(() => {});
  const point = await page.$eval(`${ACTIVE_EDITOR} .view-lines`, (root, needle) => {
    const lines = [...root.querySelectorAll('.view-line')].sort(
      (a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0));
    for (const line of lines) {
      const nodes = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let all = '';
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n, start: all.length });
        all += n.nodeValue.replace(/\u00a0/g, ' ');
      }
      const at = all.indexOf(needle);
      if (at < 0) continue;
      const locate = (offset) => {
        for (let i = nodes.length - 1; i >= 0; i--) {
          if (offset >= nodes[i].start) return [nodes[i].node, offset - nodes[i].start];
        }
        return [nodes[0].node, 0];
      };
      // The box of the occurrence's middle character.
      const mid = at + Math.floor((needle.length - 1) / 2);
      const [startNode, startOff] = locate(mid);
      const range = document.createRange();
      range.setStart(startNode, startOff);
      range.setEnd(startNode, Math.min(startOff + 1, startNode.nodeValue.length));
      const r = range.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, text);
  if (!point) throw new Error(`${what}: "${text}" is not visible in the active editor`);
  await moveMouseAway(page);
  await page.mouse.move(point.x, point.y, { steps: 3 });
  const hover = page.locator(`${ACTIVE_EDITOR} .monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .monaco-hover-content`).last();
  await step(`${what}: no editor hover (.monaco-hover) appeared`, () => hover.waitFor({ state: 'visible', timeout }));
  // Hover providers may answer in stages ("Loading..." first).
  let content = clean(await hover.innerText());
  const deadline = Date.now() + timeout;
  while (/^Loading\.{0,3}$/.test(content) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    content = clean(await hover.innerText());
  }
  return content;
}

/**
 * Messages of the notification toasts currently shown (e.g. from showInformationMessage).
 * Options: waitFor (string or RegExp) to wait until a toast matches it; atLeast (default 1 when
 * waitFor is not given, set 0 to read without waiting); timeout.
 */
export async function readNotifications(page, { waitFor, atLeast, timeout = DEFAULT_TIMEOUT } = {}) {
  const min = atLeast ?? (waitFor ? 0 : 1);
  const read = () => page.$$eval('.notifications-toasts .notification-toast .notification-list-item-message', (els) =>
    els.filter((e) => e.offsetParent !== null).map((e) => e.textContent.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()))
    .catch(() => []);
  const ok = (list) => list.length >= min
    && (waitFor === undefined || list.some((t) => (waitFor instanceof RegExp ? waitFor.test(t) : t.includes(waitFor))));
  const deadline = Date.now() + timeout;
  let list = await read();
  while (!ok(list)) {
    if (Date.now() > deadline) {
      const wanted = waitFor !== undefined ? `a notification matching ${waitFor}` : `${min} notification(s)`;
      throw new Error(`readNotifications: no ${wanted} within ${timeout} ms (shown: ${JSON.stringify(list)})`);
    }
    await page.waitForTimeout(100);
    list = await read();
  }
  return list;
}

/** Saves a full-window PNG to test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const safe = String(name).replace(/[^\w.-]+/g, '_');
  const file = path.join(SCREENSHOT_DIR, `${safe}.png`);
  await step(`screenshot(${JSON.stringify(name)})`, () => page.screenshot({ path: file }));
  return file;
}
