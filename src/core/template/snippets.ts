/**
 * The prompt snippets (snippets/prompts.*.code-snippets) as data: read and validated, for
 * `Prompt: Insert Prompt Scaffold…` (one source for both), and expanded to the text VS Code
 * inserts when every placeholder keeps its default (for tests and previews).
 */
import * as z from 'zod/mini';
import '../zod';
import { lazy } from '../lazy';

/** Built on first use, not when the bundle loads. */
const snippetFileSchema = lazy(() => {
  const snippet = z.object({
    prefix: z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]),
    body: z.union([z.string(), z.array(z.string())]),
    description: z.optional(z.string()),
    scope: z.optional(z.string()),
  });
  return z.record(z.string(), snippet);
});

export interface PromptSnippet {
  /** The snippet's name (its key in the file). */
  name: string;
  /** The first prefix, e.g. `pw-fewshot` / `pw-zh-fewshot`. */
  prefix: string;
  /** The body as one string (lines joined with `\n`). */
  body: string;
  description: string;
  /** Language of the text, from the file name: `en`, `zh-cn`. */
  language: string;
  /** The prefix without `pw-` / `pw-zh-`: the same technique in every language. */
  technique: string;
}

/** Language of a snippet file from its name: `prompts.zh-cn.code-snippets` → `zh-cn`. */
export function snippetFileLanguage(path: string): string {
  const m = /\.([a-z]{2}(?:-[a-z]{2,4})?)\.code-snippets$/i.exec(path);
  return (m?.[1] ?? 'en').toLowerCase();
}

export function parseSnippetFile(text: string, language: string, source = 'snippets'): PromptSnippet[] {
  let data: unknown;
  try {
    data = JSON.parse(stripJsonComments(text));
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = snippetFileSchema().safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`${source}: ${first.path.map(String).join('.')}: ${first.message}`);
  }
  const tag = language.split('-')[0]!;
  return Object.entries(parsed.data).map(([name, s]) => {
    const prefix = Array.isArray(s.prefix) ? s.prefix[0]! : s.prefix;
    const bare = prefix.replace(/^pw-/, '');
    return {
      name,
      prefix,
      body: Array.isArray(s.body) ? s.body.join('\n') : s.body,
      description: s.description ?? '',
      language,
      technique: tag !== 'en' && bare.startsWith(`${tag}-`) ? bare.slice(tag.length + 1) : bare,
    };
  });
}

/** JSON with comments (as VS Code reads .code-snippets): drops line and block comments and trailing commas outside strings. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

type Node =
  | { t: 'text'; v: string }
  | { t: 'stop'; n: number; children?: Node[]; choices?: string[] }
  | { t: 'var'; children?: Node[] };

export interface Expansion {
  /** The inserted text with every placeholder at its default (first choice for choices). */
  text: string;
  /** Offset of the final cursor ($0), or the end of the text. */
  final: number;
  /** Tab stop numbers other than 0, in the order Tab visits them. */
  stops: number[];
  /** Choices by tab stop. */
  choices: Record<number, string[]>;
  /** Default text by tab stop. */
  defaults: Record<number, string>;
}

/** Expands a snippet body (TextMate syntax: $1, ${1:default}, ${1|a,b|}, $0, \\$ \\} \\\\ escapes). */
export function expandSnippet(body: string): Expansion {
  const nodes = parse(body, { i: 0 }, false);
  const first = new Map<number, Node & { t: 'stop' }>();
  const visit = (list: Node[]): void => {
    for (const n of list) {
      if (n.t === 'stop') {
        const seen = first.get(n.n);
        if (!seen || (!seen.children && !seen.choices && (n.children || n.choices))) first.set(n.n, n);
        if (n.children) visit(n.children);
      } else if (n.t === 'var' && n.children) visit(n.children);
    }
  };
  visit(nodes);
  const defaults: Record<number, string> = {};
  const choices: Record<number, string[]> = {};
  const value = (n: number, depth: number): string => {
    if (n in defaults) return defaults[n]!;
    const def = first.get(n);
    const v = def?.choices ? def.choices[0] ?? '' : def?.children && depth < 20 ? render(def.children, depth + 1).text : '';
    defaults[n] = v;
    if (def?.choices) choices[n] = def.choices;
    return v;
  };
  const render = (list: Node[], depth: number): { text: string; final: number } => {
    let text = '';
    let final = -1;
    for (const n of list) {
      if (n.t === 'text') text += n.v;
      else if (n.t === 'var') text += n.children ? render(n.children, depth + 1).text : '';
      else if (n.n === 0) {
        final = text.length;
        if (n.children) text += render(n.children, depth + 1).text;
      } else {
        text += value(n.n, depth);
      }
    }
    return { text, final };
  };
  const out = render(nodes, 0);
  const stops = [...first.keys()].filter((n) => n > 0).sort((a, b) => a - b);
  for (const n of stops) value(n, 0);
  return { text: out.text, final: out.final < 0 ? out.text.length : out.final, stops, choices, defaults };
}

function parse(s: string, pos: { i: number }, nested: boolean): Node[] {
  const nodes: Node[] = [];
  let text = '';
  const flush = (): void => {
    if (text) nodes.push({ t: 'text', v: text });
    text = '';
  };
  while (pos.i < s.length) {
    const c = s[pos.i]!;
    if (c === '\\' && pos.i + 1 < s.length && '$}\\'.includes(s[pos.i + 1]!)) {
      text += s[pos.i + 1];
      pos.i += 2;
    } else if (c === '}' && nested) {
      break;
    } else if (c === '$') {
      const rest = s.slice(pos.i + 1);
      let m: RegExpExecArray | null;
      if ((m = /^\d+/.exec(rest))) {
        flush();
        nodes.push({ t: 'stop', n: Number(m[0]) });
        pos.i += 1 + m[0].length;
      } else if ((m = /^[A-Za-z_]\w*/.exec(rest))) {
        flush();
        nodes.push({ t: 'var' });
        pos.i += 1 + m[0].length;
      } else if ((m = /^\{(\d+)\|/.exec(rest))) {
        flush();
        pos.i += 1 + m[0].length;
        const options: string[] = [];
        let cur = '';
        while (pos.i < s.length && !(s[pos.i] === '|' && s[pos.i + 1] === '}')) {
          const ch = s[pos.i]!;
          if (ch === '\\' && pos.i + 1 < s.length && ',|\\'.includes(s[pos.i + 1]!)) {
            cur += s[pos.i + 1];
            pos.i += 2;
          } else if (ch === ',') {
            options.push(cur);
            cur = '';
            pos.i++;
          } else {
            cur += ch;
            pos.i++;
          }
        }
        options.push(cur);
        pos.i += 2;
        nodes.push({ t: 'stop', n: Number(m[1]), choices: options });
      } else if ((m = /^\{(\d+)(:?)/.exec(rest))) {
        flush();
        pos.i += 1 + m[0].length;
        const children = m[2] ? parse(s, pos, true) : [];
        pos.i++; // the closing }
        nodes.push(m[2] ? { t: 'stop', n: Number(m[1]), children } : { t: 'stop', n: Number(m[1]) });
      } else if ((m = /^\{[A-Za-z_]\w*(:?)/.exec(rest))) {
        flush();
        pos.i += 1 + m[0].length;
        const children = m[1] ? parse(s, pos, true) : [];
        pos.i++;
        nodes.push({ t: 'var', children });
      } else {
        text += c;
        pos.i++;
      }
    } else {
      text += c;
      pos.i++;
    }
  }
  flush();
  return nodes;
}
