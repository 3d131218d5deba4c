import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, readRepoFile } from './reference';

const pkg = JSON.parse(readRepoFile('package.json'));
const json = (rel: string) => JSON.parse(readRepoFile(rel)) as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('manifest and localisation', () => {
  it('puts every command in the Prompt category with a localised title and a handler', () => {
    const source = sourceFiles(path.join(REPO, 'src')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const nls = json('package.nls.json');
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Prompt', c.command);
      assert.match(c.title, /^%.+%$/, c.command);
      assert.ok(nls[c.title.slice(1, -1)], `no English title for ${c.command}`);
      assert.ok(source.includes(`registerCommand('${c.command}'`), `no handler registered for ${c.command}`);
    }
  });

  it('has a Simplified Chinese entry for every package.nls.json key, and a description for every setting', () => {
    const en = json('package.nls.json');
    const zh = json('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const used = JSON.stringify(pkg).match(/%[\w.]+%/g)!.map((k) => k.slice(1, -1));
    for (const key of used) assert.ok(en[key], `package.json uses %${key}% but package.nls.json lacks it`);
    for (const [name, prop] of Object.entries<any>(pkg.contributes.configuration.properties)) {
      assert.ok(name.startsWith('promptWorkbench.'), name);
      assert.ok(prop.markdownDescription || prop.description, `${name} has no description`);
    }
  });

  it('has an up-to-date l10n bundle and a Chinese translation of every runtime string', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-l10n-'));
    try {
      execFileSync(process.execPath, [require.resolve('@vscode/l10n-dev/dist/cli.js'), 'export', '-o', out, path.join(REPO, 'src')], { stdio: 'pipe' });
      const fresh = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8'));
      assert.deepEqual(json('l10n/bundle.l10n.json'), fresh, 'l10n/bundle.l10n.json is stale: run npm run l10n');
      const zh = json('l10n/bundle.l10n.zh-cn.json');
      const missing = Object.keys(fresh).filter((k) => !zh[k]);
      assert.deepEqual(missing, [], 'strings without a Chinese translation');
      const extra = Object.keys(zh).filter((k) => !(k in fresh));
      assert.deepEqual(extra, [], 'translations of strings no longer used');
      for (const [k, v] of Object.entries(zh)) {
        const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
        assert.equal(placeholders(v), placeholders(k), `placeholders differ in the translation of "${k}"`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('declares what the extension supports in untrusted and virtual workspaces', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.virtualWorkspaces.description, /^%.+%$/);
    assert.equal(pkg.main, './dist/extension.js');
    assert.match(pkg.engines.vscode, /^\^1\.\d+\.0$/);
  });
});
