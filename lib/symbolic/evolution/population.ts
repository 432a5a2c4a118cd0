/**
 * One population's work in one iteration, a pure function of its input (the population, the
 * migrants, the complexity frequencies, the iteration number and the seed): migration in, then
 * `cyclesPerIteration` cycles of regularised evolution (tournament selection, mutation or crossover,
 * the baby replaces the oldest member), then simplification and constant optimisation of members,
 * as SymbolicRegression.jl's `s_r_cycle` + `optimize_and_simplify_population`. Because nothing
 * depends on which thread runs it or when, a search gives the same result on any number of workers.
 *
 * @module
 */

import { deriveSeed, Rng } from "../../data/random.ts";
import { countConstants, type Expr } from "../core/expression.ts";
import { optimizeConstants } from "../constants/optimize.ts";
import type { Objective } from "../loss/objective.ts";
import { formatExpression } from "../parse/print.ts";
import { simplify } from "../simplify/simplify.ts";
import { lossOfTree, type Member, scoreOf, withinLimits } from "./member.ts";
import { applyMutation, crossover, drawMutation, sizeOf } from "./mutations.ts";
import type { SearchOptions } from "./options.ts";
import { randomTree, type SearchSpace } from "./random_tree.ts";
import { frequencyOf } from "./statistics.ts";

/** What a population iteration works with (built once per worker). */
export interface IterationContext {
  /** The objective on all points. */
  objective: Objective;
  /** A mini-batch of the objective (when batching), refilled each cycle. */
  batch?: Objective;
  /**
   * Cumulative point weights: when present, mini-batch points are drawn in proportion to the
   * weights and the batch loss is unweighted (an unbiased, lower-variance estimate).
   */
  sampling?: Float64Array;
  /** Loss normalisation of the score. */
  normalization: number;
  /** Search settings. */
  options: SearchOptions;
  /** Operators and inputs. */
  space: SearchSpace;
}

/** Input of one population iteration (plain data). */
export interface IterationInput {
  /** The population. */
  population: Member[];
  /** Which population (seeds its random stream). */
  populationIndex: number;
  /** Iteration number (seeds its random stream; births count from it). */
  iteration: number;
  /** Normalised complexity frequencies of all populations. */
  frequencies: Float64Array;
  /** The best members of every population after the previous iteration. */
  migrants: Member[];
  /** The hall of fame's front after the previous iteration. */
  hallOfFame: Member[];
}

/** Output of one population iteration. */
export interface IterationOutput {
  /** The new population. */
  population: Member[];
  /** Best member seen per complexity (losses on all points), in increasing complexity. */
  best: Member[];
  /** Work done, in evaluations on all points (a mini-batch counts its share). */
  evaluations: number;
}

const BIRTHS_PER_ITERATION = 1e7;

/** The seeded stream of one population's iteration. */
export function iterationRng(seed: number, populationIndex: number, iteration: number): Rng {
  return new Rng(deriveSeed(seed, "symbolic", "population", populationIndex, "iteration", iteration));
}

/** A Poisson draw (Knuth's product method; λ is small here). */
function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let prod = rng.next();
  while (prod > limit) {
    k++;
    prod *= rng.next();
  }
  return k;
}

/** An initial population of random trees, scored on all points. */
export function initialPopulation(ctx: IterationContext, populationIndex: number): Member[] {
  const { options, space, objective } = ctx;
  const rng = iterationRng(options.seed, populationIndex, -1);
  const members: Member[] = [];
  for (let i = 0; i < options.populationSize; i++) {
    const tree = randomTree(rng, 1 + 2 * options.initialOperators, space);
    const size = sizeOf(tree, options);
    const loss = lossOfTree(tree, objective);
    members.push({
      tree,
      loss,
      score: scoreOf(loss, size, ctx.normalization, options),
      complexity: size,
      birth: i,
    });
  }
  return members;
}

/** Tournament: the best of `tournamentSize` random members by adjusted score with probability p, the next with p(1−p), … */
function tournament(rng: Rng, pop: Member[], freq: Float64Array, options: SearchOptions): Member {
  const n = pop.length;
  const k = Math.min(options.tournamentSize, n);
  // partial Fisher–Yates draw of k distinct indices
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const picked = idx.slice(0, k);
  const adjusted = (m: Member) =>
    m.score * Math.exp(options.adaptiveParsimonyScaling * frequencyOf(freq, m.complexity));
  picked.sort((a, b) => adjusted(pop[a]) - adjusted(pop[b]) || a - b);
  for (let r = 0; r < k - 1; r++) if (rng.next() < options.tournamentP) return pop[picked[r]];
  return pop[picked[k - 1]];
}

/** Index i with cum[i−1] ≤ u·total < cum[i] (binary search). */
function drawWeighted(cum: Float64Array, u: number): number {
  const target = u * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function oldest(pop: Member[]): number {
  let best = 0;
  for (let i = 1; i < pop.length; i++) if (pop[i].birth < pop[best].birth) best = i;
  return best;
}

function recordBest(best: Map<number, Member>, m: Member): void {
  if (!Number.isFinite(m.loss)) return;
  const old = best.get(m.complexity);
  if (!old || m.loss < old.loss) best.set(m.complexity, m);
}

/** Runs one population iteration. */
export function evolvePopulation(ctx: IterationContext, input: IterationInput): IterationOutput {
  const { options, space, objective, normalization } = ctx;
  const rng = iterationRng(options.seed, input.populationIndex, input.iteration);
  const pop = input.population.slice();
  const freq = input.frequencies;
  let births = input.iteration * BIRTHS_PER_ITERATION + BIRTHS_PER_ITERATION / 2;
  let evaluations = 0;
  const best = new Map<number, Member>();
  const batching = options.batching && ctx.batch !== undefined && ctx.batch.n < objective.n;
  const batchShare = batching ? ctx.batch!.n / objective.n : 1;
  const batchIndices = batching ? new Int32Array(ctx.batch!.n) : new Int32Array(0);

  // migration: other populations' best and the hall of fame replace random members
  for (
    const [pool, fraction] of [[input.migrants, options.fractionReplaced], [
      input.hallOfFame,
      options.fractionReplacedHof,
    ]] as const
  ) {
    if (pool.length === 0) continue;
    const count = poisson(rng, fraction * pop.length);
    for (let j = 0; j < count; j++) {
      const at = rng.int(pop.length);
      const m = pool[rng.int(pool.length)];
      pop[at] = { ...m, birth: births++ };
    }
  }

  // with mini-batches, the best baby per complexity by its batch loss; re-scored on all points at
  // the end of the iteration and offered to the hall of fame (SymbolicRegression.jl's best_seen)
  const seen = new Map<number, { tree: Expr; loss: number }>();
  const noteSeen = (tree: Expr, loss: number, size: number) => {
    if (!batching || !Number.isFinite(loss)) return;
    const old = seen.get(size);
    if (!old || loss < old.loss) seen.set(size, { tree, loss });
  };
  const evalLoss = (tree: Expr): number => {
    evaluations += batching ? batchShare : 1;
    return lossOfTree(tree, batching ? ctx.batch! : objective);
  };
  const makeBaby = (tree: Expr, loss: number, size: number): Member => ({
    tree,
    loss,
    score: scoreOf(loss, size, normalization, options),
    complexity: size,
    birth: births++,
  });

  const stepsPerCycle = Math.max(1, Math.round(pop.length / options.tournamentSize));
  for (let cycle = 0; cycle < options.cyclesPerIteration; cycle++) {
    const temperature = options.annealing ? 1 - cycle / Math.max(1, options.cyclesPerIteration - 1) : 1;
    if (batching) {
      const cum = ctx.sampling;
      for (let j = 0; j < batchIndices.length; j++) {
        batchIndices[j] = cum ? drawWeighted(cum, rng.next()) : rng.int(objective.n);
      }
      objective.refill(ctx.batch!, batchIndices, cum === undefined);
    }
    for (let step = 0; step < stepsPerCycle; step++) {
      if (rng.next() > options.crossoverProbability) {
        const parent = tournament(rng, pop, freq, options);
        const before = batching ? evalLoss(parent.tree) : parent.loss;
        const name = drawMutation(
          rng,
          parent.tree,
          parent.complexity,
          options.maxComplexity,
          options.mutationWeights,
        );
        let baby: Member | null = null;
        if (name === "doNothing") {
          baby = makeBaby(parent.tree, before, parent.complexity);
        } else if (name === "simplify") {
          const tree = simplify(parent.tree, options.complexity);
          baby = makeBaby(tree, before, sizeOf(tree, options));
        } else if (name === "optimize") {
          const res = optimizeConstants(parent.tree, objective, rng, {
            iterations: options.optimizerIterations,
            restarts: options.optimizerRestarts,
          });
          evaluations += res.evaluations;
          baby = makeBaby(res.tree, res.loss, parent.complexity);
        } else {
          let tree: Expr | null = null;
          let size = 0;
          for (let attempt = 0; attempt < 10; attempt++) {
            const t = applyMutation(rng, name, parent.tree, temperature, options, space);
            const s = sizeOf(t, options);
            if (withinLimits(t, s, options.maxComplexity, options)) {
              tree = t;
              size = s;
              break;
            }
          }
          if (tree === null) continue; // mutation failed: skip, as SymbolicRegression.jl
          const after = evalLoss(tree);
          if (Number.isNaN(after)) continue;
          let accept = 1;
          if (options.annealing) {
            const delta = scoreOf(after, size, normalization, options) -
              scoreOf(before, parent.complexity, normalization, options);
            accept *= Math.exp(-delta / (temperature * options.alpha));
          }
          if (options.useFrequency) accept *= frequencyOf(freq, parent.complexity) / frequencyOf(freq, size);
          if (accept < rng.next()) continue;
          baby = makeBaby(tree, after, size);
        }
        if (!batching) recordBest(best, baby);
        else noteSeen(baby.tree, baby.loss, baby.complexity);
        pop[oldest(pop)] = baby;
      } else {
        const a = tournament(rng, pop, freq, options);
        const b = tournament(rng, pop, freq, options);
        let pair: [Expr, Expr] | null = null;
        for (let attempt = 0; attempt < 10; attempt++) {
          const [ta, tb] = crossover(rng, a.tree, b.tree);
          if (
            withinLimits(ta, sizeOf(ta, options), options.maxComplexity, options) &&
            withinLimits(tb, sizeOf(tb, options), options.maxComplexity, options)
          ) {
            pair = [ta, tb];
            break;
          }
        }
        if (pair === null) continue;
        for (const t of pair) {
          const baby = makeBaby(t, evalLoss(t), sizeOf(t, options));
          if (!batching) recordBest(best, baby);
          else noteSeen(baby.tree, baby.loss, baby.complexity);
          pop[oldest(pop)] = baby;
        }
      }
    }
  }

  // end of iteration: full-data losses, simplification, constant optimisation
  for (let j = 0; j < pop.length; j++) {
    let m = pop[j];
    let tree = m.tree;
    let loss = m.loss;
    if (batching) {
      evaluations++;
      loss = lossOfTree(tree, objective);
    }
    const simpler = simplify(tree, options.complexity);
    if (formatOrNull(simpler) !== formatOrNull(tree)) {
      tree = simpler;
      evaluations++;
      loss = lossOfTree(tree, objective);
    }
    if (
      Number.isFinite(loss) && countConstants(tree) > 0 && rng.next() < options.optimizerProbability &&
      objective.admissible(tree)
    ) {
      const res = optimizeConstants(tree, objective, rng, {
        iterations: options.optimizerIterations,
        restarts: options.optimizerRestarts,
      }, loss);
      evaluations += res.evaluations;
      if (res.loss < loss) {
        tree = res.tree;
        loss = res.loss;
      }
    }
    if (tree !== m.tree || loss !== m.loss) {
      const size = sizeOf(tree, options);
      m = {
        tree,
        loss,
        score: scoreOf(loss, size, normalization, options),
        complexity: size,
        birth: m.birth,
      };
      pop[j] = m;
    }
    recordBest(best, m);
  }
  for (const [size, { tree }] of [...seen].sort((a, b) => a[0] - b[0])) {
    evaluations++;
    const loss = lossOfTree(tree, objective);
    recordBest(best, {
      tree,
      loss,
      score: scoreOf(loss, size, normalization, options),
      complexity: size,
      birth: -1,
    });
  }
  const bestList = [...best.values()].sort((a, b) => a.complexity - b.complexity);
  return { population: pop, best: bestList, evaluations };
}

function formatOrNull(e: Expr): string | null {
  try {
    return formatExpression(e);
  } catch {
    return null;
  }
}
