import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.ts";
import { analysisSchema } from "../../experiment/schema.ts";
import type { AnalysisContext } from "../../experiment/study.ts";
import { fixtureDir } from "../../../tests/fixtures.ts";
import config from "../../../experiments/imported-models.ts";
import { importedModels } from "./imported.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

const DIR = fixtureDir("models");

function context(params: Record<string, unknown>): AnalysisContext & { cleanup(): void } {
  const runDir = mkdtempSync("/tmp/imported-models-");
  return {
    ...analysisContext(runDir, params),
    cleanup: () => rmSync(runDir, { recursive: true, force: true }),
  };
}

Deno.test("imported-models: the experiment's config validates", () => {
  const parsed = analysisSchema.parse(config);
  assert.equal(parsed.analysis, "imported-models");
});

Deno.test({
  name:
    "imported-models: reference coefficients matched, errors fall with the order, bad entries refused first",
  ignore: !DIR,
  fn: async () => {
    const ctx = context({
      points: 60,
      models: [
        {
          name: "torch",
          path: `${DIR}onnx-nn2poly-tanh.onnx`,
          nn2poly: { maxOrder: 3, taylorOrders: 8 },
          taylor: { order: 5, x0: 0, radius: 0.3 },
          reference: `${DIR}onnx-nn2poly-tanh.expect.json`,
        },
        {
          name: "conv",
          path: `${DIR}onnx-taylor-conv-maxpool.onnx`,
          taylor: { order: 2, x0: 0.1, radius: 0.05 },
          reference: `${DIR}onnx-taylor-conv-maxpool.expect.json`,
        },
      ],
    });
    try {
      await importedModels(ctx);
      const rows = (name: string) =>
        readFileSync(join(ctx.runDir, "tables", `${name}.csv`), "utf8").trim().split("\n").slice(1).map((l) =>
          l.split(",")
        );
      for (const r of rows("reference")) assert.ok(Number(r[r.length - 1]) < 1e-12, r.join(","));
      const taylor = rows("errors").filter((r) => r[0] === "torch" && r[1] === "exact Taylor").map((r) =>
        Number(r[5])
      );
      assert.equal(taylor.length, 5);
      assert.ok(taylor[4] < taylor[0] / 100, `${taylor}`);
      const modelsCsv = readFileSync(join(ctx.runDir, "tables", "models.csv"), "utf8");
      assert.match(modelsCsv, /conv2d/);
    } finally {
      ctx.cleanup();
    }
    const bad = async (params: Record<string, unknown>, re: RegExp) => {
      const c = context(params);
      try {
        await assert.rejects(
          () => importedModels(c),
          (e: Error) => e instanceof UsageError && re.test(e.message),
        );
      } finally {
        c.cleanup();
      }
    };
    await bad(
      {
        models: [{
          name: "c",
          path: `${DIR}onnx-taylor-residual.onnx`,
          nn2poly: { maxOrder: 2, taylorOrders: 3 },
        }],
      },
      /params.models\[0\] \(c\).nn2poly needs a chain of dense layers/,
    );
    await bad(
      {
        models: [{
          name: "t",
          path: `${DIR}onnx-nn2poly-tanh.onnx`,
          taylor: { order: 2, x0: [0], radius: 1 },
        }],
      },
      /params.models\[0\] \(t\).taylor.x0: 1 values for 2 inputs/,
    );
    await bad(
      { models: [{ name: "m", path: `${DIR}missing.onnx`, taylor: { order: 1, x0: 0, radius: 1 } }] },
      /cannot read/,
    );
  },
});
