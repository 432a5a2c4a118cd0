/**
 * The verdict of a paired run, per case, as in asv: **regression** (HEAD significantly slower, and
 * the whole 95 % interval of median(HEAD)/median(baseline) lies above 1 + threshold),
 * **improvement** (significant, interval below 1 / (1 + threshold)), **not significant**
 * (everything else that ran), **failed** (a side has no samples) and **not comparable** (the
 * baseline's own definition of the case has another version). Significance: Holm-adjusted
 * Mann–Whitney p < 0.05 across the run's cases.
 *
 * Thresholds come from a JSON file (default `bench/thresholds.json`):
 * `{"default": 0.1, "cases": [{"pattern": "training/*", "threshold": 0.2, "why": "…"}]}`; the first
 * pattern matching a case id wins (patterns as in `--only`).
 *
 * @module
 */

import { z } from "zod";
import { UsageError } from "../lib/errors.ts";
import type { ComparisonRecord, SideRecord } from "./history.ts";
import { bootstrapRatioInterval, holm, mannWhitney, ratioOfMedians } from "./stats.ts";
import { matchesPattern } from "./suite.ts";

/** Family-wise error level of the Holm-corrected tests. */
export const ALPHA = 0.05;

const ThresholdsSchema = z.strictObject({
  default: z.number().positive().max(10).default(0.1),
  cases: z.array(z.strictObject({
    pattern: z.string().min(1),
    threshold: z.number().positive().max(10),
    why: z.string().optional(),
  })).default([]),
});

/** A validated thresholds file. */
export type Thresholds = z.infer<typeof ThresholdsSchema>;

/** The default thresholds: 10 % for every case. */
export const DEFAULT_THRESHOLDS: Thresholds = { default: 0.1, cases: [] };

/** Validates a thresholds object; a bad field is a one-line {@link UsageError} naming it. */
export function parseThresholds(json: unknown, file: string): Thresholds {
  const parsed = ThresholdsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(
    `${file}: ${issue.path.join(".") || "(file)"}: ${issue.message}; expected ` +
      `{"default": 0.1, "cases": [{"pattern": "training/*", "threshold": 0.2}]}`,
  );
}

/** The threshold of one case id. */
export function thresholdFor(t: Thresholds, id: string): number {
  return t.cases.find((c) => matchesPattern(c.pattern, { id }))?.threshold ?? t.default;
}

/** The raw statistics of one case before the correction across cases. */
export interface RawComparison {
  ratio: number;
  ciLow: number;
  ciHigh: number;
  p: number;
  test: "exact" | "normal";
}

/** Ratio, bootstrap interval and Mann–Whitney p of one case (both sides need samples). */
export function rawComparison(
  baseline: readonly number[],
  head: readonly number[],
  seed: number,
): RawComparison {
  const [ciLow, ciHigh] = bootstrapRatioInterval(baseline, head, { seed });
  const mw = mannWhitney(head, baseline);
  return { ratio: ratioOfMedians(baseline, head), ciLow, ciHigh, p: mw.p, test: mw.method };
}

/** Inputs of {@link compareRun}, one per case. */
export interface PairedCase {
  id: string;
  head: SideRecord;
  baseline?: SideRecord;
  /** The baseline's own version of the id differs from HEAD's. */
  changed: boolean;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Marks every case of a paired run (Holm over the cases that have both sides). Bootstrap seeds
 * are `seed + index`, so the same samples and seed give the same intervals.
 */
export function compareRun(
  cases: readonly PairedCase[],
  thresholds: Thresholds,
  seed: number,
): ComparisonRecord[] {
  const raw = cases.map((c, i) =>
    !c.changed && c.baseline && c.head.samples.length > 0 && c.baseline.samples.length > 0
      ? rawComparison(c.baseline.samples, c.head.samples, seed + i)
      : undefined
  );
  const adjusted = holm(raw.map((r) => r?.p ?? NaN));
  return cases.map((c, i) => {
    const threshold = thresholdFor(thresholds, c.id);
    const r = raw[i];
    const base = { ratio: null, ci_low: null, ci_high: null, p: null, p_holm: null, test: null, threshold };
    if (c.changed) {
      return {
        ...base,
        mark: "not comparable",
        note: "the case's definition differs between baseline and HEAD",
      };
    }
    if (!r) {
      const failed = [
        ...(c.head.samples.length === 0 ? [`HEAD: ${c.head.error ?? "no samples"}`] : []),
        ...(!c.baseline || c.baseline.samples.length === 0
          ? [`baseline: ${c.baseline?.error ?? "no samples"}`]
          : []),
      ];
      return { ...base, mark: "failed", note: failed.join("; ") };
    }
    const pHolm = adjusted[i];
    const significant = pHolm < ALPHA;
    const mark = significant && r.ciLow > 1 + threshold
      ? "regression"
      : significant && r.ciHigh < 1 / (1 + threshold)
      ? "improvement"
      : "not significant";
    const note = mark !== "not significant"
      ? undefined
      : significant
      ? `significant, but the interval reaches within ${Math.round(threshold * 100)} %`
      : undefined;
    const partial = c.head.error || c.baseline?.error
      ? `partial: ${
        [c.head.error && `HEAD: ${c.head.error}`, c.baseline?.error && `baseline: ${c.baseline.error}`]
          .filter(Boolean).join("; ")
      }`
      : undefined;
    return {
      ratio: finiteOrNull(r.ratio),
      ci_low: finiteOrNull(r.ciLow),
      ci_high: finiteOrNull(r.ciHigh),
      p: finiteOrNull(r.p),
      p_holm: finiteOrNull(pHolm),
      test: r.test,
      threshold,
      mark,
      ...(note || partial ? { note: [note, partial].filter(Boolean).join("; ") } : {}),
    };
  });
}

/** Short symbols of the marks for the terminal table (asv's +, -, x, !, and a space). */
export const MARK_SYMBOL: Record<ComparisonRecord["mark"], string> = {
  regression: "+",
  improvement: "-",
  "not significant": " ",
  failed: "x",
  "not comparable": "!",
};
