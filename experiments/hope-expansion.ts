/**
 * hope-expansion — Fig. 1 of HOPE (Xiao, Zhang, Cheng, Suo 2023): how well the order-K Taylor
 * polynomial describes a deep network around x0, exact vs HOPE's rule.
 *
 * The 1–1024×4–1 sine MLP (sine after every layer, output included; weights U(±1/fan_in), biases
 * U(±1/√fan_in)) at x0 = 0, order 10, plotted on ±5 with the paper's R² on 30 points over ±4.5 and
 * ±5; and the 2-D conv network Linear(2,2048)–sin–Conv2d(2→16, 2×2)–sin–AvgPool2d(2)–sin–
 * Linear(3600,1) at (0, 0), order 8, on a 30×30 grid over ±2. Both also near x0 (±0.5). The networks
 * have the paper's architectures with polylab's seeded weights (seed 42 through polylab's generator,
 * not PyTorch's), so the paper's R² columns describe a different draw of the same architecture.
 *
 * Default and `--full` are the same protocol (it is quick); `--full` only adds a finer near grid.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "hope-expansion",
  description:
    "HOPE Fig. 1: sine MLP (1–1024×4–1, x0 = 0, K = 10) and 2-D conv net ((0,0), K = 8) against their exact " +
    "Taylor and HOPE polynomials; R² on the plotted range and near x0, beside the paper's",
  seed: 42,
  analysis: "hope-expansion",
  params: {
    mlp: {
      width: 1024,
      depth: 4,
      w0: 1,
      x0: 0,
      order: 10,
      plotRange: 5,
      plotPoints: 201,
      r2Ranges: [4.5, 5],
    },
    conv: { x0: [0, 0], order: 8, range: 2, grid: 30, nearRadius: 0.5, nearGrid: 15 },
  },
  full: { conv: { nearGrid: 30 }, mlp: { plotPoints: 401 } },
});
