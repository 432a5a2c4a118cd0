/**
 * descramble-deernet — Amey, Keeley, Choudhury, Kuprov, "Neural network interpretation using
 * descrambler groups" (PNAS 2021), DEERNet application: DEER traces simulated as in DEERNet's
 * databases (Fresnel-integral dipolar kernel, Gaussian-mixture distance distributions on 1.5–8 nm,
 * stretched-exponential background, white noise), a trace → distance-distribution network trained
 * with tfjs, its hidden layer wiretapped and descrambled; the descrambled weights read as filters.
 *
 * Initial weights N(0, 0.01²), so that the trained weights show what training put there (the
 * authors' MATLAB training regularises with L2 by default; lib/train has no weight decay).
 *
 * Default: 128 → 40 tanh → 128, 10,000 traces, 30 epochs. `--full`: the paper's 256 → 80 tanh → 256,
 * 60,000 traces over 8 μs, 100 epochs, the paper's L-BFGS run to 20,000 iterations.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "descramble-deernet",
  description:
    "Descrambler groups on DEERNet: train trace → distance distribution (default 128 → 40 tanh → 128, --full " +
    "the paper's 256 → 80 → 256), wiretap and descramble the hidden layer, read the filters",
  seed: 12,
  analysis: "descramble-deernet",
  params: {
    timePoints: 128,
    maxTime: 4,
    distancePoints: 128,
    hidden: 40,
    trainSamples: 10000,
    testSamples: 1000,
    tapSamples: 10000,
    epochs: 30,
    batchSize: 100,
    learningRate: 0.001,
    initialSd: 0.01,
    lbfgsIterations: 2000,
    examples: 3,
  },
  full: {
    timePoints: 256,
    maxTime: 8,
    distancePoints: 256,
    hidden: 80,
    trainSamples: 60000,
    tapSamples: 50000,
    epochs: 100,
    lbfgsIterations: 20000,
  },
});
