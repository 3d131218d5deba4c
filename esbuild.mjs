// Bundles the extension: dist/extension.js, workers, and the token tables in dist/encodings/
// (data files plus gpt-tokenizer's encoder), loaded only when a count first needs them.
//   node esbuild.mjs                 development build with source maps
//   node esbuild.mjs --production    minified, for the .vsix
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** The tables shipped (r50k_base is the start of p50k_base's, see src/core/encodings.ts). */
export const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base'];

/**
 * `require('../encodings/encoder')` (src/core/encodings.ts) becomes `require('./encodings/encoder.js')`,
 * a separate bundle loaded with the first table; the table modules (`../encodings/<table>`, for
 * Node) stay out of the bundle: the extension reads dist/encodings/<table>.ranks.br instead.
 */
const lazyEncodings = {
  name: 'lazy-encodings',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/encodings\/[a-z0-9_]+$/ }, (args) => {
      const name = args.path.split('/').pop();
      if (name === 'encoder') return { path: './encodings/encoder.js', external: true };
      if (ENCODINGS.includes(name)) return { path: `./encodings/${name}-not-bundled.js`, external: true };
      return undefined;
    });
  },
};

/** Every `import … from 'vscode'` goes through src/vscodeApi.ts (one copy of the API object, not one per module). */
const oneVscodeImport = {
  name: 'one-vscode-import',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      /[\\/]src[\\/]vscodeApi\.ts$/.test(args.importer) ? { path: 'vscode', external: true } : { path: new URL('src/vscodeApi.ts', import.meta.url).pathname });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
};

const configs = [
  {
    ...common,
    entryPoints: { main: 'src/extension.ts' },
    outdir: 'dist',
    plugins: [lazyEncodings, oneVscodeImport],
    // jsonc-parser's UMD main cannot be bundled (its factory require()s files by path): use its ES module build.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  },
  // The entry point VS Code loads: loads dist/main.js with V8's code cache (src/loader.ts).
  { ...common, entryPoints: { extension: 'src/loader.ts' }, outdir: 'dist', external: ['vscode'] },
  // The Hugging Face tokenizer worker (promptWorkbench.tokenizerFiles), with @huggingface/tokenizers.
  { ...common, entryPoints: { hfWorker: 'src/workers/hfWorker.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { 'encodings/encoder': 'src/encodings/encoder.ts' }, outdir: 'dist' },
  // Prompt templates are checked and rendered in a worker thread (Handlebars + yaml live only there).
  { ...common, entryPoints: { templateWorker: 'src/core/template/worker.ts' }, outdir: 'dist' },
  // Prompt preview: the values-file parser (with yaml), required only when a values file is first used…
  { ...common, entryPoints: { previewValues: 'src/core/preview/values.ts' }, outdir: 'dist', alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' } },
  // …and the message schemas for the preview's page (global PreviewProtocol), so both sides validate with the same code.
  { ...common, platform: 'browser', format: 'iife', globalName: 'PreviewProtocol', target: 'es2022', sourcemap: false, entryPoints: { 'preview-protocol': 'src/core/preview/messages.ts' }, outdir: 'media' },
];

/** Glossary data (read on first hover or panel open, never on activation) and the codicons for the glossary view. */
function copyGlossaryAssets() {
  const at = (rel) => new URL(rel, import.meta.url);
  const data = JSON.parse(fs.readFileSync(at('src/data/glossary.json'), 'utf8'));
  fs.mkdirSync(at('dist/'), { recursive: true });
  fs.writeFileSync(at('dist/glossary.json'), JSON.stringify(data));
  fs.mkdirSync(at('media/codicons/'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(at(`node_modules/@vscode/codicons/dist/${f}`), at(`media/codicons/${f}`));
}
copyGlossaryAssets();

/**
 * dist/encodings/<table>.ranks.br: gpt-tokenizer's table as JSON, one line per slice of
 * `entriesPerLine` entries (src/encodings/rankFiles.json, also read by src/core/encodings.ts, which
 * builds one slice between pauses), Brotli-compressed.
 */
async function writeRankFiles() {
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  fs.mkdirSync('dist/encodings', { recursive: true });
  const layout = 'src/encodings/rankFiles.json';
  const per = JSON.parse(fs.readFileSync(layout, 'utf8')).entriesPerLine;
  for (const e of ENCODINGS) {
    const target = `dist/encodings/${e}.ranks.br`;
    const source = require.resolve(`gpt-tokenizer/bpeRanks/${e}`);
    const newer = (f) => fs.statSync(target).mtimeMs > fs.statSync(f).mtimeMs;
    if (fs.existsSync(target) && newer(source) && newer(new URL(import.meta.url)) && newer(layout)) continue;
    const ranks = require(source).default;
    const lines = [];
    for (let i = 0; i < ranks.length; i += per) lines.push(JSON.stringify(Array.from({ length: Math.min(per, ranks.length - i) }, (_, j) => ranks[i + j] ?? null)));
    const json = Buffer.from(lines.join('\n'));
    const br = zlib.brotliCompressSync(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length } });
    fs.writeFileSync(target, br);
  }
}

await writeRankFiles();
if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching…');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
