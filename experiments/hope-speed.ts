/**
 * hope-speed — HOPE's timing comparison (Xiao, Zhang, Cheng, Suo 2023: HOPE vs nested autograd):
 * compute time and peak memory of the exact Taylor engine, HOPE's rule and nested autodiff (tfjs,
 * float32) against the order K = 1..10 on a 1–W×4–1 sine MLP at x0 = 0, and against the number of
 * inputs p at a fixed K (a p-column first layer, weights U(±1/p)); every engine run is a fresh
 * `main.ts poly taylor` process, so the peak RSS is that engine's alone (Deno's baseline included).
 * "Fast inference": the order-10 Taylor polynomial evaluated on 10^5 points against the float64
 * forward pass of the network (time per point).
 *
 * Default: W = 64, p = 1..6 at K = 4, one run per cell, 60 s per process. `--full`: W = 1024 (the
 * paper's 1-D demo net), p = 1..8, three runs per cell, 600 s per process; autodiff that crashes
 * (the wasm heap) or times out is reported as n/a and its larger K skipped.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "hope-speed",
  description:
    "HOPE timing: exact vs HOPE vs nested autodiff, time and peak RSS vs order K (1–W×4–1 sine MLP) and vs inputs " +
    "p; polynomial vs network inference; default W = 64, --full W = 1024",
  seed: 42,
  analysis: "hope-speed",
  params: {
    width: 64,
    depth: 4,
    orders: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    methods: ["exact", "hope", "autodiff"],
    repeats: 1,
    timeoutSeconds: 60,
    dims: { inputs: [1, 2, 3, 4, 5, 6], order: 4 },
    inference: { order: 10, points: 100000, networkPoints: 10000 },
  },
  full: {
    width: 1024,
    repeats: 3,
    timeoutSeconds: 600,
    dims: { inputs: [1, 2, 3, 4, 5, 6, 7, 8] },
    inference: { networkPoints: 1000 },
  },
});
