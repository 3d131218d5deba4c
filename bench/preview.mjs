// The prompt preview's numbers for `npm run bench` (issue #8): keystroke to updated preview on a
// 20 KB template with a 50-example {{#each}}, and the token view of a 200 KB prompt. Measured in
// VS Code 1.100.3's extension host (code-server's VS Code server) with the packaged .vsix and the
// real webview in headless Chromium, by bench/preview-suite.js.
//   node bench/preview.mjs        (after npm run package; bench/bench.mjs calls measurePreview)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ms = (x) => (x === undefined || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Runs the suite in the extension host; returns its result and the lines for results.md. */
export function measurePreview() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  execFileSync('bash', [path.join(root, 'scripts/setup-code-server.sh')], { cwd: root, stdio: 'ignore' });
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-preview-ext-'));
  const resultFile = path.join(root, '.cache', 'bench-preview.json');
  try {
    execFileSync('python3', ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', vsix, unpacked]);
    fs.rmSync(resultFile, { force: true });
    const r = spawnSync(process.execPath, [path.join(root, 'test/integration/runInCodeServer.mjs')], {
      cwd: root, encoding: 'utf8',
      env: { ...process.env, PW_EXT_DEV_PATH: path.join(unpacked, 'extension'), PW_SUITE_PATH: path.join(root, 'bench/preview-suite.js'), PW_BENCH_OUT: resultFile },
    });
    if (!fs.existsSync(resultFile)) throw new Error(`no preview result:\n${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }
  const res = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  if (!res.ok) throw new Error(`preview benchmark failed: ${res.error}`);
  const k = res.keystroke;
  const t = res.tokenView;
  const lines = [
    '## Prompt preview',
    '',
    `Measured in VS Code ${res.vscode}'s extension host (code-server, packaged .vsix) with the preview's real webview in headless Chromium (bench/preview-suite.js).`,
    `Times are from the start of an update (after the 150 ms debounce that follows the last keystroke) to the page reporting that it painted it (requestAnimationFrame, then a task).`,
    '',
    `- Keystroke → updated preview, ${(res.template.characters / 1024).toFixed(0)} KB template with a 50-example \`{{#each}}\` (renders to ${res.template.rendered.toLocaleString('en')} characters, ${res.template.tokens.toLocaleString('en')} tokens, ${k.runs} keystrokes): **p50 ${ms(k.totalP50)} ms, p95 ${ms(k.totalP95)} ms**.`,
    '',
    '| part | p50 (ms) | p95 (ms) | where |',
    '|---|--:|--:|---|',
    `| render (check + Handlebars, in the template worker, round trip) | ${ms(k.renderP50)} | ${ms(k.renderP95)} | worker thread |`,
    `| count (incremental token ids, o200k_base) | ${ms(k.countP50)} | ${ms(k.countP95)} | extension host, 5 ms slices |`,
    `| post → painted (IPC to the page, validation, DOM, paint, ack back) | ${ms(k.postToPaintP50)} | ${ms(k.postToPaintP95)} | host ↔ browser |`,
    `| of which in the page (message → painted) | ${ms(k.pageP50)} | ${ms(k.pageP95)} | browser |`,
    `| total (update start → painted) | ${ms(k.totalP50)} | ${ms(k.totalP95)} | |`,
    `| keystroke → painted, debounce included | ${ms(k.withDebounceP50)} | ${ms(k.withDebounceP95)} | |`,
    '',
    `- Token view of a ${(t.characters / 1024).toFixed(0)} KB prompt (${t.tokens.toLocaleString('en')} tokens; the first ${t.shown.toLocaleString('en')} rendered, more on scroll or "Show all"): first paint **p50 ${ms(t.firstPaintP50)} ms, max ${ms(t.firstPaintMax)} ms** from the toggle on a text not cut into tokens before (host: segmentation + post; page: validation, DOM, paint); of which in the page p50 ${ms(t.pageP50)} ms, max ${ms(t.pageMax)} ms.`,
    `- Longest extension-host event-loop stall (1 ms interval monitor; it also sees VS Code's own work on that thread): ${ms(t.hostStallToggles)} ms while the token view was toggled on (8 times, each on a newly edited text), ${ms(t.hostStallWhileOpening)} ms while the 200 KB prompt was opened and previewed, ${ms(t.hostStallTyping)} ms while typing into it with the token view on.`,
    `- The preview's own work on the extension host's thread (counting and cutting into tokens between pauses, and the synchronous part of posting a message): longest ${ms(Math.max(t.ourSliceOpen, t.ourSliceToggles, t.ourSliceTyping))} ms of slicing and ${ms(Math.max(t.ourPostOpen, t.ourPostToggles, t.ourPostTyping))} ms of posting (opening: ${ms(t.ourSliceOpen)} / ${ms(t.ourPostOpen)}; token view toggles: ${ms(t.ourSliceToggles)} / ${ms(t.ourPostToggles)}; typing: ${ms(t.ourSliceTyping)} / ${ms(t.ourPostTyping)}).`,
    `- Typing into the 200 KB prompt with the token view on: update p50 ${ms(t.keystrokeUpdateP50)} ms, tokens painted p50 ${ms(t.keystrokeTokensP50)} ms after the update starts.`,
    '',
  ];
  return { result: res, lines };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { lines } = measurePreview();
  console.log(lines.join('\n'));
}
