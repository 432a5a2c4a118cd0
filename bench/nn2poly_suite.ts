/**
 * The nn2poly suite: each network of `../shared/fixtures/nn2poly-bench` converted by the CLI
 * contract `main.ts poly nn2poly FILE`, against the R package's recorded times.
 *
 * Target: ≥ 3× faster than the R package on every network with more than 1,000 terms.
 *
 * @module
 */

import { join } from "node:path";
import { fmtSeconds, markdownTable, summarize } from "./harness.ts";
import { type CaseSummary, defineSuite, type FactValue } from "./suite.ts";

/** Networks with more terms than this must meet {@link TARGET_SPEEDUP}. */
export const TARGET_MIN_TERMS = 1000;
/** Required ratio R seconds / polylab seconds on the targeted networks. */
export const TARGET_SPEEDUP = 3;

/** What the suite needs from one fixture file. */
export interface BenchFixture {
  /** Fixture name (file name without .json). */
  name: string;
  /** Inputs p. */
  inputs: number;
  /** Hidden layer widths and output units, e.g. "100-100-100-1". */
  shape: string;
  /** Q. */
  maxOrder: number;
  /** Size of the R package's polynomial. */
  nTerms: number;
  /** The R package's three times. */
  referenceSeconds: number[];
  /** A sample of the R package's terms (1-based, `[0]` intercept) and coefficients per output. */
  sampleLabels: number[][];
  sampleCoefficients: number[][];
}

/** Lists and parses the speed fixtures of `dir`, sorted by name. */
export async function loadBenchFixtures(dir: string): Promise<BenchFixture[]> {
  const out: BenchFixture[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const j = JSON.parse(await Deno.readTextFile(join(dir, e.name)));
    const layers = j.layers as { weights: number[][] }[];
    out.push({
      name: e.name.slice(0, -5),
      inputs: j.inputs,
      shape: layers.map((l) => l.weights[0].length).join("-"),
      maxOrder: j.max_order,
      nTerms: j.n_terms,
      referenceSeconds: j.reference_seconds,
      sampleLabels: j.sample_labels ?? [],
      sampleCoefficients: j.sample_coefficients ?? [],
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Largest |ours − R| over the fixture's sampled terms (Infinity when a sampled term is missing). */
export function maxSampleDiff(fx: BenchFixture, labels: number[][], coefficients: number[][]): number {
  const key = (l: readonly number[]) => [...l].sort((a, b) => a - b).join(",");
  const index = new Map(labels.map((l, t) => [key(l), t]));
  let worst = 0;
  fx.sampleLabels.forEach((label, s) => {
    const t = index.get(key(label));
    fx.sampleCoefficients.forEach((ref, o) => {
      worst = Math.max(worst, t === undefined ? Infinity : Math.abs(coefficients[o][t] - ref[s]));
    });
  });
  return worst;
}

/** Term count and accuracy against the R sample, from one run's JSON. */
export function inspectNn2poly(fx: BenchFixture, json: Record<string, unknown>): Record<string, FactValue> {
  const labels = json.labels as number[][] | undefined;
  const coefficients = json.coefficients as number[][] | undefined;
  const terms = typeof json.terms === "number" ? json.terms : labels?.length ?? null;
  if (!labels || !coefficients) return { terms };
  const diff = maxSampleDiff(fx, labels, coefficients);
  return { terms, max_abs_diff_vs_r: Number.isFinite(diff) ? diff : "missing term" };
}

/** The suite (registered in bench/suites.ts). */
export const nn2polySuite = defineSuite({
  name: "nn2poly",
  description:
    "NN2Poly (`poly nn2poly`) on ../shared/fixtures/nn2poly-bench, against the R package's recorded times",
  async cases(ctx) {
    const dir = join(ctx.sharedDir, "fixtures", "nn2poly-bench");
    let fixtures: BenchFixture[];
    try {
      fixtures = await loadBenchFixtures(dir);
    } catch {
      return { skip: `${dir} is absent` };
    }
    return fixtures.map((fx) => ({
      id: `nn2poly/${fx.name}`,
      script: "main.ts",
      args: ["poly", "nn2poly", `@shared/fixtures/nn2poly-bench/${fx.name}.json`],
      tags: fx.nTerms <= TARGET_MIN_TERMS ? ["quick"] : [],
      info: {
        inputs: fx.inputs,
        shape: fx.shape,
        max_order: fx.maxOrder,
        n_terms: fx.nTerms,
        r_seconds: fx.referenceSeconds,
      },
      inspect: (json) => inspectNn2poly(fx, json),
    }));
  },
  section: nn2polyMarkdown,
});

/** R median / polylab median of one case (NaN when either is missing). */
export function speedupOverR(c: CaseSummary): number {
  const r = c.info?.r_seconds;
  return Array.isArray(r) ? summarize(r as number[]).median / c.median : NaN;
}

/** "PASS"/"FAIL" against the target for networks above {@link TARGET_MIN_TERMS} terms, else "—". */
export function nn2polyTarget(c: CaseSummary): "PASS" | "FAIL" | "—" {
  if (!(Number(c.info?.n_terms) > TARGET_MIN_TERMS)) return "—";
  return !c.error && speedupOverR(c) >= TARGET_SPEEDUP ? "PASS" : "FAIL";
}

/** The Markdown section of the nn2poly suite. */
export function nn2polyMarkdown(cases: readonly CaseSummary[]): string {
  const name = (c: CaseSummary) => c.id.slice("nn2poly/".length);
  const table = markdownTable(
    [
      "network",
      "p",
      "layers",
      "Q",
      "terms",
      "polylab median s",
      "min s",
      "peak RSS MiB",
      "R median s",
      "R / polylab",
      `≥ ${TARGET_SPEEDUP}× (> ${TARGET_MIN_TERMS} terms)`,
      "max |Δ| vs R sample",
    ],
    cases.map((c) => {
      const nTerms = Number(c.info?.n_terms);
      const terms = c.facts?.terms;
      const diff = c.facts?.max_abs_diff_vs_r;
      const speedup = speedupOverR(c);
      return [
        name(c),
        String(c.info?.inputs ?? "n/a"),
        String(c.info?.shape ?? "n/a"),
        String(c.info?.max_order ?? "n/a"),
        terms === undefined || terms === null || terms === nTerms
          ? String(nTerms)
          : `${terms} (R: ${nTerms})`,
        c.samples.length === 0 ? `n/a (${c.error ?? "no samples"})` : fmtSeconds(c.median),
        fmtSeconds(c.min),
        c.peakRssMiB === undefined ? "n/a" : c.peakRssMiB.toFixed(0),
        fmtSeconds(summarize((c.info?.r_seconds ?? []) as number[]).median),
        Number.isFinite(speedup) ? `${speedup.toFixed(1)}×` : "n/a",
        nn2polyTarget(c),
        typeof diff === "number" ? diff.toExponential(1) : String(diff ?? "n/a"),
      ];
    }),
  );
  const targeted = cases.filter((c) => nn2polyTarget(c) !== "—");
  const verdict = targeted.length === 0
    ? `No network in this run has more than ${TARGET_MIN_TERMS} terms.`
    : targeted.every((c) => nn2polyTarget(c) === "PASS")
    ? `Target met: ≥ ${TARGET_SPEEDUP}× faster than R on all ${targeted.length} networks with > ${TARGET_MIN_TERMS} terms.`
    : `Target NOT met on: ${targeted.filter((c) => nn2polyTarget(c) === "FAIL").map(name).join(", ")}.`;
  const n = Math.max(0, ...cases.map((c) => c.samples.length));
  return [
    "## nn2poly: polylab vs the R package nn2poly",
    "",
    `polylab: engine seconds (\`seconds\` of \`deno task poly nn2poly FILE\`), median of ${n} fresh ` +
    "processes (cold JIT included, start-up and JSON parsing excluded). R: the package's own time, median of " +
    "its 3 recorded runs in one R process.",
    "",
    table,
    "",
    verdict,
  ].join("\n");
}
