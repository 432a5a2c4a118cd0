import assert from "node:assert/strict";
import { Rng } from "../../data/random.ts";
import { getConstants } from "../core/expression.ts";
import { randomTree } from "../evolution/random_tree.ts";
import { parseExpression } from "../parse/parse.ts";
import { formatExpression } from "../parse/print.ts";
import { compile } from "./compile.ts";
import { evaluateProgram, readResult, Workspace } from "./evaluate.ts";
import { evaluateAt, gradientAt } from "./reference.ts";

function batch(rng: Rng, n: number, p: number, lo = -2, hi = 2): Float64Array {
  return Float64Array.from({ length: n * p }, () => rng.uniform(lo, hi));
}

function run(text: string, x: Float64Array, n: number, p: number) {
  const prog = compile(parseExpression(text, p), p);
  const ws = new Workspace(x, n, p);
  const out = evaluateProgram(prog, ws);
  const value = new Float64Array(n);
  const gradient = new Float64Array(n * p);
  readResult(prog, ws, out, value, gradient);
  return { value, gradient };
}

const close = (a: number, b: number, tol: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

Deno.test("compiled gradients equal the known derivatives of the paper's concepts", () => {
  const rng = new Rng(1);
  const n = 50;
  const x = batch(rng, n, 3, 0.1, 2);
  const cases: [string, (v: number[]) => number[]][] = [
    ["x1^2 + sin(x2 + x3)", ([a, b, c]) => [2 * a, Math.cos(b + c), Math.cos(b + c)]],
    ["exp(x1 - x2) - 3.141592653589793*x3", ([a, b]) => [Math.exp(a - b), -Math.exp(a - b), -Math.PI]],
    [
      "x1*exp(-(x2*x2 + x3*x3)/2)",
      ([a, b, c]) => {
        const g = Math.exp(-(b * b + c * c) / 2);
        return [g, -a * b * g, -a * c * g];
      },
    ],
    [
      "x1*x2/(x3*x3 + 1)",
      ([a, b, c]) => [b / (c * c + 1), a / (c * c + 1), -2 * a * b * c / (c * c + 1) ** 2],
    ],
    [
      "sqrt(x1)*log(x2) + abs(x3)^3",
      ([a, b, c]) => [Math.log(b) / (2 * Math.sqrt(a)), Math.sqrt(a) / b, 3 * c * c],
    ],
    ["2^x1 + x2^x3", ([a, b, c]) => [Math.LN2 * 2 ** a, c * b ** (c - 1), b ** c * Math.log(b)]],
  ];
  for (const [text, grad] of cases) {
    const { gradient } = run(text, x, n, 3);
    for (let i = 0; i < n; i++) {
      const want = grad([x[3 * i], x[3 * i + 1], x[3 * i + 2]]);
      for (let k = 0; k < 3; k++) {
        assert.ok(close(gradient[3 * i + k], want[k], 1e-13), `${text} ∂${k + 1} at ${i}`);
      }
    }
  }
});

Deno.test("compiled value and gradient equal the reference recursion on random trees", () => {
  const rng = new Rng(2);
  const space = {
    binary: ["+", "-", "*", "/", "^"] as const,
    unary: ["neg", "sin", "cos", "exp", "log", "sqrt", "abs", "square", "cube"] as const,
    inputs: 4,
  };
  const n = 17;
  const x = batch(rng, n, 4, -1.5, 1.5);
  let compared = 0;
  for (let t = 0; t < 600; t++) {
    const e = randomTree(rng, 1 + rng.int(30), space);
    const prog = compile(e, 4);
    assert.deepEqual(Array.from(prog.pool.subarray(0, prog.constants)), Array.from(getConstants(e)));
    const ws = new Workspace(x, n, 4);
    const out = evaluateProgram(prog, ws);
    const value = new Float64Array(n);
    const gradient = new Float64Array(n * 4);
    readResult(prog, ws, out, value, gradient);
    for (let i = 0; i < n; i++) {
      const xi = Array.from(x.subarray(4 * i, 4 * i + 4));
      const ref = gradientAt(e, xi, 4);
      assert.ok(
        close(value[i], ref.value, 1e-12),
        `${formatExpression(e)}: value ${value[i]} vs ${ref.value}`,
      );
      for (let k = 0; k < 4; k++) {
        assert.ok(
          close(gradient[4 * i + k], ref.gradient[k], 1e-12),
          `${formatExpression(e)}: ∂${k + 1} ${gradient[4 * i + k]} vs ${ref.gradient[k]}`,
        );
      }
      compared++;
    }
  }
  assert.equal(compared, 600 * n);
});

Deno.test("compiled gradients agree with central finite differences", () => {
  const rng = new Rng(3);
  const n = 40;
  const p = 3;
  const x = batch(rng, n, p, 0.2, 1.8);
  for (
    const text of [
      "x1*x2*sin(x3) + exp(x1/x2)",
      "(x1 + 2.5)^1.7/(1 + x2*x3)",
      "cos(x1*x2 - x3^2)*sqrt(x1 + x3)",
    ]
  ) {
    const e = parseExpression(text, p);
    const { gradient } = run(text, x, n, p);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < p; k++) {
        const xi = Array.from(x.subarray(p * i, p * i + p));
        const h = 1e-5;
        const up = xi.slice();
        const down = xi.slice();
        up[k] += h;
        down[k] -= h;
        const fd = (evaluateAt(e, up) - evaluateAt(e, down)) / (2 * h);
        assert.ok(
          Math.abs(gradient[p * i + k] - fd) <= 1e-7 * Math.max(1, Math.abs(fd)),
          `${text} ∂${k + 1}: ${gradient[p * i + k]} vs ${fd}`,
        );
      }
    }
  }
});

Deno.test("constant subtrees go to the prelude; changing pool constants re-evaluates", () => {
  const prog = compile(parseExpression("sin(2)*x1 + exp(1 + 1)"), 1);
  assert.equal(prog.constants, 3);
  assert.equal(prog.code.length / 4, 2); // one multiply, one add
  const ws = new Workspace([3], 1, 1);
  const value = new Float64Array(1);
  readResult(prog, ws, evaluateProgram(prog, ws), value);
  assert.ok(Math.abs(value[0] - (Math.sin(2) * 3 + Math.exp(2))) < 1e-14);
  prog.pool[0] = 0; // sin(0)·x1 + exp(1 + 1)
  readResult(prog, ws, evaluateProgram(prog, ws), value);
  assert.ok(Math.abs(value[0] - Math.exp(2)) < 1e-14);
  const constant = compile(parseExpression("2*3"), 1);
  const g = new Float64Array(1);
  readResult(constant, ws, evaluateProgram(constant, ws), value, g);
  assert.deepEqual([value[0], g[0]], [6, 0]);
});
