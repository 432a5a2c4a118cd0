/**
 * The search loop: several populations evolve in lock-step iterations. After each iteration (a
 * barrier) the coordinator, in population order, updates the complexity frequencies and the hall
 * of fame, and prepares the migrants of the next iteration (every population's top members and the
 * hall of fame's front). Each population iteration is a pure function of its input and of a random
 * stream derived from (seed, population, iteration), so the result depends on the seed and the
 * budget only — not on the number of workers, nor on timing — as long as the search stops on an
 * iteration, evaluation or convergence budget. A wall-clock deadline is checked at the barriers
 * only; when it is what stops a search, the result is the (deterministic) state after the last
 * finished iteration, and `stopped` says "time".
 *
 * @module
 */

import { HallOfFame } from "../evolution/hall_of_fame.ts";
import type { Member } from "../evolution/member.ts";
import { type SearchOptions } from "../evolution/options.ts";
import {
  evolvePopulation,
  initialPopulation,
  type IterationInput,
  type IterationOutput,
} from "../evolution/population.ts";
import { ComplexityFrequencies } from "../evolution/statistics.ts";
import { buildContext } from "./context.ts";
import { type Executor, InProcessExecutor, WorkerExecutor } from "./executor.ts";
import type { ObjectiveSpec } from "./objective_spec.ts";

/** When a search stops (the first budget reached). */
export interface SearchBudget {
  /** Iterations (each population once per iteration). */
  maxIterations?: number;
  /** Evaluations on all points (mini-batches count their share), checked after each iteration. */
  maxEvaluations?: number;
  /**
   * Stop when the hall of fame's front has not improved (a new complexity, or a loss down by more
   * than 0.1 %) for this many iterations.
   */
  patience?: number;
  /** Never stop for convergence before this many iterations. */
  minIterations?: number;
  /**
   * Wall clock (`performance.now()` ms) by which the search must have stopped; an iteration is not
   * started when the slowest one so far would not finish by then.
   */
  deadline?: number;
}

/** Why a search stopped. */
export type StopReason = "iterations" | "evaluations" | "converged" | "time";

/** Progress after an iteration. */
export interface SearchProgress {
  /** Iterations done. */
  iteration: number;
  /** Evaluations so far. */
  evaluations: number;
  /** The current front. */
  front: Member[];
}

/** Result of a search. */
export interface SearchResult {
  /** Best member per complexity, by increasing complexity. */
  hallOfFame: Member[];
  /** The Pareto front, by increasing complexity. */
  front: Member[];
  /** Iterations run. */
  iterations: number;
  /** Evaluations on all points (mini-batches count their share). */
  evaluations: number;
  /** The budget that stopped the search. */
  stopped: StopReason;
  /** Wall-clock seconds of the search (start-up of workers included). */
  seconds: number;
}

/** How to run a search. */
export interface RunOptions {
  /** Worker threads (0: run in this thread). */
  workers?: number;
  /** Called after each iteration. */
  onIteration?: (progress: SearchProgress) => void;
}

function improved(previous: Map<number, number>, front: Member[]): boolean {
  let better = false;
  for (const m of front) {
    const old = previous.get(m.complexity);
    if (old === undefined || m.loss < old * (1 - 1e-3)) better = true;
  }
  return better;
}

/**
 * The search as a generator: it yields each iteration's population inputs and expects their
 * outputs back (in order), and returns the result. {@link runSearch} drives it with an executor
 * (workers or this thread), {@link runSearchSync} in this thread without promises.
 */
function* searchSteps(
  spec: ObjectiveSpec,
  options: SearchOptions,
  budget: SearchBudget,
  onIteration: RunOptions["onIteration"],
): Generator<IterationInput[], Omit<SearchResult, "seconds">, IterationOutput[]> {
  const ctx = buildContext(spec, options);
  let populations = Array.from({ length: options.populations }, (_, i) => initialPopulation(ctx, i));
  let evaluations = options.populations * options.populationSize;
  const hof = new HallOfFame();
  const freq = new ComplexityFrequencies(options.maxComplexity);
  for (const pop of populations) {
    for (const m of pop) {
      hof.offer(m);
      freq.add(m.complexity);
    }
  }
  freq.moveWindow();
  let migrants: Member[] = [];
  let iteration = 0;
  let stopped: StopReason = "iterations";
  let stale = 0;
  let slowest = 0;
  let bestLosses = new Map(hof.front().map((m) => [m.complexity, m.loss] as [number, number]));
  while (true) {
    if (budget.maxIterations !== undefined && iteration >= budget.maxIterations) {
      stopped = "iterations";
      break;
    }
    if (budget.maxEvaluations !== undefined && evaluations >= budget.maxEvaluations) {
      stopped = "evaluations";
      break;
    }
    if (budget.deadline !== undefined && performance.now() + slowest > budget.deadline) {
      stopped = "time";
      break;
    }
    const started = performance.now();
    const normalized = freq.normalized();
    const front = hof.front();
    const outputs = yield populations.map((population, populationIndex) => ({
      population,
      populationIndex,
      iteration,
      frequencies: normalized,
      migrants,
      hallOfFame: front,
    }));
    populations = outputs.map((o) => o.population);
    for (const o of outputs) {
      evaluations += o.evaluations;
      for (const m of o.population) freq.add(m.complexity);
      for (const m of o.best) hof.offer(m);
    }
    freq.moveWindow();
    migrants = populations.flatMap((pop) =>
      pop.filter((m) => Number.isFinite(m.score)).sort((a, b) => a.score - b.score || a.birth - b.birth)
        .slice(0, options.topN)
    );
    iteration++;
    slowest = Math.max(slowest, performance.now() - started);
    const newFront = hof.front();
    if (improved(bestLosses, newFront)) stale = 0;
    else stale++;
    bestLosses = new Map(newFront.map((m) => [m.complexity, m.loss] as [number, number]));
    onIteration?.({ iteration, evaluations, front: newFront });
    if (
      budget.patience !== undefined && stale >= budget.patience && iteration >= (budget.minIterations ?? 0)
    ) {
      stopped = "converged";
      break;
    }
  }
  return { hallOfFame: hof.entries(), front: hof.front(), iterations: iteration, evaluations, stopped };
}

function checkBudget(budget: SearchBudget): void {
  if (
    budget.maxIterations === undefined && budget.maxEvaluations === undefined &&
    budget.deadline === undefined &&
    budget.patience === undefined
  ) {
    throw new Error(
      "runSearch: give at least one budget (maxIterations, maxEvaluations, patience or deadline)",
    );
  }
}

/**
 * Runs a search for expressions minimising the objective.
 *
 * @example
 * ```ts
 * const spec = { kind: "mse", x, y, n, p: 1 } as const;
 * const res = await runSearch(spec, resolveSearchOptions({ seed: 1 }), { maxIterations: 20 });
 * console.log(res.front.map((m) => formatExpression(m.tree)));
 * ```
 */
export async function runSearch(
  spec: ObjectiveSpec,
  options: SearchOptions,
  budget: SearchBudget,
  run: RunOptions = {},
): Promise<SearchResult> {
  const t0 = performance.now();
  checkBudget(budget);
  const workers = run.workers ?? 0;
  const executor: Executor = workers > 0
    ? new WorkerExecutor(spec, options, workers)
    : new InProcessExecutor(spec, options);
  try {
    const steps = searchSteps(spec, options, budget, run.onIteration);
    let step = steps.next();
    while (!step.done) step = steps.next(await executor.run(step.value));
    return { ...step.value, seconds: (performance.now() - t0) / 1000 };
  } finally {
    executor.close();
  }
}

/**
 * {@link runSearch} in this thread, synchronously (the same result as on any number of workers).
 *
 * @example
 * ```ts
 * const res = runSearchSync({ kind: "mse", x, y, n, p: 1 }, resolveSearchOptions({ seed: 1 }), { maxIterations: 5 });
 * ```
 */
export function runSearchSync(
  spec: ObjectiveSpec,
  options: SearchOptions,
  budget: SearchBudget,
  onIteration?: RunOptions["onIteration"],
): SearchResult {
  const t0 = performance.now();
  checkBudget(budget);
  const ctx = buildContext(spec, options);
  const steps = searchSteps(spec, options, budget, onIteration);
  let step = steps.next();
  while (!step.done) step = steps.next(step.value.map((input) => evolvePopulation(ctx, input)));
  return { ...step.value, seconds: (performance.now() - t0) / 1000 };
}
