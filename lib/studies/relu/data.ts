/**
 * Simulated tasks of the relu studies, with inputs scaled to [−1, 1]^p (so one box serves every
 * task): the paraboloid y = Σ x_k² on U(−1, 1)^p, two-moons classification, and Aytekin's y = x².
 *
 * @module
 */

import { Rng } from "../../data/random.ts";

/** A simulated data set (row-major inputs). */
export interface TaskData {
  /** Inputs, n × p row-major. */
  x: Float64Array;
  /** Targets: n × 1 (regression) or one-hot n × 2 (classification). */
  y: Float64Array;
  /** Rows. */
  n: number;
  /** Inputs p. */
  p: number;
  /** Outputs of the network to train (1, or 2 logits). */
  outputs: number;
  /** Classification (softmax on logits) or regression. */
  classification: boolean;
}

/** y = Σ_k x_k² + noise, x ~ U(−1, 1)^p. */
export function paraboloid(seed: number, n: number, p: number, noiseSd = 0): TaskData {
  const rng = new Rng(seed);
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < p; k++) {
      const v = rng.uniform(-1, 1);
      x[i * p + k] = v;
      s += v * v;
    }
    y[i] = s + (noiseSd > 0 ? rng.normal(0, noiseSd) : 0);
  }
  return { x, y, n, p, outputs: 1, classification: false };
}

/**
 * Two interleaving half circles (the usual "moons": (cos t, sin t) and (1 − cos t, 0.5 − sin t),
 * t ~ U(0, π), Gaussian noise), mapped affinely from [−1, 2] × [−0.75, 1.25] to [−1, 1]²; targets
 * one-hot over 2 classes.
 */
export function twoMoons(seed: number, n: number, noiseSd = 0.1): TaskData {
  const rng = new Rng(seed);
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const t = rng.uniform(0, Math.PI);
    let a = cls === 0 ? Math.cos(t) : 1 - Math.cos(t);
    let b = cls === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    a += rng.normal(0, noiseSd);
    b += rng.normal(0, noiseSd);
    x[2 * i] = Math.max(-1, Math.min(1, ((a + 1) / 3) * 2 - 1));
    x[2 * i + 1] = Math.max(-1, Math.min(1, ((b + 0.75) / 2) * 2 - 1));
    y[2 * i + cls] = 1;
  }
  return { x, y, n, p: 2, outputs: 2, classification: true };
}

/** Aytekin's toy: y = x², x evenly spaced on [lo, hi] (n points). */
export function squareOnGrid(n: number, lo: number, hi: number): TaskData {
  const x = Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  return { x, y: x.map((v) => v * v), n, p: 1, outputs: 1, classification: false };
}

/**
 * n points uniform in the box [lo, hi]^p, standing in for the training data of a network read from a
 * file (targets zero; `outputs` > 1 is drawn like a classifier: output 2 − output 1).
 */
export function uniformPoints(
  seed: number,
  n: number,
  p: number,
  box: readonly [number, number],
  outputs: number,
): TaskData {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * p }, () => rng.uniform(box[0], box[1]));
  return { x, y: new Float64Array(n * outputs), n, p, outputs, classification: outputs > 1 };
}
