/**
 * The engine's front door: symbolic-gradient interpretation of a scalar function known through
 * its gradients at points (Wetzel, arXiv 2401.04978), and plain symbolic regression on (x, y) data.
 * Both run the same search, polish the hall of fame, print every front entry in the contract's
 * grammar, recompute the printed expression's loss on all points, and choose one entry (a penalty
 * on complexity over a loss floor for interpretations, PySR's rule for regressions), flagging loss
 * drops ≥ 10×.
 *
 * @module
 */

import type { Expr } from "./core/expression.ts";
import {
  type Choice,
  type ChoiceOptions,
  chooseInterpretation,
  frontDrops,
  frontScores,
} from "./evolution/hall_of_fame.ts";
import { lossOfTree, type Member } from "./evolution/member.ts";
import { resolveSearchOptions, type SearchOptions } from "./evolution/options.ts";
import { parseExpression } from "./parse/parse.ts";
import { formatExpression, toLatex } from "./parse/print.ts";
import { makeObjective, type ObjectiveSpec, scoreNormalization } from "./search/objective_spec.ts";
import { polishHallOfFame } from "./search/polish.ts";
import {
  runSearch,
  runSearchSync,
  type SearchBudget,
  type SearchProgress,
  type SearchResult,
  type StopReason,
} from "./search/search.ts";

/** How to run an interpretation or a regression. */
export interface InterpretOptions {
  /** Search settings beyond the defaults (seed, maxComplexity, operators, …). */
  search?: Partial<SearchOptions>;
  /** Budget of the search (at least one). */
  budget: SearchBudget;
  /** Worker threads (0: this thread). */
  workers?: number;
  /** Significant digits of printed constants (default 6). */
  digits?: number;
  /** Progress callback. */
  onIteration?: (progress: SearchProgress) => void;
  /** `performance.now()` ms after which the final polish stops optimising constants. */
  polishDeadline?: number;
  /**
   * The choice on the front (default: the "penalty" rule for the gradient loss, PySR's "best" for
   * plain regression; ./evolution/hall_of_fame.ts).
   */
  choice?: ChoiceOptions;
}

/** One entry of the reported front. */
export interface FrontEntry {
  /** The expression in the contract's grammar (constants rounded to the digits asked). */
  expression: string;
  /** The same in LaTeX. */
  latex: string;
  /** Complexity under the search's weights. */
  complexity: number;
  /** Loss of exactly the printed expression on all points, unweighted (the contract's loss). */
  loss: number;
  /** The same with the search's point weights (equal to `loss` without weights). */
  weightedLoss: number;
  /** PySR's score on the weighted loss: −Δlog(loss)/Δcomplexity against the previous entry. */
  score: number;
  /** Weighted loss of the previous entry / this one (1 for the first). */
  drop: number;
  /** The printed expression as a tree. */
  tree: Expr;
}

/** Result of an interpretation or a regression. */
export interface Interpretation {
  /**
   * The front, by increasing complexity: the search's Pareto front (best weighted loss per
   * complexity), keeping the entries along which the unweighted loss decreases too, and always
   * the chosen one.
   */
  front: FrontEntry[];
  /** Every polished hall-of-fame entry (best per complexity), by increasing complexity. */
  hallOfFame: HallEntry[];
  /**
   * Index of the chosen entry: by default the "penalty" rule for interpretations (the lowest
   * log(weighted loss + 1e-3) + 0.1·complexity) and PySR's "best" for plain regression.
   */
  best: number;
  /** PySR's "best" on the reported front (weighted losses). */
  pysrBest: number;
  /** The paper's reading: the entry ending the last ≥ 10× drop, or null. */
  lastDrop: number | null;
  /** The rule that chose. */
  rule: Choice["rule"];
  /** Indices of entries whose weighted loss dropped ≥ 10× from the previous one. */
  flagged: number[];
  /** Search iterations. */
  iterations: number;
  /** Evaluations on all points. */
  evaluations: number;
  /** What stopped the search. */
  stopped: StopReason;
  /** Seconds of the whole call. */
  seconds: number;
}

/** Relative decrease an entry needs over the previous one to count as better (rounding noise is not). */
const STRICT = 1 - 1e-9;

/** A polished hall-of-fame entry as printed, with both losses. */
export type HallEntry = Omit<FrontEntry, "score" | "drop">;

/**
 * Prints, re-parses and re-scores polished entries on the search's (weighted) objective and on the
 * unweighted one; drops entries whose printed form has a non-finite loss.
 */
function reportRows(members: Member[], spec: ObjectiveSpec, digits: number): HallEntry[] {
  const weighted = makeObjective(spec);
  const plain = spec.kind === "gradient" && spec.weights
    ? makeObjective({ ...spec, weights: undefined })
    : weighted;
  const rows: HallEntry[] = [];
  for (const m of members) {
    const expression = formatExpression(m.tree, { digits });
    const tree = parseExpression(expression, spec.p);
    const weightedLoss = lossOfTree(tree, weighted);
    const loss = plain === weighted ? weightedLoss : lossOfTree(tree, plain);
    if (!Number.isFinite(loss) || !Number.isFinite(weightedLoss)) continue;
    rows.push({ expression, latex: toLatex(m.tree), complexity: m.complexity, loss, weightedLoss, tree });
  }
  return rows;
}

/**
 * The reported front and the choice on it. The choice is made on the Pareto front of the search's
 * (weighted) loss; the front keeps the entries along which the unweighted loss decreases too, and
 * always the chosen one (simpler entries whose unweighted loss is not above the chosen one's are
 * dropped for it). Scores, drops and PySR's choice are those of the reported front.
 */
export function reportFront(
  all: HallEntry[],
  choose: (curve: { complexity: number; loss: number }[]) => Choice,
): { front: FrontEntry[]; choice: Choice } {
  const weightedFront: HallEntry[] = [];
  for (const r of all) {
    const last = weightedFront[weightedFront.length - 1];
    if (!last || r.weightedLoss < last.weightedLoss * STRICT) weightedFront.push(r);
  }
  if (weightedFront.length === 0) throw new Error("the search found no expression with a finite loss");
  const curveOf = (rows: HallEntry[]) =>
    rows.map((r) => ({ complexity: r.complexity, loss: r.weightedLoss }));
  const chosen = weightedFront[choose(curveOf(weightedFront)).best];
  const rows: HallEntry[] = [];
  for (const r of weightedFront) {
    if (r !== chosen && r.complexity < chosen.complexity && !(r.loss > chosen.loss * (1 / STRICT))) continue;
    const last = rows[rows.length - 1];
    if (
      r !== chosen && last && !(r.weightedLoss < last.weightedLoss * STRICT && r.loss < last.loss * STRICT)
    ) {
      continue;
    }
    rows.push(r);
  }
  const curve = curveOf(rows);
  const scores = frontScores(curve);
  const drops = frontDrops(curve);
  const front = rows.map((r, i) => ({ ...r, score: scores[i], drop: drops[i] }));
  return { front, choice: { ...choose(curve), best: rows.indexOf(chosen) } };
}

/** Polishes, reports and chooses on a finished search (the synchronous end of every solve). */
function finish(
  spec: ObjectiveSpec,
  search: SearchOptions,
  result: SearchResult,
  options: InterpretOptions,
  t0: number,
): Interpretation {
  const polished = polishHallOfFame(
    result.hallOfFame,
    makeObjective(spec),
    search,
    scoreNormalization(spec),
    { deadline: options.polishDeadline },
  );
  const hallOfFame = reportRows(polished, spec, options.digits ?? 6);
  const settings: ChoiceOptions = {
    floor: 1e-22 * scoreNormalization(spec),
    rule: spec.kind === "gradient" ? "penalty" : "pysr-best",
    ...options.choice,
  };
  const { front, choice } = reportFront(hallOfFame, (curve) => chooseInterpretation(curve, settings));
  return {
    front,
    hallOfFame,
    best: choice.best,
    pysrBest: choice.pysrBest,
    lastDrop: choice.lastDrop,
    rule: choice.rule,
    flagged: choice.flagged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    stopped: result.stopped,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function solve(spec: ObjectiveSpec, options: InterpretOptions): Promise<Interpretation> {
  const t0 = performance.now();
  const search = resolveSearchOptions(options.search ?? {});
  const result = await runSearch(spec, search, options.budget, {
    workers: options.workers ?? 0,
    onIteration: options.onIteration,
  });
  return finish(spec, search, result, options, t0);
}

/**
 * Symbolic-gradient interpretation: expressions g whose normalised input gradients match
 * `gradients` (row-major n × p, e.g. a classifier logit's) at the points `x`.
 *
 * @example
 * ```ts
 * const { gradient } = inputGradients(net, x, n);
 * const res = await interpretGradients(x, gradient, n, p, { search: { seed: 1 }, budget: { maxIterations: 40 } });
 * console.log(res.front[res.best].expression);
 * ```
 */
export function interpretGradients(
  x: Float64Array,
  gradients: Float64Array,
  n: number,
  p: number,
  options: InterpretOptions & { weights?: Float64Array },
): Promise<Interpretation> {
  return solve({ kind: "gradient", x, gradients, n, p, weights: options.weights }, options);
}

/** Share of the peak weight σ'(0) = 1/4 that every point keeps in {@link sensitivityWeights}. */
export const SENSITIVITY_FLOOR = 0.01;

/**
 * Weights of points by the classifier's sensitivity σ'(f) = σ(f)(1 − σ(f)) at its logit f: the
 * Fisher information of the logistic output. Near the decision boundary a classifier's logit is
 * shaped by its labels; where it is saturated, by regularisation and extrapolation. Every point
 * keeps at least `floor` of the peak weight (σ'(f) + floor/4): points deep in the saturated
 * band still separate expressions that share the decision boundary but order the points
 * differently (x1·x2 + exp(x3) against exp(x1·x2) + x3), where pure σ' weights would tie them.
 */
export function sensitivityWeights(logits: ArrayLike<number>, floor = SENSITIVITY_FLOOR): Float64Array {
  return Float64Array.from(logits, (f) => {
    const s = 1 / (1 + Math.exp(-f));
    return s * (1 - s) + floor / 4;
  });
}

/** Plain symbolic regression: expressions g with small mean squared error to y at the points x. */
export function symbolicRegression(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  options: InterpretOptions,
): Promise<Interpretation> {
  return solve({ kind: "mse", x, y, n, p }, options);
}

/**
 * {@link symbolicRegression} in this thread, synchronously (`workers` is ignored; the result is the
 * same as on any number of workers).
 */
export function symbolicRegressionSync(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  options: InterpretOptions,
): Interpretation {
  const t0 = performance.now();
  const spec: ObjectiveSpec = { kind: "mse", x, y, n, p };
  const search = resolveSearchOptions(options.search ?? {});
  const result = runSearchSync(spec, search, options.budget, options.onIteration);
  return finish(spec, search, result, options, t0);
}
