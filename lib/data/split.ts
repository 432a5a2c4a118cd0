/**
 * Train/test splitting by a seeded permutation, and row selection on row-major matrices.
 *
 * @module
 */

import { permutation, Rng } from "./random.ts";

/** Row indices of a train/test split. */
export interface SplitIndices {
  /** Training rows, in the (random) order of the permutation. */
  readonly train: Int32Array;
  /** Test rows, in the order of the permutation. */
  readonly test: Int32Array;
}

/**
 * Splits rows 0..n-1: a permutation drawn from `seed`; its first `round(n·trainFraction)` entries
 * are the training rows, the rest the test rows. `trainFraction` is in (0, 1].
 */
export function splitIndices(n: number, trainFraction: number, seed: number): SplitIndices {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`split n: expected a positive integer row count, got ${n}`);
  }
  if (!(trainFraction > 0 && trainFraction <= 1)) {
    throw new Error(`trainFraction: expected a number in (0, 1], e.g. 0.75, got ${trainFraction}`);
  }
  const nTrain = Math.round(n * trainFraction);
  if (nTrain < 1) {
    throw new Error(`trainFraction: ${trainFraction} of ${n} rows leaves no training row; raise it`);
  }
  const perm = permutation(new Rng(seed), n);
  return { train: perm.slice(0, nTrain), test: perm.slice(nTrain) };
}

/** Copies the given rows of a row-major `? × columns` matrix into a new `rows.length × columns` matrix. */
export function takeRows(matrix: Float64Array, columns: number, rows: ArrayLike<number>): Float64Array {
  if (!Number.isInteger(columns) || columns < 1 || matrix.length % columns !== 0) {
    throw new Error(`columns: ${columns} does not divide the matrix length ${matrix.length}`);
  }
  const n = matrix.length / columns;
  const out = new Float64Array(rows.length * columns);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!(i >= 0 && i < n && Number.isInteger(i))) {
      throw new Error(`rows[${r}]: ${i} is not a row index in 0..${n - 1}`);
    }
    out.set(matrix.subarray(i * columns, (i + 1) * columns), r * columns);
  }
  return out;
}

/** Inputs and targets of one part of a split. */
export interface XYPart {
  /** Rows. */
  readonly n: number;
  /** Row-major n×p inputs. */
  readonly x: Float64Array;
  /** Row-major n×q targets. */
  readonly y: Float64Array;
}

/** Splits a data set (x: n×p, y: n×q) into train and test parts with {@link splitIndices}. */
export function splitXY(
  x: Float64Array,
  y: Float64Array,
  p: number,
  q: number,
  trainFraction: number,
  seed: number,
): { readonly train: XYPart; readonly test: XYPart; readonly indices: SplitIndices } {
  const n = x.length / p;
  if (!Number.isInteger(n) || y.length !== n * q) {
    throw new Error(
      `splitXY: x has ${x.length} values (p=${p}) and y ${y.length} (q=${q}); they must have equal rows`,
    );
  }
  const indices = splitIndices(n, trainFraction, seed);
  const part = (rows: Int32Array): XYPart => ({
    n: rows.length,
    x: takeRows(x, p, rows),
    y: takeRows(y, q, rows),
  });
  return { train: part(indices.train), test: part(indices.test), indices };
}
