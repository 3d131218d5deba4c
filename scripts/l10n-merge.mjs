// Adds translations to l10n/bundle.l10n.zh-cn.json from a JSON file of { "English": "中文" },
// keeping every other entry, in the order of l10n/bundle.l10n.json.
//   node scripts/l10n-merge.mjs new-strings.zh-cn.json
import * as fs from 'node:fs';
const [file] = process.argv.slice(2);
const en = JSON.parse(fs.readFileSync('l10n/bundle.l10n.json', 'utf8'));
const zhPath = 'l10n/bundle.l10n.zh-cn.json';
const zh = { ...JSON.parse(fs.readFileSync(zhPath, 'utf8')), ...JSON.parse(fs.readFileSync(file, 'utf8')) };
const ordered = Object.fromEntries(Object.keys(en).filter((k) => zh[k]).map((k) => [k, zh[k]]));
fs.writeFileSync(zhPath, JSON.stringify(ordered, null, 2) + '\n');
const missing = Object.keys(en).filter((k) => !zh[k]);
console.log(missing.length ? `still untranslated:\n${missing.join('\n')}` : 'every string has a translation');
