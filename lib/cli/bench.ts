/**
 * `deno task bench`: runs the bench suites (bench/suites.ts) in fresh processes, optionally paired
 * with a baseline commit, appends the run to the history, and writes the report with trend
 * figures. See {@link BENCH_HELP}.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROOT_DIR } from "../../bench/harness.ts";
import { SUITES } from "../../bench/suites.ts";
import { type BenchSuite, sha256Hex, type SuiteContext } from "../../bench/suite.ts";
import { collectCases, executePlan, planRuns, runCase } from "../../bench/runner.ts";
import {
  appendRun,
  type CaseRecord,
  loadAverage,
  machineRecord,
  readHistory,
  type RunRecord,
} from "../../bench/history.ts";
import { compareRun, DEFAULT_THRESHOLDS, parseThresholds, type Thresholds } from "../../bench/compare.ts";
import {
  type BaselineTree,
  caseChanged,
  createBaseline,
  removeBaseline,
  resolveCommit,
} from "../../bench/baseline.ts";
import {
  comparisonTable,
  latestTable,
  markCounts,
  regressions,
  updateReadme,
  writeReport,
} from "../../bench/report.ts";
import { runAnchors } from "../../bench/anchors.ts";
import { gitState } from "../experiment/manifest.ts";
import { parseInteger, readJsonFile, UsageError } from "./errors.ts";

/** Exit code when the run itself could not be done (git, deno install, file system). */
export const EXIT_RUN_FAILED = 3;

/** Help text of the `bench` command. */
export const BENCH_HELP = `Usage:
  deno task bench [--baseline REF] [--only PATTERNS] [--samples N] [--warmup N] [--seed N]
                  [--thresholds FILE] [--history FILE] [--out DIR] [--timeout S] [--trigger NAME]
                  [--anchors] [--shared DIR] [--work-dir DIR] [--no-readme] [--no-figures]
  deno task bench --list [--json] [--only PATTERNS]
  deno task bench --report [--history FILE] [--out DIR]

Runs the bench suites (bench/suites.ts: nn2poly, taylor, paper, training, and every suite added
since), each case a fresh Deno process timed by its own engine-seconds field, appends one line per
run to the history, and writes report.md with the latest table and per-case trend figures.

Paired comparison (--baseline REF): REF is checked out in a temporary git worktree with its own
deno install (removed at the end, also on Ctrl-C), HEAD's case definitions and bench/drivers/ run
against the baseline's main.ts and lib/ (so a baseline older than the suite registry works through
the stable CLI contracts), baseline and HEAD alternate in a seeded randomised ABBA order, and per
case the ratio median(HEAD)/median(baseline) gets a bootstrap 95 % interval and a Mann–Whitney U
test, Holm-corrected across cases. Marks (as asv): + regression (significant and the whole interval
above 1 + threshold), - improvement, x failed, ! not comparable (the baseline's own definition of
the case differs), blank not significant. Exit code 1 when a regression is confirmed (2: bad
input, 3: the run could not be done, e.g. git or deno install failed, 130: interrupted).

  --baseline REF       commit, tag or branch to compare with (e.g. HEAD~3, v1.0, the pinned baseline)
  --only PATTERNS      comma-separated: a glob over case ids ("taylor/*/exact/*"), a substring
                       ("covtype"), or tag:NAME ("tag:quick"); default every case
  --samples N          measured runs per case and side (default 10 with --baseline, else 5; ≥ 10
                       with --baseline)
  --warmup N           discarded runs per case and side first (default 1)
  --seed N             seed of the run order and the bootstrap (default 1)
  --thresholds FILE    JSON {"default": 0.1, "cases": [{"pattern": "training/*", "threshold": 0.2}]}
                       (default bench/thresholds.json; first matching pattern wins)
  --history FILE       the JSON-Lines history (default results/bench/history.jsonl)
  --out DIR            report.md and trends/ (default results/bench/)
  --timeout S          per-process limit in seconds (default 300)
  --trigger NAME       recorded with the run (default $GITHUB_EVENT_NAME, else "manual")
  --anchors            also time the reference implementations where installed (Python with
                       PyTorch: nested autograd Taylor; R with the nn2poly package), recording the
                       ratios; each absent one is skipped with a line saying why
  --shared DIR         the shared fixtures folder (default ../shared beside the project)
  --work-dir DIR       folder for generated inputs (default: a temporary one, removed at the end)
  --no-readme          do not regenerate the README's Speed block (only done for the default --out)
  --no-figures         skip the trend figures (faster; report.md links stay)
  --list               list the cases with their version hashes (--json: machine-readable)
  --report             rebuild report.md (and the README block) from the history; run nothing

History lines are validated on read; a malformed line is reported and skipped. Trend figures split
segments where the machine fingerprint, the runtime or the case version changes; the drift rule
flags a case when the minimum of its last 3 runs exceeds 1.05 × its lowest earlier rolling maximum.

Schedules (see the README, "Scheduled benchmark runs"):
  GitHub Actions  .github/workflows/bench.yml (weekly cron + manual dispatch; history on the
                  bench-history branch; fails on a confirmed regression)
  crontab         17 3 * * 1  cd $HOME/polylab && npx --yes deno@2.9.6 task bench --baseline bench-baseline --trigger cron
  systemd         tools/bench/polylab-bench.{service,timer}

For warm in-process numbers: deno bench -A bench/`;

/** Parsed flags of the `bench` command. */
export interface BenchOptions {
  baseline?: string;
  only?: string[];
  samples: number;
  warmup: number;
  seed: number;
  thresholds: string;
  history: string;
  out: string;
  timeout: number;
  trigger: string;
  anchors: boolean;
  shared: string;
  workDir?: string;
  readme: boolean;
  figures: boolean;
  list: boolean;
  json: boolean;
  report: boolean;
  help: boolean;
}

/** The default output folder. */
export const DEFAULT_OUT = join(ROOT_DIR, "results", "bench");

/** Parses the `bench` flags; bad flags raise a one-line {@link UsageError}. */
export function parseBenchArgs(
  args: string[],
  env: (name: string) => string | undefined = Deno.env.get,
): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        baseline: { type: "string" },
        only: { type: "string" },
        samples: { type: "string" },
        repeats: { type: "string" },
        warmup: { type: "string" },
        seed: { type: "string" },
        thresholds: { type: "string" },
        history: { type: "string" },
        out: { type: "string" },
        timeout: { type: "string" },
        trigger: { type: "string" },
        anchors: { type: "boolean" },
        shared: { type: "string" },
        "work-dir": { type: "string" },
        "no-readme": { type: "boolean" },
        "no-figures": { type: "boolean" },
        list: { type: "boolean" },
        json: { type: "boolean" },
        report: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError(`bench: ${(e as Error).message.split("\n")[0]}; see --help`);
  }
  const v = parsed.values;
  const nonEmpty = (flag: string, s: string | undefined) => {
    if (s !== undefined && s.trim() === "") throw new UsageError(`--${flag}: expected a value, got ""`);
    return s;
  };
  const only = nonEmpty("only", v.only)?.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (only && only.length === 0) {
    throw new UsageError(`--only: expected patterns such as "nn2poly/*,tag:quick"`);
  }
  const baseline = nonEmpty("baseline", v.baseline);
  const samplesFlag = v.samples ?? v.repeats;
  const samples = samplesFlag === undefined ? (baseline ? 10 : 5) : parseInteger("--samples", samplesFlag, 1);
  if (baseline && samples < 10) {
    throw new UsageError(`--samples: a paired comparison needs at least 10 samples per side, got ${samples}`);
  }
  const timeout = v.timeout === undefined ? 300 : Number(v.timeout);
  if (!(timeout > 0) || !Number.isFinite(timeout)) {
    throw new UsageError(`--timeout: expected a positive number of seconds, got "${v.timeout}"`);
  }
  if ([v.list, v.report, baseline !== undefined].filter(Boolean).length > 1) {
    throw new UsageError("--list, --report and --baseline exclude each other; give one");
  }
  const out = resolve(nonEmpty("out", v.out) ?? DEFAULT_OUT);
  return {
    baseline,
    only,
    samples,
    warmup: v.warmup === undefined ? 1 : parseInteger("--warmup", v.warmup, 0),
    seed: v.seed === undefined ? 1 : parseInteger("--seed", v.seed, 0),
    thresholds: resolve(nonEmpty("thresholds", v.thresholds) ?? join(ROOT_DIR, "bench", "thresholds.json")),
    history: resolve(nonEmpty("history", v.history) ?? join(out, "history.jsonl")),
    out,
    timeout,
    trigger: nonEmpty("trigger", v.trigger) ?? env("GITHUB_EVENT_NAME") ?? "manual",
    anchors: v.anchors ?? false,
    shared: resolve(nonEmpty("shared", v.shared) ?? join(ROOT_DIR, "..", "shared")),
    workDir: v["work-dir"],
    readme: !v["no-readme"] && out === resolve(DEFAULT_OUT),
    figures: !v["no-figures"],
    list: v.list ?? false,
    json: v.json ?? false,
    report: v.report ?? false,
    help: v.help ?? false,
  };
}

async function loadThresholds(path: string): Promise<Thresholds> {
  try {
    await Deno.stat(path);
  } catch {
    return DEFAULT_THRESHOLDS;
  }
  return parseThresholds(readJsonFile(path), path);
}

async function sha256OfFile(path: string): Promise<string | null> {
  try {
    return sha256Hex(await Deno.readFile(path));
  } catch {
    return null;
  }
}

/** Reads the history, reporting skipped lines on stderr, and writes the report (and README block). */
async function report(opts: BenchOptions, suites: readonly BenchSuite[], thresholds: Thresholds) {
  const { runs, problems } = await readHistory(opts.history);
  for (const p of problems) console.error(`warning: ${p}`);
  const result = await writeReport({
    runs,
    problems,
    suites,
    thresholds,
    out: opts.out,
    figures: opts.figures,
  });
  if (
    opts.readme && await updateReadme(join(ROOT_DIR, "README.md"), runs, suites, join(opts.out, "report.md"))
  ) {
    console.error("README.md: Speed block regenerated");
  }
  console.error(`wrote ${join(opts.out, "report.md")}`);
  return { runs, ...result };
}

/** Runs the `bench` command; returns the exit code. */
export default async function bench(args: string[], suites: readonly BenchSuite[] = SUITES): Promise<number> {
  const opts = parseBenchArgs(args);
  if (opts.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  const thresholds = await loadThresholds(opts.thresholds);
  if (opts.report) {
    await report(opts, suites, thresholds);
    return 0;
  }
  const baselineCommit = opts.baseline ? await resolveCommit(opts.baseline, ROOT_DIR) : undefined;
  const ownWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ?? await Deno.makeTempDir({ prefix: "polylab-bench-work-" });
  const ctx: SuiteContext = { sharedDir: opts.shared, workDir };
  const log = (line: string) => console.error(line);
  const controller = new AbortController();
  let baselineRoot: string | undefined;
  const onSignal = () => {
    if (!controller.signal.aborted) log("interrupted: stopping the running case and cleaning up …");
    controller.abort();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  try {
    const selection = await collectCases(suites, ctx, opts.only);
    if (opts.list) {
      const rows = selection.cases.map((rc) => ({
        id: rc.case.id,
        suite: rc.suite.name,
        version: rc.version,
        tags: rc.case.tags ?? [],
      }));
      if (opts.json) console.log(JSON.stringify({ cases: rows, skipped: selection.skipped }));
      else {
        for (const r of rows) {
          console.log(`${r.id}  ${r.version}${r.tags.length ? `  [${r.tags.join(", ")}]` : ""}`);
        }
        for (const s of selection.skipped) console.log(`(suite ${s.suite} skipped: ${s.reason})`);
      }
      return 0;
    }
    for (const s of selection.skipped) log(`suite ${s.suite} skipped: ${s.reason}`);
    if (selection.cases.length === 0) {
      throw new UsageError(
        `--only ${opts.only?.join(",") ?? ""}: matches no case; see deno task bench --list`,
      );
    }
    for (const s of signals) Deno.addSignalListener(s, onSignal);
    const started = new Date();
    const git = await gitState(ROOT_DIR); // the tree measured: taken before any case runs
    const loadStart = loadAverage();
    log(`load average at start: ${loadStart?.join(" ") ?? "n/a"}`);

    let tree: BaselineTree | undefined;
    if (opts.baseline && baselineCommit) {
      tree = await createBaseline(opts.baseline, baselineCommit, {
        headRoot: ROOT_DIR,
        sharedDir: opts.shared,
        log,
        onCreated: (root) => (baselineRoot = root),
        signal: controller.signal,
      });
    }
    const cases = selection.cases;
    const steps = planRuns(cases.length, {
      samples: opts.samples,
      warmup: opts.warmup,
      paired: tree !== undefined,
      seed: opts.seed,
    });
    log(`${cases.length} cases, ${steps.length} fresh processes${tree ? " (paired, randomised ABBA)" : ""}`);
    const outcomes = await executePlan(
      cases,
      steps,
      tree !== undefined,
      (rc, side) =>
        runCase(side === "head" ? ROOT_DIR : tree!.root, rc, ctx, opts.timeout, controller.signal),
      log,
      () => controller.signal.aborted,
    );
    if (controller.signal.aborted) return 130;

    const comparisons = tree
      ? compareRun(
        cases.map((rc, i) => ({
          id: rc.case.id,
          head: outcomes[i].head,
          baseline: outcomes[i].baseline,
          changed: caseChanged(tree, rc.case.id, rc.version),
        })),
        thresholds,
        opts.seed,
      )
      : undefined;
    const anchors = opts.anchors
      ? await runAnchors(cases, outcomes, ctx, { log, signal: controller.signal })
      : [];
    if (controller.signal.aborted) return 130;

    const records: CaseRecord[] = cases.map((rc, i) => ({
      id: rc.case.id,
      suite: rc.suite.name,
      version: rc.version,
      metric: rc.case.metric ?? "seconds",
      ...(rc.case.info ? { info: { ...rc.case.info } } : {}),
      ...(outcomes[i].facts ? { facts: outcomes[i].facts } : {}),
      head: outcomes[i].head,
      ...(tree
        ? {
          baseline: outcomes[i].baseline,
          baseline_version: tree.mode === "registry" ? tree.versions.get(rc.case.id) ?? null : null,
          comparison: comparisons![i],
        }
        : {}),
    }));
    const run: RunRecord = {
      schema: 1,
      time: started.toISOString(),
      finished: new Date().toISOString(),
      trigger: opts.trigger,
      commit: git.commit,
      dirty: git.dirty,
      baseline_ref: opts.baseline ?? null,
      baseline_commit: baselineCommit ?? null,
      baseline_mode: tree?.mode ?? null,
      machine: machineRecord(),
      runtime: { deno: Deno.version.deno, v8: Deno.version.v8, typescript: Deno.version.typescript },
      lockfile_sha256: await sha256OfFile(join(ROOT_DIR, "deno.lock")),
      load_average: { start: loadStart, end: loadAverage() },
      settings: {
        samples: opts.samples,
        warmup: opts.warmup,
        seed: opts.seed,
        timeout_seconds: opts.timeout,
        only: opts.only ?? null,
        anchors: opts.anchors,
      },
      cases: records,
      skipped: selection.skipped,
      anchors,
    };
    await appendRun(opts.history, run);
    log(`appended the run to ${opts.history}`);
    log(`load average at end: ${run.load_average.end?.join(" ") ?? "n/a"}`);
    const { flags } = await report(opts, suites, thresholds);
    console.log(tree ? comparisonTable(run) : latestTable(run));
    for (const f of flags) {
      log(
        `trend: ${f.id} (${f.series}) rose ×${
          f.factor.toFixed(3)
        } from run ${f.startRun}, confirmed at run ${f.confirmedRun}`,
      );
    }
    if (tree) {
      const bad = regressions(run);
      console.log(`\n${markCounts(run)}.`);
      if (bad.length > 0) {
        console.log(`Confirmed regression${bad.length > 1 ? "s" : ""}: ${bad.map((c) => c.id).join(", ")}.`);
        return 1;
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (controller.signal.aborted) return 130;
    // a failure of git, deno install or the file system: one line, no stack trace
    console.error(`error: bench: ${(e as Error).message.split("\n")[0]}`);
    return EXIT_RUN_FAILED;
  } finally {
    for (const s of signals) {
      try {
        Deno.removeSignalListener(s, onSignal);
      } catch { /* not added */ }
    }
    if (baselineRoot) {
      await removeBaseline(ROOT_DIR, baselineRoot);
      log(`removed the baseline worktree ${baselineRoot}`);
    }
    if (ownWorkDir) await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}
