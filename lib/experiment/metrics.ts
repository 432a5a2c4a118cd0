/**
 * Error metrics between prediction matrices (row-major n × outputs).
 *
 * @module
 */

/** Mean squared error over all entries of two equally long arrays. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`mse: lengths ${a.length} and ${b.length} differ`);
  if (a.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** MSE of one column of two n × k matrices. */
export function columnMse(a: ArrayLike<number>, b: ArrayLike<number>, k: number, column: number): number {
  const n = a.length / k;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i * k + column] - b[i * k + column]) ** 2;
  return s / n;
}

/** Coefficient of determination of `predicted` as a model of `target`: 1 − SS_res / SS_tot. */
export function rSquared(predicted: ArrayLike<number>, target: ArrayLike<number>): number {
  if (predicted.length !== target.length) throw new RangeError("rSquared: lengths differ");
  let mean = 0;
  for (let i = 0; i < target.length; i++) mean += target[i];
  mean /= target.length;
  let res = 0, tot = 0;
  for (let i = 0; i < target.length; i++) {
    res += (target[i] - predicted[i]) ** 2;
    tot += (target[i] - mean) ** 2;
  }
  return tot === 0 ? (res === 0 ? 1 : -Infinity) : 1 - res / tot;
}

/** Row-wise argmax of an n × k matrix. */
export function argmaxRows(a: ArrayLike<number>, k: number): Int32Array {
  const n = a.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (a[i * k + c] > a[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Share of equal entries of two label vectors. */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? NaN : same / a.length;
}

/** One point of an error-vs-distance curve. */
export interface RadiusPoint {
  /** Distance r to the centre. */
  radius: number;
  /** Rows within distance r. */
  n: number;
  /** MSE of `a` vs `b` over those rows (null when there are none). */
  mse: number | null;
}

/**
 * Error against the distance to a centre: for each radius r, the MSE between two prediction
 * matrices (row-major n × outputs) over the rows of `x` (row-major n × p) whose Euclidean distance
 * to `center` is at most r.
 */
export function radiusCurve(
  x: ArrayLike<number>,
  n: number,
  center: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  outputs: number,
  radii: readonly number[],
): RadiusPoint[] {
  const p = center.length;
  if (x.length !== n * p) throw new RangeError(`radiusCurve: x has ${x.length} values, expected ${n}×${p}`);
  if (a.length !== n * outputs || b.length !== n * outputs) {
    throw new RangeError(`radiusCurve: predictions must be ${n}×${outputs}`);
  }
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += (x[i * p + j] - center[j]) ** 2;
    dist[i] = Math.sqrt(s);
  }
  return radii.map((radius) => {
    let rows = 0, s = 0;
    for (let i = 0; i < n; i++) {
      if (dist[i] > radius) continue;
      rows++;
      for (let o = 0; o < outputs; o++) s += (a[i * outputs + o] - b[i * outputs + o]) ** 2;
    }
    return { radius, n: rows, mse: rows === 0 ? null : s / (rows * outputs) };
  });
}
