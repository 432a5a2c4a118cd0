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

const silent = { quiet: true, note: () => {} };

Deno.test({
  name: "a config without a grid completes (no boxplot crash); exit codes 0 / 3 / 4 follow the failed cells",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-exit-" });
    try {
      const single = { ...tiny, grid: {}, repetitions: 1 };
      const ok = await runExperiment({ input: single, out, runId: "ok", workers: 1, ...silent });
      assert.equal(ok.status, "completed");
      assert.equal(ok.exitCode, 0);
      assert.ok(existsSync(join(ok.runDir, "figures", "boxplot.svg")));
      // sgd with a huge learning rate diverges: a failed cell (a record with its reason, no throw)
      const diverge = { ...tiny.train, optimizer: "sgd" as const, learningRate: 1e12 };
      const some = await runExperiment({
        input: { ...tiny, train: diverge, grid: { "train.learningRate": [1e-3, 1e12] }, repetitions: 1 },
        out,
        runId: "some",
        workers: 1,
        ...silent,
      });
      assert.equal(some.failed, 1);
      assert.equal(some.status, "completed-with-failures");
      assert.equal(some.exitCode, 3);
      const all = await runExperiment({
        input: { ...single, train: diverge },
        out,
        runId: "all",
        workers: 1,
        ...silent,
      });
      assert.equal(all.exitCode, 4);
      const manifest = JSON.parse(readFileSync(join(all.runDir, "manifest.json"), "utf8"));
      assert.equal(manifest.status, "all-cells-failed");
      assert.match(manifest.failedCells[0].reason, /loss/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "the work estimate is printed before the run; above the threshold it needs --yes (or a 'y')",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-est-" });
    try {
      const notes: string[] = [];
      await runExperiment({
        input: { ...tiny, repetitions: 1 },
        out,
        workers: 1,
        note: (l) => notes.push(l),
      });
      assert.match(
        notes[0],
        /^tiny: 2 cells, 384 row-epochs of training, polynomials of up to 6 terms; about \d+ s on 1 worker/,
      );
      const huge = { ...tiny, repetitions: 2000, train: { ...tiny.train, epochs: 100_000 } };
      await assert.rejects(
        runExperiment({ input: huge, out, runId: "huge", workers: 1, ...silent }),
        (e: Error) => /estimated at about .*pass --yes/.test(e.message),
      );
      const asked: string[] = [];
      await assert.rejects(
        runExperiment({
          input: huge,
          out,
          runId: "huge",
          workers: 1,
          ...silent,
          ask: (q) => (asked.push(q), Promise.resolve(false)),
        }),
        /answered no/,
      );
      assert.equal(asked.length, 1);
      assert.ok(!existsSync(join(out, "tiny", "huge")), "nothing written for a refused run");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name:
    "--resume: names the differing fields, re-runs a corrupt record named by file, refuses foreign records",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-resume-" });
    try {
      const first = await runExperiment({ input: tiny, out, runId: "r", workers: 1, ...silent });
      const reference = csvs(first.runDir);
      await assert.rejects(
        runExperiment({
          input: tiny,
          out,
          runId: "r",
          workers: 1,
          resume: true,
          ...silent,
          sets: ["train.epochs=5"],
        }),
        (e: Error) => /--resume: the config differs .* in train\.epochs \(4 → 5\)/.test(e.message),
      );
      // a truncated record: reported by file name, run again, same tables
      const victim = join(first.runDir, "cells", "g001-r00.json");
      writeFileSync(victim, readFileSync(victim, "utf8").slice(0, 100));
      const notes: string[] = [];
      const resumed = await runExperiment({
        input: tiny,
        out,
        runId: "r",
        workers: 1,
        resume: true,
        quiet: true,
        note: (l) => notes.push(l),
      });
      assert.ok(
        notes.some((l) => l.includes("cells/g001-r00.json") && /not valid JSON/.test(l)),
        notes.join("\n"),
      );
      assert.deepEqual(csvs(resumed.runDir), reference);
      // a record written by another config is refused, not mixed in
      const other = join(first.runDir, "cells", "g000-r00.json");
      writeFileSync(
        other,
        JSON.stringify({ ...JSON.parse(readFileSync(other, "utf8")), configHash: "0123456789" }),
      );
      await assert.rejects(
        runExperiment({ input: tiny, out, runId: "r", workers: 1, resume: true, ...silent }),
        /written by another config \(cells\/g000-r00\.json: hash 0123456789\)/,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name:
    "--shard i/n then --aggregate equals a single run; missing cells are listed (exit 6) and nothing written",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-shard-" });
    try {
      const single = await runExperiment({ input: tiny, out, runId: "single", workers: 1, ...silent });
      const shards = [0, 1, 2].map((index) => ({ index, count: 3 }));
      const ran: string[][] = [];
      for (const shard of shards.slice(0, 2)) {
        const r = await runExperiment({ input: tiny, out, runId: "sharded", workers: 1, shard, ...silent });
        ran.push(r.records.map((x) => x.id));
        assert.equal(r.exitCode, 0);
      }
      assert.deepEqual(ran, [["g000-r00", "g001-r01"], ["g000-r01"]], "cells whose index ≡ i (mod 3)");
      const dir = join(out, "tiny", "sharded");
      assert.ok(
        !existsSync(join(dir, "config.json")) && !existsSync(join(dir, "tables")),
        "shards write only records",
      );
      const notes: string[] = [];
      const partial = await runExperiment({
        input: tiny,
        out,
        runId: "sharded",
        workers: 1,
        aggregate: true,
        quiet: true,
        note: (l) => notes.push(l),
      });
      assert.equal(partial.exitCode, 6);
      assert.deepEqual(partial.missing, ["g001-r00"]);
      assert.match(notes.join("\n"), /1 of 4 cells have no record \(shard 2\/3\): g001-r00/);
      assert.ok(!existsSync(join(dir, "tables")), "an incomplete merge writes no outputs");
      // the last shard, run twice: the second run skips its recorded cell (idempotent)
      await runExperiment({ input: tiny, out, runId: "sharded", workers: 1, shard: shards[2], ...silent });
      const again = await runExperiment({
        input: tiny,
        out,
        runId: "sharded",
        workers: 1,
        shard: shards[2],
        ...silent,
      });
      assert.deepEqual(again.shard && [again.shard.ran, again.shard.skipped], [0, 1]);
      const merged = await runExperiment({
        input: tiny,
        out,
        runId: "sharded",
        workers: 1,
        aggregate: true,
        ...silent,
      });
      assert.equal(merged.exitCode, 0);
      assert.deepEqual(csvs(merged.runDir), csvs(single.runDir));
      const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
      assert.equal(manifest.mode, "aggregate");
      assert.deepEqual(manifest.shards.map((s: { shard: string }) => s.shard), ["0/3", "1/3", "2/3", "2/3"]);
      assert.deepEqual(manifest.shards.map((s: { cells: string[] }) => s.cells.length), [2, 1, 1, 0]);
      assert.ok(manifest.shards.every((s: { host: string; startedAt: string }) => s.host && s.startedAt));
      // a shard or a merge with another config is refused, naming the field
      await assert.rejects(
        runExperiment({
          input: tiny,
          out,
          runId: "sharded",
          shard: shards[0],
          sets: ["train.epochs=5"],
          ...silent,
        }),
        /--shard: the config differs .* train\.epochs \(4 → 5\)/,
      );
      await assert.rejects(
        runExperiment({ input: tiny, out, runId: "sharded", aggregate: true, seed: 8, ...silent }),
        /--aggregate: the config differs .* seed \(7 → 8\)/,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
