import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyReferenceFixes } from '../../src/core/encodings';
import { brotliModuleLoader } from '../../src/services/encodingFiles';
import { corpus, REPO, referenceCount } from './reference';

const DIR = path.join(REPO, 'dist', 'encodings');

describe('compressed encoding bundles (dist/encodings/*.js.br, what the .vsix ships)', () => {
  before(function () {
    if (!fs.existsSync(path.join(DIR, 'o200k_base.js.br'))) assert.fail('dist/encodings/*.js.br missing: run `node esbuild.mjs` first (npm test does)');
  });

  for (const name of ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'] as const) {
    it(`${name}: loads from its .js.br and counts exactly like tiktoken`, () => {
      const mod = brotliModuleLoader(DIR)(name) as { countTokens(t: string, o: object): number; default: { bytePairEncodingCoreProcessor: unknown } };
      assert.deepEqual(applyReferenceFixes(mod.default.bytePairEncodingCoreProcessor as never), []);
      const text = corpus().mixedEmoji + '\uFEFF <|endoftext|>';
      assert.equal(mod.countTokens(text, { disallowedSpecial: new Set() }), referenceCount(name, text));
    });
  }

  it('answers undefined for an encoding it does not have', () => {
    assert.equal(brotliModuleLoader(DIR)('nope_base'), undefined);
  });
});
