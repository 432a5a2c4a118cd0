/**
 * Activation regions of a dense ReLU network by layer-wise refinement with a max-slack LP.
 *
 * A region is the set of inputs where every hidden unit has a given sign pattern (bit 1 ⇔ its
 * pre-activation is > 0); only full-dimensional regions (non-empty interior) count. On a region of the
 * first l layers each unit of layer l + 1 is affine, z = g·x + h, so the region is cut by that
 * hyperplane: the side holding the region's interior point is kept for free, the other side is kept
 * when the LP `max t s.t. every inequality ≥ t, −s·(g·x + h) ≥ t` has t > tolerance (its optimum is
 * the new piece's interior point). A cut whose other side is empty is implied by the piece's
 * inequalities and never enters a later LP; the cuts where both sides are non-empty are the candidate
 * bounding inequalities, of which the redundant ones are removed by one LP each at the end
 * (sequentially, so that duplicated hyperplanes keep one copy). Each region then gets a central
 * interior point (one more LP), its local affine map `A·x + c` and, optionally, its place in the
 * decision tree of sign tests (Aytekin 2022).
 *
 * With a box (lo, hi), regions are those meeting the open box (lo, hi)^p: the box faces are four more
 * rows of every LP, never bounding inequalities of a region.
 *
 * @module
 */

import { SlackLp } from "./lp.ts";
import { affineThrough, applySlopes, type PlNetwork } from "./net.ts";

/** An affine function of the input, `g·x + h`: one hidden unit's pre-activation on a region. */
export interface Hyperplane {
  /** Global index of the hidden unit (layers in order, 0-based). */
  readonly unit: number;
  /** Gradient (length p). */
  readonly g: Float64Array;
  /** Offset. */
  readonly h: number;
}

/** One inequality of a region: `sign·(g·x + h) > 0`. */
export interface Inequality {
  /** The unit's affine pre-activation on the region. */
  readonly plane: Hyperplane;
  /** +1: the unit is active (pre-activation > 0); −1: inactive (< 0). */
  readonly sign: 1 | -1;
}

/** A full-dimensional activation region. */
export interface Region {
  /** One bit per hidden unit, layers in order; 1 ⇔ pre-activation > 0. */
  readonly pattern: Uint8Array;
  /** An interior point (every pre-activation non-zero there). */
  point: Float64Array;
  /** The point's smallest LP slack (rows scaled to max |g_k| ∈ [0.5, 1)). */
  slack: number;
  /** Local affine map, row-major K × p: the network equals A·x + c on the region. */
  readonly A: Float64Array;
  /** Local offsets (length K). */
  readonly c: Float64Array;
  /** Bounding inequalities: minimal (redundant ones removed by LP) unless `minimal: false`. */
  inequalities: Inequality[];
}

/** A node of the pruned decision tree: a sign test of one unit, or a leaf holding a region. */
export interface TreeNode {
  /** Global hidden-unit index tested here, or −1 at a leaf. */
  unit: number;
  /** The test `g·x + h > 0` at this node (the unit's pre-activation on the node's cell). */
  plane?: Hyperplane;
  /** Child where the test holds (index into the node list), −1 when that branch is empty. */
  yes: number;
  /** Child where it fails, −1 when that branch is empty. */
  no: number;
  /** At a leaf: the region's index. */
  region: number;
}

/** Options of {@link enumerateRegions}. */
export interface RegionOptions {
  /** Restrict to regions meeting the open box (lo, hi)^p. */
  box?: readonly [number, number];
  /** Stop with a {@link RegionLimitError} once more regions than this appear (default 100,000). */
  maxRegions?: number;
  /** Remove redundant bounding inequalities by LP (default true). */
  minimal?: boolean;
  /** LP slack above which a piece counts as full-dimensional (default 1e-9, scaled units). */
  tolerance?: number;
  /** Also return the decision tree of sign tests (default false). */
  tree?: boolean;
  /** Called after every LP with its rows (`[a, b]` per row, scaled by the caller's signs), for benchmarks. */
  onLp?: (rows: Float64Array, m: number, slack: number) => void;
}

/** What {@link enumerateRegions} returns. */
export interface RegionSet {
  /** The regions, in the order the refinement leaves them (depth-first by layer and unit). */
  readonly regions: Region[];
  /** Inputs p. */
  readonly p: number;
  /** Hidden units H. */
  readonly H: number;
  /** The box, if any. */
  readonly box?: readonly [number, number];
  /** LPs solved: refinement, redundancy removal and centring. */
  readonly lps: { refinement: number; redundancy: number; centring: number };
  /** Simplex pivots over all LPs. */
  readonly pivots: number;
  /** The pruned decision tree (node 0 is the root), when asked for. */
  readonly tree?: TreeNode[];
}

/** The number of regions exceeded the configured limit. */
export class RegionLimitError extends Error {
  /** The limit. */
  readonly limit: number;
  constructor(limit: number, message: string) {
    super(message);
    this.name = "RegionLimitError";
    this.limit = limit;
  }
}

/** Default of {@link RegionOptions.maxRegions}. */
export const DEFAULT_MAX_REGIONS = 100_000;
/** Default of {@link RegionOptions.tolerance}. */
export const DEFAULT_SLACK_TOLERANCE = 1e-9;
/** A candidate inequality is dropped as redundant only when the LP beyond it has slack ≤ this. */
const REDUNDANT_TOL = 1e-13;

interface Piece {
  bits: number[];
  point: Float64Array;
  slack: number;
  ineqs: Inequality[];
  node: number;
}

/** Builds LP rows `[sign·g, sign·h]` for a set of inequalities, the box faces and optional extra rows. */
class RowBuilder {
  rows: Float64Array;
  m = 0;
  constructor(readonly p: number, readonly box: readonly [number, number] | undefined) {
    this.rows = new Float64Array(64 * (p + 1));
  }
  reset(): void {
    this.m = 0;
    const { p, box } = this;
    if (!box) return;
    for (let k = 0; k < p; k++) {
      this.pushRaw(k, 1, -box[0]);
      this.pushRaw(k, -1, box[1]);
    }
  }
  private ensure(): void {
    const w = this.p + 1;
    if ((this.m + 1) * w > this.rows.length) {
      const next = new Float64Array(this.rows.length * 2);
      next.set(this.rows);
      this.rows = next;
    }
  }
  private pushRaw(k: number, a: number, b: number): void {
    this.ensure();
    const w = this.p + 1;
    const o = this.m * w;
    this.rows.fill(0, o, o + w);
    this.rows[o + k] = a;
    this.rows[o + this.p] = b;
    this.m++;
  }
  push(plane: Hyperplane, sign: number): void {
    this.ensure();
    const w = this.p + 1;
    const o = this.m * w;
    for (let k = 0; k < this.p; k++) this.rows[o + k] = sign * plane.g[k];
    this.rows[o + this.p] = sign * plane.h;
    this.m++;
  }
  pushAll(ineqs: readonly Inequality[], skip = -1): void {
    for (let i = 0; i < ineqs.length; i++) if (i !== skip) this.push(ineqs[i].plane, ineqs[i].sign);
  }
}

/**
 * Enumerates every full-dimensional activation region of `net` (over ℝ^p, or meeting the open box),
 * with an interior point, the local affine map and the bounding inequalities of each.
 *
 * @example
 * ```ts
 * const set = enumerateRegions(plNetwork(parseNetwork(json)), { box: [-1, 1] });
 * set.regions.length; // number of regions meeting (−1, 1)^p
 * ```
 */
export function enumerateRegions(net: PlNetwork, options: RegionOptions = {}): RegionSet {
  const { p, H } = net;
  const box = options.box;
  const tol = options.tolerance ?? DEFAULT_SLACK_TOLERANCE;
  const maxRegions = options.maxRegions ?? DEFAULT_MAX_REGIONS;
  const solver = new SlackLp(p);
  const onLp = options.onLp;
  const lp = {
    x: solver.x,
    solve(rows: Float64Array, m: number, cap: number): number {
      const t = solver.solve(rows, m, cap);
      onLp?.(rows, m, t);
      return t;
    },
  };
  const rb = new RowBuilder(p, box);
  const tree: TreeNode[] | undefined = options.tree ? [] : undefined;
  const newNode = (): number => {
    if (!tree) return -1;
    tree.push({ unit: -1, yes: -1, no: -1, region: -1 });
    return tree.length - 1;
  };
  let refinementLps = 0;
  const start = new Float64Array(p);
  if (box) start.fill((box[0] + box[1]) / 2);
  // activations of the current layer as x·M + m (M row-major p × n), per piece
  const identity = new Float64Array(p * p);
  for (let k = 0; k < p; k++) identity[k * p + k] = 1;
  let pieces: Piece[] = [{
    bits: [],
    point: start,
    slack: box ? (box[1] - box[0]) / 2 : 1,
    ineqs: [],
    node: newNode(),
  }];
  let maps: { M: Float64Array; m: Float64Array }[] = [{ M: identity, m: new Float64Array(p) }];
  let n = p;
  for (const layer of net.hidden) {
    const nextPieces: Piece[] = [];
    const nextMaps: { M: Float64Array; m: Float64Array }[] = [];
    for (let q = 0; q < pieces.length; q++) {
      const { G, h } = affineThrough(maps[q].M, maps[q].m, n, layer.weights, layer.units, p);
      const planes: Hyperplane[] = [];
      for (let j = 0; j < layer.units; j++) {
        const g = new Float64Array(p);
        for (let k = 0; k < p; k++) g[k] = G[k * layer.units + j];
        planes.push({ unit: layer.offset + j, g, h: h[j] });
      }
      let current = [pieces[q]];
      for (let j = 0; j < layer.units; j++) {
        const plane = planes[j];
        const next: Piece[] = [];
        const constant = plane.g.every((v) => v === 0);
        for (const piece of current) {
          let v = plane.h;
          if (!constant) { for (let k = 0; k < p; k++) v += plane.g[k] * piece.point[k]; }
          const sides: { sign: 1 | -1; child: Piece }[] = [];
          for (const sign of [1, -1] as const) {
            if ((sign === 1 && v > 0) || (sign === -1 && v < 0)) {
              sides.push({ sign, child: piece }); // the side of the piece's point: no LP needed
            } else if (!constant) {
              rb.reset();
              rb.pushAll(piece.ineqs);
              rb.push(plane, sign);
              const t = lp.solve(rb.rows, rb.m, 1);
              refinementLps++;
              if (t > tol) {
                const child = {
                  bits: piece.bits.slice(),
                  point: Float64Array.from(lp.x),
                  slack: t,
                  ineqs: piece.ineqs.slice(),
                  node: -1,
                };
                sides.push({ sign, child });
              }
            } else if (sign === -1 && v === 0) {
              sides.push({ sign, child: piece }); // a unit identically 0 on the piece counts as inactive
            }
          }
          if (sides.length === 0) {
            throw new Error(`region refinement lost a piece at unit ${plane.unit} (LP failure)`);
          }
          const parent = piece.node;
          if (tree) {
            tree[parent].unit = plane.unit;
            tree[parent].plane = plane;
          }
          for (const { sign, child } of sides) {
            child.bits.push(sign === 1 ? 1 : 0);
            if (sides.length === 2) child.ineqs.push({ plane, sign });
            if (tree) {
              const id = newNode();
              if (sign === 1) tree[parent].yes = id;
              else tree[parent].no = id;
              child.node = id;
            }
            next.push(child);
          }
        }
        current = next;
        if (nextPieces.length + current.length > maxRegions) {
          throw new RegionLimitError(
            maxRegions,
            `more than ${maxRegions} activation regions ${
              box ? `meeting the box (${box[0]}, ${box[1]})^${p} ` : ""
            }` +
              `(reached at hidden unit ${plane.unit + 1} of ${H}); raise the limit${
                box ? " or shrink the box" : " or use a box"
              }`,
          );
        }
      }
      for (const piece of current) {
        const G2 = G.slice();
        const h2 = h.slice();
        const bitsOfLayer = piece.bits.slice(layer.offset, layer.offset + layer.units);
        applySlopes(G2, h2, p, layer.units, (j) => (bitsOfLayer[j] ? 1 : layer.slope));
        nextPieces.push(piece);
        nextMaps.push({ M: G2, m: h2 });
      }
    }
    pieces = nextPieces;
    maps = nextMaps;
    n = layer.units;
  }
  // finish each region: minimal inequalities, a central point, the local affine map
  const K = net.outputs;
  let redundancyLps = 0;
  let centringLps = 0;
  const regions: Region[] = pieces.map((piece, r) => {
    let ineqs = piece.ineqs;
    if ((options.minimal ?? true) && ineqs.length > 0) {
      const kept: Inequality[] = ineqs.slice();
      for (let i = 0; i < kept.length;) {
        rb.reset();
        rb.pushAll(kept, i);
        rb.push(kept[i].plane, -kept[i].sign);
        const t = lp.solve(rb.rows, rb.m, 1);
        redundancyLps++;
        if (t > REDUNDANT_TOL) i++;
        else kept.splice(i, 1);
      }
      ineqs = kept;
    }
    rb.reset();
    rb.pushAll(ineqs);
    let point = piece.point;
    let slack = piece.slack;
    if (rb.m > 0) {
      const t = lp.solve(rb.rows, rb.m, 1);
      centringLps++;
      if (t > tol) {
        point = Float64Array.from(lp.x);
        slack = t;
      }
    }
    const { G, h } = affineThrough(maps[r].M, maps[r].m, n, net.output, K, p);
    const A = new Float64Array(K * p);
    for (let k = 0; k < K; k++) for (let q = 0; q < p; q++) A[k * p + q] = G[q * K + k];
    if (tree) tree[piece.node].region = r;
    return { pattern: Uint8Array.from(piece.bits), point, slack, A, c: h, inequalities: ineqs };
  });
  return {
    regions,
    p,
    H,
    box,
    lps: { refinement: refinementLps, redundancy: redundancyLps, centring: centringLps },
    pivots: solver.pivots,
    tree,
  };
}
