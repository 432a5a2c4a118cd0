import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import "../methods/mod.ts";
import { runExperiment } from "./runner.ts";
import { tempPathFor } from "../io/atomic.ts";
import type { ExperimentInput } from "./schema.ts";

const tiny: ExperimentInput = {
  name: "tiny",
  description: "a two-cell smoke experiment",
  seed: 7,
  data: {
    p: 2,
    n: 80,
    truth: { kind: "formula", formula: "x1 - 2*x1*x2" },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
    noiseSd: 0.05,
  },
  model: { layers: 1, width: 6, constraint: "l1" },
  train: { epochs: 4, batchSize: 20, validationSplit: 0.2, backend: "cpu" },
  methods: {
    nn2poly: { maxOrder: 2, taylorOrders: 5, convergenceOrders: [1, 2] },
    polyRegression: { degree: 2 },
  },
  grid: { "model.activation": ["tanh", "sigmoid"] },
  repetitions: 2,
  outputs: { figures: ["boxplot"], formats: ["svg"] },
};

function csvs(runDir: string): Record<string, string> {
  const dir = join(runDir, "tables");
  return Object.fromEntries(
    readdirSync(dir).filter((f) => f.endsWith(".csv")).sort().map((
      f,
    ) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

Deno.test({
  name: "a run writes every output; the same seed gives byte-identical CSVs; --resume completes a run",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-run-" });
    try {
      const first = await runExperiment({ input: tiny, out, runId: "a", workers: 1, quiet: true });
      assert.equal(first.status, "completed");
      for (const f of ["config.json", "manifest.json", "metrics.jsonl", "report.md", "figures/boxplot.svg"]) {
        assert.ok(existsSync(join(first.runDir, f)), `${f} exists`);
      }
      const manifest = JSON.parse(readFileSync(join(first.runDir, "manifest.json"), "utf8"));
      assert.equal(manifest.status, "completed");
      assert.equal(manifest.seed, 7);
      assert.equal(manifest.versions.tfjs, "4.22.0");
      assert.ok(manifest.stageSeconds.train > 0);
      const lines = readFileSync(join(first.runDir, "metrics.jsonl"), "utf8").trim().split("\n");
      assert.equal(lines.length, 4);
      const rec = JSON.parse(lines[0]);
      assert.ok(
        rec.metrics.mse_nn_nn2poly < rec.metrics.mse_nn_y,
        "the polynomial is closer to the net than Y",
      );
      assert.ok(Number.isFinite(rec.metrics.mse_polyRegression_y));
      assert.equal(rec.history.trainLoss.length, 4);

      // same seed, other folder: byte-identical CSVs
      const second = await runExperiment({ input: tiny, out, runId: "b", workers: 1, quiet: true });
      assert.deepEqual(csvs(second.runDir), csvs(first.runDir));
      // another seed differs
      const third = await runExperiment({ input: tiny, out, runId: "c", workers: 1, quiet: true, seed: 8 });
      assert.notEqual(csvs(third.runDir)["cells.csv"], csvs(first.runDir)["cells.csv"]);

      // interrupt: drop two cell records and the aggregated outputs, leave a stray temp file
      for (const id of ["g001-r00", "g001-r01"]) rmSync(join(second.runDir, "cells", `${id}.json`));
      rmSync(join(second.runDir, "tables"), { recursive: true });
      const stray = tempPathFor(join(second.runDir, "cells", "g001-r00.json"));
      writeFileSync(stray, "{");
      const resumed = await runExperiment({
        input: tiny,
        out,
        runId: "b",
        workers: 1,
        quiet: true,
        resume: true,
      });
      assert.equal(resumed.records.length, 4);
      assert.deepEqual(csvs(resumed.runDir), csvs(first.runDir));
      assert.ok(!existsSync(stray), "temp files cleaned");

      // --resume with a different config is refused before any work
      await assert.rejects(
        runExperiment({
          input: tiny,
          out,
          runId: "b",
          workers: 1,
          quiet: true,
          resume: true,
          sets: ["train.epochs=5"],
        }),
        /--resume: the config differs/,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "train.stack trains repetitions together with the same results (cpu backend, 2 workers)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-stack-" });
    try {
      const input = { ...tiny, repetitions: 3 };
      const alone = await runExperiment({ input, out, runId: "alone", workers: 1, quiet: true });
      const stacked = await runExperiment({
        input: { ...input, train: { ...input.train, stack: 2 } },
        out,
        runId: "stacked",
        workers: 2,
        quiet: true,
      });
      assert.equal(stacked.status, "completed");
      assert.deepEqual(csvs(stacked.runDir), csvs(alone.runDir));
      const strip = (r: { timings: unknown; backend?: unknown }) => ({ ...r, timings: null });
      assert.deepEqual(stacked.records.map(strip), alone.records.map(strip));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
