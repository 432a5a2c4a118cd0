/**
 * Mutations and crossover of expression trees (the move set of SymbolicRegression.jl's
 * `MutationFunctions.jl`, written anew): constant perturbation, operator and feature swaps, operand
 * swap, rotation, growing at a leaf or above the root, inserting and deleting operators, simplifying,
 * re-randomising, and subtree crossover. Every function works on a copy and returns the new tree.
 *
 * @module
 */

import type { Rng } from "../../data/random.ts";
import { complexity } from "../core/complexity.ts";
import {
  binary,
  type BinaryNode,
  cloneExpr,
  countConstants,
  type Expr,
  replaceSlotInPlace,
  slotsPreorder,
  unary,
} from "../core/expression.ts";
import { simplify } from "../simplify/simplify.ts";
import type { MutationWeights, SearchOptions } from "./options.ts";
import { appendRandomOperatorInPlace, randomLeaf, randomTree, type SearchSpace } from "./random_tree.ts";

/** Names of the mutations, as in {@link MutationWeights}. */
export type MutationName = keyof MutationWeights;

/** Every mutation, in the order draws walk the weights. */
export const MUTATIONS: readonly MutationName[] = [
  "mutateConstant",
  "mutateOperator",
  "mutateFeature",
  "swapOperands",
  "rotateTree",
  "addNode",
  "insertNode",
  "deleteNode",
  "simplify",
  "randomize",
  "doNothing",
  "optimize",
];

/**
 * Draws a mutation for `tree`, with SymbolicRegression.jl's conditioning: a leaf cannot have its
 * operator mutated, deleted or simplified; without constants no constant mutation or optimisation;
 * constant mutation is weighted by min(8, #constants)/8; a tree at the size limit does not grow.
 */
export function drawMutation(
  rng: Rng,
  tree: Expr,
  size: number,
  maxComplexity: number,
  weights: MutationWeights,
): MutationName {
  const w = { ...weights };
  const constants = countConstants(tree);
  if (tree.type === "const" || tree.type === "var") {
    w.mutateOperator = 0;
    w.deleteNode = 0;
    w.simplify = 0;
    w.swapOperands = 0;
    w.rotateTree = 0;
  }
  if (constants === 0) {
    w.mutateConstant = 0;
    w.optimize = 0;
  }
  w.mutateConstant *= Math.min(8, constants) / 8;
  if (size >= maxComplexity) {
    w.addNode = 0;
    w.insertNode = 0;
  }
  let total = 0;
  for (const m of MUTATIONS) total += w[m];
  let u = rng.next() * total;
  for (const m of MUTATIONS) {
    u -= w[m];
    if (u < 0) return m;
  }
  return "doNothing";
}

/** Multiplies a random constant by maxChange^u or divides by it (maxChange = 1 + factor·T); rarely negates. */
export function mutateConstant(rng: Rng, tree: Expr, temperature: number, options: SearchOptions): Expr {
  const out = cloneExpr(tree);
  const constants = slotsPreorder(out).filter((s) => s.node.type === "const");
  if (constants.length === 0) return out;
  const node = constants[rng.int(constants.length)].node as { value: number };
  const maxChange = options.perturbationFactor * temperature + 1 + 1e-12;
  const factor = Math.pow(maxChange, rng.next());
  node.value = rng.next() < 0.5 ? node.value * factor : node.value / factor;
  if (rng.next() < options.negateProbability) node.value = -node.value;
  return out;
}

/** Replaces a random operator by another of the same arity. */
export function mutateOperator(rng: Rng, tree: Expr, space: SearchSpace): Expr {
  const out = cloneExpr(tree);
  const ops = slotsPreorder(out).filter((s) => s.node.type === "unary" || s.node.type === "binary");
  if (ops.length === 0) return out;
  const node = ops[rng.int(ops.length)].node;
  if (node.type === "binary") node.op = space.binary[rng.int(space.binary.length)];
  else if (node.type === "unary" && space.unary.length > 0) {
    node.op = space.unary[rng.int(space.unary.length)];
  }
  return out;
}

/** Points a random variable at a random (other, when possible) input. */
export function mutateFeature(rng: Rng, tree: Expr, space: SearchSpace): Expr {
  const out = cloneExpr(tree);
  const vars = slotsPreorder(out).filter((s) => s.node.type === "var");
  if (vars.length === 0 || space.inputs < 2) return out;
  const node = vars[rng.int(vars.length)].node as { index: number };
  const shift = 1 + rng.int(space.inputs - 1);
  node.index = (node.index + shift) % space.inputs;
  return out;
}

/** Swaps the operands of a random binary node. */
export function swapOperands(rng: Rng, tree: Expr): Expr {
  const out = cloneExpr(tree);
  const bins = slotsPreorder(out).filter((s) => s.node.type === "binary");
  if (bins.length === 0) return out;
  const node = bins[rng.int(bins.length)].node as BinaryNode;
  [node.left, node.right] = [node.right, node.left];
  return out;
}

/**
 * Rotates at a random binary node N with a binary child C: N(A, C(B, D)) → C(N(A, B), D) when C is
 * the right child, N(C(A, B), D) → C(A, N(B, D)) when it is the left one.
 */
export function rotateTree(rng: Rng, tree: Expr): Expr {
  const out = cloneExpr(tree);
  const slots = slotsPreorder(out).filter((s) =>
    s.node.type === "binary" && (s.node.left.type === "binary" || s.node.right.type === "binary")
  );
  if (slots.length === 0) return out;
  const slot = slots[rng.int(slots.length)];
  const n = slot.node as BinaryNode;
  const rightOk = n.right.type === "binary";
  const leftOk = n.left.type === "binary";
  const useRight = rightOk && (!leftOk || rng.next() < 0.5);
  let rotated: BinaryNode;
  if (useRight) {
    const c = n.right as BinaryNode;
    rotated = binary(c.op, binary(n.op, n.left, c.left), c.right);
  } else {
    const c = n.left as BinaryNode;
    rotated = binary(c.op, c.left, binary(n.op, c.right, n.right));
  }
  return replaceSlotInPlace(out, slot, rotated);
}

/** Grows the tree: at a random leaf (append) or above the root (prepend), with equal probability. */
export function addNode(rng: Rng, tree: Expr, space: SearchSpace): Expr {
  const out = cloneExpr(tree);
  if (rng.next() < 0.5) return appendRandomOperatorInPlace(rng, out, space);
  return wrapWithRandomOperator(rng, out, space);
}

function wrapWithRandomOperator(rng: Rng, e: Expr, space: SearchSpace): Expr {
  const nu = space.unary.length;
  const nb = space.binary.length;
  if (rng.int(nu + nb) < nu) return unary(space.unary[rng.int(nu)], e);
  const op = space.binary[rng.int(nb)];
  const leaf = randomLeaf(rng, space);
  return rng.next() < 0.5 ? binary(op, e, leaf) : binary(op, leaf, e);
}

/** Inserts a random operator above a random node (the node becomes one operand). */
export function insertNode(rng: Rng, tree: Expr, space: SearchSpace): Expr {
  const out = cloneExpr(tree);
  const slots = slotsPreorder(out);
  const slot = slots[rng.int(slots.length)];
  return replaceSlotInPlace(out, slot, wrapWithRandomOperator(rng, slot.node, space));
}

/** Replaces a random operator node by one of its operands (a leaf by a random leaf). */
export function deleteNode(rng: Rng, tree: Expr, space: SearchSpace): Expr {
  const out = cloneExpr(tree);
  const slots = slotsPreorder(out);
  const ops = slots.filter((s) => s.node.type === "unary" || s.node.type === "binary");
  if (ops.length === 0) return randomLeaf(rng, space);
  const slot = ops[rng.int(ops.length)];
  const node = slot.node;
  const child = node.type === "unary"
    ? node.arg
    : rng.next() < 0.5
    ? (node as BinaryNode).left
    : (node as BinaryNode).right;
  return replaceSlotInPlace(out, slot, child);
}

/** A random tree of random size 1..maxComplexity nodes. */
export function randomize(rng: Rng, maxComplexity: number, space: SearchSpace): Expr {
  return randomTree(rng, 1 + rng.int(maxComplexity), space);
}

/** Swaps a random subtree of `a` with a random subtree of `b` (copies). */
export function crossover(rng: Rng, a: Expr, b: Expr): [Expr, Expr] {
  const outA = cloneExpr(a);
  const outB = cloneExpr(b);
  const sa = slotsPreorder(outA);
  const sb = slotsPreorder(outB);
  const slotA = sa[rng.int(sa.length)];
  const slotB = sb[rng.int(sb.length)];
  const subA = slotA.node;
  const subB = slotB.node;
  return [replaceSlotInPlace(outA, slotA, subB), replaceSlotInPlace(outB, slotB, subA)];
}

/**
 * Applies mutation `name` (not `optimize`, `doNothing` or `simplify`-with-evaluation, which the
 * caller handles) and returns the new tree.
 */
export function applyMutation(
  rng: Rng,
  name: MutationName,
  tree: Expr,
  temperature: number,
  options: SearchOptions,
  space: SearchSpace,
): Expr {
  switch (name) {
    case "mutateConstant":
      return mutateConstant(rng, tree, temperature, options);
    case "mutateOperator":
      return mutateOperator(rng, tree, space);
    case "mutateFeature":
      return mutateFeature(rng, tree, space);
    case "swapOperands":
      return swapOperands(rng, tree);
    case "rotateTree":
      return rotateTree(rng, tree);
    case "addNode":
      return addNode(rng, tree, space);
    case "insertNode":
      return insertNode(rng, tree, space);
    case "deleteNode":
      return deleteNode(rng, tree, space);
    case "simplify":
      return simplify(tree, options.complexity);
    case "randomize":
      return randomize(rng, options.maxComplexity, space);
    case "doNothing":
    case "optimize":
      return cloneExpr(tree);
  }
}

/** Complexity of a tree under the search's weights. */
export function sizeOf(tree: Expr, options: SearchOptions): number {
  return complexity(tree, options.complexity);
}
