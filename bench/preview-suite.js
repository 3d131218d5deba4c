// Loaded by the VS Code extension host as extensionTestsPath (see bench/preview.mjs): measures the
// prompt preview in a real VS Code (code-server's, the packaged .vsix) with its real webview in
// Chromium. Times come from the extension (api.preview.timings()): each update from its start
// (after the 150 ms debounce) to the page reporting that it painted it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

/** A 20 KB template whose body runs {{#each}} over 50 worked examples from its front matter. */
function fewShotTemplate() {
  const review = (i) => `Review ${i}: the battery lasted ${i + 3} hours, the screen is bright & sharp, but the <charger> runs hot; 电池续航一般，屏幕不错。`;
  const examples = Array.from({ length: 50 }, (_, i) => `      - input: "${review(i)}"\n        output: ${['positive', 'negative', 'neutral'][i % 3]}\n        why: "Reason ${i}: mentions ${i % 2 ? 'praise' : 'complaints'} about battery and charger."`).join('\n');
  const head = `---\nmodel: gpt-4o\nvariables:\n  task:\n    sample: Classify the sentiment of the review as positive, negative or neutral, and say why in one sentence.\n  examples:\n    sample:\n${examples}\n  review:\n    sample: Arrived late & scratched <again>.\n---\n`;
  let body = '{{task}}\n\n{{#each examples}}\n### Example {{@index}}\nReview: {{input}}\nReasoning: {{why}}\nSentiment: {{output}}\n\n{{/each}}\nReview: {{review}}\nSentiment:\n';
  let filler = '';
  while ((head + filler + body).length < 20 * 1024) filler += 'Guidelines: read the whole review; weigh praise against complaints; answer with one word. ';
  return head + body.replace('{{task}}\n', `{{task}}\n${filler}\n`);
}

exports.run = async function run() {
  const out = process.env.PW_BENCH_OUT || path.join(__dirname, '..', '.cache', 'bench-preview.json');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-preview-'));
  const ext = vscode.extensions.getExtension('prompt-workbench.prompt-workbench');
  const result = { vscode: vscode.version };
  try {
    // ------------------------------------------------ keystroke → updated preview, 20 KB template
    const file = path.join(dir, 'bench.prompt.hbs');
    fs.writeFileSync(file, fewShotTemplate());
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc);
    const api = await ext.activate();
    await vscode.commands.executeCommand('promptWorkbench.openPreviewToSide');
    const state = () => api.preview.state();
    const settled = async (ok, what, timeout = 20000) => {
      const t0 = Date.now();
      for (;;) {
        const s = state();
        if (s && ok(s) && s.painted && s.painted.seq === s.seq) return s;
        if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 300)}`);
        await sleep(2);
      }
    };
    const first = await settled((s) => s.tokens !== undefined && s.text, 'the first render');
    result.template = { characters: doc.getText().length, rendered: first.text.length, tokens: first.tokens };
    // Warm up (worker JIT, encoding), then time keystrokes: one character typed into the body at a time.
    const bodyLine = doc.lineCount - 2;
    const keystrokes = [];
    for (let i = 0; i < 60; i++) {
      const before = state().seq;
      const t0 = performance.now();
      await editor.edit((e) => e.insert(new vscode.Position(bodyLine, 0), i % 7 === 6 ? ' ' : 'abcdefghij'[i % 10]));
      await settled((s) => s.seq > before, `keystroke ${i}`);
      keystrokes.push(performance.now() - t0);
    }
    const updates = api.preview.timings().updates.filter((t) => t.totalMs !== undefined).slice(-50);
    result.keystroke = {
      runs: updates.length,
      totalP50: pct(updates.map((t) => t.totalMs), 50),
      totalP95: pct(updates.map((t) => t.totalMs), 95),
      renderP50: pct(updates.map((t) => t.renderMs), 50),
      renderP95: pct(updates.map((t) => t.renderMs), 95),
      countP50: pct(updates.map((t) => t.countMs), 50),
      countP95: pct(updates.map((t) => t.countMs), 95),
      postToPaintP50: pct(updates.map((t) => t.postToPaintMs), 50),
      postToPaintP95: pct(updates.map((t) => t.postToPaintMs), 95),
      pageP50: pct(updates.map((t) => t.pageMs), 50),
      pageP95: pct(updates.map((t) => t.pageMs), 95),
      withDebounceP50: pct(keystrokes.slice(-50), 50),
      withDebounceP95: pct(keystrokes.slice(-50), 95),
    };
    await vscode.commands.executeCommand('workbench.action.files.revert');

    // ------------------------------------------------ token view of a 200 KB prompt
    const corpus = [
      fs.readFileSync(path.join(__dirname, '..', 'examples', 'summarise-article.md'), 'utf8'),
      fs.readFileSync(path.join(__dirname, '..', 'examples', '情感分类.md'), 'utf8'),
      fs.readFileSync(path.join(__dirname, '..', 'examples', 'mixed-and-emoji.txt'), 'utf8'),
      fs.readFileSync(path.join(__dirname, '..', 'node_modules', 'typescript', 'lib', 'lib.es5.d.ts'), 'utf8').slice(0, 20000),
    ].join('\n');
    let big = '';
    for (let i = 0; big.length < 200 * 1024; i++) big += `Section ${i}.\n${corpus}\n`;
    big = big.slice(0, 200 * 1024);
    // Plain text: a Markdown file would also be parsed by VS Code's own Markdown extension on the same thread.
    const bigFile = path.join(dir, 'big-prompt.txt');
    fs.writeFileSync(bigFile, big);
    // The longest the extension host's event loop is held up (it also sees VS Code's own work on this thread).
    let last = performance.now();
    let longest = 0;
    const monitor = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    api.preview.resetLongest();
    const bigDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(bigFile));
    await vscode.window.showTextDocument(bigDoc, vscode.ViewColumn.One);
    await settled((s) => s.source === bigDoc.uri.toString() && s.tokens !== undefined && s.text && s.text.length === big.length, 'the 200 KB prompt');
    const stallOpen = longest;
    const ourOpen = api.preview.timings();
    api.preview.resetLongest();
    const tokenRuns = [];
    const bigEditor = vscode.window.visibleTextEditors.find((e) => e.document === bigDoc);
    for (let i = 0; i < 8; i++) {
      await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', false);
      // A new text each time (one character typed), so that each run cuts it into tokens afresh.
      const seq = state().seq;
      await bigEditor.edit((e) => e.insert(new vscode.Position(50, 0), 'y'));
      await settled((s) => s.seq > seq, `the edit before toggle ${i}`);
      await sleep(200);
      last = performance.now();
      longest = 0;
      const before = api.preview.timings().tokens.length;
      await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', true);
      const t0 = Date.now();
      while (api.preview.timings().tokens.length === before && Date.now() - t0 < 20000) await sleep(2);
      const t = api.preview.timings().tokens.at(-1);
      tokenRuns.push({ ...t, stall: longest });
    }
    const ourToggles = api.preview.timings();
    api.preview.resetLongest();
    // Typing with the token view on (200 KB): the update and its tokens.
    last = performance.now();
    longest = 0;
    const typedTokens = [];
    for (let i = 0; i < 10; i++) {
      const before = state().seq;
      const n = api.preview.timings().tokens.length;
      await bigEditor.edit((e) => e.insert(new vscode.Position(100, 0), 'x'));
      await settled((s) => s.seq > before, `200 KB keystroke ${i}`);
      const t0 = Date.now();
      while (api.preview.timings().tokens.length === n && Date.now() - t0 < 20000) await sleep(2);
      typedTokens.push(api.preview.timings().tokens.at(-1).totalMs);
    }
    clearInterval(monitor);
    const stallTyping = longest;
    const ourTyping = api.preview.timings();
    const bigUpdates = api.preview.timings().updates.filter((t) => t.totalMs !== undefined && t.characters >= 200 * 1024).slice(-10);
    result.tokenView = {
      characters: big.length,
      tokens: state().tokens,
      shown: state().paintedTokens && state().paintedTokens.tokensShown,
      firstPaintP50: pct(tokenRuns.map((t) => t.totalMs), 50),
      firstPaintMax: Math.max(...tokenRuns.map((t) => t.totalMs)),
      pageP50: pct(tokenRuns.map((t) => t.pageMs), 50),
      pageMax: Math.max(...tokenRuns.map((t) => t.pageMs)),
      hostStallWhileOpening: stallOpen,
      hostStallToggles: Math.max(...tokenRuns.map((t) => t.stall)),
      hostStallTyping: stallTyping,
      ourSliceOpen: ourOpen.longestSliceMs,
      ourPostOpen: ourOpen.longestPostMs,
      ourSliceToggles: ourToggles.longestSliceMs,
      ourPostToggles: ourToggles.longestPostMs,
      ourSliceTyping: ourTyping.longestSliceMs,
      ourPostTyping: ourTyping.longestPostMs,
      keystrokeUpdateP50: pct(bigUpdates.map((t) => t.totalMs), 50),
      keystrokeTokensP50: pct(typedTokens, 50),
    };
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('promptWorkbench.togglePreviewTokens', false);
    result.ok = true;
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  const report = process.env.PW_TEST_REPORT;
  if (report) fs.writeFileSync(report, JSON.stringify({ passed: result.ok ? 1 : 0, failed: result.ok ? 0 : 1, tests: [{ title: 'preview benchmark', state: result.ok ? 'passed' : 'failed', error: result.error || null }] }));
};
