/**
 * The preview's context-window gauge: the share of the model's context window the prompt (plus
 * the expected output) fills, and the colour it shows, which turns at thresholds the user sets in
 * `promptWorkbench.preview.gaugeThresholds` (percent; defaults 50 / 80 / 100). Pure.
 */
import * as z from 'zod/mini';
import '../zod';
import { type SettingIssue, zodIssues } from '../models';
import { lazy } from '../lazy';

export const GAUGE_SETTING = 'promptWorkbench.preview.gaugeThresholds';

export interface GaugeThresholds {
  /** Percent of the context window from which the gauge is yellow… */
  yellow: number;
  /** …orange… */
  orange: number;
  /** …and red. */
  red: number;
}

export const DEFAULT_THRESHOLDS: GaugeThresholds = { yellow: 50, orange: 80, red: 100 };

export type GaugeLevel = 'green' | 'yellow' | 'orange' | 'red';

/** Built on first use (the status bar's first count), not when the extension loads. */
const thresholdsSchema = lazy(() => {
  const percent = z.number().check(z.gt(0), z.lte(10_000));
  return z.strictObject({
    yellow: z.optional(percent),
    orange: z.optional(percent),
    red: z.optional(percent),
  });
});

/**
 * The thresholds from the setting's raw value; the defaults when it is not valid, with the zod
 * issues (field and message) or, when they do not rise, the thresholds given (`unordered`).
 */
export function parseThresholds(raw: unknown): { thresholds: GaugeThresholds; issues: SettingIssue[]; unordered?: GaugeThresholds } {
  if (raw === undefined || raw === null) return { thresholds: { ...DEFAULT_THRESHOLDS }, issues: [] };
  const parsed = thresholdsSchema().safeParse(raw);
  if (!parsed.success) return { thresholds: { ...DEFAULT_THRESHOLDS }, issues: zodIssues(GAUGE_SETTING, parsed.error) };
  const t: GaugeThresholds = { ...DEFAULT_THRESHOLDS, ...stripUndefined(parsed.data) };
  if (!(t.yellow <= t.orange && t.orange <= t.red)) return { thresholds: { ...DEFAULT_THRESHOLDS }, issues: [], unordered: t };
  return { thresholds: t, issues: [] };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The gauge's colour for a share of the context window (1 = full). */
export function gaugeLevel(share: number, t: GaugeThresholds): GaugeLevel {
  const pct = share * 100;
  if (pct >= t.red) return 'red';
  if (pct >= t.orange) return 'orange';
  if (pct >= t.yellow) return 'yellow';
  return 'green';
}
