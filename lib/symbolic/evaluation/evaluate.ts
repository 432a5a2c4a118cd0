/**
 * Runs compiled programs on a batch of points: values and input gradients (forward-mode tangents),
 * in column loops over `Float64Array` registers that a {@link Workspace} owns and reuses, so an
 * evaluation allocates nothing.
 *
 * Layout: register r's values at `values[r·n .. r·n + n)`, its tangent along x_k at
 * `tangents[(r·p + k)·n .. + n)`. Registers 0..p−1 hold the inputs (tangent k of input k is 1).
 *
 * @module
 */

import { OP, type Program } from "./compile.ts";

/** Registers and scratch space for one batch of points. */
export class Workspace {
  /** Number of points. */
  readonly n: number;
  /** Number of inputs p. */
  readonly p: number;
  /** Register values (grown on demand). */
  values: Float64Array;
  /** Register tangents (grown on demand). */
  tangents: Float64Array;
  /** Per-point scratch: a unary derivative, or ∂(a^b)/∂a. */
  readonly scratchA: Float64Array;
  /** Per-point scratch: ∂(a^b)/∂b. */
  readonly scratchB: Float64Array;
  #capacity: number;

  /**
   * A workspace holding the points `x` (row-major n × p).
   *
   * @example
   * ```ts
   * const ws = new Workspace(Float64Array.from([0, 1, 2, 3]), 2, 2); // points (0,1), (2,3)
   * ```
   */
  constructor(x: ArrayLike<number>, n: number, p: number, registers = p + 8) {
    if (x.length !== n * p) {
      throw new Error(`Workspace: expected ${n}×${p} = ${n * p} numbers, got ${x.length}`);
    }
    this.n = n;
    this.p = p;
    this.#capacity = Math.max(registers, p);
    this.values = new Float64Array(this.#capacity * n);
    this.tangents = new Float64Array(this.#capacity * p * n);
    this.scratchA = new Float64Array(n);
    this.scratchB = new Float64Array(n);
    for (let k = 0; k < p; k++) {
      for (let i = 0; i < n; i++) this.values[k * n + i] = x[i * p + k];
      this.tangents.fill(1, (k * p + k) * n, (k * p + k + 1) * n);
    }
  }

  /** Makes room for `registers` registers (keeps the inputs). */
  ensure(registers: number): void {
    if (registers <= this.#capacity) return;
    const capacity = Math.max(registers, Math.ceil(this.#capacity * 1.5));
    const values = new Float64Array(capacity * this.n);
    values.set(this.values);
    const tangents = new Float64Array(capacity * this.p * this.n);
    tangents.set(this.tangents);
    this.values = values;
    this.tangents = tangents;
    this.#capacity = capacity;
  }

  /**
   * Overwrites this workspace's inputs with rows `indices` of `source` (same p; `indices.length`
   * must equal this workspace's n). For mini-batches: one workspace per batch size, refilled.
   */
  loadRows(source: Workspace, indices: ArrayLike<number>): void {
    if (source.p !== this.p || indices.length !== this.n) {
      throw new Error(`loadRows: expected ${this.n} indices into a ${source.p}-input workspace`);
    }
    const n = this.n;
    const m = source.n;
    for (let k = 0; k < this.p; k++) {
      for (let i = 0; i < n; i++) this.values[k * n + i] = source.values[k * m + indices[i]];
    }
  }

  /** Input k's value at point i. */
  input(i: number, k: number): number {
    return this.values[k * this.n + i];
  }
}

function scalarOp(op: number, a: number, b: number): number {
  switch (op) {
    case OP.NEG:
      return -a;
    case OP.SIN:
      return Math.sin(a);
    case OP.COS:
      return Math.cos(a);
    case OP.EXP:
      return Math.exp(a);
    case OP.LOG:
      return Math.log(a);
    case OP.SQRT:
      return Math.sqrt(a);
    case OP.ABS:
      return Math.abs(a);
    case OP.SQUARE:
      return a * a;
    case OP.CUBE:
      return a * a * a;
    case OP.ADD:
      return a + b;
    case OP.SUB:
      return a - b;
    case OP.MUL:
      return a * b;
    case OP.DIV:
      return a / b;
    case OP.POW:
      return Math.pow(a, b);
    default:
      throw new Error(`unknown opcode ${op}`);
  }
}

/** Runs the scalar prelude (constant subtrees) into the program's pool. */
export function runPrelude(prog: Program): void {
  const { prelude, pool } = prog;
  for (let j = 0; j < prelude.length; j += 4) {
    pool[prelude[j + 1]] = scalarOp(
      prelude[j],
      pool[prelude[j + 2]],
      prelude[j] >= OP.ADD ? pool[prelude[j + 3]] : 0,
    );
  }
}

/**
 * Evaluates a program on the workspace's points: fills the output register's values and (when
 * `gradients`) its tangents. Returns the output register (≥ 0), or a negative pool operand when
 * the expression is constant.
 */
export function evaluateProgram(prog: Program, ws: Workspace, gradients = true): number {
  if (prog.inputs !== ws.p) {
    throw new Error(`evaluateProgram: program for ${prog.inputs} inputs, workspace has ${ws.p}`);
  }
  ws.ensure(prog.registers);
  runPrelude(prog);
  const { code, planStart, planData, pool } = prog;
  const n = ws.n;
  const p = ws.p;
  const V = ws.values;
  const T = ws.tangents;
  const SA = ws.scratchA;
  const SB = ws.scratchB;
  for (let pc = 0, ins = 0; pc < code.length; pc += 4, ins++) {
    const op = code[pc];
    const dv = code[pc + 1] * n;
    const a = code[pc + 2];
    const b = code[pc + 3];
    const p0 = planStart[ins];
    const p1 = planStart[ins + 1];
    if (op < OP.ADD) {
      // unary: a is a register (constant operands live in the prelude)
      const av = a * n;
      switch (op) {
        case OP.NEG:
          for (let i = 0; i < n; i++) {
            V[dv + i] = -V[av + i];
            SA[i] = -1;
          }
          break;
        case OP.SIN:
          for (let i = 0; i < n; i++) {
            const x = V[av + i];
            V[dv + i] = Math.sin(x);
            SA[i] = Math.cos(x);
          }
          break;
        case OP.COS:
          for (let i = 0; i < n; i++) {
            const x = V[av + i];
            V[dv + i] = Math.cos(x);
            SA[i] = -Math.sin(x);
          }
          break;
        case OP.EXP:
          for (let i = 0; i < n; i++) {
            const y = Math.exp(V[av + i]);
            V[dv + i] = y;
            SA[i] = y;
          }
          break;
        case OP.LOG:
          for (let i = 0; i < n; i++) {
            const x = V[av + i];
            V[dv + i] = Math.log(x);
            SA[i] = 1 / x;
          }
          break;
        case OP.SQRT:
          for (let i = 0; i < n; i++) {
            const y = Math.sqrt(V[av + i]);
            V[dv + i] = y;
            SA[i] = 0.5 / y;
          }
          break;
        case OP.ABS:
          for (let i = 0; i < n; i++) {
            const x = V[av + i];
            V[dv + i] = Math.abs(x);
            SA[i] = x > 0 ? 1 : x < 0 ? -1 : 0;
          }
          break;
        case OP.SQUARE:
          for (let i = 0; i < n; i++) {
            const x = V[av + i];
            V[dv + i] = x * x;
            SA[i] = 2 * x;
          }
          break;
        case OP.CUBE:
          for (let i = 0; i < n; i++) {
            const x = V[av + i];
            V[dv + i] = x * x * x;
            SA[i] = 3 * x * x;
          }
          break;
        default:
          throw new Error(`unknown opcode ${op}`);
      }
      if (gradients) {
        const da = code[pc + 1] * p;
        for (let e = p0; e < p1; e++) {
          const k = planData[e] >> 2;
          const to = (da + k) * n;
          const ta = (a * p + k) * n;
          for (let i = 0; i < n; i++) T[to + i] = SA[i] * T[ta + i];
        }
      }
      continue;
    }
    // binary: at most one operand is a constant
    const aConst = a < 0;
    const bConst = b < 0;
    const ca = aConst ? pool[-1 - a] : 0;
    const cb = bConst ? pool[-1 - b] : 0;
    const av = a * n;
    const bv = b * n;
    const dr = code[pc + 1] * p;
    switch (op) {
      case OP.ADD:
        if (aConst) { for (let i = 0; i < n; i++) V[dv + i] = ca + V[bv + i]; }
        else if (bConst) { for (let i = 0; i < n; i++) V[dv + i] = V[av + i] + cb; }
        else for (let i = 0; i < n; i++) V[dv + i] = V[av + i] + V[bv + i];
        if (gradients) {
          for (let e = p0; e < p1; e++) {
            const k = planData[e] >> 2;
            const mode = planData[e] & 3;
            const to = (dr + k) * n;
            const ta = (a * p + k) * n;
            const tb = (b * p + k) * n;
            if (mode === 1) { for (let i = 0; i < n; i++) T[to + i] = T[ta + i]; }
            else if (mode === 2) { for (let i = 0; i < n; i++) T[to + i] = T[tb + i]; }
            else for (let i = 0; i < n; i++) T[to + i] = T[ta + i] + T[tb + i];
          }
        }
        break;
      case OP.SUB:
        if (aConst) { for (let i = 0; i < n; i++) V[dv + i] = ca - V[bv + i]; }
        else if (bConst) { for (let i = 0; i < n; i++) V[dv + i] = V[av + i] - cb; }
        else for (let i = 0; i < n; i++) V[dv + i] = V[av + i] - V[bv + i];
        if (gradients) {
          for (let e = p0; e < p1; e++) {
            const k = planData[e] >> 2;
            const mode = planData[e] & 3;
            const to = (dr + k) * n;
            const ta = (a * p + k) * n;
            const tb = (b * p + k) * n;
            if (mode === 1) { for (let i = 0; i < n; i++) T[to + i] = T[ta + i]; }
            else if (mode === 2) { for (let i = 0; i < n; i++) T[to + i] = -T[tb + i]; }
            else for (let i = 0; i < n; i++) T[to + i] = T[ta + i] - T[tb + i];
          }
        }
        break;
      case OP.MUL:
        if (aConst) { for (let i = 0; i < n; i++) V[dv + i] = ca * V[bv + i]; }
        else if (bConst) { for (let i = 0; i < n; i++) V[dv + i] = V[av + i] * cb; }
        else for (let i = 0; i < n; i++) V[dv + i] = V[av + i] * V[bv + i];
        if (gradients) {
          for (let e = p0; e < p1; e++) {
            const k = planData[e] >> 2;
            const mode = planData[e] & 3;
            const to = (dr + k) * n;
            const ta = (a * p + k) * n;
            const tb = (b * p + k) * n;
            if (mode === 1) {
              if (bConst) { for (let i = 0; i < n; i++) T[to + i] = T[ta + i] * cb; }
              else for (let i = 0; i < n; i++) T[to + i] = T[ta + i] * V[bv + i];
            } else if (mode === 2) {
              if (aConst) { for (let i = 0; i < n; i++) T[to + i] = ca * T[tb + i]; }
              else for (let i = 0; i < n; i++) T[to + i] = V[av + i] * T[tb + i];
            } else {
              for (let i = 0; i < n; i++) T[to + i] = T[ta + i] * V[bv + i] + V[av + i] * T[tb + i];
            }
          }
        }
        break;
      case OP.DIV:
        if (aConst) { for (let i = 0; i < n; i++) V[dv + i] = ca / V[bv + i]; }
        else if (bConst) { for (let i = 0; i < n; i++) V[dv + i] = V[av + i] / cb; }
        else for (let i = 0; i < n; i++) V[dv + i] = V[av + i] / V[bv + i];
        if (gradients) {
          for (let e = p0; e < p1; e++) {
            const k = planData[e] >> 2;
            const mode = planData[e] & 3;
            const to = (dr + k) * n;
            const ta = (a * p + k) * n;
            const tb = (b * p + k) * n;
            if (mode === 1) {
              if (bConst) { for (let i = 0; i < n; i++) T[to + i] = T[ta + i] / cb; }
              else for (let i = 0; i < n; i++) T[to + i] = T[ta + i] / V[bv + i];
            } else if (mode === 2) {
              for (let i = 0; i < n; i++) T[to + i] = -V[dv + i] * T[tb + i] / V[bv + i];
            } else {
              for (let i = 0; i < n; i++) T[to + i] = (T[ta + i] - V[dv + i] * T[tb + i]) / V[bv + i];
            }
          }
        }
        break;
      case OP.POW: {
        if (aConst) { for (let i = 0; i < n; i++) V[dv + i] = Math.pow(ca, V[bv + i]); }
        else if (bConst) { for (let i = 0; i < n; i++) V[dv + i] = Math.pow(V[av + i], cb); }
        else for (let i = 0; i < n; i++) V[dv + i] = Math.pow(V[av + i], V[bv + i]);
        if (gradients && p1 > p0) {
          // SA = ∂/∂a = b·a^(b−1), SB = ∂/∂b = a^b·ln a
          if (!aConst) {
            if (bConst) { for (let i = 0; i < n; i++) SA[i] = cb * Math.pow(V[av + i], cb - 1); }
            else for (let i = 0; i < n; i++) SA[i] = V[bv + i] * Math.pow(V[av + i], V[bv + i] - 1);
          }
          if (!bConst) {
            if (aConst) {
              const la = Math.log(ca);
              for (let i = 0; i < n; i++) SB[i] = V[dv + i] * la;
            } else for (let i = 0; i < n; i++) SB[i] = V[dv + i] * Math.log(V[av + i]);
          }
          for (let e = p0; e < p1; e++) {
            const k = planData[e] >> 2;
            const mode = planData[e] & 3;
            const to = (dr + k) * n;
            const ta = (a * p + k) * n;
            const tb = (b * p + k) * n;
            if (mode === 1) { for (let i = 0; i < n; i++) T[to + i] = SA[i] * T[ta + i]; }
            else if (mode === 2) { for (let i = 0; i < n; i++) T[to + i] = SB[i] * T[tb + i]; }
            else for (let i = 0; i < n; i++) T[to + i] = SA[i] * T[ta + i] + SB[i] * T[tb + i];
          }
        }
        break;
      }
      default:
        throw new Error(`unknown opcode ${op}`);
    }
  }
  return prog.output;
}

/**
 * Copies the value and gradient of the last evaluation out of the workspace: `value[i]`,
 * `gradient[i·p + k]` (row-major; zero where the expression does not use x_k).
 */
export function readResult(
  prog: Program,
  ws: Workspace,
  output: number,
  value: Float64Array,
  gradient?: Float64Array,
): void {
  const { n, p } = ws;
  if (output < 0) {
    value.fill(prog.pool[-1 - output], 0, n);
    gradient?.fill(0, 0, n * p);
    return;
  }
  value.set(ws.values.subarray(output * n, output * n + n));
  if (!gradient) return;
  for (let k = 0; k < p; k++) {
    if (!prog.outputDeps[k]) {
      for (let i = 0; i < n; i++) gradient[i * p + k] = 0;
      continue;
    }
    const base = (output * p + k) * n;
    for (let i = 0; i < n; i++) gradient[i * p + k] = ws.tangents[base + i];
  }
}
