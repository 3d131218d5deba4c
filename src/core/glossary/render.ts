/**
 * The hover for a glossary entry, as Markdown sections (each becomes one part of the hover).
 * Every piece of entry text goes through `escapeMarkdown`, so names and definitions — from the
 * built-in file or a user's — always render as plain text: `<img onerror=…>` shows as written.
 */
import type { GlossaryEntry } from './schema';

/** Plain text → Markdown that renders as exactly that text (no HTML, links, icons or emphasis). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~$:]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

export interface HoverLabels {
  related: string;
  openInGlossary: string;
  openInGlossaryTooltip: string;
  category: string;
  /** e.g. "From .vscode/prompt-glossary.json"; undefined for built-in entries. */
  source?: string;
}

export interface HoverInput {
  entry: GlossaryEntry;
  /** Related entries that exist. */
  related: { id: string; title: string; en?: string; zh?: string }[];
  /** Chinese UI: Chinese name and definition first. */
  zhFirst: boolean;
  labels: HoverLabels;
  openCommand: string;
}

export function hoverSections(h: HoverInput): string[] {
  const { entry: e, labels } = h;
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const names = h.zhFirst ? [e.zh, e.en] : [e.en, e.zh];
  const title = [...new Set(names.filter((n): n is string => !!n))].map((n) => `**${escapeMarkdown(n)}**`).join(' · ');
  const abbr = e.abbr.filter((a) => a !== e.en && a !== e.zh);
  const meta = [abbr.length ? abbr.map(code).join(' ') : '', escapeMarkdown(labels.category), labels.source ? escapeMarkdown(labels.source) : '']
    .filter(Boolean).join(' · ');
  const defs = (h.zhFirst ? [e.definition.zh, e.definition.en] : [e.definition.en, e.definition.zh]).filter((d): d is string => !!d);
  const first = [title, meta].filter(Boolean).join('  \n');
  const sections: string[] = [];
  const [primary, secondary] = defs;
  sections.push(primary ? `${first}\n\n${escapeMarkdown(primary)}` : first);
  if (secondary) sections.push(escapeMarkdown(secondary));
  const link = (id: string, text: string, tip: string) => `[${escapeMarkdown(text)}](${commandUri(h.openCommand, [id])} "${tip.replace(/["\\]/g, '')}")`;
  const lines: string[] = [];
  // "Few-shot Prompting (少样本提示)", the UI language first.
  const relatedName = (r: HoverInput['related'][number]) => {
    const [a, b] = h.zhFirst ? [r.zh, r.en] : [r.en, r.zh];
    const first = a ?? b ?? r.title;
    return b && a && b !== a ? `${first} (${b})` : first;
  };
  if (h.related.length) lines.push(`${escapeMarkdown(labels.related)} ${h.related.map((r) => link(r.id, relatedName(r), labels.openInGlossaryTooltip)).join(' · ')}`);
  lines.push(`[$(book) ${escapeMarkdown(labels.openInGlossary)}](${commandUri(h.openCommand, [e.id])} "${labels.openInGlossaryTooltip.replace(/["\\]/g, '')}")`);
  sections.push(lines.join('\n\n'));
  return sections;
}
