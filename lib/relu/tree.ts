/**
 * The decision-tree view of a ReLU network (Aytekin 2022, "Neural Networks are Decision Trees"): every
 * hidden unit, layer by layer, is a sign test on an affine function of the input (affine because the
 * tests above it fixed the earlier units' slopes); a path of H tests fixes the activation pattern and
 * its leaf holds the local linear model. The raw tree has 2^H leaves; branches whose cell is empty are
 * removed by the LP of region refinement, so the remaining leaves are exactly the activation regions.
 *
 * @module
 */

import { formatAffine, formatInequality, unitLabel } from "./explain.ts";
import type { PlNetwork } from "./net.ts";
import { enumerateRegions, type RegionOptions, type RegionSet } from "./regions.ts";

/** The pruned tree and its counts. */
export interface DecisionTree {
  /** The regions (leaves) with the node list, as {@link enumerateRegions} returns them. */
  readonly set: RegionSet;
  /** Leaves of the raw tree: 2^H. */
  readonly rawLeaves: number;
  /** Leaves left after removing empty branches (= regions). */
  readonly leaves: number;
  /** Test nodes whose both branches are non-empty (a real decision). */
  readonly decisions: number;
  /** Test nodes with one empty branch (the test's outcome is implied by the path). */
  readonly impliedTests: number;
}

/** Builds the pruned decision tree of `net` (over ℝ^p, or inside a box). */
export function decisionTree(net: PlNetwork, options: Omit<RegionOptions, "tree"> = {}): DecisionTree {
  const set = enumerateRegions(net, { ...options, tree: true });
  const nodes = set.tree!;
  let decisions = 0;
  let implied = 0;
  for (const n of nodes) {
    if (n.region >= 0 || n.unit < 0) continue;
    if (n.yes >= 0 && n.no >= 0) decisions++;
    else implied++;
  }
  return { set, rawLeaves: 2 ** net.H, leaves: set.regions.length, decisions, impliedTests: implied };
}

/**
 * The tree as indented text: each real decision prints its test, implied tests are folded into the
 * path, and each leaf prints its region's local model.
 *
 * @example
 * ```ts
 * console.log(treeToText(net, decisionTree(net), { names: ["x"] }));
 * // if x > −0.5   [layer 1 unit 1]
 * //   if …
 * ```
 */
export function treeToText(
  net: PlNetwork,
  tree: DecisionTree,
  options: { names?: readonly string[]; digits?: number } = {},
): string {
  const nodes = tree.set.tree!;
  const names = options.names ?? Array.from({ length: net.p }, (_, k) => `x${k + 1}`);
  const digits = options.digits ?? 3;
  const K = net.outputs;
  const lines: string[] = [];
  const visit = (id: number, depth: number) => {
    const n = nodes[id];
    const pad = "  ".repeat(depth);
    if (n.region >= 0) {
      const r = tree.set.regions[n.region];
      const models = Array.from({ length: K }, (_, k) => {
        const lhs = K === 1 ? "y" : `y${k + 1}`;
        return `${lhs} = ${formatAffine(r.A.subarray(k * net.p, (k + 1) * net.p), r.c[k], names, digits)}`;
      });
      lines.push(`${pad}→ region ${n.region + 1} (pattern ${r.pattern.join("")}): ${models.join("; ")}`);
      return;
    }
    if (n.yes >= 0 && n.no >= 0) {
      const label = unitLabel(net, n.unit);
      const test = formatInequality({ plane: n.plane!, sign: 1 }, names, digits);
      lines.push(`${pad}if ${test}   [${label}]`);
      visit(n.yes, depth + 1);
      lines.push(`${pad}else`);
      visit(n.no, depth + 1);
    } else visit(n.yes >= 0 ? n.yes : n.no, depth);
  };
  if (nodes.length > 0) visit(0, 0);
  return lines.join("\n");
}
