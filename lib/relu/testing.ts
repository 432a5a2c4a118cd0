/**
 * Helpers shared by the tests of `lib/relu/`: a seeded generator, random dyadic ReLU networks and
 * the shared fixtures' loader.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { denseLayer, type Network } from "../network/network.ts";

/** A small seeded uniform generator on [0, 1) (mulberry32), for reproducible tests. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random network with `widths` hidden units (activation `hidden`), `outputs` linear outputs and
 * weights that are multiples of 1/16 in [−2, 2] (never all zero in a row or column), like the shared
 * fixtures, so that forward passes at dyadic points are exact in float64 (`leaky_relu` layers get
 * the slope `alpha`, 0.25 by default, also dyadic).
 */
export function randomDyadicNetwork(
  rng: () => number,
  p: number,
  widths: readonly number[],
  outputs: number,
  hidden: "relu" | "leaky_relu" = "relu",
  alpha = 0.25,
): Network {
  const sizes = [p, ...widths, outputs];
  const layers = [];
  for (let l = 1; l < sizes.length; l++) {
    const rows: number[][] = [];
    for (let r = 0; r <= sizes[l - 1]; r++) {
      rows.push(Array.from({ length: sizes[l] }, () => Math.round((rng() * 4 - 2) * 16) / 16));
    }
    for (let j = 0; j < sizes[l]; j++) {
      if (rows.slice(1).every((row) => row[j] === 0)) rows[1][j] = 1 / 16;
    }
    const last = l === sizes.length - 1;
    layers.push(
      denseLayer(
        last ? "linear" : hidden,
        rows,
        `layers[${l - 1}]`,
        !last && hidden === "leaky_relu" ? alpha : undefined,
      ),
    );
  }
  return { inputs: p, layers };
}

/** The shared relu fixtures folder (`../shared/fixtures/relu/` beside the project). */
export const RELU_FIXTURE_DIR: string = fileURLToPath(
  new URL("../../../shared/fixtures/relu/", import.meta.url),
);

/** The shared relu speed fixtures folder. */
export const RELU_BENCH_DIR: string = fileURLToPath(
  new URL("../../../shared/fixtures/relu-bench/", import.meta.url),
);

/** One fixture of `../shared/fixtures/relu/` as parsed JSON (see its README for the fields). */
export interface ReluFixture {
  name: string;
  inputs: number;
  layers: { activation: string; weights: number[][] }[];
  region_count: number;
  region_count_box: number;
  box_for_count: [number, number];
  regions: { pattern: number[]; point: number[] }[];
  x: number[][];
  nn_pred: number[][];
  x_boundary: number[][];
  nn_pred_boundary: number[][];
  x_near: number[][];
  nn_pred_near: number[][];
  x_far: number[][];
  nn_pred_far: number[][];
}

/** Loads every fixture of a folder (sorted by name), or undefined when the folder is absent. */
export function loadReluFixtures(dir: string = RELU_FIXTURE_DIR): ReluFixture[] | undefined {
  if (!existsSync(dir)) {
    console.warn(`skipped the fixture part of this test: ${dir} is absent`);
    return undefined;
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(dir + f, "utf8")) as ReluFixture);
}
