/**
 * The paper's optimiser: the Cayley chart at P = I (fixed), the analytic gradient of the authors'
 * `descramble.m`, and L-BFGS (memory 10, as the fixtures' SciPy reference). It stalls far above η*
 * when SST has a cluster of small, nearly equal eigenvalues (noisy signals): kept for comparison.
 *
 * @module
 */

import { chartDimension, chartPoint, pullBackGradient } from "./cayley.ts";
import { matmul } from "./dense.ts";
import { lbfgs, type LbfgsOptions } from "./lbfgs.ts";
import { type DescrambleProblem, eta } from "./problem.ts";
import type { OptimizeResult } from "./trust_region.ts";

/** Options of {@link paperLbfgsDescramble}: those of L-BFGS (default 20,000 iterations, gtol 1e-13). */
export type PaperLbfgsOptions = Omit<LbfgsOptions, "onIteration"> & {
  /** Called after every iteration with (iteration, η). */
  onIteration?: (iteration: number, eta: number) => boolean | void;
};

/** Minimises η in the fixed Cayley chart from q = 0 with L-BFGS. */
export function paperLbfgsDescramble(
  problem: DescrambleProblem,
  options: PaperLbfgsOptions = {},
): OptimizeResult {
  const { k, A, B } = problem;
  const trace: [number, number][] = [];
  const objective = (q: Float64Array, grad: Float64Array): number => {
    const point = chartPoint(q, k);
    const M = matmul(matmul(A, point.P, k), B, k); // DTD P SST
    let f = 0;
    for (let i = 0; i < k * k; i++) f += M[i] * point.P[i]; // tr(M Pᵀ)
    for (let i = 0; i < k * k; i++) M[i] *= 2; // E = ∂η/∂P = 2 DTD P SST
    pullBackGradient(point, M, k, grad);
    return f;
  };
  const q0 = new Float64Array(chartDimension(k));
  const g0 = new Float64Array(q0.length);
  trace.push([0, objective(q0, g0)]);
  const result = lbfgs(objective, q0, {
    ...options,
    onIteration: (it, f) => {
      trace.push([it, f]);
      return options.onIteration?.(it, f);
    },
  });
  const P = chartPoint(result.x, k).P;
  return {
    P,
    eta: eta(problem, P),
    iterations: result.iterations,
    evaluations: result.evaluations + 1,
    hessianProducts: 0,
    stop: result.stop,
    trace,
  };
}
