/**
 * Polynomial blocks: the polynomials of all units of a layer stored together, terms-major
 * (`block[t * units + j]` is the coefficient of term t for unit j) over a graded basis prefix,
 * so that every inner loop runs contiguously over units. These are the hot loops of NN2Poly
 * and of the exact Taylor engine.
 *
 * @module
 */

import type { ProductTable } from "./basis.ts";

/**
 * Linear step: `out[t, j] = [t = 0]·W[0, j] + Σ_i Y[t, i]·W[i + 1, j]` for the first `terms` terms.
 * `W` is row-major `(inputs + 1) × units` with the bias in row 0.
 *
 * A (terms × inputs)·(inputs × units) product computed in 4 × 4 register blocks: sixteen
 * accumulators in locals, eight loads per sixteen multiply-adds, no store in the inner loop.
 */
export function affineBlock(
  Y: Float64Array,
  inputs: number,
  W: Float64Array,
  units: number,
  terms: number,
): Float64Array {
  const out = new Float64Array(terms * units);
  const t4 = terms - (terms % 4), j4 = units - (units % 4);
  for (let t = 0; t < t4; t += 4) {
    const y0 = t * inputs, y1 = y0 + inputs, y2 = y1 + inputs, y3 = y2 + inputs;
    for (let j = 0; j < j4; j += 4) {
      let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
      for (let i = 0; i < inputs; i++) {
        const w = (i + 1) * units + j;
        const w0 = W[w], w1 = W[w + 1], w2 = W[w + 2], w3 = W[w + 3];
        const v0 = Y[y0 + i], v1 = Y[y1 + i], v2 = Y[y2 + i], v3 = Y[y3 + i];
        a00 += v0 * w0, a01 += v0 * w1, a02 += v0 * w2, a03 += v0 * w3;
        a10 += v1 * w0, a11 += v1 * w1, a12 += v1 * w2, a13 += v1 * w3;
        a20 += v2 * w0, a21 += v2 * w1, a22 += v2 * w2, a23 += v2 * w3;
        a30 += v3 * w0, a31 += v3 * w1, a32 += v3 * w2, a33 += v3 * w3;
      }
      let o = t * units + j;
      out[o] = a00, out[o + 1] = a01, out[o + 2] = a02, out[o + 3] = a03, o += units;
      out[o] = a10, out[o + 1] = a11, out[o + 2] = a12, out[o + 3] = a13, o += units;
      out[o] = a20, out[o + 1] = a21, out[o + 2] = a22, out[o + 3] = a23, o += units;
      out[o] = a30, out[o + 1] = a31, out[o + 2] = a32, out[o + 3] = a33;
    }
  }
  // edges: the last terms % 4 rows, and the last units % 4 columns of the blocked rows
  for (let t = 0; t < terms; t++) {
    const y = t * inputs;
    for (let j = t < t4 ? j4 : 0; j < units; j++) {
      let s = 0;
      for (let i = 0; i < inputs; i++) s += Y[y + i] * W[(i + 1) * units + j];
      out[t * units + j] = s;
    }
  }
  for (let j = 0; j < units; j++) out[j] += W[j];
  return out;
}

/**
 * Truncated product of two blocks without constant term, accumulated into `out`:
 * `out += A ⊙ B` unit by unit (times a per-unit `scale` when given), keeping degrees ≤ `maxDegree`. Only terms of A with degree in
 * `[aLo, aHi]` and of B with degree in `[1, bHi]` are read (the others must be zero).
 */
export function mulBlockInto(
  out: Float64Array,
  A: Float64Array,
  aLo: number,
  aHi: number,
  B: Float64Array,
  bHi: number,
  units: number,
  maxDegree: number,
  table: ProductTable,
  scale?: Float64Array,
): void {
  const basis = table.basis;
  const first = basis.offset(1);
  const { rowStart, product } = table;
  const aStart = basis.offset(Math.max(aLo, 1));
  const aEnd = basis.offset(Math.min(aHi, maxDegree - 1) + 1);
  for (let a = aStart; a < aEnd; a++) {
    const da = basis.degree[a];
    const bEnd = basis.offset(Math.min(bHi, maxDegree - da) + 1);
    const ao = a * units;
    let allZero = true;
    for (let j = 0; j < units; j++) {
      if (A[ao + j] !== 0) {
        allZero = false;
        break;
      }
    }
    if (allZero) continue;
    const row = rowStart[a] - first;
    for (let b = first; b < bEnd; b++) {
      const co = product[row + b] * units;
      const bo = b * units;
      if (scale) { for (let j = 0; j < units; j++) out[co + j] += (1 * (A[ao + j] * B[bo + j])) * scale[j]; }
      else for (let j = 0; j < units; j++) out[co + j] += A[ao + j] * B[bo + j];
    }
  }
}

/**
 * Truncated square of a block without constant term, accumulated into `out`: `out += B ⊙ B`
 * (times a per-unit `scale` when given)
 * keeping degrees ≤ `maxDegree`, with B's terms of degree in `[1, bHi]`. Uses symmetry: each
 * unordered pair {a, b} is visited once (doubled when a ≠ b), half the work of
 * {@link mulBlockInto}.
 */
export function squareBlockInto(
  out: Float64Array,
  B: Float64Array,
  bHi: number,
  units: number,
  maxDegree: number,
  table: ProductTable,
  scale?: Float64Array,
): void {
  const basis = table.basis;
  const first = basis.offset(1);
  const { rowStart, product } = table;
  const aEnd = basis.offset(Math.min(bHi, maxDegree - 1) + 1);
  const twice = new Float64Array(units);
  for (let a = first; a < aEnd; a++) {
    const da = basis.degree[a];
    const bEnd = basis.offset(Math.min(bHi, maxDegree - da) + 1);
    if (bEnd <= a) continue;
    const ao = a * units;
    let allZero = true;
    for (let j = 0; j < units; j++) {
      twice[j] = 2 * B[ao + j];
      if (B[ao + j] !== 0) allZero = false;
    }
    if (allZero) continue;
    const row = rowStart[a] - first;
    const cd = product[row + a] * units;
    if (scale) {
      // same operation order as the wasm kernel: (f·(A·B))·scale
      for (let j = 0; j < units; j++) out[cd + j] += (1 * (B[ao + j] * B[ao + j])) * scale[j];
      for (let b = a + 1; b < bEnd; b++) {
        const co = product[row + b] * units;
        const bo = b * units;
        for (let j = 0; j < units; j++) out[co + j] += (2 * (B[ao + j] * B[bo + j])) * scale[j];
      }
      continue;
    }
    for (let j = 0; j < units; j++) out[cd + j] += B[ao + j] * B[ao + j];
    for (let b = a + 1; b < bEnd; b++) {
      const co = product[row + b] * units;
      const bo = b * units;
      for (let j = 0; j < units; j++) out[co + j] += twice[j] * B[bo + j];
    }
  }
}

/** `out[t, j] += d[j]·A[t, j]` for the first `terms` terms. */
export function axpyBlock(
  out: Float64Array,
  d: Float64Array,
  A: Float64Array,
  units: number,
  terms: number,
): void {
  for (let t = 0; t < terms; t++) {
    const o = t * units;
    for (let j = 0; j < units; j++) out[o + j] += d[j] * A[o + j];
  }
}

/** Column j of a block as a fresh array of `terms` coefficients. */
export function blockColumn(block: Float64Array, units: number, j: number, terms: number): Float64Array {
  const out = new Float64Array(terms);
  for (let t = 0; t < terms; t++) out[t] = block[t * units + j];
  return out;
}

/** Geometry of a valid 2-D convolution on channels-first images (see {@link conv2dBlock}). */
export interface Conv2dGeometry {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Input height. */
  readonly height: number;
  /** Input width. */
  readonly width: number;
  /** Square kernel side. */
  readonly size: number;
  /** Stride in both directions. */
  readonly stride: number;
}

/**
 * Valid 2-D convolution applied to every term of a block: for each term t the row
 * `Y[t * units .. (t + 1) * units)` is a channels-first `inChannels × height × width` image, and
 * the result's row t is its convolution with `kernel` (`outChannels × inChannels × size × size`);
 * `bias` (one per output channel) is added to the constant term only. Output units are
 * `outChannels × oh × ow`, oh = ⌊(height − size)/stride⌋ + 1. A linear map of the series, so
 * exact for Taylor blocks.
 */
export function conv2dBlock(
  Y: Float64Array,
  terms: number,
  g: Conv2dGeometry,
  kernel: Float64Array,
  bias: Float64Array,
): Float64Array {
  const { inChannels, outChannels, height, width, size, stride } = g;
  const oh = Math.floor((height - size) / stride) + 1, ow = Math.floor((width - size) / stride) + 1;
  const nIn = inChannels * height * width, plane = oh * ow, nOut = outChannels * plane;
  const out = new Float64Array(terms * nOut);
  for (let t = 0; t < terms; t++) {
    const yt = t * nIn, ot = t * nOut;
    for (let oc = 0; oc < outChannels; oc++) {
      const oBase = ot + oc * plane;
      for (let c = 0; c < inChannels; c++) {
        const iBase = yt + c * height * width;
        for (let ky = 0; ky < size; ky++) {
          for (let kx = 0; kx < size; kx++) {
            const w = kernel[((oc * inChannels + c) * size + ky) * size + kx];
            if (w === 0) continue;
            for (let y = 0; y < oh; y++) {
              const o = oBase + y * ow;
              const i = iBase + (y * stride + ky) * width + kx;
              if (stride === 1) {
                for (let x = 0; x < ow; x++) out[o + x] += w * Y[i + x];
              } else {
                for (let x = 0; x < ow; x++) out[o + x] += w * Y[i + x * stride];
              }
            }
          }
        }
      }
    }
  }
  for (let oc = 0; oc < outChannels; oc++) {
    const b = bias[oc];
    for (let k = oc * plane; k < (oc + 1) * plane; k++) out[k] += b;
  }
  return out;
}

/**
 * Non-overlapping average pooling (window = stride = `size`, trailing rows/columns dropped) of
 * every term of a block whose rows are channels-first `channels × height × width` images.
 */
export function avgPool2dBlock(
  Y: Float64Array,
  terms: number,
  channels: number,
  height: number,
  width: number,
  size: number,
): Float64Array {
  const oh = Math.floor(height / size), ow = Math.floor(width / size);
  const nIn = channels * height * width, nOut = channels * oh * ow;
  const out = new Float64Array(terms * nOut);
  const scale = 1 / (size * size);
  for (let t = 0; t < terms; t++) {
    for (let c = 0; c < channels; c++) {
      const iBase = t * nIn + c * height * width, oBase = t * nOut + c * oh * ow;
      for (let y = 0; y < oh; y++) {
        const o = oBase + y * ow;
        for (let dy = 0; dy < size; dy++) {
          const i = iBase + (y * size + dy) * width;
          for (let x = 0; x < ow; x++) {
            let s = 0;
            const ix = i + x * size;
            for (let dx = 0; dx < size; dx++) s += Y[ix + dx];
            out[o + x] += s;
          }
        }
        for (let x = 0; x < ow; x++) out[o + x] *= scale;
      }
    }
  }
  return out;
}

/** Selects units of a block: `out[t, j] = Y[t, index[j]]` for the first `terms` terms. */
export function gatherBlock(
  Y: Float64Array,
  units: number,
  index: Int32Array,
  terms: number,
): Float64Array {
  const n = index.length;
  const out = new Float64Array(terms * n);
  for (let t = 0; t < terms; t++) {
    const y = t * units, o = t * n;
    for (let j = 0; j < n; j++) out[o + j] = Y[y + index[j]];
  }
  return out;
}

/** Geometry of a valid 1-D convolution on channels-first signals (see {@link conv1dBlock}). */
export interface Conv1dGeometry {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Input length. */
  readonly length: number;
  /** Kernel length. */
  readonly size: number;
  /** Stride. */
  readonly stride: number;
}

/**
 * Valid 1-D convolution applied to every term of a block (the 1-D analogue of
 * {@link conv2dBlock}): row t of `Y` is a channels-first `inChannels × length` signal, `kernel` is
 * `outChannels × inChannels × size`, `bias` (one per output channel) goes to the constant term
 * only. Output units are `outChannels × ol`, ol = ⌊(length − size)/stride⌋ + 1.
 */
export function conv1dBlock(
  Y: Float64Array,
  terms: number,
  g: Conv1dGeometry,
  kernel: Float64Array,
  bias: Float64Array,
): Float64Array {
  const { inChannels, outChannels, length, size, stride } = g;
  const ol = Math.floor((length - size) / stride) + 1;
  const nIn = inChannels * length, nOut = outChannels * ol;
  const out = new Float64Array(terms * nOut);
  for (let t = 0; t < terms; t++) {
    const yt = t * nIn, ot = t * nOut;
    for (let oc = 0; oc < outChannels; oc++) {
      const o = ot + oc * ol;
      for (let c = 0; c < inChannels; c++) {
        const iBase = yt + c * length;
        for (let kx = 0; kx < size; kx++) {
          const w = kernel[(oc * inChannels + c) * size + kx];
          if (w === 0) continue;
          const i = iBase + kx;
          for (let x = 0; x < ol; x++) out[o + x] += w * Y[i + x * stride];
        }
      }
    }
  }
  for (let oc = 0; oc < outChannels; oc++) {
    const b = bias[oc];
    for (let k = oc * ol; k < (oc + 1) * ol; k++) out[k] += b;
  }
  return out;
}

/**
 * Non-overlapping 1-D average pooling (window = stride = `size`, trailing entries dropped) of every
 * term of a block whose rows are channels-first `channels × length` signals.
 */
export function avgPool1dBlock(
  Y: Float64Array,
  terms: number,
  channels: number,
  length: number,
  size: number,
): Float64Array {
  const ol = Math.floor(length / size);
  const nIn = channels * length, nOut = channels * ol;
  const out = new Float64Array(terms * nOut);
  const scale = 1 / size;
  for (let t = 0; t < terms; t++) {
    for (let c = 0; c < channels; c++) {
      const iBase = t * nIn + c * length, oBase = t * nOut + c * ol;
      for (let x = 0; x < ol; x++) {
        let s = 0;
        for (let dx = 0; dx < size; dx++) s += Y[iBase + x * size + dx];
        out[oBase + x] = s * scale;
      }
    }
  }
  return out;
}
