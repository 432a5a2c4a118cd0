/**
 * Runs bench cases: collects them from the suites, plans the order of the fresh-process runs
 * (HEAD alone, or HEAD and a baseline tree in a seeded randomised ABBA design) and executes the
 * plan, keeping every raw sample.
 *
 * Paired design: each round gives every case two runs per side, in the order A B B A or B A A B
 * (a seeded coin per case and round), and the cases' order is reshuffled every round, so slow
 * drifts of the machine's load hit both sides alike and no case always runs first. Warm-up rounds
 * (one run per side, discarded) come first.
 *
 * @module
 */

import { Rng, shuffle } from "../lib/data/random.ts";
import { runDenoJson } from "./harness.ts";
import type { SideRecord } from "./history.ts";
import {
  type BenchCase,
  type BenchSuite,
  caseProblem,
  caseVersion,
  type FactValue,
  matchesPattern,
  resolveArg,
  type SuiteContext,
} from "./suite.ts";

/** A case with its suite and version. */
export interface ResolvedCase {
  suite: BenchSuite;
  case: BenchCase;
  version: string;
}

/** Cases to run and the suites that could not run here. */
export interface CaseSelection {
  cases: ResolvedCase[];
  skipped: { suite: string; reason: string }[];
}

/**
 * Lists the cases of `suites` matching any of `patterns` (all when undefined; see
 * {@link matchesPattern}), with their versions. A broken definition (bad id, duplicate id, bad
 * script) throws: it is the suite author's bug, caught by the tests.
 */
export async function collectCases(
  suites: readonly BenchSuite[],
  ctx: SuiteContext,
  patterns?: readonly string[],
): Promise<CaseSelection> {
  const cases: ResolvedCase[] = [];
  const skipped: { suite: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const suite of suites) {
    const listed = await suite.cases(ctx);
    if ("skip" in listed) {
      skipped.push({ suite: suite.name, reason: listed.skip });
      continue;
    }
    for (const c of listed) {
      const problem = caseProblem(suite, c) ??
        (seen.has(c.id) ? `case id "${c.id}" is used twice` : undefined);
      if (problem) throw new Error(`bench suite ${suite.name}: ${problem}`);
      seen.add(c.id);
      if (patterns && !patterns.some((p) => matchesPattern(p, c))) continue;
      cases.push({ suite, case: c, version: await caseVersion(c, ctx) });
    }
  }
  return { cases, skipped };
}

/** The two measured trees: HEAD (this checkout) and the baseline worktree. */
export type Side = "head" | "baseline";

/** One fresh-process run of the plan. */
export interface PlanStep {
  /** Index into the case list. */
  caseIndex: number;
  side: Side;
  /** Discarded warm-up run. */
  warmup: boolean;
}

/** Options of {@link planRuns}. */
export interface PlanOptions {
  /** Measured runs per case and side. */
  samples: number;
  /** Warm-up runs per case and side. */
  warmup: number;
  /** Also run the baseline (paired design). */
  paired: boolean;
  /** Seed of the order. */
  seed: number;
}

/** The order of all runs (deterministic for a seed); see the module doc. */
export function planRuns(caseCount: number, options: PlanOptions): PlanStep[] {
  const rng = new Rng(options.seed);
  const steps: PlanStep[] = [];
  const order = Array.from({ length: caseCount }, (_, i) => i);
  const round = (perSide: number, warmup: boolean) => {
    shuffle(rng, order);
    for (const caseIndex of order) {
      if (!options.paired) {
        for (let k = 0; k < perSide; k++) steps.push({ caseIndex, side: "head", warmup });
        continue;
      }
      const [a, b]: Side[] = rng.next() < 0.5 ? ["baseline", "head"] : ["head", "baseline"];
      const sides = perSide === 2 ? [a, b, b, a] : [a, b];
      for (const side of sides) steps.push({ caseIndex, side, warmup });
    }
  };
  for (let w = 0; w < options.warmup; w++) round(1, true);
  for (let left = options.samples; left > 0; left -= 2) round(Math.min(2, left), false);
  return steps;
}

/** What one run gave. */
export interface CaseRun {
  ok: boolean;
  /** The metric (seconds). */
  value?: number;
  wallSeconds: number;
  peakRssMiB?: number;
  json?: Record<string, unknown>;
  error?: string;
}

/** Runs one case once in the tree at `root`. */
export async function runCase(
  root: string,
  rc: ResolvedCase,
  ctx: SuiteContext,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<CaseRun> {
  const c = rc.case;
  const args = ["run", "-A", c.script, ...c.args.map((a) => resolveArg(a, ctx))];
  const run = await runDenoJson(args, c.timeoutSeconds ?? timeoutSeconds, { cwd: root, signal });
  if (!run.ok) return { ok: false, wallSeconds: run.wallSeconds, error: run.error };
  const metric = c.metric ?? "seconds";
  const value = run.json[metric];
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    return { ok: false, wallSeconds: run.wallSeconds, error: `stdout has no finite "${metric}"` };
  }
  const rss = run.json.peak_rss_mib;
  return {
    ok: true,
    value,
    wallSeconds: run.wallSeconds,
    peakRssMiB: typeof rss === "number" && Number.isFinite(rss) ? rss : undefined,
    json: run.json,
  };
}

/** Samples of one case: HEAD, the baseline when paired, and the facts of HEAD's first good run. */
export interface CaseOutcome {
  head: SideRecord;
  baseline?: SideRecord;
  facts?: Record<string, FactValue>;
}

/** A function that runs one step (injected so tests can run a plan without processes). */
export type StepRunner = (rc: ResolvedCase, side: Side) => Promise<CaseRun>;

/** Facts with non-finite numbers as null (JSON has no NaN or Infinity). */
export function finiteFacts(facts: Record<string, FactValue>): Record<string, FactValue> {
  return Object.fromEntries(
    Object.entries(facts).map(([k, v]) => [k, typeof v === "number" && !Number.isFinite(v) ? null : v]),
  );
}

const emptySide = (): SideRecord => ({ samples: [], wall_seconds: [], warmup: [] });

/**
 * Executes a plan. After a failed run, that case's side runs no more (a failure usually repeats,
 * and a timeout would only cost more time). `progress` gets one line per run; `stopped()` lets a
 * Ctrl-C end the loop early.
 */
export async function executePlan(
  cases: readonly ResolvedCase[],
  steps: readonly PlanStep[],
  paired: boolean,
  run: StepRunner,
  progress: (line: string) => void,
  stopped: () => boolean = () => false,
): Promise<CaseOutcome[]> {
  const out: CaseOutcome[] = cases.map(
    () => (paired ? { head: emptySide(), baseline: emptySide() } : { head: emptySide() }),
  );
  let done = 0;
  for (const step of steps) {
    done++;
    if (stopped()) break;
    const outcome = out[step.caseIndex];
    const side = (step.side === "head" ? outcome.head : outcome.baseline)!;
    if (side.error) continue;
    const rc = cases[step.caseIndex];
    const r = await run(rc, step.side);
    const tag = `[${done}/${steps.length}] ${rc.case.id} ${step.side}${step.warmup ? " (warm-up)" : ""}`;
    if (!r.ok) {
      side.error = r.error;
      progress(`${tag}: FAILED ${r.error}`);
      continue;
    }
    progress(`${tag}: ${Number(r.value!.toPrecision(3))} s`);
    if (r.peakRssMiB !== undefined) side.peak_rss_mib = Math.max(side.peak_rss_mib ?? 0, r.peakRssMiB);
    if (step.warmup) {
      side.warmup.push(r.value!);
    } else {
      side.samples.push(r.value!);
      side.wall_seconds.push(Math.round(r.wallSeconds * 1e4) / 1e4);
    }
    if (step.side === "head" && outcome.facts === undefined && rc.case.inspect && r.json) {
      try {
        outcome.facts = finiteFacts(rc.case.inspect(r.json));
      } catch (e) {
        outcome.facts = { inspect_error: (e as Error).message.split("\n")[0] };
      }
    }
  }
  return out;
}
