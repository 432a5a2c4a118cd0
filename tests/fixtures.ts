/**
 * Locates the shared reference fixtures (`../shared/fixtures` from the project root) for tests.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the shared folder (`../shared` beside the project root). */
export const SHARED_DIR = fileURLToPath(new URL("../../shared/", import.meta.url));

/** Absolute path of a fixtures sub-folder, or undefined (with one warning) when absent. */
export function fixtureDir(kind: string): string | undefined {
  const dir = `${SHARED_DIR}fixtures/${kind}/`;
  if (existsSync(dir)) return dir;
  console.warn(`fixtures ${dir} not found: the shared folder is absent, so these parity tests are skipped`);
  return undefined;
}

/** The JSON fixtures of a kind, sorted by file name ([] when the folder is absent). */
export function loadFixtures<T = Record<string, unknown>>(kind: string): { file: string; data: T }[] {
  const dir = fixtureDir(kind);
  if (!dir) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((file) => ({
    file,
    data: JSON.parse(readFileSync(dir + file, "utf8")) as T,
  }));
}

/** Largest relative error |a − b| / max(1, |b|) over two equally long lists. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new RangeError(`length ${actual.length} ≠ ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  return worst;
}

/** A shared symgrad fixture (../shared/fixtures/symgrad/README.md); expressions in sympy syntax. */
export interface SymgradFixture {
  name: string;
  inputs: number;
  layers: { activation: string; weights: number[][] }[];
  /** The unsure points the CLI gets. */
  points: number[][];
  /** Held-out unsure points the check judges on. */
  test_points: number[][];
  truth: string;
  truth_loss: number;
  truth_loss_test: number;
  /** Spearman ρ of the network's logit and the truth on the test points. */
  net_spearman_test: number;
  fitted_truth: { expression: string; loss: number };
  near_misses: { expression: string; loss: number }[];
}
