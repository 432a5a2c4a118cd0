/**
 * The descrambler's bench suite (`bench/suite.ts`): time of the three
 * methods for k ∈ {16, 80, 256} and N ∈ {10³, 10⁵} (and N = 10⁶ at k = 80) on synthetic noisy scrambled signals, the
 * optimisers' iterations and seconds to reach η*·(1 + 1e-6), and every shared fixture with the
 * fixtures' SciPy L-BFGS-B figures (`optimizer_seconds`, `optimizer_iterations`) kept beside ours.
 *
 * @module
 */

import { defineSuite, type FactValue } from "./suite.ts";

/** (k, N): the k × N grid, and N = 10⁶ at k = 80 for the "fast for N = 10⁴–10⁶" claim. */
const SIZES: [number, number][] = [
  [16, 1000],
  [16, 100000],
  [80, 1000],
  [80, 100000],
  [80, 1000000],
  [256, 1000],
  [256, 100000],
];
const METHODS = ["optimize", "closed-form", "lbfgs"] as const;
/** The paper's L-BFGS at k = 256 takes ~0.1 s per iteration: stop it after this many seconds. */
const LBFGS_SECONDS = 120;

const facts = (json: Record<string, unknown>): Record<string, FactValue> => {
  const keep = [
    "eta",
    "eta_star",
    "relative_gap",
    "iterations",
    "iterations_to_target",
    "seconds_to_target",
    "gram_seconds",
    "hessian_products",
  ];
  const out: Record<string, FactValue> = {};
  for (const key of keep) {
    const v = json[key];
    out[key] = typeof v === "number" ? v : v === null || v === undefined ? null : String(v);
  }
  return out;
};

/** The descrambler suite. */
export const descrambleSuite = defineSuite({
  name: "descramble",
  description: "descrambler: optimize / closed-form / the paper's L-BFGS, k × N grid and the 101 fixtures",
  cases: async (ctx) => {
    const cases = [];
    for (const [k, n] of SIZES) {
      for (const method of METHODS) {
        cases.push({
          id: `descramble/k${k}-n${n}/${method}`,
          script: "bench/drivers/descramble_run.ts",
          args: [
            "--method",
            method,
            "--k",
            String(k),
            "--n",
            String(n),
            "--max-seconds",
            String(LBFGS_SECONDS),
          ],
          timeoutSeconds: method === "lbfgs" ? LBFGS_SECONDS + 120 : 300,
          tags: k === 16 && n === 1000 ? ["quick"] : [],
          inspect: facts,
        });
      }
    }
    let names: string[] = [];
    try {
      names = [...Deno.readDirSync(`${ctx.sharedDir}/fixtures/descramble`)]
        .map((e) => e.name).filter((f) => f.endsWith(".json")).sort();
    } catch {
      // fixtures absent: only the synthetic grid
    }
    for (const name of names) {
      const fx = JSON.parse(await Deno.readTextFile(`${ctx.sharedDir}/fixtures/descramble/${name}`));
      for (const method of ["optimize", "lbfgs"]) {
        cases.push({
          id: `descramble/${name.replace(/\.json$/, "")}/${method}`,
          script: "bench/drivers/descramble_run.ts",
          args: ["--method", method, "--file", `@shared/fixtures/descramble/${name}`],
          info: {
            k: fx.k,
            n: fx.n,
            scipy_seconds: fx.optimizer_seconds,
            scipy_iterations: fx.optimizer_iterations,
            scipy_gap: (fx.optimizer_eta - fx.eta_star) / fx.eta_star,
          },
          inspect: facts,
        });
      }
    }
    return cases;
  },
  section: (results) => {
    const lines = [
      "## descramble: trust-region Newton, closed form and the paper's L-BFGS",
      "",
      "Seconds of each descrambler on synthetic scrambled signals (k hidden signals, N samples) and on the " +
      "shared fixtures, the gap of the final η to the optimum η*, and when each first reached η*(1 + 1e-6); " +
      "SciPy's L-BFGS-B on the fixtures from the fixtures' own records. Median of fresh processes.",
      "",
      "| case | median s | gap (η − η*)/η* | iterations | to η*(1+1e-6): iterations | s | SciPy L-BFGS-B s | its | gap |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    const f = (v: FactValue | undefined, d = 3) =>
      typeof v === "number" ? (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : v.toPrecision(d)) : "—";
    for (const r of results) {
      const x = r.facts ?? {};
      const i = r.info ?? {};
      lines.push(
        `| ${r.id.replace("descramble/", "")} | ${f(r.median)} | ${f(x.relative_gap)} | ${
          x.iterations ?? "—"
        } | ` +
          `${x.iterations_to_target ?? "not reached"} | ${f(x.seconds_to_target)} | ${
            f(i.scipy_seconds)
          } | ` +
          `${i.scipy_iterations ?? "—"} | ${f(i.scipy_gap)} |`,
      );
    }
    return lines.join("\n");
  },
});
