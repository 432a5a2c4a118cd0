/**
 * relu-shallow — "Any Deep ReLU Network is Shallow" (Villani & Schoots, arXiv 2306.11827): ReLU
 * networks trained on simulated data (y = x1² + x2² on [−1, 1]², two-moons classification, and
 * y = Σ x_k² for p = 3, 4), widths and depths swept (H = 4 … 40). Per network: activation regions
 * (in the data box and over ℝ^p) against 2^H and the upper bounds, the exact shallow network with ±∞
 * weights (widths, parameters), its exactness at 10⁴ random points and at points exactly on units'
 * zero sets (the two-hidden-layer variant beside it), and enumeration time against regions.
 * `--full`: three networks (seeds) per architecture instead of one.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

const plane = [
  [4],
  [8],
  [16],
  [32],
  [40],
  [4, 4],
  [8, 8],
  [12, 12],
  [16, 16],
  [20, 20],
  [6, 6, 6],
  [8, 8, 8],
  [
    10,
    10,
    10,
    10,
  ],
];

export default defineAnalysis({
  kind: "analysis",
  name: "relu-shallow",
  description:
    "Deep ReLU → exact shallow network (Villani & Schoots): regions vs 2^H and bounds, exactness at random and " +
    "zero-set points, shallow width and parameters, time vs regions; paraboloid (p = 2, 3, 4) and two moons",
  seed: 10,
  analysis: "relu-shallow",
  params: {
    tasks: [
      { name: "paraboloid-2", kind: "paraboloid", p: 2, samples: 1000, architectures: plane },
      { name: "moons", kind: "moons", p: 2, samples: 1000, architectures: plane },
      {
        name: "paraboloid-3",
        kind: "paraboloid",
        p: 3,
        samples: 1000,
        architectures: [[8], [16], [8, 8], [6, 6, 6]],
      },
      {
        name: "paraboloid-4",
        kind: "paraboloid",
        p: 4,
        samples: 1000,
        architectures: [[8], [16], [8, 8], [6, 6, 6]],
      },
    ],
    repetitions: 1,
    epochs: 150,
    batchSize: 50,
    learningRate: 0.01,
    box: [-1, 1],
    randomPoints: 10000,
    boundaryPoints: 2000,
    maps: ["paraboloid-2:8x8", "moons:8x8", "moons:10x10x10x10"],
    weights: { network: "paraboloid-4:8x8", regions: 30 },
  },
  full: { repetitions: 3 },
});
