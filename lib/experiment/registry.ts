/**
 * The one place the framework reads paper studies from. A study family (`lib/studies/<family>/`)
 * registers its analyses, extras and paper comparisons here at import time; `lib/studies/mod.ts`
 * imports every family, and the entry points that run experiments (the CLI, tests) import it.
 * The framework itself never names a study.
 *
 * @example
 * ```ts
 * registerAnalysis("my-analysis", "what it computes", async (ctx) => ({ sections: [] }));
 * ```
 *
 * @module
 */

import type { Analysis, Extra, PaperComparison } from "./study.ts";

/** A registered entry with its one-line description. */
export interface Registered<T> {
  /** The routine. */
  readonly run: T;
  /** One line saying what it computes. */
  readonly description: string;
  /**
   * Checks an analysis's `params` (throws a `UsageError`); the framework calls it before it writes
   * any file of the run.
   */
  readonly validate?: (params: Record<string, unknown>) => void;
}

const analyses = new Map<string, Registered<Analysis>>();
const extras = new Map<string, Registered<Extra>>();
const comparisons = new Map<string, Registered<PaperComparison>>();

function register<T>(
  kind: string,
  map: Map<string, Registered<T>>,
  name: string,
  description: string,
  run: T,
  validate?: (params: Record<string, unknown>) => void,
) {
  if (map.has(name)) throw new Error(`${kind} "${name}" is registered twice`);
  map.set(name, { run, description, ...(validate ? { validate } : {}) });
}

/**
 * Registers an analysis routine for `kind: "analysis"` experiments (`analysis: NAME`). `validate`
 * checks its `params` before the framework writes anything (give it: without it, a bad parameter is
 * only found once the run folder exists).
 */
export function registerAnalysis(
  name: string,
  description: string,
  run: Analysis,
  validate?: (params: Record<string, unknown>) => void,
): void {
  register("analysis", analyses, name, description, run, validate);
}

/** Registers an extra analysis that grid experiments can name in `outputs.extras`. */
export function registerExtra(name: string, description: string, run: Extra): void {
  register("extra", extras, name, description, run);
}

/** Registers a paper comparison that grid experiments can name in `outputs.paper`. */
export function registerComparison(name: string, description: string, comparison: PaperComparison): void {
  register("paper comparison", comparisons, name, description, comparison);
}

/** The registered analysis of that name, if any. */
export function analysisNamed(name: string): Registered<Analysis> | undefined {
  return analyses.get(name);
}

/** The registered extra of that name, if any. */
export function extraNamed(name: string): Registered<Extra> | undefined {
  return extras.get(name);
}

/** The registered paper comparison of that name, if any. */
export function comparisonNamed(name: string): Registered<PaperComparison> | undefined {
  return comparisons.get(name);
}

/** Names of every registered analysis, extra and comparison (sorted), e.g. for error messages. */
export function registeredNames(): { analyses: string[]; extras: string[]; comparisons: string[] } {
  const names = (m: Map<string, unknown>) => [...m.keys()].sort();
  return { analyses: names(analyses), extras: names(extras), comparisons: names(comparisons) };
}
