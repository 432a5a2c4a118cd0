/**
 * Geometry for the relu studies: 2-D region polygons clipped to a box, and points exactly on a unit's
 * zero set. (The region-count bounds live in lib/relu/bounds.ts.)
 *
 * @module
 */

import { type PlNetwork, preActivations } from "../../relu/net.ts";
import type { Inequality, Region } from "../../relu/regions.ts";

/**
 * The polygon of a 2-D region inside the box [lo, hi]²: the box clipped by each inequality
 * (Sutherland–Hodgman), counter-clockwise, without the closing vertex. Empty when nothing is left.
 */
export function regionPolygon(
  inequalities: readonly Inequality[],
  box: readonly [number, number],
): number[][] {
  let poly: number[][] = [[box[0], box[0]], [box[1], box[0]], [box[1], box[1]], [box[0], box[1]]];
  for (const { plane, sign } of inequalities) {
    const v = (q: number[]) => sign * (plane.h + plane.g[0] * q[0] + plane.g[1] * q[1]);
    const next: number[][] = [];
    for (let i = 0; i < poly.length; i++) {
      const P = poly[i];
      const Q = poly[(i + 1) % poly.length];
      const vp = v(P);
      const vq = v(Q);
      if (vp >= 0) next.push(P);
      if ((vp >= 0) !== (vq >= 0)) {
        const t = vp / (vp - vq);
        next.push([P[0] + t * (Q[0] - P[0]), P[1] + t * (Q[1] - P[1])]);
      }
    }
    poly = next;
    if (poly.length === 0) break;
  }
  return poly;
}

/** Area and centroid of a simple polygon (shoelace). */
export function polygonCentroid(poly: readonly number[][]): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i];
    const [x1, y1] = poly[(i + 1) % poly.length];
    const c = x0 * y1 - x1 * y0;
    a += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  a /= 2;
  return a === 0
    ? { area: 0, x: poly[0]?.[0] ?? 0, y: poly[0]?.[1] ?? 0 }
    : { area: a, x: cx / (6 * a), y: cy / (6 * a) };
}

/**
 * Points where one hidden unit's pre-activation, computed by the network's own float64 forward pass,
 * is exactly 0: each region's point is projected onto each of its bounding hyperplanes and then
 * moved ulp by ulp along the coordinate with the largest gradient until the forward pass gives 0
 * (points where that never happens within `maxSteps` ulps are skipped).
 */
export function zeroSetPoints(
  net: PlNetwork,
  regions: readonly Region[],
  limit = 2000,
  maxSteps = 400,
): number[][] {
  const out: number[][] = [];
  for (const region of regions) {
    for (const { plane } of region.inequalities) {
      if (out.length >= limit) return out;
      const { g, h } = plane;
      let v = h;
      let g2 = 0;
      for (let k = 0; k < net.p; k++) {
        v += g[k] * region.point[k];
        g2 += g[k] * g[k];
      }
      const x = Array.from(region.point, (xk, k) => xk - (v / g2) * g[k]);
      let k = 0;
      for (let q = 1; q < net.p; q++) if (Math.abs(g[q]) > Math.abs(g[k])) k = q;
      for (let step = 0; step < maxSteps; step++) {
        const z = preActivations(net, x).z[plane.unit];
        if (z === 0) {
          out.push(x.slice());
          break;
        }
        // move against the sign of z along coordinate k by one ulp
        const up = (z > 0) !== (g[k] > 0);
        x[k] = nextAfter(x[k], up ? Infinity : -Infinity);
      }
    }
  }
  return out;
}

const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);

/** The next float64 after x in the direction of `toward` (±Infinity). */
export function nextAfter(x: number, toward: number): number {
  if (x === toward || Number.isNaN(x)) return x;
  if (x === 0) return toward > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  scratch[0] = x;
  bits[0] += (toward > x) === (x > 0) ? 1n : -1n;
  return scratch[0];
}
