import assert from "node:assert/strict";
import { Rng } from "../../data/random.ts";
import { interpretGradients, symbolicRegression } from "../interpret.ts";
import { compareToReference, valuesAndGradients } from "../judge.ts";
import { parseExpression } from "../parse/parse.ts";
import { formatExpression } from "../parse/print.ts";
import { resolveSearchOptions } from "../evolution/options.ts";
import { runSearch, runSearchSync } from "./search.ts";

function nguyen(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
  const y = x.map((v) => v * v * v + v * v + v);
  return { x, y };
}

const small = { populations: 4, populationSize: 20, cyclesPerIteration: 60 };

Deno.test("search: plain regression recovers Nguyen-1 (x³ + x² + x) on a small budget", async () => {
  const { x, y } = nguyen(40, 1);
  const res = await symbolicRegression(x, y, 40, 1, {
    search: { ...small, seed: 2, unary: [] },
    budget: { maxIterations: 25 },
  });
  const best = res.front[res.best];
  assert.ok(best.loss < 1e-20, `best ${best.expression} loss ${best.loss}`);
  const probe = Float64Array.from({ length: 11 }, (_, i) => -1 + i / 5);
  const v = valuesAndGradients(best.tree, probe, 11, 1).value;
  probe.forEach((t, i) => assert.ok(Math.abs(v[i] - (t * t * t + t * t + t)) < 1e-9));
  // the front decreases and the choice is within 1.5× of its lowest loss
  for (let i = 1; i < res.front.length; i++) {
    assert.ok(
      res.front[i].complexity > res.front[i - 1].complexity && res.front[i].loss < res.front[i - 1].loss,
    );
  }
});

Deno.test("search: interpretation of exact gradients recovers the concept up to a monotone map", async () => {
  const rng = new Rng(7);
  const n = 200;
  const p = 2;
  const x = Float64Array.from({ length: n * p }, () => rng.uniform(-1, 1));
  const truth = parseExpression("x1*x1 + 2*x2*x2", p);
  const { gradient } = valuesAndGradients(truth, x, n, p);
  const res = await interpretGradients(x, gradient, n, p, {
    search: { ...small, populations: 6, seed: 3 },
    budget: { maxIterations: 30 },
  });
  const best = res.front[res.best];
  const agreement = compareToReference(best.tree, truth, x, n, p);
  assert.ok(best.loss < 1e-12, `${best.expression}: ${best.loss}`);
  assert.ok(agreement.spearman > 0.9999 && agreement.gradientLoss < 1e-12, `${best.expression}`);
});

Deno.test("search: the same seed gives the same result on 0, 1 and 2 workers and synchronously", async () => {
  const { x, y } = nguyen(30, 4);
  const spec = { kind: "mse" as const, x, y, n: 30, p: 1 };
  const options = resolveSearchOptions({ ...small, seed: 9, batching: true, batchSize: 10 });
  const runs = [];
  for (const workers of [0, 1, 2]) {
    const r = await runSearch(spec, options, { maxIterations: 4 }, { workers });
    runs.push(r.hallOfFame.map((m) => `${m.complexity} ${m.loss} ${formatExpression(m.tree)}`).join("\n"));
    assert.equal(r.iterations, 4);
  }
  assert.equal(runs[1], runs[0]);
  assert.equal(runs[2], runs[0]);
  // and synchronously in this thread
  const sync = runSearchSync(spec, options, { maxIterations: 4 });
  assert.equal(
    sync.hallOfFame.map((m) => `${m.complexity} ${m.loss} ${formatExpression(m.tree)}`).join("\n"),
    runs[0],
  );
  const other = await runSearch(
    spec,
    resolveSearchOptions({ ...small, seed: 10, batching: true, batchSize: 10 }),
    {
      maxIterations: 4,
    },
  );
  assert.notEqual(other.hallOfFame.map((m) => formatExpression(m.tree)).join("\n"), runs[0]);
});

Deno.test("search: budgets stop it and say which one did", async () => {
  const { x, y } = nguyen(20, 5);
  const spec = { kind: "mse" as const, x, y, n: 20, p: 1 };
  const options = resolveSearchOptions({ ...small, seed: 1 });
  const byEvaluations = await runSearch(spec, options, { maxEvaluations: 1 });
  assert.equal(byEvaluations.stopped, "evaluations");
  assert.equal(byEvaluations.iterations, 0);
  const byTime = await runSearch(spec, options, { deadline: performance.now() - 1 });
  assert.equal(byTime.stopped, "time");
  const converged = await runSearch(spec, options, { patience: 2, maxIterations: 200 });
  assert.ok(converged.stopped === "converged" || converged.stopped === "iterations");
  await assert.rejects(() => runSearch(spec, options, {}), /give at least one budget/);
});
