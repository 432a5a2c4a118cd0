import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import classifiers from "../../../experiments/symgrad-classifiers.ts";
import latent from "../../../experiments/symgrad-latent.ts";
import regression from "../../../experiments/symgrad-regression.ts";
import { UsageError } from "../../errors.ts";
import { analysisSchema } from "../../experiment/schema.ts";
import type { AnalysisContext } from "../../experiment/study.ts";
import { valuesAndGradients } from "../../symbolic/judge.ts";
import { parseExpression } from "../../symbolic/parse/parse.ts";
import { symgradClassifiers } from "./classifiers.ts";
import { symgradRegression } from "./regression.ts";
import { PAPER_TASKS, simulateTask } from "./tasks.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

function context(params: Record<string, unknown>, runDir = "/nonexistent"): AnalysisContext {
  return analysisContext(runDir, params);
}

Deno.test("symgrad configs validate, with the paper's width under --full", () => {
  for (const c of [classifiers, latent, regression]) analysisSchema.parse(c);
  assert.equal((classifiers.full as { width: number }).width, 1000);
});

Deno.test("symgrad studies refuse bad parameters before any work", async () => {
  await assert.rejects(() => symgradClassifiers(context({ tasks: ["Z"] })), UsageError);
  await assert.rejects(() => symgradClassifiers(context({ width: 0 })), UsageError);
  await assert.rejects(() => symgradRegression(context({ runs: 0 })), UsageError);
  await assert.rejects(
    () =>
      symgradRegression(
        context({ benchmarks: [{ name: "x", formula: "x1 **", inputs: 1, range: [0, 1], points: 10 }] }),
      ),
    (e: unknown) =>
      e instanceof UsageError && /params\.benchmarks\[0\]\.formula: "\*\*" at 3/.test(e.message),
  );
});

Deno.test("the paper's tasks: labels follow the concept, task F keeps only agreeing points", () => {
  for (const task of PAPER_TASKS) {
    const d = simulateTask(task, 2000, 0, 5);
    const g = valuesAndGradients(parseExpression(task.truth, task.inputs), d.x, d.n, task.inputs).value;
    for (let i = 0; i < d.n; i++) assert.equal(d.y[i], g[i] > task.threshold ? 1 : 0, task.name);
    const share = d.y.reduce((a, b) => a + b, 0) / d.n;
    assert.ok(share > 0.05 && share < 0.95, `${task.name}: class balance ${share}`);
    if (task.also) {
      const h = valuesAndGradients(parseExpression(task.also, task.inputs), d.x, d.n, task.inputs).value;
      for (let i = 0; i < d.n; i++) assert.equal(h[i] > task.threshold ? 1 : 0, d.y[i]);
      assert.ok(d.n < 2000);
    } else assert.equal(d.n, 2000);
  }
});

Deno.test({
  name: "symgrad-regression end to end on Nguyen-1: recovered, tables written",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "polylab-symgrad-" });
    try {
      await symgradRegression(context({
        benchmarks: [{
          name: "Nguyen-1",
          formula: "x1^3 + x1^2 + x1",
          inputs: 1,
          range: [-1, 1],
          points: 20,
        }],
        runs: 1,
        maxEvaluations: 40000,
        workers: 0,
        search: { populations: 6 },
      }, dir));
      const table = readFileSync(join(dir, "tables", "recovery.csv"), "utf8");
      assert.match(table, /Nguyen-1,x1\^3 \+ x1\^2 \+ x1,1\/1,1,1/);
      assert.ok(existsSync(join(dir, "figures", "recovery.svg")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
