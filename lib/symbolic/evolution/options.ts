/**
 * Settings of a symbolic-regression search, with the defaults of SymbolicRegression.jl (the
 * engine behind PySR, `src/Options.jl`, `MutationWeights.jl`) unless a comment says otherwise, and
 * the paper's operator set and complexity weights (Wetzel's `009NNInterpret.jl`: binary + − × ÷,
 * unary sin and exp, constants 3, sin/exp 5, maxsize 30).
 *
 * @module
 */

import { type ComplexityWeights, PAPER_COMPLEXITY } from "../core/complexity.ts";
import { type BinaryOp, isBinaryOp, isUnaryOp, type UnaryOp } from "../core/operators.ts";

/** Relative frequencies of the mutations (normalised when drawn). */
export interface MutationWeights {
  /** Multiply a constant by a random factor (rarely negate it). */
  mutateConstant: number;
  /** Swap an operator for another of the same arity. */
  mutateOperator: number;
  /** Point a variable at another input. */
  mutateFeature: number;
  /** Swap the operands of a binary node. */
  swapOperands: number;
  /** Rotate the tree at a random node. */
  rotateTree: number;
  /** Grow at a leaf, or above the root. */
  addNode: number;
  /** Insert an operator above a random node. */
  insertNode: number;
  /** Replace an operator node by one of its operands. */
  deleteNode: number;
  /** Simplify the tree. */
  simplify: number;
  /** Replace the tree by a random one. */
  randomize: number;
  /** Keep the tree as is. */
  doNothing: number;
  /** Optimise the constants (as a mutation). */
  optimize: number;
}

/** Everything a search needs besides its objective. */
export interface SearchOptions {
  /** Binary operators. */
  binary: BinaryOp[];
  /** Unary operators. */
  unary: UnaryOp[];
  /** Complexity weights. */
  complexity: ComplexityWeights;
  /** Largest complexity kept (PySR's maxsize). */
  maxComplexity: number;
  /** Largest depth (default: maxComplexity). */
  maxDepth: number;
  /**
   * Forbidden nestings: `{ exp: { exp: 0 } }` means no exp inside an exp (at most 0 levels);
   * like PySR's nested_constraints.
   */
  nested: Partial<Record<UnaryOp, Partial<Record<UnaryOp, number>>>>;
  /** Number of populations. */
  populations: number;
  /** Members per population. */
  populationSize: number;
  /** Regularised-evolution cycles per population per iteration. */
  cyclesPerIteration: number;
  /** Members in a tournament. */
  tournamentSize: number;
  /** Probability that a tournament picks its best (then the next with p(1−p), …). */
  tournamentP: number;
  /** Mutation weights. */
  mutationWeights: MutationWeights;
  /** Probability that a step is a crossover of two tournament winners. */
  crossoverProbability: number;
  /** Loss → score: score = loss/normalisation + parsimony·complexity. */
  parsimony: number;
  /** Adaptive parsimony: tournaments penalise frequent complexities by exp(scaling·frequency). */
  adaptiveParsimonyScaling: number;
  /** Accept a mutation with probability freq(old size)/freq(new size). */
  useFrequency: boolean;
  /** Simulated annealing of the acceptance (off in SymbolicRegression.jl's defaults). */
  annealing: boolean;
  /** Annealing temperature scale. */
  alpha: number;
  /** Constant mutation: factor up to (1 + perturbationFactor·T)^u. */
  perturbationFactor: number;
  /** Probability that a constant mutation also flips the sign. */
  negateProbability: number;
  /** Probability that a member's constants are optimised at the end of an iteration. */
  optimizerProbability: number;
  /** Levenberg–Marquardt iterations per start. */
  optimizerIterations: number;
  /** Extra perturbed starts of the constant optimisation. */
  optimizerRestarts: number;
  /** Expected share of a population replaced by other populations' best per iteration. */
  fractionReplaced: number;
  /** Expected share replaced by hall-of-fame members per iteration. */
  fractionReplacedHof: number;
  /** Best members each population offers for migration. */
  topN: number;
  /** Evaluate mutations on random mini-batches (members are re-scored on all points each iteration). */
  batching: boolean;
  /** Mini-batch size. */
  batchSize: number;
  /** Nodes of the initial random trees (SymbolicRegression.jl: 3 appended operators). */
  initialOperators: number;
  /** Master seed. */
  seed: number;
}

/** SymbolicRegression.jl's mutation weights (v1, tuned on PySR's benchmark). */
export const DEFAULT_MUTATION_WEIGHTS: MutationWeights = Object.freeze({
  mutateConstant: 0.0353,
  mutateOperator: 3.63,
  mutateFeature: 0.1,
  swapOperands: 0.00608,
  rotateTree: 1.42,
  addNode: 0.0771,
  insertNode: 2.44,
  deleteNode: 0.369,
  simplify: 0.00148,
  randomize: 0.00695,
  doNothing: 0.431,
  optimize: 0,
});

/** The defaults (paper's operators and complexity, SymbolicRegression.jl's search settings). */
export function defaultSearchOptions(): SearchOptions {
  return {
    binary: ["+", "-", "*", "/"],
    unary: ["sin", "exp"],
    complexity: PAPER_COMPLEXITY,
    maxComplexity: 30,
    maxDepth: 30,
    nested: {},
    populations: 15,
    populationSize: 33,
    cyclesPerIteration: 550,
    tournamentSize: 12,
    tournamentP: 0.86,
    mutationWeights: { ...DEFAULT_MUTATION_WEIGHTS },
    crossoverProbability: 0.066,
    parsimony: 0.0032,
    adaptiveParsimonyScaling: 20,
    useFrequency: true,
    annealing: false,
    alpha: 0.1,
    perturbationFactor: 0.076,
    negateProbability: 0.01,
    optimizerProbability: 0.14,
    optimizerIterations: 8,
    optimizerRestarts: 2,
    fractionReplaced: 0.00036,
    fractionReplacedHof: 0.035,
    topN: 12,
    batching: false,
    batchSize: 50,
    initialOperators: 3,
    seed: 0,
  };
}

/**
 * Defaults overridden by `overrides`, validated: a bad value throws an Error naming the field and
 * the fix.
 */
export function resolveSearchOptions(overrides: Partial<SearchOptions> = {}): SearchOptions {
  const o: SearchOptions = { ...defaultSearchOptions(), ...overrides };
  if (overrides.maxDepth === undefined) o.maxDepth = Math.max(o.maxComplexity, 1);
  const positiveInt = (field: keyof SearchOptions, min = 1) => {
    const v = o[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new Error(`search option ${field}: expected an integer ≥ ${min}, got ${String(v)}`);
    }
  };
  const probability = (field: keyof SearchOptions) => {
    const v = o[field];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      throw new Error(`search option ${field}: expected a probability in [0, 1], got ${String(v)}`);
    }
  };
  if (!Array.isArray(o.binary) || o.binary.length === 0 || !o.binary.every(isBinaryOp)) {
    throw new Error(
      `search option binary: expected a non-empty list of + - * / ^, got ${JSON.stringify(o.binary)}`,
    );
  }
  if (!Array.isArray(o.unary) || !o.unary.every(isUnaryOp)) {
    throw new Error(`search option unary: expected names among neg sin cos exp log sqrt abs square cube`);
  }
  positiveInt("maxComplexity", 3);
  positiveInt("maxDepth", 2);
  positiveInt("populations");
  positiveInt("populationSize", 4);
  positiveInt("cyclesPerIteration");
  positiveInt("tournamentSize", 1);
  if (o.tournamentSize > o.populationSize) {
    throw new Error(
      `search option tournamentSize: ${o.tournamentSize} exceeds populationSize ${o.populationSize}`,
    );
  }
  positiveInt("optimizerIterations", 0);
  positiveInt("optimizerRestarts", 0);
  positiveInt("topN");
  positiveInt("batchSize", 1);
  positiveInt("initialOperators", 0);
  positiveInt("seed", 0);
  for (
    const f of ["tournamentP", "crossoverProbability", "negateProbability", "optimizerProbability"] as const
  ) {
    probability(f);
  }
  for (
    const f of [
      "fractionReplaced",
      "fractionReplacedHof",
      "parsimony",
      "adaptiveParsimonyScaling",
      "alpha",
    ] as const
  ) {
    if (!(o[f] >= 0) || !Number.isFinite(o[f])) throw new Error(`search option ${f}: expected a number ≥ 0`);
  }
  const w = Object.values(o.mutationWeights);
  if (!w.every((v) => v >= 0 && Number.isFinite(v)) || !w.some((v) => v > 0)) {
    throw new Error("search option mutationWeights: expected non-negative weights, at least one positive");
  }
  return o;
}
