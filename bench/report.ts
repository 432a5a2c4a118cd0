/**
 * `results/bench/report.md` and the README's generated Speed block: the latest run's table (the
 * paired comparison when there was a baseline), the trend detector's flags, the anchors, each
 * suite's own section (from the latest run that has the suite) and the per-case trend figures.
 *
 * @module
 */

import { join, relative } from "node:path";
import { writeFileAtomic } from "../lib/io/atomic.ts";
import { writeFigure } from "../lib/report/figures.ts";
import { MARK_SYMBOL, thresholdFor, type Thresholds } from "./compare.ts";
import { fmtSeconds, markdownTable } from "./harness.ts";
import type { CaseRecord, RunRecord } from "./history.ts";
import { medianOf } from "./stats.ts";
import type { BenchSuite, CaseSummary } from "./suite.ts";
import { caseSeries, trendFileName, type TrendFlag, trendFlags, trendSpec } from "./trends.ts";

/** The {@link CaseSummary} a suite section is built from. */
export function caseSummary(c: CaseRecord): CaseSummary {
  const s = c.head.samples;
  return {
    id: c.id,
    info: c.info,
    facts: c.facts,
    samples: s,
    median: medianOf(s),
    min: s.length ? Math.min(...s) : NaN,
    peakRssMiB: c.head.peak_rss_mib,
    error: c.head.error,
  };
}

/** One line about a run: when, what, where, under which load. */
export function runLine(run: RunRecord): string {
  const m = run.machine;
  const load = (l: number[] | null) => (l ? l.join("/") : "n/a");
  const commit = `${(run.commit ?? "unknown").slice(0, 10)}${run.dirty ? " (uncommitted changes)" : ""}`;
  return `Run ${run.time} (${run.trigger}), commit ${commit}` +
    (run.baseline_commit ? ` vs baseline ${run.baseline_ref} = ${run.baseline_commit.slice(0, 10)}` : "") +
    `. Machine ${m.fingerprint}: ${m.cpu}, ${m.cores} cores, ${
      m.memory_gib ?? "?"
    } GiB, ${m.os} ${m.arch}; ` +
    `Deno ${run.runtime.deno} (V8 ${run.runtime.v8}, TypeScript ${run.runtime.typescript}). ` +
    `Load average (1/5/15 min) ${load(run.load_average.start)} at the start, ${
      load(run.load_average.end)
    } at the end; ` +
    `${run.settings.samples} samples per case and side after ${run.settings.warmup} warm-up, seed ${run.settings.seed}.`;
}

const ratioText = (v: number | null) => (v === null ? "n/a" : v.toFixed(3));

/** The comparison table of a paired run (Markdown). */
export function comparisonTable(run: RunRecord): string {
  return markdownTable(
    [
      "",
      "case",
      "baseline median s",
      "HEAD median s",
      "HEAD / baseline",
      "95 % interval",
      "p (Holm)",
      "threshold",
      "mark",
    ],
    run.cases.map((c) => {
      const cmp = c.comparison;
      const mark = cmp?.mark ?? "n/a";
      return [
        cmp ? MARK_SYMBOL[cmp.mark] : "",
        c.id,
        fmtSeconds(c.baseline ? medianOf(c.baseline.samples) : NaN),
        fmtSeconds(medianOf(c.head.samples)),
        ratioText(cmp?.ratio ?? null),
        cmp?.ci_low != null ? `${cmp.ci_low.toFixed(3)}–${cmp.ci_high!.toFixed(3)}` : "n/a",
        cmp?.p_holm != null
          ? (cmp.p_holm < 1e-3 ? cmp.p_holm.toExponential(1) : cmp.p_holm.toPrecision(2))
          : "n/a",
        cmp ? `${Math.round(cmp.threshold * 100)} %` : "",
        mark + (cmp?.note ? ` (${cmp.note})` : ""),
      ];
    }),
  );
}

/** The table of an unpaired run (Markdown). */
export function latestTable(run: RunRecord): string {
  return markdownTable(
    ["case", "n", "median s", "min s", "max s", "peak RSS MiB", "version", "error"],
    run.cases.map((c) => {
      const s = c.head.samples;
      return [
        c.id,
        String(s.length),
        fmtSeconds(medianOf(s)),
        fmtSeconds(s.length ? Math.min(...s) : NaN),
        fmtSeconds(s.length ? Math.max(...s) : NaN),
        c.head.peak_rss_mib === undefined ? "n/a" : String(c.head.peak_rss_mib),
        c.version,
        c.head.error ?? "—",
      ];
    }),
  );
}

/** Counts of the marks, e.g. "1 regression, 2 improvements, 40 not significant". */
export function markCounts(run: RunRecord): string {
  const counts = new Map<string, number>();
  for (const c of run.cases) {
    if (c.comparison) counts.set(c.comparison.mark, (counts.get(c.comparison.mark) ?? 0) + 1);
  }
  return [...counts].map(([m, n]) => `${n} ${m}`).join(", ") || "no comparison";
}

/** Confirmed regressions of a run. */
export function regressions(run: RunRecord): CaseRecord[] {
  return run.cases.filter((c) => c.comparison?.mark === "regression");
}

/**
 * Per suite, its section from the latest run that covered the suite most completely (the most cases
 * of it), so a run restricted with `--only` does not shrink the suite's table.
 */
export function suiteSections(runs: readonly RunRecord[], suites: readonly BenchSuite[]): string[] {
  const out: string[] = [];
  for (const suite of suites) {
    if (!suite.section) continue;
    const count = (r: RunRecord) => r.cases.filter((c) => c.suite === suite.name).length;
    const most = Math.max(0, ...runs.map(count));
    const run = [...runs].reverse().find((r) => most > 0 && count(r) === most);
    if (!run) continue;
    const cases = run.cases.filter((c) => c.suite === suite.name).map(caseSummary);
    out.push(
      `${suite.section(cases)}\n\n_From run ${run.time} on machine ${run.machine.fingerprint} ` +
        `(load ${run.load_average.start?.join("/") ?? "n/a"})._`,
    );
  }
  return out;
}

/** Everything {@link writeReport} needs. */
export interface ReportInput {
  /** The validated history, the latest run last. */
  runs: readonly RunRecord[];
  /** Lines of the history that were skipped. */
  problems: readonly string[];
  suites: readonly BenchSuite[];
  thresholds: Thresholds;
  /** Output folder (report.md, trends/). */
  out: string;
  /** Draw the trend figures (default true). */
  figures?: boolean;
}

/** Writes report.md and the trend figures; returns the report text and the trend flags. */
export async function writeReport(input: ReportInput): Promise<{ text: string; flags: TrendFlag[] }> {
  const { runs, out } = input;
  const latest = runs.at(-1);
  const parts: string[] = ["# polylab benchmarks", ""];
  if (!latest) {
    parts.push("No run in the history yet: `deno task bench`.");
    const text = parts.join("\n") + "\n";
    await writeFileAtomic(join(out, "report.md"), text);
    return { text, flags: [] };
  }
  parts.push(runLine(latest), "");
  if (latest.baseline_commit) {
    parts.push(
      `## Paired comparison with ${latest.baseline_ref} (${latest.baseline_commit.slice(0, 10)}, ` +
        `${
          latest.baseline_mode === "legacy"
            ? "older than the suite registry: HEAD's cases ran against its engines"
            : "its own case registry"
        })`,
      "",
      `Marks: + regression, - improvement, x failed, ! not comparable, blank not significant ` +
        `(Mann–Whitney U, Holm-corrected across cases, α = 0.05; a regression also needs the whole bootstrap ` +
        `95 % interval above 1 + threshold). Result: ${markCounts(latest)}.`,
      "",
      comparisonTable(latest),
      "",
    );
  } else {
    parts.push("## Latest run", "", latestTable(latest), "");
  }
  if (latest.skipped.length) {
    parts.push(latest.skipped.map((s) => `Suite ${s.suite} skipped: ${s.reason}.`).join("\n"), "");
  }
  if (latest.anchors.length) {
    parts.push(
      "## Anchors (reference implementations, same machine, same run)",
      "",
      markdownTable(
        ["anchor", "polylab case", "anchor median s", "polylab / anchor", "note"],
        latest.anchors.map((a) => [
          a.name,
          a.case_id,
          fmtSeconds(medianOf(a.samples)),
          a.ratio === null ? "n/a" : a.ratio.toPrecision(3),
          a.skipped ?? a.version ?? "",
        ]),
      ),
      "",
    );
  }
  const ids = [...new Set(runs.flatMap((r) => r.cases.map((c) => c.id)))].sort();
  const flags = ids.flatMap((id) => trendFlags(id, caseSeries(runs, id)));
  parts.push(
    "## Trend flags",
    "",
    "Rule: in the latest segment of a series, min of the last 3 runs > 1.05 × the lowest earlier rolling max of 3.",
    "",
    flags.length === 0 ? "None." : markdownTable(
      ["case", "series", "rise started at run", "confirmed at run", "level / reference"],
      flags.map((f) => [f.id, f.series, String(f.startRun), String(f.confirmedRun), f.factor.toFixed(3)]),
    ),
    "",
  );
  parts.push(...suiteSections(runs, input.suites).flatMap((s) => [s, ""]));
  parts.push(
    "## Trends",
    "",
    `${runs.length} runs in the history; one figure per case (SVG beside each PNG).`,
    "",
  );
  const figureDir = join(out, "trends");
  for (const suite of input.suites) {
    const mine = ids.filter((id) => id.startsWith(`${suite.name}/`));
    if (mine.length === 0) continue;
    parts.push(`### ${suite.name}`, "");
    for (const id of mine) {
      const base = join(figureDir, trendFileName(id));
      if (input.figures !== false) {
        // scale 1: one PNG per case and run adds up in the history; the SVG beside it stays sharp
        await writeFigure(base, trendSpec(id, caseSeries(runs, id), thresholdFor(input.thresholds, id)), {
          scale: 1,
        });
      }
      const rel = relative(out, base);
      parts.push(`[![${id}](${rel}.png)](${rel}.svg)`);
    }
    parts.push("");
  }
  if (input.problems.length) {
    parts.push("## History lines skipped", "", ...input.problems.map((p) => `- ${p}`), "");
  }
  const text = parts.join("\n");
  await writeFileAtomic(join(out, "report.md"), text);
  return { text, flags };
}

/** Markers of the README's generated block. */
export const README_BEGIN = "<!-- bench:begin (generated by deno task bench; edit outside these markers) -->";
export const README_END = "<!-- bench:end -->";

/**
 * Replaces the README's block between {@link README_BEGIN} and {@link README_END} with the latest
 * run's line, the suites' sections and links to the report; false when the markers are absent.
 */
export async function updateReadme(
  readmePath: string,
  runs: readonly RunRecord[],
  suites: readonly BenchSuite[],
  reportPath: string,
): Promise<boolean> {
  const text = await Deno.readTextFile(readmePath);
  const a = text.indexOf(README_BEGIN);
  const b = text.indexOf(README_END);
  const latest = runs.at(-1);
  if (a < 0 || b < a || !latest) return false;
  const rel = relative(join(readmePath, ".."), reportPath);
  const block = [
    README_BEGIN,
    "",
    `Latest: ${runLine(latest)} Full tables, the paired comparison and the trend figures: [${rel}](${rel}) ` +
    `(figures in [${join(rel, "..", "trends")}/](${join(rel, "..", "trends")}/)).`,
    "",
    ...suiteSections(runs, suites).flatMap((s) => [s.replace(/^## /, "#### "), ""]),
    README_END,
  ].join("\n");
  const formatted = await formatMarkdown(
    text.slice(0, a) + block + text.slice(b + README_END.length),
    readmePath,
  );
  await writeFileAtomic(readmePath, formatted);
  return true;
}

/**
 * Markdown text formatted by `deno fmt` with the project's settings (so `deno task check` stays
 * clean after a generated edit); the text unchanged when the formatter cannot run.
 */
export async function formatMarkdown(text: string, path: string): Promise<string> {
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext=md", "-"],
      cwd: join(path, ".."),
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const out = await child.output();
    return out.success ? new TextDecoder().decode(out.stdout) : text;
  } catch {
    return text;
  }
}
