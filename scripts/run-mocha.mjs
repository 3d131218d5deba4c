// Runs mocha over the given test files with the spec reporter and ends with one line
// "<label>: N passed, N failed". Exit code: 0 only if every test passed and at least one ran.
//   node scripts/run-mocha.mjs <label> <timeout-ms> <file-or-dir>...
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [label, timeout, ...targets] = process.argv.slice(2);
const files = targets.flatMap(function walk(p) {
  const full = resolve(p);
  if (statSync(full).isDirectory()) return readdirSync(full).sort().flatMap((n) => walk(join(full, n)));
  return /\.test\.(c|m)?js$/.test(full) ? [full] : [];
});

const mocha = new Mocha({ reporter: 'spec', timeout: Number(timeout), color: !process.env.CI });
if (process.env.PW_TEST_GREP) mocha.grep(new RegExp(process.env.PW_TEST_GREP));
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
const stats = await new Promise((done) => {
  const runner = mocha.run(() => done(runner.stats));
});
console.log(`${label}: ${stats.passes} passed, ${stats.failures} failed`);
process.exitCode = stats.failures > 0 || stats.passes === 0 ? 1 : 0;
