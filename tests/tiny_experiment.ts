/**
 * A tiny experiment for method tests: 40 points of x1·x2 on [−1, 1]², one hidden layer of 3 units,
 * one epoch. Tests pass the methods (and any other fields to override).
 *
 * @module
 */

import type { ExperimentInput } from "../lib/experiment/schema.ts";

/** The tiny experiment with these methods and overrides. */
export function tinyExperiment(
  methods: ExperimentInput["methods"],
  overrides: Partial<ExperimentInput> = {},
): ExperimentInput {
  return {
    name: "tiny",
    description: "test",
    data: {
      p: 2,
      n: 40,
      truth: { kind: "formula", formula: "x1*x2" },
      inputs: { kind: "uniform", lo: -1, hi: 1 },
    },
    model: { layers: 1, width: 3 },
    train: { epochs: 1, batchSize: 10 },
    methods,
    ...overrides,
  };
}
