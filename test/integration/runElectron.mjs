#!/usr/bin/env node
// Runs the extension-host mocha suite (out/test/integration/suite/index.js) in desktop
// VS Code 1.100.3 through @vscode/test-electron, for machines that can download VS Code.
// Offline (no access to VS Code's download servers) it exits 2 and says to use
// runInCodeServer.mjs, which runs the same suite in the VS Code bundled with code-server.
//
//   node test/integration/runElectron.mjs        (Linux without a display: xvfb-run -a node …)
//
// Same conventions as runInCodeServer.mjs: the suite writes its report to $PW_TEST_REPORT;
// prints one line per test and `integration: N passed, M failed`; exits 1 on a failed test, a
// missing report or no test. Env overrides: PW_EXT_DEV_PATH, PW_SUITE_PATH, PW_WORKSPACE,
// PW_TEST_GREP, PW_KEEP_TMP, VSCODE_VERSION (default 1.100.3).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const VERSION = process.env.VSCODE_VERSION || '1.100.3';

function fail(message, code = 1) {
  console.error(`runElectron: ${message}`);
  process.exit(code);
}

function printReport(report) {
  for (const t of report.tests) {
    const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
    console.log(`  ${mark} ${t.title}${t.state === 'pending' ? ' (pending)' : ''}`);
    if (t.state === 'failed' && t.error) {
      for (const line of String(t.error).split('\n').slice(0, 8)) console.log(`      ${line}`);
    }
  }
}

async function main() {
  const extDir = path.resolve(process.env.PW_EXT_DEV_PATH || REPO_ROOT);
  const suite = path.resolve(process.env.PW_SUITE_PATH || path.join(REPO_ROOT, 'out', 'test', 'integration', 'suite', 'index.js'));
  const pkgFile = path.join(extDir, 'package.json');
  if (!fs.existsSync(pkgFile)) fail(`no package.json in ${extDir}`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  if (pkg.main) {
    const main = path.resolve(extDir, pkg.main);
    if (![main, `${main}.js`].some((f) => fs.existsSync(f))) fail(`the extension is not built: ${main} does not exist — build it first`);
  }
  if (!fs.existsSync(suite)) fail(`the test suite is not compiled: ${suite} does not exist — compile the tests first`);

  let testElectron;
  try {
    testElectron = await import('@vscode/test-electron');
  } catch (err) {
    fail(`@vscode/test-electron is not installed (npm install): ${err.message}`);
  }
  const { downloadAndUnzipVSCode, runTests } = testElectron;

  // Download first, on its own, so that a download failure is told apart from test failures.
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version: VERSION, timeout: 30_000 });
  } catch (err) {
    console.error(`runElectron: ${err && err.message ? err.message : err}`);
    console.error('VS Code could not be downloaded (offline?) — use runInCodeServer.mjs');
    process.exit(2);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-electron-'));
  const reportFile = path.join(tmp, 'report.json');
  let workspace = process.env.PW_WORKSPACE && path.resolve(process.env.PW_WORKSPACE);
  if (!workspace) {
    workspace = path.join(tmp, 'workspace');
    const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
    if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
    else fs.mkdirSync(workspace, { recursive: true });
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error('runElectron: no DISPLAY — on a headless Linux machine run this under `xvfb-run -a`');
  }

  const t0 = Date.now();
  let exitError = null;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: extDir,
      extensionTestsPath: suite,
      extensionTestsEnv: {
        PW_TEST_REPORT: reportFile,
        ...(process.env.PW_TEST_GREP ? { PW_TEST_GREP: process.env.PW_TEST_GREP } : {}),
      },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--disable-gpu',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user-data'),
        '--extensions-dir', path.join(tmp, 'extensions'),
      ],
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero, which it does when a test failed.
    exitError = err;
  }

  let report = null;
  if (fs.existsSync(reportFile)) {
    try {
      report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    } catch (err) {
      console.error(`runElectron: unreadable report ${reportFile}: ${err.message}`);
    }
  }
  if (!process.env.PW_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`integration: temp files kept in ${tmp}`);

  if (!report) {
    if (exitError) console.error(`runElectron: ${exitError.message || exitError}`);
    fail('FAILED — the suite did not write its report');
  }
  printReport(report);
  const passed = Number(report.passed) || 0;
  const failed = Number(report.failed) || 0;
  console.log(`integration: ${passed} passed, ${failed} failed`);
  console.error(`integration: finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (failed > 0) process.exit(1);
  if (passed + failed === 0) fail('FAILED — no test ran');
  if (exitError) fail(`VS Code exited with an error although no test failed: ${exitError.message || exitError}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
