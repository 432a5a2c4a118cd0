/**
 * Spatial operators of imported models as polylab modules (lib/taylor/modules.ts). Convolution,
 * average pooling and padding are linear maps of a flat channels-first vector; max pooling picks one
 * input per window. Where polylab has a native module (valid convolution with a square kernel and
 * equal strides; non-overlapping square pooling) that is used; any other geometry (padding,
 * rectangular kernels, unequal or overlapping strides) becomes an explicit affine module whose
 * matrix holds the same linear map, and overlapping or padded max pooling becomes an affine gather
 * (each window's inputs laid side by side) followed by a non-overlapping 1-D max pool. All exact.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { AffineModule, HopeModule } from "../taylor/modules.ts";

/** Largest (inputs + 1) × units matrix an explicit affine module may hold (about 200 MB). */
export const MAX_LOWERED_ENTRIES = 25_000_000;

/** A channels-first feature map (1-D maps have height 1). */
export interface FeatureMap {
  /** Channels. */
  readonly channels: number;
  /** Rows (1 for a 1-D signal). */
  readonly height: number;
  /** Columns (the length of a 1-D signal). */
  readonly width: number;
}

/** Window geometry of a convolution or pooling: kernel, strides, dilations, pads (begin/end per axis). */
export interface Window {
  /** Kernel rows (1 for 1-D). */
  readonly kh: number;
  /** Kernel columns. */
  readonly kw: number;
  /** Row stride. */
  readonly sh: number;
  /** Column stride. */
  readonly sw: number;
  /** Pads: top, left, bottom, right. */
  readonly pads: readonly [number, number, number, number];
}

/** Output rows and columns of a window sliding over a map (floor rounding, as ONNX's ceil_mode = 0). */
export function windowOutput(map: FeatureMap, w: Window): { oh: number; ow: number } {
  const oh = Math.floor((map.height + w.pads[0] + w.pads[2] - w.kh) / w.sh) + 1;
  const ow = Math.floor((map.width + w.pads[1] + w.pads[3] - w.kw) / w.sw) + 1;
  return { oh, ow };
}

function checkWindow(map: FeatureMap, w: Window, where: string): { oh: number; ow: number } {
  const { oh, ow } = windowOutput(map, w);
  if (oh < 1 || ow < 1) {
    throw new UsageError(
      `${where}: a ${w.kh}×${w.kw} window does not fit the ${map.height}×${map.width} input`,
    );
  }
  return { oh, ow };
}

/** An empty affine module of the given size, refusing matrices above {@link MAX_LOWERED_ENTRIES}. */
export function emptyAffine(inputs: number, units: number, where: string): AffineModule {
  const entries = (inputs + 1) * units;
  if (entries > MAX_LOWERED_ENTRIES) {
    throw new UsageError(
      `${where}: as an explicit linear map this layer needs a ${inputs + 1}×${units} matrix ` +
        `(more than ${MAX_LOWERED_ENTRIES} entries); use a valid (unpadded) convolution with a square kernel ` +
        "and non-overlapping square pooling, which polylab runs natively",
    );
  }
  return { kind: "affine", inputs, units, weights: new Float64Array(entries) };
}

/**
 * A convolution (group 1, dilation 1) on a channels-first map: `kernel` is
 * `outChannels × channels × kh × kw` row-major, `bias` one per output channel (or undefined).
 * Returns the module and the output map.
 */
export function convolution(
  map: FeatureMap,
  outChannels: number,
  kernel: Float64Array,
  bias: Float64Array | undefined,
  w: Window,
  oneD: boolean,
  where: string,
): { module: HopeModule; out: FeatureMap } {
  const { oh, ow } = checkWindow(map, w, where);
  const out = { channels: outChannels, height: oh, width: ow };
  const b = bias ?? new Float64Array(outChannels);
  const unpadded = w.pads.every((v) => v === 0);
  if (unpadded && oneD) {
    return {
      module: {
        kind: "conv1d",
        inChannels: map.channels,
        outChannels,
        length: map.width,
        size: w.kw,
        stride: w.sw,
        kernel,
        bias: b,
      },
      out,
    };
  }
  if (unpadded && w.kh === w.kw && w.sh === w.sw) {
    return {
      module: {
        kind: "conv2d",
        inChannels: map.channels,
        outChannels,
        height: map.height,
        width: map.width,
        size: w.kw,
        stride: w.sw,
        kernel,
        bias: b,
      },
      out,
    };
  }
  const nIn = map.channels * map.height * map.width;
  const units = outChannels * oh * ow;
  const m = emptyAffine(nIn, units, where);
  const W = m.weights;
  for (let oc = 0; oc < outChannels; oc++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o = (oc * oh + oy) * ow + ox;
        W[o] = b[oc];
        for (let ic = 0; ic < map.channels; ic++) {
          for (let ky = 0; ky < w.kh; ky++) {
            const iy = oy * w.sh - w.pads[0] + ky;
            if (iy < 0 || iy >= map.height) continue;
            for (let kx = 0; kx < w.kw; kx++) {
              const ix = ox * w.sw - w.pads[1] + kx;
              if (ix < 0 || ix >= map.width) continue;
              const i = (ic * map.height + iy) * map.width + ix;
              W[(1 + i) * units + o] += kernel[((oc * map.channels + ic) * w.kh + ky) * w.kw + kx];
            }
          }
        }
      }
    }
  }
  return { module: m, out };
}

/** True when a window is a native polylab pool: no pads, square (or 1-D), stride = size. */
function nativePool(w: Window, oneD: boolean): boolean {
  return w.pads.every((v) => v === 0) && w.sw === w.kw && (oneD || (w.kh === w.kw && w.sh === w.kh));
}

/**
 * Average pooling. `countPads`: whether padded positions count in the divisor (ONNX
 * `count_include_pad`); otherwise each window averages its in-bounds inputs only.
 */
export function averagePool(
  map: FeatureMap,
  w: Window,
  countPads: boolean,
  oneD: boolean,
  where: string,
): { module: HopeModule; out: FeatureMap } {
  const { oh, ow } = checkWindow(map, w, where);
  const out = { channels: map.channels, height: oh, width: ow };
  if (nativePool(w, oneD)) {
    const module: HopeModule = oneD
      ? { kind: "avgpool1d", channels: map.channels, length: map.width, size: w.kw }
      : { kind: "avgpool2d", channels: map.channels, height: map.height, width: map.width, size: w.kw };
    return { module, out };
  }
  const nIn = map.channels * map.height * map.width;
  const units = map.channels * oh * ow;
  const m = emptyAffine(nIn, units, where);
  for (let c = 0; c < map.channels; c++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o = (c * oh + oy) * ow + ox;
        const cells = windowCells(map, w, c, oy, ox);
        const divisor = countPads ? w.kh * w.kw : cells.length;
        for (const i of cells) m.weights[(1 + i) * units + o] += 1 / divisor;
      }
    }
  }
  return { module: m, out };
}

/** Flat indices of the in-bounds inputs of one window, in row-major window order. */
function windowCells(map: FeatureMap, w: Window, c: number, oy: number, ox: number): number[] {
  const cells: number[] = [];
  for (let ky = 0; ky < w.kh; ky++) {
    const iy = oy * w.sh - w.pads[0] + ky;
    if (iy < 0 || iy >= map.height) continue;
    for (let kx = 0; kx < w.kw; kx++) {
      const ix = ox * w.sw - w.pads[1] + kx;
      if (ix < 0 || ix >= map.width) continue;
      cells.push((c * map.height + iy) * map.width + ix);
    }
  }
  return cells;
}

/**
 * Max pooling: native when the windows tile the map; otherwise an affine gather that lays each
 * window's inputs side by side (padded positions repeat the window's first in-bounds input, which
 * cannot change the maximum) followed by a 1-D max pool over `kh·kw` consecutive entries.
 */
export function maxPool(
  map: FeatureMap,
  w: Window,
  oneD: boolean,
  where: string,
): { modules: HopeModule[]; out: FeatureMap } {
  const { oh, ow } = checkWindow(map, w, where);
  const out = { channels: map.channels, height: oh, width: ow };
  if (nativePool(w, oneD)) {
    const module: HopeModule = oneD
      ? { kind: "maxpool1d", channels: map.channels, length: map.width, size: w.kw }
      : { kind: "maxpool2d", channels: map.channels, height: map.height, width: map.width, size: w.kw };
    return { modules: [module], out };
  }
  const per = w.kh * w.kw;
  const nIn = map.channels * map.height * map.width;
  const units = map.channels * oh * ow * per;
  const gather = emptyAffine(nIn, units, where);
  for (let c = 0; c < map.channels; c++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const base = ((c * oh + oy) * ow + ox) * per;
        const cells = windowCells(map, w, c, oy, ox);
        if (cells.length === 0) {
          throw new UsageError(`${where}: a pooling window lies entirely in the padding`);
        }
        let k = 0;
        for (let ky = 0; ky < w.kh; ky++) {
          for (let kx = 0; kx < w.kw; kx++, k++) {
            const iy = oy * w.sh - w.pads[0] + ky, ix = ox * w.sw - w.pads[1] + kx;
            const inside = iy >= 0 && iy < map.height && ix >= 0 && ix < map.width;
            const i = inside ? (c * map.height + iy) * map.width + ix : cells[0];
            gather.weights[(1 + i) * units + base + k] = 1;
          }
        }
      }
    }
  }
  const pool: HopeModule = { kind: "maxpool1d", channels: map.channels, length: oh * ow * per, size: per };
  return { modules: [gather, pool], out };
}

/**
 * Constant padding of a tensor (shape without batch, C order) by `begin`/`end` entries per axis
 * (negative values crop), filled with `value`. Returns null when nothing changes.
 */
export function constantPad(
  shape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  value: number,
  where: string,
): { module: AffineModule; shape: number[] } | null {
  if (begin.every((v) => v === 0) && end.every((v) => v === 0)) return null;
  const outShape = shape.map((d, a) => d + begin[a] + end[a]);
  if (outShape.some((d) => d < 1)) throw new UsageError(`${where}: the pads leave an empty tensor`);
  const nIn = shape.reduce((a, b) => a * b, 1);
  const units = outShape.reduce((a, b) => a * b, 1);
  const m = emptyAffine(nIn, units, where);
  const rank = shape.length;
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < units; o++) {
    // decompose o into output coordinates, map back to the input
    let rest = o, inside = true, i = 0;
    for (let a = rank - 1; a >= 0; a--) {
      idx[a] = rest % outShape[a];
      rest = Math.floor(rest / outShape[a]);
    }
    for (let a = 0; a < rank; a++) {
      const src = idx[a] - begin[a];
      if (src < 0 || src >= shape[a]) {
        inside = false;
        break;
      }
      i = i * shape[a] + src;
    }
    if (inside) m.weights[(1 + i) * units + o] = 1;
    else m.weights[o] = value;
  }
  return { module: m, shape: outShape };
}

/**
 * The permutation of a flat vector from channels-last (`H × W × C`) to channels-first
 * (`C × H × W`) order, or back (`toLast`). Null when it is the identity (one channel or 1×1 maps).
 */
export function channelPermutation(
  map: FeatureMap,
  toLast: boolean,
  where: string,
): AffineModule | null {
  const { channels: C, height: H, width: W } = map;
  if (C === 1 || H * W === 1) return null;
  const n = C * H * W;
  const m = emptyAffine(n, n, where);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const first = (c * H + y) * W + x, last = (y * W + x) * C + c;
        const [from, to] = toLast ? [first, last] : [last, first];
        m.weights[(1 + from) * n + to] = 1;
      }
    }
  }
  return m;
}
