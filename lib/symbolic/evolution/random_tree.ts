/**
 * Random leaves and trees for initial populations and mutations (seeded, so a search is a pure
 * function of its seed).
 *
 * @module
 */

import type { Rng } from "../../data/random.ts";
import {
  binary,
  constant,
  countNodes,
  type Expr,
  replaceSlotInPlace,
  slotsPreorder,
  unary,
  variable,
} from "../core/expression.ts";
import type { BinaryOp, UnaryOp } from "../core/operators.ts";

/** The operators a search may use, and the number of inputs. */
export interface SearchSpace {
  /** Binary operators (at least one). */
  readonly binary: readonly BinaryOp[];
  /** Unary operators (may be empty). */
  readonly unary: readonly UnaryOp[];
  /** Number of inputs p (variables x1..xp). */
  readonly inputs: number;
}

/** A random leaf: a constant N(0, 1) with probability `constantProbability`, else a random variable. */
export function randomLeaf(rng: Rng, space: SearchSpace, constantProbability = 0.25): Expr {
  if (rng.next() < constantProbability) return constant(rng.normal());
  return variable(rng.int(space.inputs));
}

/** A random operator node over fresh random leaves (unary with probability ∝ the unary count). */
export function randomOperatorNode(rng: Rng, space: SearchSpace): Expr {
  const nu = space.unary.length;
  const nb = space.binary.length;
  if (rng.int(nu + nb) < nu) return unary(space.unary[rng.int(nu)], randomLeaf(rng, space));
  return binary(space.binary[rng.int(nb)], randomLeaf(rng, space), randomLeaf(rng, space));
}

/**
 * Replaces a random leaf of `tree` (in place) by a random operator node over new leaves; returns
 * the (possibly new) root.
 */
export function appendRandomOperatorInPlace(rng: Rng, tree: Expr, space: SearchSpace): Expr {
  const leaves = slotsPreorder(tree).filter((s) => s.node.type === "const" || s.node.type === "var");
  const slot = leaves[rng.int(leaves.length)];
  return replaceSlotInPlace(tree, slot, randomOperatorNode(rng, space));
}

/**
 * A random tree grown from a leaf by appending operators until it has at least `nodes` nodes
 * (or cannot grow). The root is a binary operator whenever `nodes` ≥ 3.
 */
export function randomTree(rng: Rng, nodes: number, space: SearchSpace): Expr {
  let tree = randomLeaf(rng, space);
  for (let guard = 0; countNodes(tree) < nodes && guard < 4 * nodes; guard++) {
    tree = appendRandomOperatorInPlace(rng, tree, space);
  }
  return tree;
}
