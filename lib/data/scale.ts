/**
 * Column-wise min–max scaling fitted on the training split only and applied to every split,
 * with the inverse transform.
 *
 * @module
 */

/** A fitted min–max scaler: column j maps [min_j, max_j] linearly onto [lo, hi]. */
export interface MinMaxScaler {
  /** Number of columns. */
  readonly columns: number;
  /** Training minimum of each column. */
  readonly min: Float64Array;
  /** Training maximum of each column. */
  readonly max: Float64Array;
  /** Target lower bound, e.g. -1. */
  readonly lo: number;
  /** Target upper bound, e.g. 1. */
  readonly hi: number;
}

/**
 * Fits a scaler on a row-major `n × columns` training matrix. A constant column maps to the
 * middle of the target range (and back to its constant value).
 *
 * @example
 * ```ts
 * const sx = fitMinMaxScaler(trainX, p, [-1, 1]);
 * const trainXs = scaleColumns(sx, trainX), testXs = scaleColumns(sx, testX);
 * ```
 */
export function fitMinMaxScaler(
  matrix: Float64Array,
  columns: number,
  range: readonly [number, number] = [-1, 1],
): MinMaxScaler {
  if (!Number.isInteger(columns) || columns < 1 || matrix.length % columns !== 0 || matrix.length === 0) {
    throw new Error(
      `scaler columns: ${columns} must be a positive integer dividing the non-empty matrix (${matrix.length})`,
    );
  }
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new Error(
      `scaler range: expected [lo, hi] with lo < hi, e.g. [-1, 1] or [0, 1], got [${lo}, ${hi}]`,
    );
  }
  const min = new Float64Array(columns).fill(Infinity);
  const max = new Float64Array(columns).fill(-Infinity);
  for (let i = 0; i < matrix.length; i++) {
    const j = i % columns;
    const v = matrix[i];
    if (!Number.isFinite(v)) {
      throw new Error(`scaler: non-finite value ${v} at row ${(i - j) / columns}, column ${j}`);
    }
    if (v < min[j]) min[j] = v;
    if (v > max[j]) max[j] = v;
  }
  return { columns, min, max, lo, hi };
}

function check(scaler: MinMaxScaler, matrix: Float64Array): void {
  if (matrix.length % scaler.columns !== 0) {
    throw new Error(`scaler: matrix length ${matrix.length} is not a multiple of ${scaler.columns} columns`);
  }
}

/** Applies the scaler to a row-major matrix (new array). */
export function scaleColumns(scaler: MinMaxScaler, matrix: Float64Array): Float64Array {
  check(scaler, matrix);
  const { columns, min, max, lo, hi } = scaler;
  const out = new Float64Array(matrix.length);
  const mid = (lo + hi) / 2;
  for (let i = 0; i < matrix.length; i++) {
    const j = i % columns;
    const width = max[j] - min[j];
    out[i] = width > 0 ? lo + ((matrix[i] - min[j]) / width) * (hi - lo) : mid + (matrix[i] - min[j]);
  }
  return out;
}

/** Inverse of {@link scaleColumns} (new array). */
export function unscaleColumns(scaler: MinMaxScaler, matrix: Float64Array): Float64Array {
  check(scaler, matrix);
  const { columns, min, max, lo, hi } = scaler;
  const out = new Float64Array(matrix.length);
  const mid = (lo + hi) / 2;
  for (let i = 0; i < matrix.length; i++) {
    const j = i % columns;
    const width = max[j] - min[j];
    out[i] = width > 0 ? min[j] + ((matrix[i] - lo) / (hi - lo)) * width : min[j] + (matrix[i] - mid);
  }
  return out;
}
