// npm test: builds once, then runs the three layers and ends with one line "N passed, N failed".
//   1. unit         plain-Node mocha over the pure modules (out/test/unit)
//   2. integration  mocha inside a real VS Code extension host (the VS Code server of code-server)
//   3. ui           journeys: the packaged .vsix installed into code-server, driven in headless Chromium
// A layer that runs no test, or whose summary line is missing, counts as a failure.
// PW_LAYERS=unit,integration limits the layers (for development; CI runs all three).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const wanted = (process.env.PW_LAYERS ?? 'unit,integration,ui').split(',');

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

const step = async (title, cmd, args) => {
  console.log(`\n=== ${title}`);
  const { code } = await run(cmd, args);
  if (code !== 0) {
    console.log(`${title} failed (exit ${code})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
};

await step('build: tsc', node, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root]);
await step('build: esbuild (development bundle for the extension host)', node, [join(root, 'esbuild.mjs')]);
if (wanted.includes('ui')) await step('build: package the .vsix', node, [join(root, 'scripts/package.mjs')]);
if (wanted.includes('integration') || wanted.includes('ui')) await step('setup: code-server', 'bash', [join(root, 'scripts/setup-code-server.sh')]);

const layers = [
  ['unit', [join(root, 'scripts/run-mocha.mjs'), 'unit', '60000', 'out/test/unit']],
  ['integration', [join(root, 'test/integration/runInCodeServer.mjs')]],
  ['ui', [join(root, 'scripts/run-mocha.mjs'), 'ui', '180000', 'test/ui']],
].filter(([name]) => wanted.includes(name));

let passed = 0;
let failed = 0;
for (const [name, args] of layers) {
  console.log(`\n=== ${name} tests`);
  const { code, out } = await run(node, args, { capture: true });
  const m = [...out.matchAll(new RegExp(`^${name}: (\\d+) passed, (\\d+) failed$`, 'gm'))].pop();
  if (!m) {
    console.log(`${name}: no summary line (exit ${code}) — counted as one failure`);
    failed++;
    continue;
  }
  const [p, f] = [Number(m[1]), Number(m[2])];
  passed += p;
  failed += f;
  if (p + f === 0) {
    console.log(`${name}: ran no test — counted as one failure`);
    failed++;
  } else if (code !== 0 && f === 0) {
    console.log(`${name}: exited ${code} — counted as one failure`);
    failed++;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
