/**
 * The Taylor-engine speed benchmark: the 1–128×4–1 sine MLP of `../shared/fixtures/taylor-bench`
 * expanded at x0 = 0 for K = 1..10 by each engine (exact, HOPE, tfjs autodiff), one fresh process
 * per run, through the CLI contract (`main.ts poly taylor`).
 *
 * @module
 */

import { join } from "node:path";
import { fmtSeconds, markdownTable } from "./harness.ts";
import { type CaseSummary, defineSuite } from "./suite.ts";

/** The speed fixture, relative to the shared folder. */
export const TAYLOR_BENCH_FIXTURE = "fixtures/taylor-bench/sine-1d-128x4.json";

/** Engines timed, in table order. */
export const TAYLOR_BENCH_METHODS = ["exact", "hope", "autodiff"] as const;

/** The fixture's exact coefficients of output 1, keyed by label ("" = constant, "1,1" = x1²). */
export function referenceCoefficients(
  json: { labels: number[][]; coefficients: number[][] },
): Map<string, number> {
  return new Map(json.labels.map((l, t) => [l.join(","), json.coefficients[0][t]]));
}

/** Largest relative difference of a run's output-1 coefficients against the reference. */
export function maxRelDiff(ref: Map<string, number>, labels: number[][], coefficients: number[][]): number {
  const scale = Math.max(...[...ref.values()].map(Math.abs));
  let worst = 0;
  labels.forEach((l, t) => {
    const r = ref.get(l.join(","));
    if (r === undefined) return;
    worst = Math.max(worst, Math.abs(coefficients[0][t] - r) / (Math.abs(r) + 1e-12 * scale));
  });
  return worst;
}

/** Highest order of the suite. */
export const TAYLOR_MAX_ORDER = 10;

/** The suite (registered in bench/suites.ts). */
export const taylorSuite = defineSuite({
  name: "taylor",
  description: "Taylor engines (exact, hope, autodiff; `poly taylor`) on the 1–128×4–1 sine MLP, K = 1..10",
  async cases(ctx) {
    const file = join(ctx.sharedDir, TAYLOR_BENCH_FIXTURE);
    let ref: Map<string, number>;
    let referenceSeconds: number | null = null;
    try {
      const json = JSON.parse(await Deno.readTextFile(file));
      ref = referenceCoefficients(json);
      if (typeof json.reference_seconds === "number") referenceSeconds = json.reference_seconds;
    } catch {
      return { skip: `${file} is absent` };
    }
    return TAYLOR_BENCH_METHODS.flatMap((method) =>
      Array.from({ length: TAYLOR_MAX_ORDER }, (_, i) => {
        const order = i + 1;
        return {
          id: `taylor/sine-1d-128x4/${method}/k${order}`,
          script: "main.ts",
          args: [
            "poly",
            "taylor",
            `@shared/${TAYLOR_BENCH_FIXTURE}`,
            "--order",
            String(order),
            "--method",
            method,
          ],
          tags: method !== "autodiff" || order <= 4 ? ["quick"] : [],
          info: { method, order, fixture_generator_seconds_k10: referenceSeconds },
          inspect: (json: Record<string, unknown>) => ({
            max_rel_diff: maxRelDiff(ref, json.labels as number[][], json.coefficients as number[][]),
          }),
        };
      })
    );
  },
  section: taylorMarkdown,
});

/** The Markdown section of the Taylor suite. */
export function taylorMarkdown(cases: readonly CaseSummary[]): string {
  const method = (c: CaseSummary) => String(c.info?.method);
  const order = (c: CaseSummary) => Number(c.info?.order);
  const orders = [...new Set(cases.map(order))].sort((a, b) => a - b);
  const methods = TAYLOR_BENCH_METHODS.filter((m) => cases.some((c) => method(c) === m));
  const at = (m: string, K: number) => cases.find((c) => method(c) === m && order(c) === K);
  const secs = (c?: CaseSummary) => (!c || c.samples.length === 0 ? "n/a" : fmtSeconds(c.median));
  const mib = (c?: CaseSummary) => (c?.peakRssMiB === undefined ? "n/a" : c.peakRssMiB.toFixed(0));
  const timeTable = markdownTable(
    ["K", ...methods.map((m) => `${m} median s`), ...methods.map((m) => `${m} peak RSS MiB`)],
    orders.map((
      K,
    ) => [String(K), ...methods.map((m) => secs(at(m, K))), ...methods.map((m) => mib(at(m, K)))]),
  );
  const accuracy = markdownTable(
    ["method", "highest K timed", "max rel |Δ| vs exact coefficients (fixture) at that K", "failure"],
    methods.map((m) => {
      const mine = cases.filter((c) => method(c) === m).sort((a, b) => order(a) - order(b));
      const top = mine.filter((c) => c.samples.length > 0).at(-1);
      const fail = mine.find((c) => c.error);
      const diff = top?.facts?.max_rel_diff;
      return [
        m,
        top ? String(order(top)) : "n/a",
        typeof diff === "number" ? diff.toExponential(1) : "n/a",
        fail ? `K = ${order(fail)}: ${fail.error}` : "—",
      ];
    }),
  );
  const generator = cases.map((c) => c.info?.fixture_generator_seconds_k10).find((v) =>
    typeof v === "number"
  );
  const ref = typeof generator === "number"
    ? ` The fixture's own generator took ${fmtSeconds(generator)} s for K = 10.`
    : "";
  const n = Math.max(0, ...cases.map((c) => c.samples.length));
  return [
    "## Taylor engines on the 1–128×4–1 sine MLP (x0 = 0)",
    "",
    `Engine seconds, median of ${n} fresh processes per cell (\`deno task poly taylor\`).` +
    ` hope is expected to differ from the exact coefficients on this deep network (see the fixtures README).${ref}`,
    "",
    timeTable,
    "",
    accuracy,
  ].join("\n");
}
