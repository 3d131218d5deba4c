/**
 * Loads the encodings shipped in the .vsix as Brotli-compressed bundles (dist/encodings/*.js.br):
 * about a quarter smaller than the zip's own compression, for ~25 ms of decompression on first use.
 * No `vscode` here; unit-tested against the built files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as zlib from 'node:zlib';

type Exports = Record<string, unknown>;

export function brotliModuleLoader(dir: string): (name: string) => Exports | undefined {
  const cache = new Map<string, Exports>();
  const load = (name: string): Exports | undefined => {
    const cached = cache.get(name);
    if (cached) return cached;
    const file = path.join(dir, `${name}.js.br`);
    if (!fs.existsSync(file)) return undefined;
    const code = zlib.brotliDecompressSync(fs.readFileSync(file)).toString('utf8');
    const module = { exports: {} as Exports };
    const localRequire = (id: string): unknown => {
      const sibling = /^\.\/([a-z0-9_]+)\.js$/.exec(id);
      const loaded = sibling ? load(sibling[1]!) : undefined;
      return loaded ?? require(id);
    };
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: file.slice(0, -3) });
    wrapper(module.exports, localRequire, module, file.slice(0, -3), dir);
    cache.set(name, module.exports);
    return module.exports;
  };
  return load;
}
