import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpus, REPO, referenceCount } from './reference';

const DIR = path.join(REPO, 'dist', 'encodings');
const OUT = path.join(REPO, 'out', 'src');

/**
 * Runs `body` in a fresh Node process with core/encodings reading the shipped tables
 * (dist/encodings/*.ranks.br), as the extension does; prints what `body` returns as JSON.
 */
function withShippedTables(body: string): unknown {
  const script = `
    const enc = require(${JSON.stringify(path.join(OUT, 'core', 'encodings.js'))});
    const { rankFileSource } = require(${JSON.stringify(path.join(OUT, 'services', 'encodingFiles.js'))});
    enc.setRankSource(rankFileSource(${JSON.stringify(DIR)}));
    const loadedTables = () => Object.keys(require.cache).filter((k) => k.includes('bpeRanks'));
    (async () => { ${body} })().then((r) => console.log(JSON.stringify(r)), (e) => console.log(JSON.stringify({ error: e.message })));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: REPO }));
}

describe('shipped token tables (dist/encodings/*.ranks.br, what the .vsix carries)', () => {
  before(function () {
    if (!fs.existsSync(path.join(DIR, 'o200k_base.ranks.br'))) assert.fail('dist/encodings/*.ranks.br missing: run `node esbuild.mjs` first (npm test does)');
  });

  const text = corpus().mixedEmoji + '\uFEFF <|endoftext|> \u0085x ' + corpus().chinese!.slice(0, 400);

  it('every encoding loads from them in slices and counts exactly like tiktoken', () => {
    const out = withShippedTables(`
      const text = ${JSON.stringify(text)};
      const r = {};
      for (const name of enc.ENCODING_NAMES) {
        let pauses = 0;
        const e = await enc.loadEncoding(name, 4, () => { pauses++; return new Promise((res) => setImmediate(res)); });
        r[name] = { count: e.count(text), pauses, problems: enc.fixProblems.length };
      }
      r.modulesRequired = loadedTables();
      return r;`) as Record<string, { count: number; pauses: number; problems: number }> & { modulesRequired: string[] };
    for (const name of ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'] as const) {
      assert.equal(out[name]!.count, referenceCount(name, text), name);
      assert.equal(out[name]!.problems, 0, `${name}: reference fixes applied`);
    }
    // Built in pieces with the thread given back in between, not in one task.
    assert.ok(out.o200k_base!.pauses >= 10, `o200k_base paused ${out.o200k_base!.pauses} times`);
    // gpt-tokenizer's own table modules are never evaluated.
    assert.deepEqual(out.modulesRequired, []);
  });

  it('a synchronous count (getEncoding) reads the same tables', () => {
    const out = withShippedTables(`return { n: enc.getEncoding('o200k_base').count(${JSON.stringify(text)}), loaded: enc.isEncodingLoaded('o200k_base'), cl: enc.isEncodingLoaded('cl100k_base') };`);
    assert.deepEqual(out, { n: referenceCount('o200k_base', text), loaded: true, cl: false });
  });

  it('concurrent loads share one load, and a count during a load is still exact', () => {
    const out = withShippedTables(`
      const a = enc.loadEncoding('cl100k_base');
      const b = enc.loadEncoding('cl100k_base');
      const during = enc.getEncoding('cl100k_base').count('hello world');
      const [x, y] = await Promise.all([a, b]);
      return { same: x === y, sameAsSync: x === enc.getEncoding('cl100k_base'), during };`);
    assert.deepEqual(out, { same: true, sameAsSync: true, during: 2 });
  });

  it('a damaged table is reported with the table and the rank, and nothing is loaded', () => {
    const out = withShippedTables(`
      enc.setRankSource({ sync: () => [['a', 'b', 42]], load: async () => [['a', 'b', 42]] });
      const r = await enc.loadEncoding('o200k_base').then(() => 'loaded', (e) => e.message);
      return { r, loaded: enc.isEncodingLoaded('o200k_base') };`);
    assert.deepEqual(out, { r: 'o200k_base: the token table is damaged at rank 2; reinstall the extension', loaded: false });
  });

  it('an unreadable table file names the file', () => {
    const out = withShippedTables(`
      const { rankFileSource: src } = require(${JSON.stringify(path.join(OUT, 'services', 'encodingFiles.js'))});
      enc.setRankSource(src('/nonexistent-dir'));
      return enc.loadEncoding('o200k_base').then(() => 'loaded', (e) => e.message);`);
    assert.match(out as string, /\/nonexistent-dir\/o200k_base\.ranks\.br/);
  });
});
