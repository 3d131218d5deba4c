// Bundles the extension: dist/extension.js plus one file per tokenizer encoding in
// dist/encodings/, loaded only when a count first needs it.
//   node esbuild.mjs                 development build with source maps
//   node esbuild.mjs --production    minified, for the .vsix
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
export const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];

/**
 * `require('../encodings/X')` (src/core/encodings.ts) becomes `require('./encodings/X.js')`, a
 * separate file; so does r50k_base's import of p50k_base, whose table it reuses.
 */
const lazyEncodings = {
  name: 'lazy-encodings',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/(encodings\/)?[a-z0-9]+_base$/ }, (args) => {
      const name = args.path.split('/').pop();
      if (!ENCODINGS.includes(name)) return undefined;
      const fromEncodings = /[\\/]src[\\/]encodings[\\/]/.test(args.importer);
      return { path: fromEncodings ? `./${name}.js` : `./encodings/${name}.js`, external: true };
    });
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
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    plugins: [lazyEncodings],
    // jsonc-parser's UMD main cannot be bundled (its factory require()s files by path): use its ES module build.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    // When the bundle starts and ends loading, so that activation time includes loading it (src/extension.ts).
    banner: { js: '"use strict";globalThis.__promptWorkbenchLoad = [performance.now()];' },
    footer: { js: 'globalThis.__promptWorkbenchLoad.push(performance.now());' },
  },
  // The Hugging Face tokenizer worker (promptWorkbench.tokenizerFiles), with @huggingface/tokenizers.
  { ...common, entryPoints: { hfWorker: 'src/workers/hfWorker.ts' }, outdir: 'dist' },
  { ...common, entryPoints: Object.fromEntries(ENCODINGS.map((e) => [`encodings/${e}`, `src/encodings/${e}.ts`])), outdir: 'dist', plugins: [lazyEncodings] },
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

/** dist/encodings/X.js → X.js.br (Brotli, ~25 % smaller than the .vsix's zip compression). */
async function compressEncodings() {
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  for (const e of ENCODINGS) {
    const js = fs.readFileSync(`dist/encodings/${e}.js`);
    const br = zlib.brotliCompressSync(js, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: js.length } });
    fs.writeFileSync(`dist/encodings/${e}.js.br`, br);
  }
}

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching…');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
  await compressEncodings();
}
