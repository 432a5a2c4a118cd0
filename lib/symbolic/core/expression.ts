/**
 * Expression trees: constants, variables (0-based index, printed 1-based as `x1`), unary and
 * binary operator nodes. Nodes are plain objects, so trees cross a `postMessage` by structured
 * clone. Functions here never mutate their input unless their name says so (`…InPlace`).
 *
 * @module
 */

import type { BinaryOp, UnaryOp } from "./operators.ts";

/** A constant leaf. */
export interface ConstNode {
  /** Discriminant. */
  readonly type: "const";
  /** The value (finite in every tree the search keeps). */
  value: number;
}

/** A variable leaf: input `index` (0-based; x1 is index 0). */
export interface VarNode {
  /** Discriminant. */
  readonly type: "var";
  /** 0-based input index. */
  index: number;
}

/** A unary operator applied to one subtree. */
export interface UnaryNode {
  /** Discriminant. */
  readonly type: "unary";
  /** The operator. */
  op: UnaryOp;
  /** Its operand. */
  arg: Expr;
}

/** A binary operator applied to two subtrees. */
export interface BinaryNode {
  /** Discriminant. */
  readonly type: "binary";
  /** The operator. */
  op: BinaryOp;
  /** Left operand. */
  left: Expr;
  /** Right operand. */
  right: Expr;
}

/** An expression tree. */
export type Expr = ConstNode | VarNode | UnaryNode | BinaryNode;

/** A constant leaf. */
export function constant(value: number): ConstNode {
  return { type: "const", value };
}

/** Variable x_{index+1} (0-based index). */
export function variable(index: number): VarNode {
  return { type: "var", index };
}

/** A unary node. */
export function unary(op: UnaryOp, arg: Expr): UnaryNode {
  return { type: "unary", op, arg };
}

/**
 * A binary node.
 *
 * @example
 * ```ts
 * const e = binary("+", binary("*", variable(0), variable(0)), constant(2)); // x1*x1 + 2
 * ```
 */
export function binary(op: BinaryOp, left: Expr, right: Expr): BinaryNode {
  return { type: "binary", op, left, right };
}

/** Deep copy of a tree. */
export function cloneExpr(e: Expr): Expr {
  switch (e.type) {
    case "const":
      return { type: "const", value: e.value };
    case "var":
      return { type: "var", index: e.index };
    case "unary":
      return { type: "unary", op: e.op, arg: cloneExpr(e.arg) };
    case "binary":
      return { type: "binary", op: e.op, left: cloneExpr(e.left), right: cloneExpr(e.right) };
  }
}

/** Number of nodes. */
export function countNodes(e: Expr): number {
  switch (e.type) {
    case "const":
    case "var":
      return 1;
    case "unary":
      return 1 + countNodes(e.arg);
    case "binary":
      return 1 + countNodes(e.left) + countNodes(e.right);
  }
}

/** Depth (a leaf has depth 1). */
export function depth(e: Expr): number {
  switch (e.type) {
    case "const":
    case "var":
      return 1;
    case "unary":
      return 1 + depth(e.arg);
    case "binary":
      return 1 + Math.max(depth(e.left), depth(e.right));
  }
}

/** All nodes in preorder (node, then left subtree, then right subtree). */
export function nodesPreorder(e: Expr, out: Expr[] = []): Expr[] {
  out.push(e);
  if (e.type === "unary") nodesPreorder(e.arg, out);
  else if (e.type === "binary") {
    nodesPreorder(e.left, out);
    nodesPreorder(e.right, out);
  }
  return out;
}

/** The constant leaves in preorder: the order {@link getConstants} and the compiler use. */
export function constantNodes(e: Expr, out: ConstNode[] = []): ConstNode[] {
  if (e.type === "const") out.push(e);
  else if (e.type === "unary") constantNodes(e.arg, out);
  else if (e.type === "binary") {
    constantNodes(e.left, out);
    constantNodes(e.right, out);
  }
  return out;
}

/** Number of constant leaves. */
export function countConstants(e: Expr): number {
  switch (e.type) {
    case "const":
      return 1;
    case "var":
      return 0;
    case "unary":
      return countConstants(e.arg);
    case "binary":
      return countConstants(e.left) + countConstants(e.right);
  }
}

/** The constants' values in preorder. */
export function getConstants(e: Expr): Float64Array {
  return Float64Array.from(constantNodes(e), (c) => c.value);
}

/** Writes `values` (preorder) into the tree's constant leaves, in place. */
export function setConstantsInPlace(e: Expr, values: ArrayLike<number>): void {
  const nodes = constantNodes(e);
  if (nodes.length !== values.length) {
    throw new Error(`setConstantsInPlace: tree has ${nodes.length} constants, got ${values.length} values`);
  }
  nodes.forEach((c, i) => (c.value = values[i]));
}

/** Bit mask of the variables a tree uses (bit k for input k; inputs beyond 31 share bit 31). */
export function variableMask(e: Expr): number {
  switch (e.type) {
    case "const":
      return 0;
    case "var":
      return 1 << Math.min(e.index, 31);
    case "unary":
      return variableMask(e.arg);
    case "binary":
      return variableMask(e.left) | variableMask(e.right);
  }
}

/** Largest variable index used, or -1 for a tree without variables. */
export function maxVariable(e: Expr): number {
  switch (e.type) {
    case "const":
      return -1;
    case "var":
      return e.index;
    case "unary":
      return maxVariable(e.arg);
    case "binary":
      return Math.max(maxVariable(e.left), maxVariable(e.right));
  }
}

/** Structural equality, constants compared exactly (Object.is, so 0 ≠ −0 and NaN = NaN). */
export function exprEquals(a: Expr, b: Expr): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "const":
      return Object.is(a.value, (b as ConstNode).value);
    case "var":
      return a.index === (b as VarNode).index;
    case "unary":
      return a.op === (b as UnaryNode).op && exprEquals(a.arg, (b as UnaryNode).arg);
    case "binary": {
      const bb = b as BinaryNode;
      return a.op === bb.op && exprEquals(a.left, bb.left) && exprEquals(a.right, bb.right);
    }
  }
}

/** True when the tree contains no variable (it is a constant function). */
export function isConstantTree(e: Expr): boolean {
  return variableMask(e) === 0;
}

/**
 * Replaces, in a copy of `root`, the node at preorder position `index` by `replacement`
 * (`replacement` is used as is, not copied).
 */
export function replaceAt(root: Expr, index: number, replacement: Expr): Expr {
  let counter = 0;
  const walk = (e: Expr): Expr => {
    const here = counter++;
    if (here === index) {
      counter += countNodes(e) - 1;
      return replacement;
    }
    switch (e.type) {
      case "const":
      case "var":
        return cloneExpr(e);
      case "unary":
        return unary(e.op, walk(e.arg));
      case "binary": {
        const left = walk(e.left);
        return binary(e.op, left, walk(e.right));
      }
    }
  };
  return walk(root);
}

/** The subtree at preorder position `index`. */
export function nodeAt(root: Expr, index: number): Expr {
  const nodes = nodesPreorder(root);
  if (index < 0 || index >= nodes.length) {
    throw new Error(`nodeAt: index ${index} outside 0..${nodes.length - 1}`);
  }
  return nodes[index];
}

/** Where a node hangs: its parent and the parent's field holding it (null for the root). */
export interface NodeSlot {
  /** The node. */
  node: Expr;
  /** Its parent, or null for the root. */
  parent: UnaryNode | BinaryNode | null;
  /** The parent's field that holds the node. */
  field: "arg" | "left" | "right" | null;
}

/** Every node with its parent, in preorder. */
export function slotsPreorder(root: Expr): NodeSlot[] {
  const out: NodeSlot[] = [];
  const walk = (node: Expr, parent: UnaryNode | BinaryNode | null, field: NodeSlot["field"]) => {
    out.push({ node, parent, field });
    if (node.type === "unary") walk(node.arg, node, "arg");
    else if (node.type === "binary") {
      walk(node.left, node, "left");
      walk(node.right, node, "right");
    }
  };
  walk(root, null, null);
  return out;
}

/**
 * Puts `replacement` where `slot.node` hangs (mutating the parent); returns the new root (the
 * replacement itself when the slot is the root).
 */
export function replaceSlotInPlace(root: Expr, slot: NodeSlot, replacement: Expr): Expr {
  if (slot.parent === null) return replacement;
  if (slot.field === "arg") (slot.parent as UnaryNode).arg = replacement;
  else if (slot.field === "left") (slot.parent as BinaryNode).left = replacement;
  else (slot.parent as BinaryNode).right = replacement;
  return root;
}
