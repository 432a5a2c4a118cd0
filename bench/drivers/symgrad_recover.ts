/**
 * Bench driver: time for the symbolic-gradient interpretation to recover a concept of the symgrad
 * fixtures. `deno run -A bench/drivers/symgrad_recover.ts FIXTURE.json [EVALUATIONS]` runs the
 * method (lib/symbolic/classifier.ts, seed 1, two workers) on the fixture's points with an
 * evaluation budget and records when the hall of fame's front first held an expression equivalent
 * to the fixture's truth the way the outside check judges it (gradient loss on the held-out points
 * ≤ max(3 × the truth's, 2e-3), Spearman ρ ≥ 0.98). Prints `{seconds (to recovery, or the whole
 * search when never), recovered, chosen_equivalent, evaluations_to_recovery, search_seconds}`.
 *
 * @module
 */

import { parseNetwork } from "../../lib/network/network.ts";
import { interpretClassifier } from "../../lib/symbolic/classifier.ts";
import { accepted, compareToReference } from "../../lib/symbolic/judge.ts";
import { parseExpression } from "../../lib/symbolic/parse/parse.ts";
import type { Expr } from "../../lib/symbolic/core/expression.ts";
import { fromSympy } from "../../lib/symbolic/parse/sympy.ts";

const [file, evalsText = "250000"] = Deno.args;
const fx = JSON.parse(await Deno.readTextFile(file));
const p = fx.inputs as number;
const net = parseNetwork(fx);
const x = Float64Array.from((fx.points as number[][]).flat());
const test = Float64Array.from((fx.test_points as number[][]).flat());
const m = fx.test_points.length as number;
const truth = parseExpression(fromSympy(String(fx.truth)), p);
const equivalent = (tree: Expr) => {
  const a = compareToReference(tree, truth, test, m, p);
  return accepted(a, fx.truth_loss_test);
};
const t0 = performance.now();
let hit: { seconds: number; evaluations: number } | null = null;
const res = await interpretClassifier(net, x, fx.points.length, {
  search: { seed: 1 },
  budget: { maxEvaluations: Number(evalsText) },
  workers: 2,
  onIteration: (progress) => {
    if (hit === null && progress.front.some((mm) => equivalent(mm.tree))) {
      hit = { seconds: (performance.now() - t0) / 1000, evaluations: progress.evaluations };
    }
  },
});
const total = (performance.now() - t0) / 1000;
const found = hit as { seconds: number; evaluations: number } | null;
console.log(JSON.stringify({
  seconds: found ? found.seconds : total,
  recovered: found !== null,
  chosen_equivalent: equivalent(res.front[res.best].tree),
  evaluations_to_recovery: found ? Math.round(found.evaluations) : null,
  search_seconds: total,
}));
