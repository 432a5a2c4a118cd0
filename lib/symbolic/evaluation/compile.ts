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

import { countConstants, countNodes, type Expr } from "../core/expression.ts";
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
  const nodes = countNodes(tree);
  const baseCount = countConstants(tree);
  const pool: number[] = new Array(baseCount);
  let nextConstant = 0;
  const preludeList: number[] = [];
  let derived = 0;

  const maxInstructions = nodes;
  const code = new Int32Array(4 * maxInstructions);
  const planStart = new Int32Array(maxInstructions + 1);
  const planData = new Int32Array(maxInstructions * inputs);
  let instructions = 0;
  let planLength = 0;
  // dependency sets: `words` 32-bit words per register
  const words = (inputs + 31) >>> 5;
  let depCapacity = inputs + 8;
  let deps = new Int32Array(depCapacity * words);
  for (let k = 0; k < inputs; k++) deps[k * words + (k >>> 5)] = 1 << (k & 31);
  const free: number[] = [];
  let registers = inputs;
  const allocate = () => {
    const r = free.pop();
    if (r !== undefined) return r;
    if (registers >= depCapacity) {
      depCapacity *= 2;
      const grown = new Int32Array(depCapacity * words);
      grown.set(deps);
      deps = grown;
    }
    return registers++;
  };
  const release = (o: number) => {
    if (o >= inputs) free.push(o);
  };
  const has = (o: number, k: number) => o >= 0 && (deps[o * words + (k >>> 5)] & (1 << (k & 31))) !== 0;

  const emit = (op: number, a: number, b: number, binaryOp: boolean): number => {
    const dst = allocate();
    for (let w = 0; w < words; w++) deps[dst * words + w] = 0;
    for (let k = 0; k < inputs; k++) {
      const mode = (has(a, k) ? 1 : 0) | (binaryOp && has(b, k) ? 2 : 0);
      if (mode) {
        planData[planLength++] = (k << 2) | mode;
        deps[dst * words + (k >>> 5)] |= 1 << (k & 31);
      }
    }
    code[4 * instructions] = op;
    code[4 * instructions + 1] = dst;
    code[4 * instructions + 2] = a;
    code[4 * instructions + 3] = b;
    instructions++;
    planStart[instructions] = planLength;
    release(a);
    if (binaryOp) release(b);
    return dst;
  };
  const derive = (op: number, a: number, b: number): number => {
    preludeList.push(op, baseCount + derived, a, b);
    pool.push(0);
    return -1 - (baseCount + derived++);
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
  const outputDeps = new Uint8Array(inputs);
  for (let k = 0; k < inputs; k++) outputDeps[k] = has(output, k) ? 1 : 0;
  return {
    inputs,
    registers,
    code: code.subarray(0, 4 * instructions),
    planStart: planStart.subarray(0, instructions + 1),
    planData: planData.subarray(0, planLength),
    prelude: Int32Array.from(preludeList),
    pool: Float64Array.from(pool),
    constants: baseCount,
    output,
    outputDeps,
  };
}
