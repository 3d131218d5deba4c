#!/usr/bin/env node
// Runs the extension-host mocha suite (out/test/integration/suite/index.js) inside a real
// VS Code 1.100.3: the VS Code server shipped in code-server, with the workbench opened in
// headless Chromium as an Extension Development Host (extensionDevelopmentPath and
// extensionTestsPath go in the URL's payload). Builds nothing.
//
//   bash scripts/setup-code-server.sh            # once
//   <build the extension and compile the tests>
//   node test/integration/runInCodeServer.mjs
//
// Prints one line per test and `integration: N passed, M failed`; exits 1 when a test failed,
// when no report was written within the timeout, or when no test ran.
//
// Env overrides:
//   PW_EXT_DEV_PATH    extension folder (default: the repo root)
//   PW_SUITE_PATH      compiled suite entry (default: out/test/integration/suite/index.js)
//   PW_WORKSPACE       folder to open (default: a temp copy of test/fixtures/workspace, or an
//                      empty temp folder when that does not exist)
//   PW_TEST_TIMEOUT    seconds to wait for the report (default 180)
//   PW_TEST_GREP       passed on to the suite (only tests whose title matches)
//   PW_KEEP_TMP=1      keep the temp folders (user data, logs, report)
//   PW_USER_DATA_DIR   user data folder to use and keep (default: a fresh temp folder; the
//                      benchmark reuses one so that later runs find the extension's global storage)
//   PW_HARNESS_VERBOSE=1  echo server output and the workbench's console

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO_ROOT,
  extensionTestUrl,
  launchBrowser,
  startVsCodeServer,
} from '../harness/codeServer.mjs';
import { screenshot } from '../harness/workbench.mjs';

const verbose = !!process.env.PW_HARNESS_VERBOSE;

function fail(message) {
  console.error(`runInCodeServer: ${message}`);
  process.exit(1);
}

function checkExtension(extDir) {
  const pkgFile = path.join(extDir, 'package.json');
  if (!fs.existsSync(pkgFile)) fail(`no package.json in ${extDir}`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  if (pkg.main) {
    const main = path.resolve(extDir, pkg.main);
    const candidates = [main, `${main}.js`];
    if (!candidates.some((f) => fs.existsSync(f))) {
      fail(`the extension is not built: ${path.relative(process.cwd(), main) || main} (package.json "main") does not exist — build it first`);
    }
  }
  return pkg;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitForReport(file, timeoutMs, isDead) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) {
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        /* being written: try again */
      }
    }
    const dead = isDead();
    if (dead) return { dead };
    await sleep(250);
  }
  return null;
}

function printReport(report) {
  for (const t of report.tests) {
    const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
    console.log(`  ${mark} ${t.title}${t.state === 'pending' ? ' (pending)' : ''}`);
    if (t.state === 'failed' && t.error) {
      const lines = String(t.error).split('\n').slice(0, 8);
      for (const line of lines) console.log(`      ${line}`);
    }
  }
}

async function main() {
  const extDir = path.resolve(process.env.PW_EXT_DEV_PATH || REPO_ROOT);
  const suite = path.resolve(process.env.PW_SUITE_PATH || path.join(REPO_ROOT, 'out', 'test', 'integration', 'suite', 'index.js'));
  const timeoutMs = Number(process.env.PW_TEST_TIMEOUT || 180) * 1000;
  const pkg = checkExtension(extDir);
  if (!fs.existsSync(suite)) fail(`the test suite is not compiled: ${suite} does not exist — compile the tests first`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-integration-'));
  const userDataDir = process.env.PW_USER_DATA_DIR ? path.resolve(process.env.PW_USER_DATA_DIR) : path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const reportFile = path.join(tmp, 'report.json');
  let workspace = process.env.PW_WORKSPACE && path.resolve(process.env.PW_WORKSPACE);
  if (!workspace) {
    workspace = path.join(tmp, 'workspace');
    const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
    // A copy, so that tests may write files (e.g. .vscode/settings.json) without touching git.
    if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
    else fs.mkdirSync(workspace, { recursive: true });
  }

  console.log(`integration: ${pkg.publisher}.${pkg.name} from ${extDir}`);
  console.log(`integration: suite ${path.relative(process.cwd(), suite) || suite}, workspace ${workspace}`);
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

  let server;
  let browser;
  let report = null;
  const consoleLines = [];
  let pageGone = null;
  try {
    server = await startVsCodeServer({
      userDataDir,
      extensionsDir,
      env: {
        PW_TEST_REPORT: reportFile,
        ...(process.env.PW_TEST_GREP ? { PW_TEST_GREP: process.env.PW_TEST_GREP } : {}),
      },
    });
    console.log(`integration: VS Code server (pid ${server.pid}) on port ${server.port} after ${elapsed()}`);
    browser = await launchBrowser();
    const page = await browser.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (msg) => {
      const line = msg.text();
      consoleLines.push(line);
      if (consoleLines.length > 400) consoleLines.shift();
      if (verbose) console.log(`[workbench] ${line}`);
    });
    page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
    page.on('crash', () => { pageGone = 'the workbench page crashed'; });
    const url = extensionTestUrl({
      port: server.port,
      folder: workspace,
      extensionDevelopmentPath: extDir,
      extensionTestsPath: suite,
    });
    if (verbose) console.log(`integration: opening ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 }).catch(() => {
      throw new Error('the workbench (.monaco-workbench) did not appear within 60 s');
    });
    console.log(`integration: workbench up after ${elapsed()}, waiting for the suite's report`);
    // The extension host exits when run() settles; if it exits without a report (the suite
    // failed to load, or crashed), give the file a few seconds and stop waiting.
    let hostExitSeen = 0;
    const isDead = () => {
      if (pageGone) return pageGone;
      const m = /Extension Host Process exited with code: (\S+), signal: (\S+)/.exec(server.output());
      if (!m) return null;
      hostExitSeen ||= Date.now();
      return Date.now() - hostExitSeen > 5000
        ? `the extension host exited (code ${m[1].replace(/,$/, '')}, signal ${m[2].replace(/\.$/, '')})`
        : null;
    };
    const result = await waitForReport(reportFile, timeoutMs, isDead);
    if (result && result.dead) {
      console.error(`integration: ${result.dead} before the suite wrote its report`);
    } else if (!result) {
      console.error(`integration: no report at ${reportFile} within ${timeoutMs / 1000} s`);
    } else {
      report = result;
    }
    if (!report && !pageGone) {
      const shot = await screenshot(page, 'integration-no-report').catch(() => null);
      if (shot) console.error(`integration: screenshot of the workbench: ${shot}`);
    }
  } catch (err) {
    console.error(`integration: ${err && err.message ? err.message : err}`);
  } finally {
    if (browser) await browser.stop();
    if (server) await server.stop();
  }

  if (!report) {
    const tail = consoleLines.slice(-40).join('\n');
    if (tail) console.error(`--- last workbench console lines ---\n${tail}`);
    if (server) {
      const out = server.output().split('\n').slice(-40).join('\n');
      if (out.trim()) console.error(`--- last VS Code server output ---\n${out}`);
    }
  }
  if (!process.env.PW_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`integration: temp files kept in ${tmp}`);

  if (!report) {
    console.error('integration: FAILED — the suite did not report (see above)');
    process.exit(1);
  }
  printReport(report);
  const passed = Number(report.passed) || 0;
  const failed = Number(report.failed) || 0;
  console.log(`integration: ${passed} passed, ${failed} failed`);
  console.error(`integration: finished in ${elapsed()}`);
  if (failed > 0) process.exit(1);
  if (passed + failed === 0) {
    console.error('integration: FAILED — no test ran (no *.test.js under the suite\'s parent folder?)');
    process.exit(1);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
