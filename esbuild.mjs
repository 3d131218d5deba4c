// Bundles the extension: dist/extension.js plus one file per tokenizer encoding in
// dist/encodings/, loaded only when a count first needs it.
//   node esbuild.mjs                 development build with source maps
//   node esbuild.mjs --production    minified, for the .vsix
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
export const ENCODINGS = ['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base'];

/** `require('gpt-tokenizer/encoding/X')` in the main bundle becomes `require('./encodings/X.js')`. */
const lazyEncodings = {
  name: 'lazy-encodings',
  setup(build) {
    build.onResolve({ filter: /^gpt-tokenizer\/encoding\/[a-z0-9_]+$/ }, (args) => ({
      path: `./encodings/${args.path.split('/').pop()}.js`,
      external: true,
    }));
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
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'], plugins: [lazyEncodings] },
  { ...common, entryPoints: Object.fromEntries(ENCODINGS.map((e) => [`encodings/${e}`, `src/encodings/${e}.ts`])), outdir: 'dist' },
];

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching…');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
