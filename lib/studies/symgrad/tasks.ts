/**
 * The classification tasks of Wetzel's symbolic-gradient paper (arXiv 2401.04978; the authors'
 * public code, `011function*.py` / `012SymClass*.py`): a concept g on a box, labels
 * 1[g(x)·N(1, 0.01) > threshold] on 10,000 uniform samples; and the "confusion" task F, whose
 * labels two concepts (x1·x2 − 1 and x3·x4 − 1) agree on.
 *
 * @module
 */

import { Rng } from "../../data/random.ts";
import { valuesAndGradients } from "../../symbolic/judge.ts";
import { parseExpression } from "../../symbolic/parse/parse.ts";

/** A classification task. */
export interface ClassifierTask {
  /** Name (A1, A, …, F). */
  name: string;
  /** Inputs p. */
  inputs: number;
  /** Box of the samples, one [lo, hi] per input. */
  domain: [number, number][];
  /** The concept in the contract's grammar. */
  truth: string;
  /** Class 1 when truth·N(1, noise) exceeds this. */
  threshold: number;
  /** A second concept whose labels must agree with the first's (task F); undefined otherwise. */
  also?: string;
}

const PI = String(Math.PI);

/** The paper's tasks A1, A, B, C, D, E and the confusion task F. */
export const PAPER_TASKS: readonly ClassifierTask[] = [
  { name: "A1", inputs: 2, domain: [[-1, 1], [-1, 1]], truth: "x1^2 + 2*x2^2", threshold: 1 },
  { name: "A", inputs: 2, domain: [[-2, 0], [-2, 0]], truth: "x1^2 + 3*x1*x2 + 2*x2^2", threshold: 5 },
  { name: "B", inputs: 3, domain: [[-2, 0], [-2, 0], [-2, 0]], truth: "x1^2 + sin(x2 + x3)", threshold: 1 },
  {
    name: "C",
    inputs: 3,
    domain: [[-1, 1], [-1, 1], [-1, 1]],
    truth: `exp(x1 - x2) - ${PI}*x3`,
    threshold: 1,
  },
  {
    name: "D",
    inputs: 3,
    domain: [[0, 2], [-2, 2], [-2, 2]],
    truth: "x1*exp(-(x2^2 + x3^2)/2)",
    threshold: 0.2,
  },
  {
    name: "E",
    inputs: 6,
    domain: [[0, 2], [0, 2], [0, 2], [0, 2], [0, 2], [0, 2]],
    truth: "x1*x2/((x3 - x4)^2 + (x5 - x6)^2)",
    threshold: 1,
  },
  {
    name: "F",
    inputs: 4,
    domain: [[0, 2], [0, 2], [0, 2], [0, 2]],
    truth: "x1*x2 - 1",
    threshold: 0,
    also: "x3*x4 - 1",
  },
];

/** Simulated data of a task: inputs (row-major) and 0/1 labels. */
export interface TaskData {
  x: Float64Array;
  y: Float64Array;
  n: number;
}

/**
 * Samples `samples` uniform points of the box and labels them 1[g·N(1, noise) > threshold]; for
 * a task with a second concept, keeps only the points both label alike (as the authors' F).
 */
export function simulateTask(task: ClassifierTask, samples: number, noise: number, seed: number): TaskData {
  const rng = new Rng(seed);
  const p = task.inputs;
  const raw = Float64Array.from({ length: samples * p }, (_, j) => {
    const [lo, hi] = task.domain[j % p];
    return rng.uniform(lo, hi);
  });
  const label = (text: string) => {
    const g = valuesAndGradients(parseExpression(text, p), raw, samples, p).value;
    return Float64Array.from(g, (v) => (v * rng.normal(1, noise) > task.threshold ? 1 : 0));
  };
  const y1 = label(task.truth);
  const y2 = task.also ? label(task.also) : y1;
  const keep: number[] = [];
  for (let i = 0; i < samples; i++) if (y1[i] === y2[i]) keep.push(i);
  const x = new Float64Array(keep.length * p);
  keep.forEach((i, j) => x.set(raw.subarray(i * p, i * p + p), j * p));
  return { x, y: Float64Array.from(keep, (i) => y1[i]), n: keep.length };
}
