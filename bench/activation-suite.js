// Loaded by the VS Code extension host as extensionTestsPath (see bench/bench.mjs): opens a
// markdown document, which activates Prompt Workbench, and records what the extension measured.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

exports.run = async function run() {
  const out = process.env.PW_BENCH_OUT || path.join(__dirname, '..', '.cache', 'bench-activation.json');
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# hello\n' });
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension('prompt-workbench.prompt-workbench');
  const started = Date.now();
  while (!ext.isActive && Date.now() - started < 20000) await new Promise((r) => setTimeout(r, 20));
  const api = ext.exports;
  // Wait for the first (small) document's count: the o200k_base encoding is then loaded.
  while (!/tokens/.test(api.statusBar().text) && Date.now() - started < 20000) await new Promise((r) => setTimeout(r, 5));
  // Time from opening a 200 KB document to its count in the status bar.
  const text = fs.readFileSync(path.join(__dirname, '..', 'node_modules', 'typescript', 'lib', 'lib.es5.d.ts'), 'utf8').slice(0, 200 * 1024);
  const firstCount = {};
  for (const language of ['plaintext', 'markdown']) {
    const t0 = performance.now();
    const doc = await vscode.workspace.openTextDocument({ language, content: text + language });
    await vscode.window.showTextDocument(doc);
    while (!/^\$\([a-z-]+\) [\d,]+ tokens/.test(api.statusBar().text) && performance.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 1));
    firstCount[language] = performance.now() - t0;
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }
  // Our own part: counting 200 KB in slices on the extension host's thread.
  const c0 = performance.now();
  await api.countTokens(text);
  const countOnly = performance.now() - c0;
  const result = {
    count200KbInHostMs: countOnly,
    vscode: vscode.version,
    activationMs: api.activationMs,
    firstCount200KbMs: firstCount,
    statusText: api.statusBar().text,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  const report = process.env.PW_TEST_REPORT;
  if (report) fs.writeFileSync(report, JSON.stringify({ passed: 1, failed: 0, tests: [{ title: 'activation benchmark', state: 'passed', error: null }] }));
};
