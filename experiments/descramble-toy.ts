/**
 * descramble-toy — descrambler groups (Amey et al., PNAS 2021) on two cases with a known answer:
 * band-limited signals scrambled by a Haar-random rotation (descrambling must bring them back into
 * their band), and a 64 → 16 tanh → 64 network trained to band-pass filter periodic signals (the
 * descrambled first-layer filters against the true pass band). `--full` trains longer and runs the
 * paper's L-BFGS to 20,000 iterations.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "descramble-toy",
  description:
    "Descrambler groups with a known answer: scrambled band-limited signals, and a network trained to band-pass filter",
  seed: 7,
  analysis: "descramble-toy",
  params: {
    scrambled: { k: 32, n: 2000, band: 3, noise: 0.001, lbfgsIterations: 2000 },
    bandpass: {
      length: 64,
      passLow: 4,
      passHigh: 8,
      hidden: 16,
      amplitude: 0.3,
      trainSamples: 8000,
      tapSamples: 4000,
      epochs: 40,
      batchSize: 64,
      learningRate: 0.002,
      lbfgsIterations: 2000,
    },
    examples: 3,
  },
  full: {
    scrambled: { k: 32, n: 2000, band: 3, noise: 0.001, lbfgsIterations: 20000 },
    bandpass: {
      length: 64,
      passLow: 4,
      passHigh: 8,
      hidden: 16,
      amplitude: 0.3,
      trainSamples: 20000,
      tapSamples: 10000,
      epochs: 150,
      batchSize: 64,
      learningRate: 0.002,
      lbfgsIterations: 20000,
    },
  },
});
