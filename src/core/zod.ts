/**
 * zod's tree-shakable build (`zod/mini`; the full build adds ~450 KB to the bundle) speaks
 * English by default here; `useZodLocale` switches its messages to Simplified Chinese for a
 * Chinese UI. Modules import `* as z from 'zod/mini'` themselves (re-exporting the namespace
 * would defeat tree-shaking) and import this module for its side effect.
 */
import { config } from 'zod/mini';
import { en, zhCN } from 'zod/locales';

config(en());

export function useZodLocale(language: string): void {
  config(language.toLowerCase().startsWith('zh') ? zhCN() : en());
}
