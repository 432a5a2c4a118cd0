/**
 * The shallow network of a deep ReLU network (Villani & Schoots, "Any Deep ReLU Network is Shallow",
 * arXiv 2306.11827): three hidden ReLU layers with extended-real weights, equal to the original at
 * every input, built from the activation regions and their local affine maps.
 *
 * The paper's body could not be read here; this construction is rebuilt from its abstract and first
 * principles (README, "Deep ReLU networks → shallow").
 *
 * **Partition.** Regions R (open, with minimal inequalities σ·ℓ(x) > 0) cover ℝ^p up to their
 * boundaries, where several closures meet. Each boundary point is given to exactly one region by the
 * direction it is approached from: x belongs to S_R when the curve x + ε(m − x) + ε²e_1 + … + ε^{p+1}e_p
 * lies in R for small ε > 0 (m is a fixed anchor: the box centre, or 0). Along the curve
 * ℓ = ℓ(x) + ε(ℓ(m) − ℓ(x)) + Σ ε^{k+1} g_k, so after orienting each distinct hyperplane ℓ so that
 * (ℓ(m), g_1, …, g_p) is lexicographically positive (exact sign, no rounding), a region on its positive
 * side needs ℓ(x) ≥ 0 and one on its negative side needs ℓ(x) < 0. The S_R are disjoint and cover ℝ^p
 * (the curve leaves every hyperplane for small ε and then stays in one open region); with a box the
 * curve enters the open box at once, so points of the closed box go to regions that meet the open box.
 * The network equals A_R·x + c_R on S_R ⊆ closure(R) by continuity.
 *
 * **Layers** (P_k = ReLU(x_k), N_k = ReLU(−x_k) carry x, since x_k = P_k − N_k):
 * 1. P, N, and per hyperplane b_h = ReLU(−ℓ_h(x)) (finite weights).
 * 2. P, N passed on; per hyperplane with a region on its positive side B_h = ReLU(b_h) (> 0 ⇔ ℓ < 0,
 *    the violation of ℓ ≥ 0); with a region on its negative side E_h = ReLU(1 − ∞·b_h) (= 1 ⇔ ℓ ≥ 0,
 *    the violation of ℓ < 0; 0·∞ = 0 gives exactly 1 on the hyperplane).
 * 3. Per region R, output k and sign s = ±1: ReLU(s·(A_k·x + c_k) − ∞·Σ B_h − ∞·Σ E_h) over R's
 *    inequalities: s·(A_k·x + c_k)⁺ on S_R, 0 elsewhere (−∞ when any inequality is violated).
 * Output k: Σ_R (unit(R,k,+) − unit(R,k,−)). No sum ever holds +∞: every infinite weight is −∞ and
 * multiplies a finite non-negative input, so +∞ and −∞ never meet.
 *
 * **Two hidden layers** (exact off region boundaries): layer 1 also has a_h = ReLU(ℓ_h); layer 2 is the
 * third layer above with ∞·b_h for regions on the positive side and ∞·a_h for the negative side. On a
 * boundary every adjacent region claims the point and their values add up: wrong there.
 *
 * @module
 */

import { exactAffineSign } from "./exact_sign.ts";
import { type ExtLayer, ExtLayerBuilder, type ExtNetwork, type ExtSize, extSize } from "./extended.ts";
import type { Hyperplane, RegionSet } from "./regions.ts";

/** A distinct hyperplane of the construction, oriented so that its closed side is positive. */
export interface OrientedPlane {
  /** Gradient after orientation. */
  readonly g: Float64Array;
  /** Offset after orientation. */
  readonly h: number;
  /** The hidden unit it came from (first occurrence). */
  readonly unit: number;
}

/** A region's inequality in the oriented hyperplanes: side +1 ⇔ ℓ ≥ 0 required, −1 ⇔ ℓ < 0. */
export interface RegionSide {
  /** Index into {@link ShallowNetwork.planes}. */
  readonly plane: number;
  /** +1: the region lies on the closed (positive) side; −1 on the open (negative) side. */
  readonly side: 1 | -1;
}

/** The result of {@link shallowNetwork}. */
export interface ShallowNetwork {
  /** The extended-real network (3 hidden layers, or 2 for the off-boundary variant). */
  readonly net: ExtNetwork;
  /** Distinct hyperplanes (rows of layer 1). */
  readonly planes: OrientedPlane[];
  /** Each region's inequalities in terms of {@link planes}. */
  readonly sides: RegionSide[][];
  /** The anchor m of the tie-breaking curve. */
  readonly anchor: Float64Array;
  /** Widths and parameter counts. */
  readonly size: ExtSize;
}

/** Options of {@link shallowNetwork}. */
export interface ShallowOptions {
  /** `3` (exact everywhere, default) or `2` (exact off region boundaries). */
  layers?: 2 | 3;
}

/** Lexicographic orientation: +1 when (ℓ(m), g_1, …, g_p) is lexicographically positive. */
function orientation(plane: Hyperplane, m: Float64Array): 1 | -1 {
  const s = exactAffineSign(plane.g, m, plane.h);
  if (s !== 0) return s > 0 ? 1 : -1;
  for (let k = 0; k < plane.g.length; k++) if (plane.g[k] !== 0) return plane.g[k] > 0 ? 1 : -1;
  throw new Error("a constant hyperplane cannot bound a region");
}

/**
 * Builds the shallow network of the regions in `set` (which must carry each region's bounding
 * inequalities and local affine maps, as {@link enumerateRegions} returns them). With a box the result
 * is exact on the closed box; without, on all of ℝ^p.
 *
 * @example
 * ```ts
 * const set = enumerateRegions(plNetwork(net));
 * const { net: shallow, size } = shallowNetwork(set, 1);
 * evaluateExtended(shallow, x, n); // equals the network's forward pass at every x
 * ```
 */
export function shallowNetwork(
  set: RegionSet,
  outputs: number,
  options: ShallowOptions = {},
): ShallowNetwork {
  const { p, box } = set;
  const depth = options.layers ?? 3;
  const anchor = new Float64Array(p);
  if (box) anchor.fill(box[0] + (box[1] - box[0]) / 2);
  // distinct oriented hyperplanes
  const planes: OrientedPlane[] = [];
  const index = new Map<string, number>();
  const sides: RegionSide[][] = set.regions.map((region) =>
    region.inequalities.map(({ plane, sign }) => {
      const o = orientation(plane, anchor);
      const g = plane.g.map((v) => o * v + 0);
      const h = o * plane.h + 0;
      const key = `${Array.from(g).join(",")};${h}`;
      let id = index.get(key);
      if (id === undefined) {
        id = planes.length;
        planes.push({ g, h, unit: plane.unit });
        index.set(key, id);
      }
      return { plane: id, side: (sign * o) as 1 | -1 };
    })
  );
  const P = planes.length;
  const K = outputs;
  const layers: ExtLayer[] = [];
  // layer 1: P_k, N_k, b_h (and a_h for the two-layer variant)
  const l1Units = 2 * p + P * (depth === 2 ? 2 : 1);
  const l1 = new ExtLayerBuilder("relu", p, l1Units);
  for (let k = 0; k < p; k++) {
    l1.set(k + 1, k, 1);
    l1.set(k + 1, p + k, -1);
  }
  planes.forEach(({ g, h }, q) => {
    const b = 2 * p + q;
    l1.set(0, b, -h);
    for (let k = 0; k < p; k++) l1.set(k + 1, b, -g[k]);
    if (depth === 2) {
      const a = 2 * p + P + q;
      l1.set(0, a, h);
      for (let k = 0; k < p; k++) l1.set(k + 1, a, g[k]);
    }
  });
  layers.push(l1.build());
  // the gating inputs of the last hidden layer: per (plane, side), a unit index in the previous layer
  const gate = new Map<number, number>(); // key plane * 2 + (side > 0 ? 0 : 1)
  let prevUnits = l1Units;
  if (depth === 3) {
    const used = new Set<number>();
    for (const rs of sides) for (const { plane, side } of rs) used.add(plane * 2 + (side > 0 ? 0 : 1));
    const keys = [...used].sort((a, b) => a - b);
    const l2 = new ExtLayerBuilder("relu", l1Units, 2 * p + keys.length);
    for (let k = 0; k < 2 * p; k++) l2.set(k + 1, k, 1);
    keys.forEach((key, q) => {
      const plane = key >> 1;
      const unit = 2 * p + q;
      const bRow = 2 * p + plane + 1;
      if ((key & 1) === 0) l2.set(bRow, unit, 1); // B_h = ReLU(b_h)
      else {
        l2.set(0, unit, 1); // E_h = ReLU(1 − ∞·b_h)
        l2.set(bRow, unit, -Infinity);
      }
      gate.set(key, unit);
    });
    layers.push(l2.build());
    prevUnits = 2 * p + keys.length;
  } else {
    planes.forEach((_, q) => {
      gate.set(q * 2, 2 * p + q); // positive side violated ⇔ b_h > 0
      gate.set(q * 2 + 1, 2 * p + P + q); // negative side violated ⇔ a_h > 0 (off boundaries)
    });
  }
  // last hidden layer: gated ±(A_k·x + c_k) per region and output; output layer sums them
  const units: { region: number; k: number; s: 1 | -1 }[] = [];
  set.regions.forEach((region, r) => {
    for (let k = 0; k < K; k++) {
      const constant = region.A.subarray(k * p, (k + 1) * p).every((v) => v === 0);
      for (const s of [1, -1] as const) {
        if (constant && s * region.c[k] <= 0) continue; // ReLU of a non-positive constant (or −∞) is 0
        units.push({ region: r, k, s });
      }
    }
  });
  const last = new ExtLayerBuilder("relu", prevUnits, Math.max(units.length, 1));
  const out = new ExtLayerBuilder("linear", Math.max(units.length, 1), K);
  units.forEach(({ region: r, k, s }, u) => {
    const region = set.regions[r];
    last.set(0, u, s * region.c[k]);
    for (let q = 0; q < p; q++) {
      const a = region.A[k * p + q];
      last.set(q + 1, u, s * a); // from P_q
      last.set(p + q + 1, u, -s * a); // from N_q
    }
    for (const { plane, side } of sides[r]) {
      last.set(gate.get(plane * 2 + (side > 0 ? 0 : 1))! + 1, u, -Infinity);
    }
    out.set(u + 1, k, s);
  });
  layers.push(last.build(), out.build());
  const net: ExtNetwork = { inputs: p, layers };
  return { net, planes, sides, anchor, size: extSize(net) };
}
