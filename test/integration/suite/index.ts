// Extension-host test entry. VS Code (the Extension Development Host started by
// test/integration/runInCodeServer.mjs, or @vscode/test-electron's runTests in
// runElectron.mjs) loads the compiled out/test/integration/suite/index.js as
// extensionTestsPath and calls run(); the host shuts down when the promise settles.
//
// Runs mocha (bdd: describe/it, 20 s timeout) over every *.test.js below
// out/test/integration (recursively, not this suite folder), logs one line per test, writes
// { passed, failed, tests: [{ title, state, error }] } to $PW_TEST_REPORT when set, and
// rejects if a test failed.
//
// Env: PW_TEST_REPORT  path of the JSON report to write
//      PW_TEST_GREP    only run tests whose full title matches this (regular expression)

import * as fs from 'fs';
import * as path from 'path';
import MochaImport from 'mocha';

type MochaCtor = typeof MochaImport;

// mocha <= 11 is CommonJS (module.exports = Mocha); mocha 12 is ESM and, when require()d, comes
// back as a namespace whose `default` is Mocha. Accept both.
const Mocha: MochaCtor =
  typeof MochaImport === 'function'
    ? MochaImport
    : (MochaImport as unknown as { default: MochaCtor }).default;

export type TestState = 'passed' | 'failed' | 'pending';

export interface TestRecord {
  title: string;
  state: TestState;
  error: string | null;
}

export interface TestReport {
  passed: number;
  failed: number;
  tests: TestRecord[];
}

const TIMEOUT_MS = 20_000;

/** Every *.test.js below dir (recursively), skipping excluded folders and node_modules. */
export function findTestFiles(dir: string, exclude: string[] = []): string[] {
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  const found: string[] = [];
  const walk = (current: string): void => {
    if (skip.has(path.resolve(current))) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.test.js')) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found.sort();
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const stack = err.stack ?? '';
    return stack.includes(err.message) ? stack : `${err.name}: ${err.message}\n${stack}`;
  }
  return String(err);
}

function writeReport(report: TestReport): void {
  const file = process.env.PW_TEST_REPORT;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a runner polling for the file never reads half of it.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 2));
  fs.renameSync(tmp, file);
}

export async function run(): Promise<void> {
  const testsRoot = path.resolve(__dirname, '..');
  const report: TestReport = { passed: 0, failed: 0, tests: [] };

  const record = (title: string, state: TestState, err?: unknown): void => {
    const error = err === undefined ? null : errorText(err);
    report.tests.push({ title, state, error });
    if (state === 'passed') report.passed++;
    if (state === 'failed') report.failed++;
    const mark = state === 'passed' ? '✓' : state === 'failed' ? '✗' : '-';
    const firstLine = error ? `: ${error.split('\n')[0]}` : '';
    console.log(`  ${mark} ${title}${state === 'pending' ? ' (pending)' : ''}${firstLine}`);
  };

  // A reporter class gets the runner before the first event is emitted.
  class RecordingReporter {
    constructor(runner: Mocha.Runner) {
      runner.on('pass', (test: Mocha.Test) => record(test.fullTitle(), 'passed'));
      runner.on('fail', (test: Mocha.Runnable, err: unknown) => record(test.fullTitle(), 'failed', err));
      runner.on('pending', (test: Mocha.Test) => record(test.fullTitle(), 'pending'));
    }
  }

  try {
    const files = findTestFiles(testsRoot, [__dirname]);
    const mocha = new Mocha({
      ui: 'bdd',
      timeout: TIMEOUT_MS,
      color: false,
      reporter: RecordingReporter as unknown as Mocha.ReporterConstructor,
    });
    if (process.env.PW_TEST_GREP) mocha.grep(new RegExp(process.env.PW_TEST_GREP));
    for (const file of files) mocha.addFile(file);
    console.log(`integration suite: ${files.length} test file(s) under ${testsRoot}`);

    await new Promise<void>((resolve, reject) => {
      try {
        mocha.run(() => resolve());
      } catch (err) {
        reject(err);
      }
    });
  } catch (err) {
    // Loading a test file failed (syntax error, missing module, ...): report it as a failure.
    record('integration suite setup', 'failed', err);
  }

  console.log(`integration suite finished: ${report.passed} passing, ${report.failed} failing`);
  writeReport(report);
  if (report.failed > 0) {
    throw new Error(`${report.failed} integration test(s) failed`);
  }
}
