/**
 * Messages between the glossary view's page (media/glossary.js) and the extension. The page's
 * messages are validated with these schemas on arrival; the extension's are typed here.
 */
import * as z from 'zod/mini';
import '../zod';

const text = (max: number) => z.string().check(z.maxLength(max));

export const ViewToHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('query'), seq: z.int().check(z.nonnegative()), query: text(200), category: text(60) }),
  z.strictObject({ type: z.literal('select'), id: text(120) }),
  z.strictObject({ type: z.literal('openSource'), id: text(120) }),
]);
export type ViewToHost = z.infer<typeof ViewToHostSchema>;

export interface ListItem {
  id: string;
  /** Name in the UI language (or the other when missing). */
  primary: string;
  /** Name in the other language, abbreviations. */
  secondary: string;
  category: string;
  /** 'builtIn' | 'setting' | 'workspace' */
  source: string;
}

export interface EntryView {
  id: string;
  en?: string;
  zh?: string;
  abbr: string[];
  aliases: string[];
  category: string;
  categoryLabel: string;
  /** UI language first. */
  definitions: { lang: 'en' | 'zh'; label: string; text: string }[];
  related: { id: string; title: string }[];
  source: { kind: string; label: string; canOpen: boolean };
}

export type HostToView =
  /** `focusSearch`: false when the page was reloaded because the glossary changed (the user may be typing elsewhere). */
  | { type: 'init'; labels: Record<string, string>; categories: { id: string; label: string; count: number }[]; total: number; zhFirst: boolean; focusSearch: boolean; problem?: string }
  | { type: 'results'; seq: number; items: ListItem[]; total: number; shown: number }
  | { type: 'entry'; entry: EntryView }
  | { type: 'reveal'; id: string }
  | { type: 'missing'; id: string };
