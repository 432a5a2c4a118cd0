import assert from "node:assert/strict";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../main.ts";
import { arrayRange, shellQuote } from "./submit.ts";

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [], err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { code: await runCli(argv), stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    Object.assign(console, saved);
  }
}

const SETS = ["--set", 'grid={"model.activation":["tanh","sigmoid"]}', "--set", "repetitions=3"];

Deno.test("arrayRange and shellQuote", () => {
  assert.equal(arrayRange([0, 1, 2, 3]), "0-3");
  assert.equal(arrayRange([1, 3]), "1,3");
  assert.equal(arrayRange([0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
  assert.equal(shellQuote("train.epochs=5"), "train.epochs=5");
  assert.equal(shellQuote('grid={"a":[1]}'), `'grid={"a":[1]}'`);
  assert.equal(shellQuote("it's"), `'it'"'"'s'`);
});

Deno.test({
  name: "submit --dry-run prints the array and merge scripts (valid bash), writes nothing",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-submit-" });
    try {
      const r = await capture([
        "submit",
        "sim1",
        "--slurm",
        "--tasks",
        "4",
        "--parallel",
        "2",
        "--partition",
        "cpu",
        "--time",
        "1:00:00",
        "--dry-run",
        "--out",
        out,
        "--run-id",
        "r",
        ...SETS,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(out), [], "--dry-run writes nothing");
      const runDir = join(out, "sim1", "r");
      const array = r.stdout.slice(
        r.stdout.indexOf("#!/bin/bash"),
        r.stdout.indexOf(`# ${runDir}/slurm/merge.sbatch`),
      );
      for (
        const line of [
          "#SBATCH --array=0-3%2",
          `#SBATCH --output=${runDir}/slurm/logs/%A_%a.out`,
          "#SBATCH --partition=cpu",
          "#SBATCH --time=1:00:00",
          "#SBATCH --cpus-per-task=1",
          "SHARDS=4",
          'read -ra DENO <<<"${POLYLAB_DENO:-npx --yes deno@2.9.6}"',
        ]
      ) assert.ok(array.includes(line), `array script has ${line}:\n${array}`);
      assert.match(
        array,
        new RegExp(
          `exec "\\$\\{DENO\\[@\\]\\}" task -q run sim1 --out ${out} --run-id r --set 'grid=.*' ` +
            `--set repetitions=3 --workers 1 --yes --shard "\\$SLURM_ARRAY_TASK_ID/\\$SHARDS"`,
        ),
      );
      assert.match(r.stdout, /exec "\$\{DENO\[@\]\}" task -q run sim1 .* --aggregate\n/);
      assert.match(r.stdout, /sbatch --parsable --dependency=afterany:<array job id> .*merge\.sbatch/);
      const script = join(out, "..", `array-${crypto.randomUUID()}.sh`);
      writeFileSync(script, array);
      const syntax = await new Deno.Command("bash", { args: ["-n", script], stderr: "piped" }).output();
      rmSync(script);
      assert.ok(syntax.success, new TextDecoder().decode(syntax.stderr));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "submit --only-missing resubmits the indices whose cells have no record; bad flags are refused",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-submit-" });
    try {
      const args = ["submit", "sim1", "--slurm", "--tasks", "3", "--out", out, "--run-id", "r", ...SETS];
      // records of cells 0..5 except 1 and 4 (shard 1 of 3): fake but well-formed, with the plan's hash
      const { prepareRun } = await import("../experiment/runner.ts");
      const { default: sim1 } = await import("../../experiments/sim1.ts");
      const run = prepareRun({ input: sim1, out, runId: "r", sets: [SETS[1], SETS[3]], workers: 1 });
      mkdirSync(join(run.runDir, "cells"), { recursive: true });
      for (const cell of run.plan.cells.filter((c) => c.index !== 1 && c.index !== 4)) {
        const record = {
          configHash: run.hash,
          id: cell.id,
          index: cell.index,
          gridIndex: cell.gridIndex,
          repetition: cell.repetition,
          params: cell.params,
          seeds: cell.seeds,
          status: "ok",
          metrics: {},
          convergence: [],
          history: {},
          predictions: {},
          timings: {},
        };
        writeFileSync(join(run.runDir, "cells", `${cell.id}.json`), JSON.stringify(record));
      }
      mkdirSync(join(run.runDir, "shards"));
      writeFileSync(
        join(run.runDir, "shards", "shard-0-of-3.host.1.1.json"),
        JSON.stringify({ shard: "0/3", configHash: run.hash, config: run.config, startedAt: "2025-01-01" }),
      );
      const r = await capture([...args, "--only-missing", "--dry-run"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /2 of 6 cells have no record; resubmitting shard 1 of 3/);
      assert.match(r.stdout, /#SBATCH --array=1\n/);
      assert.match(r.stdout, /SHARDS=3/);

      for (
        const [extra, message] of [
          [["--slurm"], /expected one experiment name/],
          [["--tasks", "7"], /7 tasks for 6 cells/],
          [["--tasks", "0"], /--tasks: expected an integer in 1/],
          [["--parallel", "9"], /--parallel: expected an integer in 1 … 3/],
          [["--time", "soon"], /--time: expected a Slurm time/],
          [["--partition", "a b"], /--partition/],
          [
            ["--set", "train.epochs=5", "--dry-run"],
            /submit: the config differs .* train\.epochs \(700 → 5\)/,
          ],
        ] as const
      ) {
        const argv = extra[0] === "--slurm" ? ["submit", "--slurm", "--out", out] : [...args, ...extra];
        const bad = await capture(argv);
        assert.equal(bad.code, 2, `${argv.join(" ")}: ${bad.stderr}`);
        assert.match(bad.stderr, message);
        assert.equal(bad.stderr.split("\n").length, 1);
      }
      const noSlurm = await capture(["submit", "sim1", "--out", out]);
      assert.equal(noSlurm.code, 2);
      assert.match(noSlurm.stderr, /give --slurm/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
