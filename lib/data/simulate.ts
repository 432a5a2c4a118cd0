/**
 * Simulated data sets with known polynomial ground truth (regression) or known polynomial logits
 * (multiclass classification). Every random stream has its own seed derived from the master
 * seed: `deriveSeed(seed, "truth")`, `"inputs"`, `"noise"`, `"labels"`, and for classification
 * `deriveSeed(seed, "truth", "class", c)`.
 *
 * Outputs are plain row-major Float64Arrays (`x` is n×p, `y` is n×outputs).
 *
 * @module
 */

import { parseFormula } from "./formula.ts";
import {
  evaluatePolynomial,
  randomPolynomial,
  type RandomPolynomialSpec,
  type TruePolynomial,
} from "./polynomial.ts";
import { deriveSeed, Rng } from "./random.ts";

/** Distribution of the input columns. */
export type InputDistribution =
  /** Every entry i.i.d. U(lo, hi). */
  | { readonly kind: "uniform"; readonly lo: number; readonly hi: number }
  /** Every entry i.i.d. N(mean, sd²). */
  | { readonly kind: "normal"; readonly mean: number; readonly sd: number }
  /**
   * Rows i.i.d. multivariate normal. `means` is a list of p means or `{lo, hi}` to draw each
   * variable's mean U(lo, hi) (from the inputs stream, before the rows). The covariance is
   * `covariance` (p×p, symmetric positive definite) if given, else `sd²·I` (sd defaults to 1).
   */
  | {
    readonly kind: "mvnormal";
    readonly means: readonly number[] | { readonly lo: number; readonly hi: number };
    readonly sd?: number;
    readonly covariance?: readonly (readonly number[])[];
  };

/** Ground truth of a regression simulation. */
export type TruthSpec =
  /** A random polynomial (see {@link RandomPolynomialSpec}; `inputs` comes from the simulation). */
  | ({ readonly kind: "random" } & Omit<RandomPolynomialSpec, "inputs">)
  /** A formula such as `4*x1 - 3*x2*x3 + 0.5*x1^2`. */
  | { readonly kind: "formula"; readonly formula: string }
  /** An explicit polynomial. */
  | { readonly kind: "polynomial"; readonly polynomial: TruePolynomial };

/** Inputs drawn from a distribution, with the per-variable means actually used. */
export interface SampledInputs {
  /** Row-major n×p. */
  readonly x: Float64Array;
  /** Mean of each variable under the distribution (length p). */
  readonly means: Float64Array;
}

function requirePositiveInteger(value: number, field: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new Error(`${field}: expected a positive integer, got ${String(value)}`);
  }
}

function requireFinite(value: number, field: string, min = -Infinity): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new Error(
      `${field}: expected a finite number${min > -Infinity ? ` >= ${min}` : ""}, got ${String(value)}`,
    );
  }
}

/** Lower Cholesky factor of a symmetric positive definite matrix (row-major p×p). */
export function cholesky(matrix: readonly (readonly number[])[], field = "covariance"): Float64Array {
  const p = matrix.length;
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    if (!Array.isArray(matrix[i]) || matrix[i].length !== p) {
      throw new Error(`${field}[${i}]: expected ${p} numbers (a square p×p matrix)`);
    }
    for (let j = 0; j < p; j++) {
      if (Math.abs(matrix[i][j] - matrix[j][i]) > 1e-12 * Math.max(1, Math.abs(matrix[i][j]))) {
        throw new Error(`${field}: not symmetric at [${i}][${j}]; pass a symmetric matrix`);
      }
    }
    for (let j = 0; j <= i; j++) {
      let s = matrix[i][j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new Error(`${field}: not positive definite (pivot ${i} is ${s}); pass an SPD matrix`);
        }
        l[i * p + i] = Math.sqrt(s);
      } else l[i * p + j] = s / l[j * p + j];
    }
  }
  return l;
}

/** Draws n rows of p inputs from `dist` with `rng`. */
export function sampleInputs(rng: Rng, dist: InputDistribution, n: number, p: number): SampledInputs {
  requirePositiveInteger(n, "samples");
  requirePositiveInteger(p, "inputs");
  const x = new Float64Array(n * p);
  const means = new Float64Array(p);
  switch (dist.kind) {
    case "uniform": {
      requireFinite(dist.lo, "distribution.lo");
      requireFinite(dist.hi, "distribution.hi", dist.lo);
      for (let i = 0; i < x.length; i++) x[i] = rng.uniform(dist.lo, dist.hi);
      means.fill((dist.lo + dist.hi) / 2);
      break;
    }
    case "normal": {
      requireFinite(dist.mean, "distribution.mean");
      requireFinite(dist.sd, "distribution.sd", 0);
      for (let i = 0; i < x.length; i++) x[i] = rng.normal(dist.mean, dist.sd);
      means.fill(dist.mean);
      break;
    }
    case "mvnormal": {
      if (Array.isArray(dist.means)) {
        if (dist.means.length !== p) {
          throw new Error(`distribution.means: expected ${p} means, got ${dist.means.length}`);
        }
        dist.means.forEach((m, i) => requireFinite(m, `distribution.means[${i}]`));
        means.set(dist.means);
      } else {
        const { lo, hi } = dist.means as { lo: number; hi: number };
        requireFinite(lo, "distribution.means.lo");
        requireFinite(hi, "distribution.means.hi", lo);
        for (let j = 0; j < p; j++) means[j] = rng.uniform(lo, hi);
      }
      let chol: Float64Array;
      if (dist.covariance !== undefined) {
        if (dist.covariance.length !== p) {
          throw new Error(
            `distribution.covariance: expected a ${p}×${p} matrix, got ${dist.covariance.length} rows`,
          );
        }
        chol = cholesky(dist.covariance, "distribution.covariance");
      } else {
        const sd = dist.sd ?? 1;
        requireFinite(sd, "distribution.sd", 0);
        chol = new Float64Array(p * p);
        for (let j = 0; j < p; j++) chol[j * p + j] = sd;
      }
      const z = new Float64Array(p);
      for (let s = 0; s < n; s++) {
        for (let j = 0; j < p; j++) z[j] = rng.normal();
        for (let i = 0; i < p; i++) {
          let v = means[i];
          for (let k = 0; k <= i; k++) v += chol[i * p + k] * z[k];
          x[s * p + i] = v;
        }
      }
      break;
    }
    default:
      throw new Error(
        `distribution.kind: unknown "${
          (dist as { kind: string }).kind
        }"; use "uniform", "normal" or "mvnormal"`,
      );
  }
  return { x, means };
}

/** Resolves a truth spec to a polynomial (drawing it with `rng` if random). */
export function resolveTruth(truth: TruthSpec, inputs: number, rng: Rng): TruePolynomial {
  switch (truth.kind) {
    case "random":
      return randomPolynomial(rng, { ...truth, inputs });
    case "formula":
      return parseFormula(truth.formula, inputs);
    case "polynomial":
      if (truth.polynomial.inputs !== inputs) {
        throw new Error(
          `truth.polynomial.inputs: is ${truth.polynomial.inputs} but the simulation has ${inputs} inputs`,
        );
      }
      return truth.polynomial;
    default:
      throw new Error(
        `truth.kind: unknown "${(truth as { kind: string }).kind}"; use "random", "formula" or "polynomial"`,
      );
  }
}

/** A regression simulation: y = polynomial(x) + N(0, noiseSd²). */
export interface RegressionSimulationSpec {
  /** Master seed; sub-streams are derived from it. */
  readonly seed: number;
  /** Number of rows n. */
  readonly samples: number;
  /** Number of inputs p. */
  readonly inputs: number;
  /** Ground truth. */
  readonly truth: TruthSpec;
  /** Input distribution. */
  readonly distribution: InputDistribution;
  /** Standard deviation of additive Gaussian noise (default 0). */
  readonly noiseSd?: number;
}

/** A simulated regression data set. */
export interface RegressionData {
  /** Rows n. */
  readonly samples: number;
  /** Inputs p. */
  readonly inputs: number;
  /** Row-major n×p inputs. */
  readonly x: Float64Array;
  /** n×1 response (signal + noise). */
  readonly y: Float64Array;
  /** n×1 noise-free signal polynomial(x). */
  readonly signal: Float64Array;
  /** The ground truth. */
  readonly polynomial: TruePolynomial;
  /** Per-variable means of the input distribution. */
  readonly inputMeans: Float64Array;
  /** The derived seeds of each stream (for the manifest). */
  readonly seeds: { readonly truth: number; readonly inputs: number; readonly noise: number };
}

/** Simulates a regression data set; deterministic given `spec.seed`. */
export function simulateRegression(spec: RegressionSimulationSpec): RegressionData {
  const seeds = {
    truth: deriveSeed(spec.seed, "truth"),
    inputs: deriveSeed(spec.seed, "inputs"),
    noise: deriveSeed(spec.seed, "noise"),
  };
  requirePositiveInteger(spec.samples, "samples");
  requirePositiveInteger(spec.inputs, "inputs");
  const noiseSd = spec.noiseSd ?? 0;
  requireFinite(noiseSd, "noiseSd", 0);
  const polynomial = resolveTruth(spec.truth, spec.inputs, new Rng(seeds.truth));
  const { x, means } = sampleInputs(new Rng(seeds.inputs), spec.distribution, spec.samples, spec.inputs);
  const signal = evaluatePolynomial(polynomial, x, spec.samples);
  const y = signal.slice();
  if (noiseSd > 0) {
    const rng = new Rng(seeds.noise);
    for (let s = 0; s < y.length; s++) y[s] += rng.normal(0, noiseSd);
  }
  return { samples: spec.samples, inputs: spec.inputs, x, y, signal, polynomial, inputMeans: means, seeds };
}

/**
 * How class labels follow from the logits: `"argmax"` (deterministic, the default: the class with
 * the largest polynomial logit) or `"sample"` (drawn from softmax(logits) with the labels stream).
 */
export type LabelRule = "argmax" | "sample";

/** A multiclass simulation whose class logits are known polynomials. */
export interface ClassificationSimulationSpec {
  /** Master seed. */
  readonly seed: number;
  /** Rows n. */
  readonly samples: number;
  /** Inputs p. */
  readonly inputs: number;
  /** Number of classes k (>= 2). */
  readonly classes: number;
  /** One spec drawn independently per class, or one spec per class. */
  readonly truth: TruthSpec | readonly TruthSpec[];
  /** Input distribution. */
  readonly distribution: InputDistribution;
  /** Label rule (default `"argmax"`). */
  readonly labelRule?: LabelRule;
}

/** A simulated classification data set. */
export interface ClassificationData {
  /** Rows n. */
  readonly samples: number;
  /** Inputs p. */
  readonly inputs: number;
  /** Classes k. */
  readonly classes: number;
  /** Row-major n×p inputs. */
  readonly x: Float64Array;
  /** Class index 0..k-1 of each row. */
  readonly labels: Int32Array;
  /** Row-major n×k one-hot targets. */
  readonly y: Float64Array;
  /** Row-major n×k true logits. */
  readonly logits: Float64Array;
  /** The logit polynomial of each class. */
  readonly polynomials: readonly TruePolynomial[];
  /** Per-variable means of the input distribution. */
  readonly inputMeans: Float64Array;
}

/** Row-major n×k one-hot encoding of class indices. */
export function oneHot(labels: Int32Array, classes: number): Float64Array {
  const out = new Float64Array(labels.length * classes);
  labels.forEach((c, s) => {
    if (!(c >= 0 && c < classes)) throw new Error(`labels[${s}]: ${c} is outside 0..${classes - 1}`);
    out[s * classes + c] = 1;
  });
  return out;
}

/** Simulates a k-class data set with polynomial logits; deterministic given `spec.seed`. */
export function simulateClassification(spec: ClassificationSimulationSpec): ClassificationData {
  const { samples: n, inputs: p, classes: k } = spec;
  requirePositiveInteger(n, "samples");
  requirePositiveInteger(p, "inputs");
  if (!Number.isInteger(k) || k < 2) throw new Error(`classes: expected an integer >= 2, got ${k}`);
  const rule = spec.labelRule ?? "argmax";
  if (rule !== "argmax" && rule !== "sample") {
    throw new Error(`labelRule: unknown "${rule}"; use "argmax" or "sample"`);
  }
  const truths = Array.isArray(spec.truth)
    ? spec.truth
    : Array.from({ length: k }, () => spec.truth as TruthSpec);
  if (truths.length !== k) {
    throw new Error(`truth: expected ${k} specs (one per class), got ${truths.length}`);
  }
  const polynomials = truths.map((t, c) =>
    resolveTruth(t, p, new Rng(deriveSeed(spec.seed, "truth", "class", c)))
  );
  const { x, means } = sampleInputs(new Rng(deriveSeed(spec.seed, "inputs")), spec.distribution, n, p);
  const logits = new Float64Array(n * k);
  polynomials.forEach((poly, c) => {
    const v = evaluatePolynomial(poly, x, n);
    for (let s = 0; s < n; s++) logits[s * k + c] = v[s];
  });
  const labels = new Int32Array(n);
  const rng = new Rng(deriveSeed(spec.seed, "labels"));
  const probs = new Float64Array(k);
  for (let s = 0; s < n; s++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[s * k + c] > logits[s * k + best]) best = c;
    if (rule === "argmax") {
      labels[s] = best;
      continue;
    }
    let total = 0;
    for (let c = 0; c < k; c++) total += probs[c] = Math.exp(logits[s * k + c] - logits[s * k + best]);
    let u = rng.next() * total;
    let c = 0;
    while (c < k - 1 && u >= probs[c]) u -= probs[c++];
    labels[s] = c;
  }
  return {
    samples: n,
    inputs: p,
    classes: k,
    x,
    labels,
    y: oneHot(labels, k),
    logits,
    polynomials,
    inputMeans: means,
  };
}
