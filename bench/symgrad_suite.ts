/**
 * The symbolic-gradient engine's speed: evaluations (value + input gradient) per second of the
 * compiled evaluator on 1,000 points, and the time to recover each public symgrad concept. Beside
 * it, the figure DynamicExpressions.jl (the evaluator of PySR / SymbolicRegression.jl) publishes
 * in its README for x1·cos(x2 − 3.2) on 100 points (value only): 693 ns.
 *
 * @module
 */

import { join } from "node:path";
import { fmtSeconds, markdownTable } from "./harness.ts";
import { type BenchCase, type CaseSummary, defineSuite } from "./suite.ts";

/** DynamicExpressions.jl's README: `@btime expression(X, operators)` for x1·cos(x2 − 3.2), 100 points. */
export const DYNAMIC_EXPRESSIONS_NS_100 = 693;

/** Evaluations per timed sample of the evaluator cases. */
export const EVAL_COUNT = 20_000;

/** Public concepts timed to recovery. */
export const RECOVER_FIXTURES = ["A1", "A", "B", "C", "D"] as const;

/** The suite (registered in bench/suites.ts). */
export const symgradSuite = defineSuite({
  name: "symgrad",
  description:
    "symbolic-gradient engine: compiled evaluations per second (1,000 points) and time to recover " +
    "the public symgrad concepts",
  async cases(ctx) {
    const evalCases = [
      ["paper", "1000", "gradient"],
      ["paper", "1000", "value"],
      ["random", "1000", "gradient"],
      ["dynexpr", "100", "value"],
      ["dynexpr", "100", "gradient"],
    ].map(([set, points, mode]): BenchCase => ({
      id: `symgrad/eval/${set}/${points}pts/${mode}`,
      script: "bench/drivers/symgrad_eval.ts",
      args: [set, points, mode, String(EVAL_COUNT)],
      tags: ["quick"],
      info: set === "dynexpr" && mode === "value"
        ? { dynamic_expressions_ns: DYNAMIC_EXPRESSIONS_NS_100 }
        : {},
      inspect: (json: Record<string, unknown>) => ({
        evals_per_second: Number(json.evals_per_second),
        ns_per_point: Number(json.ns_per_point),
      }),
    }));
    const dir = join(ctx.sharedDir, "fixtures", "symgrad");
    let haveFixtures = true;
    try {
      await Deno.stat(dir);
    } catch {
      haveFixtures = false;
    }
    const recoverCases: BenchCase[] = haveFixtures
      ? RECOVER_FIXTURES.map((name): BenchCase => ({
        id: `symgrad/recover/101-${name}`,
        script: "bench/drivers/symgrad_recover.ts",
        args: [`@shared/fixtures/symgrad/symgrad-101-${name}.json`, "250000"],
        timeoutSeconds: 600,
        inspect: (json: Record<string, unknown>) => ({
          recovered: Boolean(json.recovered),
          chosen_equivalent: Boolean(json.chosen_equivalent),
          evaluations_to_recovery: json.evaluations_to_recovery === null
            ? null
            : Number(json.evaluations_to_recovery),
        }),
      }))
      : [];
    return [...evalCases, ...recoverCases];
  },
  section: symgradMarkdown,
});

/** The suite's Markdown section: evaluations per second, and time to recovery per concept. */
export function symgradMarkdown(results: readonly CaseSummary[]): string {
  const evals = results.filter((r) => r.id.startsWith("symgrad/eval/"));
  const rec = results.filter((r) => r.id.startsWith("symgrad/recover/"));
  const lines: string[] = [
    "## symgrad: expression evaluation and time to recover the fixture concepts",
    "",
    "Evaluations of the compiled expressions (value, or value and input gradient) on 1,000 or 100 points; " +
    "time until the front first holds an expression the outside check accepts (seed 1, 2 workers, " +
    "250,000 evaluations). Median of fresh processes.",
    "",
  ];
  if (evals.length > 0) {
    lines.push(markdownTable(
      ["case", "evaluations / s", "ns per point", "median s per 20,000", "DynamicExpressions.jl"],
      evals.map((r) => [
        r.id.replace("symgrad/eval/", ""),
        Number.isFinite(r.median) ? String(Math.round(EVAL_COUNT / r.median)) : "n/a",
        r.facts?.ns_per_point !== undefined ? Number(r.facts.ns_per_point).toFixed(2) : "n/a",
        fmtSeconds(r.median),
        r.info?.dynamic_expressions_ns !== undefined
          ? `${r.info.dynamic_expressions_ns} ns per evaluation`
          : "",
      ]),
    ));
  }
  if (rec.length > 0) {
    lines.push(
      "",
      markdownTable(
        ["concept", "median s to recovery", "recovered", "chosen is the concept", "evaluations to recovery"],
        rec.map((r) => [
          r.id.replace("symgrad/recover/", ""),
          fmtSeconds(r.median),
          String(r.facts?.recovered ?? "n/a"),
          String(r.facts?.chosen_equivalent ?? "n/a"),
          String(r.facts?.evaluations_to_recovery ?? "n/a"),
        ]),
      ),
    );
  }
  return lines.join("\n");
}
