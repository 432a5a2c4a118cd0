/**
 * A population member (a tree with its loss, score, complexity and birth), how a tree is scored,
 * and the constraints every kept tree satisfies.
 *
 * @module
 */

import { complexity } from "../core/complexity.ts";
import { depth, type Expr } from "../core/expression.ts";
import type { UnaryOp } from "../core/operators.ts";
import { compile, type Program } from "../evaluation/compile.ts";
import type { Objective } from "../loss/objective.ts";
import type { SearchOptions } from "./options.ts";

/** A member of a population (plain data: it crosses worker boundaries by structured clone). */
export interface Member {
  /** The expression. */
  tree: Expr;
  /** Its loss (on all points at the end of an iteration; on a mini-batch in between when batching). */
  loss: number;
  /** loss/normalisation + parsimony·complexity (+∞ when the loss is). */
  score: number;
  /** Complexity under the search's weights. */
  complexity: number;
  /** Birth order, for age-based replacement (deterministic: iteration and step). */
  birth: number;
}

/** Score of a loss: SymbolicRegression.jl's loss/normalisation + parsimony·complexity. */
export function scoreOf(loss: number, size: number, normalization: number, options: SearchOptions): number {
  if (!Number.isFinite(loss)) return Infinity;
  return loss / normalization + options.parsimony * size;
}

const programs = new WeakMap<Expr, Program>();

/**
 * Loss of a tree on an objective (+∞ for an inadmissible tree, e.g. a unary root for the gradient
 * loss). Trees are never modified once scored (mutations copy), so their compiled programs are
 * cached per tree object.
 */
export function lossOfTree(tree: Expr, objective: Objective): number {
  if (!objective.admissible(tree)) return Infinity;
  let prog = programs.get(tree);
  if (prog === undefined || prog.inputs !== objective.inputs) {
    prog = compile(tree, objective.inputs);
    programs.set(tree, prog);
  }
  return objective.loss(prog);
}

/** Largest number of `op` nodes on any path from the root of `e` down to a leaf. */
function maxOnPath(e: Expr, op: UnaryOp): number {
  switch (e.type) {
    case "const":
    case "var":
      return 0;
    case "unary":
      return (e.op === op ? 1 : 0) + maxOnPath(e.arg, op);
    case "binary":
      return Math.max(maxOnPath(e.left, op), maxOnPath(e.right, op));
  }
}

/** True when some `outer` node holds more nested `inner` nodes than `nested[outer][inner]` allows. */
function nestingViolated(e: Expr, nested: SearchOptions["nested"]): boolean {
  if (e.type === "unary") {
    const rules = nested[e.op];
    if (rules) {
      for (const [inner, limit] of Object.entries(rules)) {
        if (maxOnPath(e.arg, inner as UnaryOp) > (limit as number)) return true;
      }
    }
    return nestingViolated(e.arg, nested);
  }
  if (e.type === "binary") return nestingViolated(e.left, nested) || nestingViolated(e.right, nested);
  return false;
}

/** True when a tree is within the search's complexity, depth and nesting limits. */
export function withinLimits(
  tree: Expr,
  size: number,
  maxComplexity: number,
  options: SearchOptions,
): boolean {
  if (size > maxComplexity) return false;
  if (depth(tree) > options.maxDepth) return false;
  if (Object.keys(options.nested).length > 0 && nestingViolated(tree, options.nested)) return false;
  return true;
}

/** A member for `tree` scored on `objective`. */
export function makeMember(
  tree: Expr,
  objective: Objective,
  normalization: number,
  options: SearchOptions,
  birth: number,
): Member {
  const size = complexity(tree, options.complexity);
  const loss = lossOfTree(tree, objective);
  return { tree, loss, score: scoreOf(loss, size, normalization, options), complexity: size, birth };
}
