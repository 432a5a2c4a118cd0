/**
 * Networks with the architectures of the HOPE paper's demos (Xiao et al. 2023), with seeded weights.
 *
 * `reference_values.json` holds only the paper's coefficients and summary numbers for these (their
 * weights came from `torch.manual_seed(42)`, which cannot be reproduced here), so these builders give
 * networks of the same shapes and initialisation *laws* from polylab's own seeded generator:
 * - {@link sineMlp}: 1–W×D–1 MLP with sine after every layer (output included), weights
 *   U(±w0/fan_in) as in the paper's convergence study (Table 2), biases U(±1/√fan_in) (PyTorch's
 *   default); Table 2 uses 1–512×4–1, the 1-D expansion demo 1–1024×4–1.
 * - {@link convDemo}: Linear(2,2048)–sin–[unflatten 2×32×32]–Conv2d(2→16, 2×2)–sin–AvgPool2d(2)–sin–
 *   Linear(3600,1) (the 2-D expansion demo; dropout is the identity in eval mode), PyTorch's default
 *   U(±1/√fan_in) for every weight and bias.
 * - {@link derivativeRatios}: Table 2's quantity |f^(n)(x0)/f'(x0)| from a 1-D Taylor polynomial.
 *
 * @module
 */

import { deriveSeed, Rng } from "../data/random.ts";
import type { DenseLayer, Network } from "../network/network.ts";
import type { HopeModule } from "./modules.ts";

/** Master seed of the paper networks (the paper's scripts use 42). */
export const PAPER_SEED = 42;

/** Options of {@link sineMlp}. */
export interface SineMlpOptions {
  /** Hidden width (default 512, Table 2). */
  readonly width?: number;
  /** Number of hidden layers (default 4). */
  readonly depth?: number;
  /** Weight scale: weights U(±w0/fan_in) (default 1). */
  readonly w0?: number;
  /** Master seed (default {@link PAPER_SEED}). */
  readonly seed?: number;
}

function uniformArray(rng: Rng, n: number, bound: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-bound, bound);
  return a;
}

/** A 1–width×depth–1 sine MLP (sine after every layer, output included), seeded. */
export function sineMlp(options: SineMlpOptions = {}): Network {
  const { width = 512, depth = 4, w0 = 1, seed = PAPER_SEED } = options;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(depth) || depth < 0) {
    throw new RangeError(`sineMlp: width and depth must be positive integers, got ${width}, ${depth}`);
  }
  if (!(w0 > 0)) throw new RangeError(`sineMlp: w0 must be positive, got ${w0}`);
  const sizes = [1, ...Array<number>(depth).fill(width), 1];
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l], units = sizes[l + 1];
    const rng = new Rng(deriveSeed(seed, "paper", "sine-mlp", width, depth, w0, "layer", l));
    const weights = new Float64Array((inputs + 1) * units);
    weights.set(uniformArray(rng, units, 1 / Math.sqrt(inputs)), 0);
    weights.set(uniformArray(rng, inputs * units, w0 / inputs), units);
    layers.push({ kind: "dense", activation: "sin", inputs, units, weights });
  }
  return { inputs: 1, layers };
}

/**
 * The 2-D conv demo as a module graph with 2 inputs:
 * Linear(2,2048)–sin–Conv2d(2→16, 2×2)–sin–AvgPool2d(2)–sin–Linear(3600,1).
 */
export function convDemo(seed = PAPER_SEED): { modules: HopeModule[]; inputs: number } {
  const rng = (part: string) => new Rng(deriveSeed(seed, "paper", "conv-demo", part));
  const linear = (inputs: number, units: number, part: string): HopeModule => {
    const r = rng(part), bound = 1 / Math.sqrt(inputs);
    const weights = new Float64Array((inputs + 1) * units);
    weights.set(uniformArray(r, units, bound), 0);
    weights.set(uniformArray(r, inputs * units, bound), units);
    return { kind: "affine", inputs, units, weights };
  };
  const sin = (units: number): HopeModule => ({ kind: "elementwise", activation: "sin", units });
  const rc = rng("conv"), convBound = 1 / Math.sqrt(2 * 2 * 2);
  const kernel = uniformArray(rc, 16 * 2 * 2 * 2, convBound);
  const bias = uniformArray(rc, 16, convBound);
  return {
    inputs: 2,
    modules: [
      linear(2, 2048, "linear1"),
      sin(2048),
      {
        kind: "conv2d",
        inChannels: 2,
        outChannels: 16,
        height: 32,
        width: 32,
        size: 2,
        stride: 1,
        kernel,
        bias,
      },
      sin(16 * 31 * 31),
      { kind: "avgpool2d", channels: 16, height: 31, width: 31, size: 2 },
      sin(3600),
      linear(3600, 1, "linear2"),
    ],
  };
}

/**
 * Table 2's ratios |f^(n)(x0) / f'(x0)|, n = 1..N, from the coefficients c_n = f^(n)(x0)/n! of a
 * 1-D Taylor polynomial (index n = degree n). Entry 0 is n = 1 (always 1 unless f'(x0) = 0).
 */
export function derivativeRatios(coefficients: ArrayLike<number>, n = coefficients.length - 1): number[] {
  if (coefficients.length < n + 1 || n < 1) {
    throw new RangeError(`derivativeRatios: need coefficients of degree 0..${n}, got ${coefficients.length}`);
  }
  const out: number[] = [];
  let fact = 1;
  for (let k = 1; k <= n; k++) {
    fact *= k;
    out.push(Math.abs((coefficients[k] * fact) / coefficients[1]));
  }
  return out;
}
