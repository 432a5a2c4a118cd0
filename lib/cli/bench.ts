/**
 * `deno task bench [--only NAME] [--repeats N] [--out DIR] [--timeout S] [--taylor-max-order K]`:
 * speed of the nn2poly engine against the R package, of the Taylor engines (also on the HOPE
 * paper's architectures), and of stacked tfjs training against training networks one by one, each
 * run timed in a fresh process. Prints Markdown tables on stdout (progress on stderr) and writes
 * `nn2poly.{json,md}`, `taylor.{json,md}`, `paper.{json,md}` and `training.{json,md}` to the
 * output folder (default `results/bench/`).
 *
 * @module
 */

import { paperMarkdown, runPaperBench } from "../../bench/paper_suite.ts";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { machineInfo, machineLine, ROOT_DIR } from "../../bench/harness.ts";
import {
  loadBenchFixtures,
  NN2POLY_BENCH_DIR,
  nn2polyMarkdown,
  runNn2polyBench,
} from "../../bench/nn2poly_suite.ts";
import { runTaylorBench, TAYLOR_BENCH_FILE, taylorMarkdown } from "../../bench/taylor_suite.ts";
import { runTrainBench, trainMarkdown } from "../../bench/train_suite.ts";
import { loadReluBenchFixtures, RELU_BENCH_DIR, reluMarkdown, runReluBench } from "../../bench/relu_suite.ts";
import { writeFileAtomic } from "../io/atomic.ts";
import { parseInteger, UsageError } from "./errors.ts";

/** Help text of the `bench` command. */
export const BENCH_HELP =
  `Usage: deno task bench [--only NAME] [--repeats N] [--out DIR] [--timeout S] [--taylor-max-order K]

Times the nn2poly engine on ../shared/fixtures/nn2poly-bench/*.json against the R package's recorded
times (target: ≥ 3× faster on every network with more than 1,000 terms), and the Taylor engines
(exact, hope, autodiff) on ../shared/fixtures/taylor-bench/sine-1d-128x4.json for K = 1..10, the
Taylor engines on the HOPE paper's architectures ("paper"), stacked tfjs training of R networks
against training them one by one, in sim3's and sim1's shapes ("training"), and poly shallow on
../shared/fixtures/relu-bench/*.json against their anchor_seconds (target ≥ 10×; "relu"), with the LP
solver comparison (own simplex vs HiGHS; "relu-lp").
Every run is a fresh process; reported times are the engines' own compute (or training) time.

  --only NAME            only benchmarks whose name contains NAME (the Taylor one is "sine-1d-128x4";
                         also "paper", "training", "relu" (the relu-bench networks), "relu-lp")
  --repeats N            fresh-process runs per network / per (engine, K) / per training case (default 3)
  --out DIR              output folder (default results/bench/)
  --timeout S            per-process time limit in seconds (default 300)
  --taylor-max-order K   highest Taylor order timed (default 10)

For warm in-process numbers: deno bench -A bench/`;

/** Parsed flags of the `bench` command. */
export interface BenchOptions {
  /** Substring filter on benchmark names. */
  only?: string;
  /** Runs per cell. */
  repeats: number;
  /** Output folder. */
  out: string;
  /** Per-process time limit (s). */
  timeout: number;
  /** Highest Taylor order. */
  taylorMaxOrder: number;
  /** `--help` was given. */
  help: boolean;
}

/** Parses the `bench` flags; bad flags raise a one-line {@link UsageError}. */
export function parseBenchArgs(args: string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        only: { type: "string" },
        repeats: { type: "string" },
        out: { type: "string" },
        timeout: { type: "string" },
        "taylor-max-order": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError(`bench: ${(e as Error).message.split("\n")[0]}; see --help`);
  }
  const v = parsed.values;
  if (v.only !== undefined && v.only.trim() === "") throw new UsageError("--only: expected a non-empty name");
  const timeout = v.timeout === undefined ? 300 : Number(v.timeout);
  if (!(timeout > 0) || !Number.isFinite(timeout)) {
    throw new UsageError(`--timeout: expected a positive number of seconds, got "${v.timeout}"`);
  }
  return {
    only: v.only,
    repeats: v.repeats === undefined ? 3 : parseInteger("--repeats", v.repeats, 1),
    out: v.out ?? join(ROOT_DIR, "results", "bench"),
    timeout,
    taylorMaxOrder: v["taylor-max-order"] === undefined
      ? 10
      : parseInteger("--taylor-max-order", v["taylor-max-order"], 1),
    help: v.help ?? false,
  };
}

/** Runs the `bench` command; returns the exit code. */
export default async function bench(args: string[]): Promise<number> {
  const opts = parseBenchArgs(args);
  if (opts.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  const fixtures = await loadBenchFixtures(NN2POLY_BENCH_DIR, opts.only).catch((e) => {
    throw new UsageError(`cannot read ${NN2POLY_BENCH_DIR} (${(e as Error).message.split("\n")[0]})`);
  });
  const taylorName = "sine-1d-128x4";
  const runTaylor = opts.only === undefined || taylorName.includes(opts.only);
  const runPaper = opts.only === undefined || "paper".includes(opts.only);
  const runTraining = opts.only === undefined || "training".includes(opts.only);
  // relu: the relu-bench fixtures (names containing --only, or all for "relu"); relu-lp: the LP comparison
  const reluFixtures = await loadReluBenchFixtures(RELU_BENCH_DIR, opts.only).catch(() => []);
  const runReluLp = opts.only === undefined || "relu-lp".includes(opts.only);
  if (
    fixtures.length === 0 && !runTaylor && !runPaper && !runTraining && reluFixtures.length === 0 &&
    !runReluLp
  ) {
    throw new UsageError(
      `--only "${opts.only}" matches no benchmark (see ${NN2POLY_BENCH_DIR}, "${taylorName}", "paper", "training", "relu", "relu-lp")`,
    );
  }
  const machine = machineInfo();
  const settings = { repeats: opts.repeats, timeout_seconds: opts.timeout, only: opts.only ?? null };
  const log = (line: string) => console.error(line);
  const header = `# polylab benchmarks\n\n${machineLine(machine)}\n`;
  console.log(header);

  if (fixtures.length > 0) {
    const rows = await runNn2polyBench(fixtures, opts.repeats, opts.timeout, log);
    const md = nn2polyMarkdown(rows, opts.repeats);
    console.log(md + "\n");
    await writeFileAtomic(join(opts.out, "nn2poly.md"), `${header}\n${md}\n`);
    const targeted = rows.filter((r) => r.target !== "—");
    await writeFileAtomic(
      join(opts.out, "nn2poly.json"),
      JSON.stringify(
        {
          machine,
          settings,
          target: {
            min_terms: 1000,
            speedup: 3,
            met: targeted.length > 0 && targeted.every((r) => r.target === "PASS"),
          },
          networks: rows,
        },
        null,
        2,
      ) + "\n",
    );
  }
  if (runTaylor) {
    const cells = await runTaylorBench(
      TAYLOR_BENCH_FILE,
      opts.taylorMaxOrder,
      opts.repeats,
      opts.timeout,
      log,
    );
    const reference = JSON.parse(await Deno.readTextFile(TAYLOR_BENCH_FILE)).reference_seconds;
    const md = taylorMarkdown(
      cells,
      opts.repeats,
      typeof reference === "number" ? reference : undefined,
    );
    console.log(md + "\n");
    await writeFileAtomic(join(opts.out, "taylor.md"), `${header}\n${md}\n`);
    await writeFileAtomic(
      join(opts.out, "taylor.json"),
      JSON.stringify(
        { machine, settings: { ...settings, file: TAYLOR_BENCH_FILE }, cells },
        null,
        2,
      ) + "\n",
    );
  }
  if (runPaper) {
    const rows = await runPaperBench(opts.repeats, opts.timeout, log);
    const md = paperMarkdown(rows, opts.repeats);
    console.log(md + "\n");
    await writeFileAtomic(join(opts.out, "paper.md"), `${header}\n${md}\n`);
    await writeFileAtomic(
      join(opts.out, "paper.json"),
      JSON.stringify({ machine, settings, rows }, null, 2) + "\n",
    );
  }
  if (runTraining) {
    const rows = await runTrainBench(opts.repeats, opts.timeout, log);
    const md = trainMarkdown(rows, opts.repeats);
    console.log(md + "\n");
    await writeFileAtomic(join(opts.out, "training.md"), `${header}\n${md}\n`);
    await writeFileAtomic(
      join(opts.out, "training.json"),
      JSON.stringify({ machine, settings, rows }, null, 2) + "\n",
    );
  }
  if (reluFixtures.length > 0 || runReluLp) {
    const rows = await runReluBench(reluFixtures, opts.repeats, opts.timeout, log);
    const lpFile = runReluLp
      ? (await loadReluBenchFixtures(RELU_BENCH_DIR).catch(() => []))[0]?.path
      : undefined;
    const lp = lpFile ? await (await import("../../bench/relu_lp.ts")).compareLpSolvers(lpFile) : undefined;
    const md = reluMarkdown(rows, opts.repeats, lp);
    console.log(md + "\n");
    await writeFileAtomic(join(opts.out, "relu.md"), `${header}\n${md}\n`);
    await writeFileAtomic(
      join(opts.out, "relu.json"),
      JSON.stringify(
        {
          machine,
          settings,
          target: { speedup: 10, met: rows.length > 0 && rows.every((r) => r.target === "PASS") },
          networks: rows,
          lp_comparison: lp ?? null,
        },
        null,
        2,
      ) + "\n",
    );
  }
  log(`wrote ${opts.out}`);
  return 0;
}
