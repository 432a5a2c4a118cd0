/**
 * Bench driver: evaluations per second of the symbolic engine's compiled evaluator on a batch.
 * `deno run -A bench/drivers/symgrad_eval.ts SET POINTS MODE [EVALS]` — SET is `paper` (the five
 * concepts of the symgrad fixtures, p = 3), `random` (200 seeded random trees of 10–25 nodes over
 * + − × ÷ sin exp, p = 3) or `dynexpr` (x1·cos(x2 − 3.2), p = 2, DynamicExpressions.jl's README
 * example); MODE `value` or `gradient` (value and input gradient). Prints
 * `{seconds, evaluations, evals_per_second, ns_per_point}`; `seconds` is the timed loop only.
 *
 * @module
 */

import { Rng } from "../../lib/data/random.ts";
import { compile } from "../../lib/symbolic/evaluation/compile.ts";
import { evaluateProgram, Workspace } from "../../lib/symbolic/evaluation/evaluate.ts";
import { randomTree } from "../../lib/symbolic/evolution/random_tree.ts";
import { parseExpression } from "../../lib/symbolic/parse/parse.ts";

const [set = "paper", pointsText = "1000", mode = "gradient", evalsText = "20000"] = Deno.args;
const n = Number(pointsText);
const evaluations = Number(evalsText);
const p = set === "dynexpr" ? 2 : 3;
const rng = new Rng(1);
const texts: Record<string, string[]> = {
  paper: [
    "x1^2 + 2*x2^2",
    "x1^2 + 3*x1*x2 + 2*x2^2",
    "x1^2 + sin(x2 + x3)",
    "exp(x1 - x2) - 3.141592653589793*x3",
    "x1*exp(-(x2^2 + x3^2)/2)",
  ],
  dynexpr: ["x1*cos(x2 - 3.2)"],
};
const trees = set === "random"
  ? Array.from(
    { length: 200 },
    () =>
      randomTree(rng, 10 + rng.int(16), { binary: ["+", "-", "*", "/"], unary: ["sin", "exp"], inputs: 3 }),
  )
  : texts[set].map((t) => parseExpression(t, p));
const programs = trees.map((t) => compile(t, p));
const x = Float64Array.from({ length: n * p }, () => rng.uniform(-2, 2));
const ws = new Workspace(x, n, p);
const gradients = mode === "gradient";
for (let w = 0; w < Math.max(50, evaluations / 20); w++) {
  evaluateProgram(programs[w % programs.length], ws, gradients);
}
const t0 = performance.now();
for (let e = 0; e < evaluations; e++) evaluateProgram(programs[e % programs.length], ws, gradients);
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({
  seconds,
  evaluations,
  evals_per_second: evaluations / seconds,
  ns_per_point: (seconds * 1e9) / (evaluations * n),
}));
