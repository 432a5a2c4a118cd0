/**
 * The test oracle of region enumeration: every one of the 2^H activation patterns, each checked by one
 * max-slack LP over all H inequalities of that pattern (no refinement, no pruning, no shared state).
 * A unit that is identically 0 on a pattern's cell counts as inactive there (pre-activation ≤ 0).
 *
 * @module
 */

import { SlackLp } from "./lp.ts";
import { affineThrough, applySlopes, type PlNetwork } from "./net.ts";
import { DEFAULT_SLACK_TOLERANCE, RegionLimitError } from "./regions.ts";

/** A pattern found full-dimensional by the oracle, with the LP's interior point and slack. */
export interface BruteRegion {
  /** One bit per hidden unit. */
  pattern: Uint8Array;
  /** The LP optimum: an interior point. */
  point: Float64Array;
  /** Its slack. */
  slack: number;
}

/** Options of {@link bruteForceRegions}. */
export interface BruteOptions {
  /** Only regions meeting the open box (lo, hi)^p. */
  box?: readonly [number, number];
  /** Refuse (before any LP) when 2^H exceeds this (default 2^20). */
  maxPatterns?: number;
  /** LP slack threshold (default as for refinement). */
  tolerance?: number;
}

/** All full-dimensional activation regions by testing each of the 2^H patterns. */
export function bruteForceRegions(net: PlNetwork, options: BruteOptions = {}): BruteRegion[] {
  const { p, H } = net;
  const maxPatterns = options.maxPatterns ?? 2 ** 20;
  if (2 ** H > maxPatterns) {
    throw new RegionLimitError(
      maxPatterns,
      `brute force needs 2^${H} = ${2 ** H} patterns, above the limit of ${maxPatterns}`,
    );
  }
  const tol = options.tolerance ?? DEFAULT_SLACK_TOLERANCE;
  const lp = new SlackLp(p);
  const w = p + 1;
  const box = options.box;
  const rows = new Float64Array((H + 2 * p) * w);
  const out: BruteRegion[] = [];
  const pattern = new Uint8Array(H);
  for (let code = 0; code < 2 ** H; code++) {
    for (let u = 0; u < H; u++) pattern[u] = (code >> (H - 1 - u)) & 1;
    let m = 0;
    let M: Float64Array = new Float64Array(p * p);
    for (let k = 0; k < p; k++) M[k * p + k] = 1;
    let mv: Float64Array = new Float64Array(p);
    let n = p;
    for (const layer of net.hidden) {
      const { G, h } = affineThrough(M, mv, n, layer.weights, layer.units, p);
      for (let j = 0; j < layer.units; j++) {
        const s = pattern[layer.offset + j] ? 1 : -1;
        let zero = h[j] === 0;
        for (let k = 0; k < p; k++) {
          rows[m * w + k] = s * G[k * layer.units + j];
          if (rows[m * w + k] !== 0) zero = false;
        }
        rows[m * w + p] = s * h[j];
        // a unit identically 0 on the pattern's cell is inactive there (bit 0 holds, bit 1 cannot)
        if (zero && s === -1) continue;
        if (zero) rows[m * w + p] = -1;
        m++;
      }
      applySlopes(G, h, p, layer.units, (j) => (pattern[layer.offset + j] ? 1 : layer.slope));
      M = G;
      mv = h;
      n = layer.units;
    }
    if (box) {
      for (let k = 0; k < p; k++) {
        for (const [a, b] of [[1, -box[0]], [-1, box[1]]]) {
          rows.fill(0, m * w, (m + 1) * w);
          rows[m * w + k] = a;
          rows[m * w + p] = b;
          m++;
        }
      }
    }
    const t = lp.solve(rows, m, 1);
    if (t > tol) out.push({ pattern: pattern.slice(), point: Float64Array.from(lp.x), slack: t });
  }
  return out;
}
