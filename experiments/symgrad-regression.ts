/**
 * symgrad-regression — the symbolic-gradient engine (lib/symbolic) as plain symbolic regression
 * (mean squared error on (x, y) data) on the twelve Nguyen benchmarks (Uy et al. 2011), so the engine
 * can be judged on its own: share of seeded runs whose Pareto front holds the formula (numerically,
 * on 1,000 fresh points), evaluations and seconds until it does.
 *
 * Default: 3 seeds per benchmark, 200,000 evaluations per run. `--full`: 10 seeds, 1,000,000.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "symgrad-regression",
  description:
    "symbolic-gradient engine as plain symbolic regression: Nguyen-1..12 recovery rate and time; " +
    "default 3 seeds × 2e5 evaluations, --full 10 × 1e6",
  seed: 11,
  analysis: "symgrad-regression",
  params: { runs: 3, maxEvaluations: 200000 },
  full: { runs: 10, maxEvaluations: 1000000 },
});
