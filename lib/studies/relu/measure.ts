/**
 * Everything the relu-shallow study measures on one trained network: its regions (in the data box
 * and over ℝ^p) against 2^H and the upper bounds, the shallow network's size, and its exactness at
 * random points and at points exactly on units' zero sets (the two-hidden-layer variant beside it).
 *
 * @module
 */

import { Rng } from "../../data/random.ts";
import { forward, type Network } from "../../network/network.ts";
import { evaluateExtended, type ExtNetwork } from "../../relu/extended.ts";
import { type PlNetwork, plNetwork } from "../../relu/net.ts";
import { enumerateRegions, type RegionSet } from "../../relu/regions.ts";
import { type ShallowNetwork, shallowNetwork } from "../../relu/shallow.ts";
import { productBound, serraBound } from "../../relu/bounds.ts";
import { zeroSetPoints } from "./geometry.ts";

/** One network's numbers (a row of the networks table). */
export interface NetworkMeasure {
  /** Hidden units H. */
  H: number;
  /** Regions meeting the open box. */
  regions_box: number;
  /** Regions over ℝ^p. */
  regions: number;
  /** 2^H. */
  patterns: number;
  /** Layer-wise product of Zaslavsky's bound. */
  bound_product: number;
  /** Serra et al. (2018) bound. */
  bound_serra: number;
  /** Widths of the shallow network's hidden layers (over ℝ^p). */
  shallow_widths: string;
  /** Its dense parameter count. */
  shallow_params_dense: number;
  /** Its non-zero parameters. */
  shallow_params_nonzero: number;
  /** Its ±∞ entries. */
  shallow_params_infinite: number;
  /** Largest |shallow − network| / max(1, |y|) at the random points in the box. */
  max_err_random: number;
  /** Zero-set points found. */
  boundary_points: number;
  /** The same error at the zero-set points. */
  max_err_boundary: number;
  /** The two-hidden-layer variant's error at the same zero-set points. */
  max_err_boundary_two_layer: number;
  /** The two-hidden-layer variant's error at the random points. */
  max_err_random_two_layer: number;
}

/** Timings of one network (kept apart: they change from run to run). */
export interface NetworkTiming {
  /** Enumeration over ℝ^p and the shallow network, seconds. */
  seconds: number;
  /** The same in the box. */
  seconds_box: number;
  /** Seconds per region over ℝ^p. */
  seconds_per_region: number;
  /** LPs of the ℝ^p enumeration. */
  lps: number;
}

/** The measure with the objects the figures need. */
export interface MeasuredNetwork {
  measure: NetworkMeasure;
  timing: NetworkTiming;
  /** The network value measured. */
  net: Network;
  pl: PlNetwork;
  setBox: RegionSet;
  set: RegionSet;
  shallow: ShallowNetwork;
}

function maxError(model: ExtNetwork, net: Network, X: Float64Array, n: number): number {
  if (n === 0) return 0;
  const ys = evaluateExtended(model, X, n);
  const y = forward(net, X, n);
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    const e = Math.abs(ys[i] - y[i]) / Math.max(1, Math.abs(y[i]));
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  }
  return worst;
}

/** Measures one network (see {@link NetworkMeasure}). */
export function measureNetwork(
  net: Network,
  options: {
    box: [number, number];
    randomPoints: number;
    boundaryPoints: number;
    seed: number;
    maxRegions: number;
  },
): MeasuredNetwork {
  const pl = plNetwork(net);
  const widths = pl.hidden.map((l) => l.units);
  let t0 = performance.now();
  const setBox = enumerateRegions(pl, { box: options.box, maxRegions: options.maxRegions });
  const secondsBox = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const set = enumerateRegions(pl, { maxRegions: options.maxRegions });
  const shallow = shallowNetwork(set, pl.outputs);
  const seconds = (performance.now() - t0) / 1000;
  const two = shallowNetwork(set, pl.outputs, { layers: 2 });
  const rng = new Rng(options.seed);
  const X = Float64Array.from(
    { length: options.randomPoints * pl.p },
    () => rng.uniform(options.box[0], options.box[1]),
  );
  const B = zeroSetPoints(pl, setBox.regions, options.boundaryPoints);
  const XB = Float64Array.from(B.flat());
  return {
    measure: {
      H: pl.H,
      regions_box: setBox.regions.length,
      regions: set.regions.length,
      patterns: 2 ** pl.H,
      bound_product: productBound(pl.p, widths),
      bound_serra: serraBound(pl.p, widths),
      shallow_widths: shallow.size.widths.join("–"),
      shallow_params_dense: shallow.size.denseParameters,
      shallow_params_nonzero: shallow.size.nonzeroParameters,
      shallow_params_infinite: shallow.size.infiniteParameters,
      max_err_random: maxError(shallow.net, net, X, options.randomPoints),
      boundary_points: B.length,
      max_err_boundary: maxError(shallow.net, net, XB, B.length),
      max_err_boundary_two_layer: maxError(two.net, net, XB, B.length),
      max_err_random_two_layer: maxError(two.net, net, X, options.randomPoints),
    },
    timing: {
      seconds,
      seconds_box: secondsBox,
      seconds_per_region: seconds / set.regions.length,
      lps: set.lps.refinement + set.lps.redundancy + set.lps.centring,
    },
    net,
    pl,
    setBox,
    set,
    shallow,
  };
}

/** Least-squares slope and intercept of log10 y against log10 x (positive values only). */
export function logLogFit(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number } {
  const pts = xs.map((x, i) => [Math.log10(x), Math.log10(ys[i])]).filter(([a, b]) =>
    Number.isFinite(a) && Number.isFinite(b)
  );
  const n = pts.length;
  const mx = pts.reduce((s, [a]) => s + a, 0) / n;
  const my = pts.reduce((s, [, b]) => s + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [a, b] of pts) {
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}
