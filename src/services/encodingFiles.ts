/**
 * Reads the token tables the .vsix ships (dist/encodings/<table>.ranks.br, written by esbuild.mjs):
 * Brotli-compressed JSON, one line per slice of entries (how many: src/encodings/rankFiles.json),
 * so that a slice can be parsed between pauses (core/encodings.ts builds the encoder from them).
 * Decompression runs on Node's thread pool when loading asynchronously. These files are part of
 * the extension itself, not user data: each entry is checked where it is used (core/encodings.ts)
 * rather than by a schema.
 * No `vscode` here; unit-tested against the built files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { RankFile, RankSource } from '../core/encodings';

/** node:zlib, loaded with the first table rather than at activation. */
const zlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib');

/** Each line parsed when it is reached (decoding the whole 1.7 MB at once would be one ~10 ms task). */
function* lines(data: Buffer, file: string): Iterable<unknown> {
  let start = 0;
  let line = 0;
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    if (end < 0) end = data.length;
    line++;
    let slice: unknown;
    try {
      slice = JSON.parse(data.toString('utf8', start, end));
    } catch {
      throw new Error(`${file}: line ${line} is not valid JSON; reinstall the extension`);
    }
    yield slice;
    start = end + 1;
  }
}

export function rankFileSource(dir: string): RankSource {
  const file = (name: RankFile): string => path.join(dir, `${name}.ranks.br`);
  return {
    sync: (name) => lines(zlib().brotliDecompressSync(fs.readFileSync(file(name))), file(name)),
    load: async (name) => lines(await promisify(zlib().brotliDecompress)(await fs.promises.readFile(file(name))), file(name)),
  };
}
