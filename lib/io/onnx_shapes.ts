/**
 * Attribute reading and shape arithmetic of the ONNX reader (lib/io/onnx.ts), as plain functions:
 * node attributes with their defaults, Conv/pool windows with `auto_pad` resolved, Reshape and
 * Squeeze/Unsqueeze targets on the non-batch axes, and permutations (Transpose) of flat vectors and
 * of constant tensors. `fail` reports a problem as a one-line error about the node.
 *
 * @module
 */

import type { AffineModule } from "../taylor/modules.ts";
import { productOf } from "./imported.ts";
import { emptyAffine, type FeatureMap, type Window } from "./lowering.ts";
import type { OnnxNode, OnnxTensor } from "./onnx_decode.ts";

/** An integer attribute, or `fallback` when absent. */
export function intAttr(n: OnnxNode, name: string, fallback: number): number {
  const a = n.attributes.get(name);
  return a?.type === "int" ? a.value : fallback;
}

/** A float attribute, or `fallback` when absent. */
export function floatAttr(n: OnnxNode, name: string, fallback: number): number {
  const a = n.attributes.get(name);
  return a?.type === "float" ? a.value : fallback;
}

/** An integer-list attribute, or undefined when absent. */
export function intsAttr(n: OnnxNode, name: string): readonly number[] | undefined {
  const a = n.attributes.get(name);
  return a?.type === "ints" ? a.value : undefined;
}

/** Kernel, strides and pads of a Conv or pool node on `map`, with `auto_pad` resolved (dilation 1 only). */
export function resolveWindow(
  n: OnnxNode,
  map: FeatureMap,
  oneD: boolean,
  kernel: readonly number[],
  fail: (message: string) => never,
): Window {
  const dil = intsAttr(n, "dilations");
  if (dil && dil.some((d) => d !== 1)) fail(`dilations ${JSON.stringify(dil)} are not supported (use 1)`);
  const k = oneD ? [1, kernel[0]] : [kernel[0], kernel[1]];
  const s0 = intsAttr(n, "strides") ?? (oneD ? [1] : [1, 1]);
  const s = oneD ? [1, s0[0]] : [s0[0], s0[1]];
  const autoPad = n.attributes.get("auto_pad");
  const mode = autoPad?.type === "string" ? autoPad.value : "NOTSET";
  let pads: [number, number, number, number];
  if (mode === "NOTSET" || mode === "") {
    const p = intsAttr(n, "pads") ?? (oneD ? [0, 0] : [0, 0, 0, 0]);
    pads = oneD ? [0, p[0], 0, p[1]] : [p[0], p[1], p[2], p[3]];
  } else if (mode === "VALID") pads = [0, 0, 0, 0];
  else if (mode === "SAME_UPPER" || mode === "SAME_LOWER") {
    const total = (size: number, kk: number, ss: number) =>
      Math.max((Math.ceil(size / ss) - 1) * ss + kk - size, 0);
    const th = total(map.height, k[0], s[0]), tw = total(map.width, k[1], s[1]);
    const lower = mode === "SAME_LOWER";
    const split = (
      t: number,
    ) => (lower ? [Math.ceil(t / 2), Math.floor(t / 2)] : [Math.floor(t / 2), Math.ceil(t / 2)]);
    const [pt, pb] = split(th), [pl, pr] = split(tw);
    pads = [pt, pl, pb, pr];
  } else return fail(`auto_pad "${mode}" is not supported`);
  if ([...k, ...s].some((d) => !Number.isInteger(d) || d < 1) || pads.some((d) => d < 0)) {
    fail("kernel, strides and pads must be positive (pads non-negative)");
  }
  return { kh: k[0], kw: k[1], sh: s[0], sw: s[1], pads };
}

/**
 * The non-batch shape a Reshape to `target` gives a tensor of non-batch `shape`, or undefined when
 * the target does not keep the batch axis first (0 copies a dimension unless `allowZero`, −1 is
 * inferred; a fixed `batch` size may be spelled out).
 */
export function reshapeTarget(
  shape: readonly number[],
  target: readonly number[],
  allowZero: boolean,
  batch: number | undefined,
): number[] | undefined {
  if (target.length < 1) return undefined;
  const size = productOf(shape);
  const first = target[0] === batch ? 0 : target[0];
  const batchKept = (first === 0 && !allowZero) || first === -1;
  const rest = target.slice(1).map((d, k) => (d === 0 && !allowZero ? shape[k] ?? NaN : d));
  const known = productOf(rest.filter((d) => d !== -1));
  const free = rest.filter((d) => d === -1).length;
  let out: number[] | undefined;
  if (first === -1 && free === 0 && known === size) out = rest;
  else if (batchKept && first === 0 && free <= 1 && known > 0 && size % known === 0) {
    out = rest.map((d) => (d === -1 ? size / known : d));
  }
  return out && productOf(out) === size && out.every((d) => d >= 1) ? out : undefined;
}

/** The non-batch shape after Squeeze (`squeeze`) or Unsqueeze of `axes` (axes counted with the batch). */
export function squeezedShape(
  shape: readonly number[],
  given: readonly number[] | undefined,
  squeeze: boolean,
  fail: (message: string) => never,
): number[] {
  const rank = shape.length + 1 + (squeeze ? 0 : (given?.length ?? 0));
  const axes = (given ?? (squeeze ? [] : undefined))?.map((a) => (a < 0 ? a + rank : a));
  if (!axes) return fail("needs its axes");
  if (axes.includes(0)) fail("would change the batch axis; only other axes are supported");
  if (squeeze) {
    const drop = axes.length ? axes : shape.map((d, a) => (d === 1 ? a + 1 : -1)).filter((a) => a > 0);
    if (drop.some((a) => shape[a - 1] !== 1)) fail("squeezes an axis whose size is not 1");
    return shape.filter((_, a) => !drop.includes(a + 1));
  }
  const out = [...shape];
  for (const a of [...axes].sort((p, q) => p - q)) out.splice(a - 1, 0, 1);
  return out;
}

/** Output index → input index of a flat C-order tensor of `shape` whose axes are permuted to `axes`. */
function permutedIndex(shape: readonly number[], axes: readonly number[]): Int32Array {
  const outShape = axes.map((a) => shape[a]);
  const strides = shape.map((_, a) => productOf(shape.slice(a + 1)));
  const size = productOf(shape);
  const source = new Int32Array(size);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < size; o++) {
    let rest = o, i = 0;
    for (let a = outShape.length - 1; a >= 0; a--) {
      idx[a] = rest % outShape[a];
      rest = Math.floor(rest / outShape[a]);
    }
    axes.forEach((a, k) => (i += idx[k] * strides[a]));
    source[o] = i;
  }
  return source;
}

/** The permutation of a flat vector of non-batch `shape` by `axes` (Transpose), as an affine module. */
export function permutationAffine(
  shape: readonly number[],
  axes: readonly number[],
  where: string,
): AffineModule {
  const size = productOf(shape);
  const m = emptyAffine(size, size, where);
  permutedIndex(shape, axes).forEach((i, o) => (m.weights[(1 + i) * size + o] = 1));
  return m;
}

/** A constant tensor transposed by `perm` (default: reversed axes), as constant folding would. */
export function transposeTensor(t: OnnxTensor, perm: readonly number[] | undefined): OnnxTensor {
  const rank = t.dims.length;
  const p = perm ?? Array.from({ length: rank }, (_, a) => rank - 1 - a);
  const source = permutedIndex(t.dims, p);
  return { ...t, dims: p.map((a) => t.dims[a]), data: Float64Array.from(source, (i) => t.data[i]) };
}
