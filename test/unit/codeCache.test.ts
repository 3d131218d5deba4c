import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFileFor, loadWithCodeCache } from '../../src/core/codeCache';

describe('loading a bundle with V8 code cache (src/core/codeCache.ts)', () => {
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-codecache-'));
    bundle = path.join(dir, 'main.js');
    // A bundle with some code to compile, using its require, module and __dirname as a real one does.
    const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n');
    fs.writeFileSync(bundle, `${body}\nconst p = require('node:path');\nmodule.exports = { answer: f41(1), dir: p.basename(__dirname) };`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compiles, writes the cache, then uses it; the module works either way', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = loadWithCodeCache<{ answer: number; dir: string }>(bundle, require, cacheDir);
    assert.equal(first.cache, 'none');
    assert.deepEqual(first.exports, { answer: 82, dir: path.basename(dir) });
    const written = await first.save();
    assert.equal(written, cacheFileFor(bundle, cacheDir));
    assert.ok(fs.statSync(written!).size > 0);
    const second = loadWithCodeCache<{ answer: number }>(bundle, require, cacheDir);
    assert.equal(second.cache, 'used');
    assert.equal(second.exports.answer, 82);
    assert.equal(await second.save(), undefined, 'a cache that was used is not written again');
  });

  it('a damaged cache is rejected by V8, the bundle still loads, and saving replaces it', async () => {
    const cacheDir = path.join(dir, 'cache');
    fs.mkdirSync(cacheDir);
    fs.writeFileSync(cacheFileFor(bundle, cacheDir), Buffer.from('not a V8 cache at all'));
    const loaded = loadWithCodeCache<{ answer: number }>(bundle, require, cacheDir);
    assert.equal(loaded.cache, 'rejected');
    assert.equal(loaded.exports.answer, 82);
    await loaded.save();
    assert.equal(loadWithCodeCache(bundle, require, cacheDir).cache, 'used');
  });

  it('a new build gets a new cache file and the old one is removed', async () => {
    const cacheDir = path.join(dir, 'cache');
    await loadWithCodeCache(bundle, require, cacheDir).save();
    const old = cacheFileFor(bundle, cacheDir);
    fs.appendFileSync(bundle, '\n// rebuilt\n');
    fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    const rebuilt = loadWithCodeCache(bundle, require, cacheDir);
    assert.equal(rebuilt.cache, 'none');
    await rebuilt.save();
    assert.deepEqual(fs.readdirSync(cacheDir), [path.basename(cacheFileFor(bundle, cacheDir))]);
    assert.notEqual(cacheFileFor(bundle, cacheDir), old);
  });

  it('without a cache folder it just loads', async () => {
    const loaded = loadWithCodeCache<{ answer: number }>(bundle, require, undefined);
    assert.equal(loaded.cache, 'off');
    assert.equal(loaded.exports.answer, 82);
    assert.equal(await loaded.save(), undefined);
  });
});
