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

import { countConstants, type Expr } from "../core/expression.ts";
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
  readonly code: readonly number[];
  /** Start of each instruction's tangent plan in {@link planData} (length instructions + 1). */
  readonly planStart: readonly number[];
  /** Tangent plan entries `(k << 2) | mode`. */
  readonly planData: readonly number[];
  /** Scalar prelude, 4 ints each: opcode, destination pool index, operand a, operand b (pool indices). */
  readonly prelude: readonly number[];
  /** Constants: the tree's (preorder) first, then the prelude's results. Mutable: constant optimisation writes here. */
  readonly pool: Float64Array;
  /** Number of the tree's own constants at the start of {@link pool}. */
  readonly constants: number;
  /** Where the result is: a register (≥ 0) or a pool entry (< 0, a constant expression). */
  readonly output: number;
  /** 1 at k when the result depends on x_k (its tangent k is computed), else 0. */
  readonly outputDeps: readonly number[];
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
  // plain arrays while building (cheap to allocate, fast to read); one Float64Array for the pool
  const baseCount = countConstants(tree);
  const pool: number[] = [];
  for (let i = 0; i < baseCount; i++) pool.push(0);
  let nextConstant = 0;
  const prelude: number[] = [];
  const code: number[] = [];
  const planStart: number[] = [0];
  const planData: number[] = [];
  // dependency sets: `words` 32-bit words per register
  const words = (inputs + 31) >>> 5;
  const deps: number[] = [];
  for (let k = 0; k < inputs; k++) {
    for (let w = 0; w < words; w++) deps.push(w === k >>> 5 ? 1 << (k & 31) : 0);
  }
  const free: number[] = [];
  let registers = inputs;
  const has = (o: number, k: number) => o >= 0 && (deps[o * words + (k >>> 5)] & (1 << (k & 31))) !== 0;

  const emit = (op: number, a: number, b: number, binaryOp: boolean): number => {
    let dst = free.pop();
    if (dst === undefined) {
      dst = registers++;
      for (let w = 0; w < words; w++) deps.push(0);
    }
    const at = dst * words;
    for (let w = 0; w < words; w++) deps[at + w] = 0;
    for (let k = 0; k < inputs; k++) {
      const mode = (has(a, k) ? 1 : 0) | (binaryOp && has(b, k) ? 2 : 0);
      if (mode) {
        planData.push((k << 2) | mode);
        deps[at + (k >>> 5)] |= 1 << (k & 31);
      }
    }
    code.push(op, dst, a, b);
    planStart.push(planData.length);
    if (a >= inputs) free.push(a);
    if (binaryOp && b >= inputs && b !== a) free.push(b);
    return dst;
  };
  const derive = (op: number, a: number, b: number): number => {
    const at = pool.length;
    prelude.push(op, at, a, b);
    pool.push(0);
    return -1 - at;
  };

  // returns an operand; constant subtrees become pool operands (< 0)
  const walk = (e: Expr): number => {
    switch (e.type) {
      case "const":
        pool[nextConstant] = e.value;
        return -1 - nextConstant++;
      case "var":
        if (e.index >= inputs) {
          throw new Error(`compile: x${e.index + 1} used but there are ${inputs} inputs`);
        }
        return e.index;
      case "unary": {
        const a = walk(e.arg);
        if (a < 0) return derive(UNARY_CODE[e.op], -1 - a, 0);
        return emit(UNARY_CODE[e.op], a, 0, false);
      }
      case "binary": {
        const a = walk(e.left);
        const b = walk(e.right);
        if (a < 0 && b < 0) return derive(BINARY_CODE[e.op], -1 - a, -1 - b);
        return emit(BINARY_CODE[e.op], a, b, true);
      }
    }
  };
  const output = walk(tree);
  const outputDeps: number[] = [];
  for (let k = 0; k < inputs; k++) outputDeps.push(has(output, k) ? 1 : 0);
  return {
    inputs,
    registers,
    code,
    planStart,
    planData,
    prelude,
    pool: Float64Array.from(pool),
    constants: baseCount,
    output,
    outputDeps,
  };
}
