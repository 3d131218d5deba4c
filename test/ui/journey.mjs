// Shared set-up for the UI journeys: the packaged .vsix installed into a fresh code-server,
// a copy of examples/ as the workspace, and headless Chromium on the workbench.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { installVsix, launchBrowser, REPO_ROOT, startCodeServer } from '../harness/codeServer.mjs';
import { waitForWorkbench } from '../harness/workbench.mjs';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken');

export const STATUS_ITEM = 'promptWorkbench.tokens';
export const EXTENSION_ID = 'prompt-workbench.prompt-workbench';

export function vsixPath() {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const file = path.join(REPO_ROOT, `${name}-${version}.vsix`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run package first`);
  return file;
}

/** tiktoken's count (the reference), with special-token strings counted as text. */
export function referenceCount(encoding, text) {
  const enc = get_encoding(encoding);
  try {
    return enc.encode_ordinary(text).length;
  } finally {
    enc.free();
  }
}

/** "1,234 tokens · $0.0031" → 1234 */
export function tokensIn(text) {
  const m = text.match(/(\d[\d,]*) tokens?/);
  if (!m) throw new Error(`no token count in ${JSON.stringify(text)}`);
  return Number(m[1].replace(/,/g, ''));
}

/**
 * Starts everything; returns { page, folder, stop() }. `files` adds files to the workspace copy;
 * `workspaceSettings` becomes .vscode/settings.json.
 */
export async function openWorkbench({ files = {}, workspaceSettings, userSettings } = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-journey-'));
  const folder = path.join(base, 'workspace');
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  for (const d of [userDataDir, extensionsDir]) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'examples'), folder, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    fs.writeFileSync(path.join(folder, rel), content);
  }
  if (workspaceSettings) writeWorkspaceSettings(folder, workspaceSettings);
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    fs.rmSync(base, { recursive: true, force: true });
  };
  try {
    await installVsix(vsixPath(), { extensionsDir, userDataDir });
    const server = await startCodeServer({ folder, userDataDir, extensionsDir, userSettings: { 'workbench.startupEditor': 'none', ...userSettings } });
    stops.push(() => server.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.stop());
    const page = await browser.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
    return { page, folder, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export function writeWorkspaceSettings(folder, settings) {
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}
