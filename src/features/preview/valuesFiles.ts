/**
 * Which values file each template is previewed with (`Prompt: Select Preview Values…`),
 * remembered per workspace, and reading one: its text as open in an editor (unsaved changes
 * included) or from disk, parsed by src/core/preview/values.ts — loaded from its own bundle
 * (dist/previewValues.js, with the `yaml` library) the first time a values file is used.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import '../../core/zod';
import type { ParsedValues, ValuesProblem } from '../../core/preview/values';
import type * as ValuesModule from '../../core/preview/values';
import { formatInt } from '../../core/cost';
import { log } from '../../services/log';
import { locale } from '../countSummary';

const STATE_KEY = 'promptWorkbench.preview.values';
const StoredSchema = z.record(z.string().check(z.maxLength(10_000)), z.string().check(z.maxLength(10_000)));

let loaded: typeof ValuesModule | undefined;

/** The values parser (its bundle in the packaged extension; the compiled module in tests run from out/). */
export function valuesModule(extensionUri: vscode.Uri): typeof ValuesModule {
  if (!loaded) {
    const bundle = path.join(vscode.Uri.joinPath(extensionUri, 'dist', 'previewValues.js').fsPath);
    // A variable, so that esbuild leaves this require alone and the bundle is read only now.
    const load = require;
    loaded = load(bundle) as typeof ValuesModule;
    loaded.useZodLocale(vscode.env.language);
  }
  return loaded;
}

export class ValuesFiles implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento, private readonly extensionUri: vscode.Uri) {}

  private all(): Record<string, string> {
    const raw = this.state.get<unknown>(STATE_KEY);
    const parsed = StoredSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      log().warn(`Preview values: ignored what was stored in the workspace state (${parsed.error.issues[0]?.message ?? 'invalid'}).`);
      return {};
    }
    return parsed.data;
  }

  /** The values file chosen for `template`, if any. */
  get(template: vscode.Uri): vscode.Uri | undefined {
    const v = this.all()[template.toString()];
    if (!v) return undefined;
    try {
      return vscode.Uri.parse(v, true);
    } catch {
      return undefined;
    }
  }

  async set(template: vscode.Uri, values: vscode.Uri | undefined): Promise<void> {
    const next = { ...this.all() };
    if (values) next[template.toString()] = values.toString();
    else delete next[template.toString()];
    await this.state.update(STATE_KEY, next);
    this.emitter.fire();
  }

  /** Reads and parses a values file. */
  async read(uri: vscode.Uri): Promise<ParsedValues | { ok: false; missing: string }> {
    let text: string;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      text = open.getText();
    } else {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        const mod = valuesModule(this.extensionUri);
        if (stat.size > mod.MAX_VALUES_BYTES) return { ok: false, problems: [{ code: 'tooLarge', severity: 'error', args: [String(stat.size), String(mod.MAX_VALUES_BYTES)] }] };
        text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        return { ok: false, missing: e instanceof Error ? e.message : String(e) };
      }
    }
    return valuesModule(this.extensionUri).parseValuesFile(text, uri.path);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

const kindWord = (k: string): string => {
  switch (k) {
    case 'list': return vscode.l10n.t('a list');
    case 'map': return vscode.l10n.t('a map');
    case 'text': return vscode.l10n.t('text or a number');
    case 'number': return vscode.l10n.t('a number');
    case 'boolean': return vscode.l10n.t('true or false');
    default: return vscode.l10n.t('nothing (null)');
  }
};

/** A values problem in words (without its position, which the preview shows beside it). */
export function valuesProblemMessage(p: ValuesProblem): string {
  const [a = '', b = ''] = p.args;
  switch (p.code) {
    case 'syntax':
      return vscode.l10n.t('Not valid {0}: {1}', a, b);
    case 'notAMap':
      return vscode.l10n.t('A values file is a map from variable names to values, e.g. {"review": "…", "examples": [{"input": "…", "output": "…"}]}.');
    case 'schema':
      return vscode.l10n.t('{0}: {1}', p.path || vscode.l10n.t('(top level)'), a);
    case 'wrongType':
      return vscode.l10n.t('"{0}" should be {1} for this template, but the values file gives {2}.', p.path ?? '', kindWord(a), kindWord(b));
    case 'unused':
      return vscode.l10n.t('"{0}" is not a variable of this template; it is ignored.', p.path ?? '');
    case 'tooLarge':
      return vscode.l10n.t('The values file is {0} bytes; at most {1} bytes are read.', formatInt(Number(a), locale()), formatInt(Number(b), locale()));
    case 'binary':
      return vscode.l10n.t('The values file looks binary; choose a JSON or YAML file.');
    case 'tooDeep':
      return vscode.l10n.t('The values are nested more than {0} levels deep.', a);
  }
}
