/**
 * Compiles an expression tree to a flat program: vector instructions over registers of a batch of
 * points (value and forward-mode tangents with respect to the inputs), plus a scalar prelude that
 * computes the constant subtrees from the tree's constants.
 *
 * Registers 0..p−1 are the inputs (set once per batch by the {@link Workspace} of `evaluate.ts`);
 * work registers follow. An operand ≥ 0 is a register, an operand < 0 the constant `pool[−1 − o]`.
 * Constant subtrees never reach the vector code: `sin(2)·x1` multiplies x1 by a pool entry the
 * prelude computes, so changing the tree's constants (constant optimisation) only rewrites
 * `pool[0..constants)` and re-runs the program.
 *
 * Each instruction carries a tangent plan: the inputs k its result depends on, each with a mode
 * (1: only the first operand depends on x_k, 2: only the second, 3: both), so no tangent known to
 * be zero is ever computed or read.
 *
 * @module
 */

import { type Expr } from "../core/expression.ts";
import type { BinaryOp, UnaryOp } from "../core/operators.ts";

/** Opcodes of the vector and scalar instructions. */
export const OP = {
  NEG: 1,
  SIN: 2,
  COS: 3,
  EXP: 4,
  LOG: 5,
  SQRT: 6,
  ABS: 7,
  SQUARE: 8,
  CUBE: 9,
  ADD: 20,
  SUB: 21,
  MUL: 22,
  DIV: 23,
  POW: 24,
} as const;

const UNARY_CODE: Record<UnaryOp, number> = {
  neg: OP.NEG,
  sin: OP.SIN,
  cos: OP.COS,
  exp: OP.EXP,
  log: OP.LOG,
  sqrt: OP.SQRT,
  abs: OP.ABS,
  square: OP.SQUARE,
  cube: OP.CUBE,
};

const BINARY_CODE: Record<BinaryOp, number> = {
  "+": OP.ADD,
  "-": OP.SUB,
  "*": OP.MUL,
  "/": OP.DIV,
  "^": OP.POW,
};

/** A compiled expression. */
export interface Program {
  /** Number of inputs p. */
  readonly inputs: number;
  /** Registers used in total (inputs included). */
  readonly registers: number;
  /** Vector instructions, 4 ints each: opcode, destination register, operand a, operand b (unary: b = 0). */
  readonly code: Int32Array;
  /** Start of each instruction's tangent plan in {@link planData} (length instructions + 1). */
  readonly planStart: Int32Array;
  /** Tangent plan entries `(k << 2) | mode`. */
  readonly planData: Int32Array;
  /** Scalar prelude, 4 ints each: opcode, destination pool index, operand a, operand b (pool indices). */
  readonly prelude: Int32Array;
  /** Constants: the tree's (preorder) first, then the prelude's results. Mutable: constant optimisation writes here. */
  readonly pool: Float64Array;
  /** Number of the tree's own constants at the start of {@link pool}. */
  readonly constants: number;
  /** Where the result is: a register (≥ 0) or a pool entry (< 0, a constant expression). */
  readonly output: number;
  /** 1 at k when the result depends on x_k (its tangent k is computed), else 0. */
  readonly outputDeps: Uint8Array;
}

/**
 * Compiles a tree for `inputs` variables. The tree's constants go to `pool[0..]` in preorder (the
 * order of `getConstants`).
 *
 * @example
 * ```ts
 * const prog = compile(parseExpression("x1*x2 + sin(x1)"), 2);
 * ```
 */
export function compile(tree: Expr, inputs: number): Program {
  const base: number[] = [];
  const derived: { op: number; a: number; b: number }[] = [];
  // collect the tree's constants first, in preorder, so pool[0..constants) maps to them
  const collect = (e: Expr) => {
    if (e.type === "const") base.push(e.value);
    else if (e.type === "unary") collect(e.arg);
    else if (e.type === "binary") {
      collect(e.left);
      collect(e.right);
    }
  };
  collect(tree);
  let nextConstant = 0;

  const code: number[] = [];
  const planStart: number[] = [0];
  const planData: number[] = [];
  const deps = new Map<number, Uint8Array>(); // register → inputs it depends on
  for (let k = 0; k < inputs; k++) {
    const d = new Uint8Array(inputs);
    d[k] = 1;
    deps.set(k, d);
  }
  const free: number[] = [];
  let registers = inputs;
  const allocate = () => free.pop() ?? registers++;
  const release = (o: number) => {
    if (o >= inputs) free.push(o);
  };
  const noDeps = new Uint8Array(inputs);
  const depsOf = (o: number) => (o >= 0 ? deps.get(o)! : noDeps);

  const emit = (op: number, a: number, b: number, binaryOp: boolean): number => {
    const dst = allocate();
    const da = depsOf(a);
    const db = binaryOp ? depsOf(b) : noDeps;
    const d = new Uint8Array(inputs);
    for (let k = 0; k < inputs; k++) {
      const mode = (da[k] ? 1 : 0) | (db[k] ? 2 : 0);
      if (mode) {
        planData.push((k << 2) | mode);
        d[k] = 1;
      }
    }
    planStart.push(planData.length);
    code.push(op, dst, a, b);
    release(a);
    if (binaryOp) release(b);
    deps.set(dst, d);
    return dst;
  };

  // returns an operand; constant subtrees become pool operands (< 0)
  const walk = (e: Expr): number => {
    switch (e.type) {
      case "const":
        return -1 - nextConstant++;
      case "var":
        if (e.index >= inputs) {
          throw new Error(`compile: x${e.index + 1} used but there are ${inputs} inputs`);
        }
        return e.index;
      case "unary": {
        const a = walk(e.arg);
        if (a < 0) {
          derived.push({ op: UNARY_CODE[e.op], a: -1 - a, b: 0 });
          return -1 - (base.length + derived.length - 1);
        }
        return emit(UNARY_CODE[e.op], a, 0, false);
      }
      case "binary": {
        const a = walk(e.left);
        const b = walk(e.right);
        if (a < 0 && b < 0) {
          derived.push({ op: BINARY_CODE[e.op], a: -1 - a, b: -1 - b });
          return -1 - (base.length + derived.length - 1);
        }
        return emit(BINARY_CODE[e.op], a, b, true);
      }
    }
  };
  const output = walk(tree);
  const pool = new Float64Array(base.length + derived.length);
  pool.set(base);
  const prelude = new Int32Array(derived.length * 4);
  derived.forEach((d, j) => prelude.set([d.op, base.length + j, d.a, d.b], 4 * j));
  return {
    inputs,
    registers,
    code: Int32Array.from(code),
    planStart: Int32Array.from(planStart),
    planData: Int32Array.from(planData),
    prelude,
    pool,
    constants: base.length,
    output,
    outputDeps: output >= 0 ? deps.get(output)! : noDeps,
  };
}
