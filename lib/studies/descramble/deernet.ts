/**
 * descramble-deernet (Amey et al., PNAS 2021, the DEERNet application): simulate DEER traces as
 * DEERNet's databases do, train the trace → distance-distribution network (tfjs, via lib/train),
 * wiretap its hidden layer on fresh traces, descramble it (trust-region Newton, the paper's
 * L-BFGS, closed form) and read the descrambled weights as filters.
 *
 * Two taps: before the activation (P·W₁: the first layer's filters, rows = hidden units over time)
 * and after it (W₂·Pᵀ: the output layer's columns over distance).
 *
 * @module
 */

import { z } from "zod";
import { deriveSeed } from "../../data/random.ts";
import { descrambleSignals, tapGram, tapSignals } from "../../descramble/wiretap.ts";
import { UsageError } from "../../errors.ts";
import type { Analysis } from "../../experiment/study.ts";
import { forward, type Network } from "../../network/network.ts";
import { initBackend } from "../../train/backend.ts";
import { fitNetwork } from "../../train/fit.ts";
import { fmt, parseParams, saveFigure, saveTable } from "../../experiment/analysis_io.ts";
import {
  amplitudeSpectrum,
  iterationsToReach,
  optimiserRows,
  runDescramblers,
  saveHeatmap,
  thinSvd,
  timingRows,
  unitsByInputs,
} from "./common.ts";
import { deerGrid, type DeerSpec, simulateDeerDatabase } from "./deer.ts";
import { etaTraceSpec, linePanelsSpec, type LinePoint, matrixPanelsSpec } from "./figures.ts";

const range = z.tuple([z.number(), z.number()]).refine(
  ([a, b]) => a <= b,
  "expected [low, high] with low ≤ high",
);

const schema = z.strictObject({
  timePoints: z.number().int().min(8).default(128),
  /** Trace length, μs. */
  maxTime: z.number().gt(0).default(4),
  distancePoints: z.number().int().min(8).default(128),
  distanceRange: range.default([1.5, 8]),
  maxPeaks: z.number().int().min(1).default(3),
  widthRange: range.default([0.05, 0.4]),
  depthRange: range.default([0.1, 0.6]),
  decayRange: range.default([0, 0.25]),
  dimensionRange: range.default([2, 3.5]),
  noiseRange: range.default([0, 0.1]),
  hidden: z.number().int().min(2).default(40),
  trainSamples: z.number().int().min(100).default(10000),
  testSamples: z.number().int().min(10).default(1000),
  /** Fresh traces the hidden layer is wiretapped on. */
  tapSamples: z.number().int().min(10).default(10000),
  epochs: z.number().int().min(1).default(30),
  batchSize: z.number().int().min(1).default(100),
  learningRate: z.number().gt(0).default(1e-3),
  /**
   * Standard deviation of the initial weights (normal); 0 = Glorot uniform. Small initial weights
   * leave in the trained weights mostly what training put there (the authors' MATLAB training has
   * L2 regularisation by default, which lib/train does not offer).
   */
  initialSd: z.number().min(0).default(0),
  /** Iteration cap of the paper's L-BFGS. */
  lbfgsIterations: z.number().int().min(1).default(2000),
  /** Inputs whose signals are drawn. */
  examples: z.number().int().min(1).max(8).default(3),
});

type Params = z.infer<typeof schema>;

/** Parses descramble-deernet's params and checks the distance range (one-line UsageErrors naming `params.<path>`). */
export function parseDeernetParams(params: Record<string, unknown>): Params {
  const p = parseParams(schema, params);
  if (p.distanceRange[0] <= 0) throw new UsageError("params.distanceRange: distances must be > 0 nm");
  if (p.distanceRange[0] === p.distanceRange[1]) {
    throw new UsageError(
      "params.distanceRange: expected low < high (the output is a distribution over distances)",
    );
  }
  return p;
}

/** Checks descramble-deernet's params (the framework calls it before it writes any file). */
export function validateDeernetParams(params: Record<string, unknown>): void {
  parseDeernetParams(params);
}

function deerSpec(p: Params): DeerSpec {
  return {
    timePoints: p.timePoints,
    maxTime: p.maxTime,
    distancePoints: p.distancePoints,
    distanceRange: p.distanceRange,
    maxPeaks: p.maxPeaks,
    widthRange: p.widthRange,
    depthRange: p.depthRange,
    decayRange: p.decayRange,
    dimensionRange: p.dimensionRange,
    noiseRange: p.noiseRange,
  };
}

/** Mean squared error between two row-major arrays. */
function mse(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** Rows of P·M for a row-major k × cols matrix M. */
function rotateRows(P: Float64Array, M: Float64Array, k: number, cols: number): Float64Array {
  const out = new Float64Array(k * cols);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const w = P[a * k + b];
      if (w === 0) continue;
      for (let c = 0; c < cols; c++) out[a * cols + c] += w * M[b * cols + c];
    }
  }
  return out;
}

/** The descramble-deernet analysis routine. */
export const descrambleDeernet: Analysis = async (ctx) => {
  const p = parseDeernetParams(ctx.params);
  const spec = deerSpec(p);
  const grid = deerGrid(spec);
  const nt = p.timePoints;
  const nr = p.distancePoints;
  const k = p.hidden;

  ctx.progress(`simulating ${p.trainSamples} + ${p.testSamples} + ${p.tapSamples} DEER traces`);
  const train = simulateDeerDatabase(spec, grid, p.trainSamples, deriveSeed(ctx.seed, "train"));
  const test = simulateDeerDatabase(spec, grid, p.testSamples, deriveSeed(ctx.seed, "test"));
  const tap = simulateDeerDatabase(spec, grid, p.tapSamples, deriveSeed(ctx.seed, "tap"));

  ctx.progress(`training ${nt} → ${k} tanh → ${nr} for ${p.epochs} epochs`);
  await initBackend("wasm", { quiet: true });
  const fit = await fitNetwork(
    {
      inputs: nt,
      hidden: [k],
      activation: "tanh",
      outputUnits: nr,
      seed: deriveSeed(ctx.seed, "init"),
      ...(p.initialSd > 0 ? { initializer: { kind: "randomNormal" as const, sd: p.initialSd } } : {}),
    },
    train,
    {
      optimizer: "adam",
      learningRate: p.learningRate,
      epochs: p.epochs,
      batchSize: p.batchSize,
      shuffleSeed: deriveSeed(ctx.seed, "shuffle"),
    },
  );
  fit.model.dispose();
  if (!fit.network) throw new Error(`descramble-deernet: training failed (${JSON.stringify(fit.training)})`);
  const net: Network = fit.network;
  const testMse = mse(forward(net, test.x, p.testSamples), test.y);
  const history = fit.training.history.trainLoss;

  ctx.progress("wiretapping the hidden layer and descrambling");
  const pre = runDescramblers(
    tapGram(net, { layer: 0, point: "pre" }, tap.x, p.tapSamples),
    k,
    p.lbfgsIterations,
  );
  const post = runDescramblers(
    tapGram(net, { layer: 0, point: "post" }, tap.x, p.tapSamples),
    k,
    p.lbfgsIterations,
  );
  const Ppre = pre.optimize.P;
  const Ppost = post.optimize.P;

  // weights in math orientation: W1 (k × nt), W2 (nr × k)
  const W1 = unitsByInputs(net.layers[0].weights, nt, k);
  const W2 = unitsByInputs(net.layers[1].weights, k, nr);
  const W1d = rotateRows(Ppre, W1, k, nt);
  const W2d = new Float64Array(nr * k); // W2·Pᵀ
  for (let o = 0; o < nr; o++) {
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += W2[o * k + b] * Ppost[a * k + b];
      W2d[o * k + a] = s;
    }
  }

  const tables = [];
  tables.push(
    await saveTable(ctx, "network", "The trained network on fresh test traces", {
      rows: [{
        architecture: `${nt} → ${k} tanh → ${nr}`,
        train_traces: p.trainSamples,
        epochs: p.epochs,
        final_train_mse: history[history.length - 1],
        test_mse: testMse,
      }],
    }, { digits: 4 }),
  );
  const optRows = [
    ...optimiserRows("hidden layer before tanh (P·W₁)", pre),
    ...optimiserRows("hidden layer after tanh (W₂·Pᵀ)", post),
  ];
  tables.push(
    await saveTable(
      ctx,
      "optimisers",
      "η(I), η after each method, η* and the relative gap (η − η*)/η*; iterations",
      { rows: optRows },
      { digits: 4 },
    ),
  );
  tables.push(
    await saveTable(ctx, "timings", "Compute seconds of each method (measurements: they differ run to run)", {
      rows: [
        ...timingRows("before tanh", pre),
        ...timingRows("after tanh", post),
        { signals: "network training (tfjs)", train_seconds: fit.training.seconds },
      ],
    }, { digits: 3 }),
  );
  const reach = (run: typeof pre) => ({
    optimize: iterationsToReach(run.optimize.trace, run.closedForm.etaStar),
    lbfgs: iterationsToReach(run.lbfgs.trace, run.closedForm.etaStar),
  });

  // the descrambled first-layer filters: spectra of each row
  const dt = p.maxTime / (nt - 1);
  const freq = (m: number) => m / (nt * dt); // MHz
  const spectra = (M: Float64Array) => {
    const rows: Float64Array[] = [];
    for (let u = 0; u < k; u++) rows.push(amplitudeSpectrum(M.subarray(u * nt, (u + 1) * nt)));
    return rows;
  };
  const before = spectra(W1);
  const after = spectra(W1d);
  const nf = before[0].length;
  const filterRows = after.map((s, u) => {
    let peak = 0;
    for (let m = 1; m < nf; m++) if (s[m] > s[peak]) peak = m;
    let energy = 0;
    let centroid = 0;
    for (let m = 0; m < nf; m++) {
      energy += s[m] * s[m];
      centroid += freq(m) * s[m] * s[m];
    }
    return {
      unit: u,
      peak_MHz: freq(peak),
      centroid_MHz: centroid / energy,
      dc_over_peak: s[0] / s[peak],
    };
  });
  tables.push(
    await saveTable(
      ctx,
      "filters",
      "Descrambled first-layer filters (rows of P·W₁): frequency of the largest |DFT| (DC excluded), " +
        "spectral centroid, and |H(0)|/|H(peak)| (small: a notch at zero frequency)",
      { rows: filterRows },
      { digits: 4 },
    ),
  );

  // figures
  const figures = [];
  figures.push(
    await saveHeatmap(
      ctx,
      "weights_layer1",
      "First-layer weights W₁ (hidden unit × time), as trained and descrambled (P·W₁)",
      matrixPanelsSpec({
        panels: [
          { name: "as trained", rows: k, cols: nt, values: W1 },
          { name: "descrambled P·W₁", rows: k, cols: nt, values: W1d },
        ],
        title: "DEERNet first layer before and after descrambling",
        xTitle: "time point",
        yTitle: "hidden unit",
        colorTitle: "w / max|w|",
      }),
    ),
  );
  figures.push(
    await saveHeatmap(
      ctx,
      "weights_layer2",
      "Output-layer weights W₂ (distance × hidden unit), as trained and descrambled (W₂·Pᵀ, tap after tanh)",
      matrixPanelsSpec({
        panels: [
          { name: "as trained", rows: nr, cols: k, values: W2 },
          { name: "descrambled W₂·Pᵀ", rows: nr, cols: k, values: W2d },
        ],
        title: "DEERNet output layer before and after descrambling",
        xTitle: "hidden unit",
        yTitle: "distance point",
        colorTitle: "w / max|w|",
        width: 200,
        height: 300,
      }),
    ),
  );
  // signals of a few inputs
  const sig = tapSignals(net, { layer: 0, point: "pre" }, tap.x.subarray(0, p.examples * nt), p.examples);
  const sigPoints: LinePoint[] = [];
  const sigD = descrambleSignals(sig, p.examples, Ppre, k);
  for (let e = 0; e < p.examples; e++) {
    for (let u = 0; u < k; u++) {
      sigPoints.push({ panel: `trace ${e + 1}`, series: "as wiretapped", x: u, y: sig[e * k + u] });
      sigPoints.push({ panel: `trace ${e + 1}`, series: "descrambled", x: u, y: sigD[e * k + u] });
    }
  }
  figures.push(
    await saveFigure(
      ctx,
      "signals",
      "Hidden-layer signals (before tanh) for a few traces: as wiretapped and descrambled (P·u)",
      linePanelsSpec({
        points: sigPoints,
        panels: Array.from({ length: p.examples }, (_, e) => `trace ${e + 1}`),
        title: "Wiretapped signals before and after descrambling",
        xTitle: "hidden unit",
        yTitle: "pre-activation",
        seriesTitle: "signals",
      }),
    ),
  );
  // singular vectors of the descrambled first layer
  const svd = thinSvd(W1d, k, nt);
  const svPoints: LinePoint[] = [];
  const shown = Math.min(4, svd.rank);
  for (let c = 0; c < shown; c++) {
    for (let u = 0; u < k; u++) {
      svPoints.push({ panel: "left (hidden units)", series: `#${c + 1}`, x: u, y: svd.U[u * svd.rank + c] });
    }
    for (let t = 0; t < nt; t++) {
      svPoints.push({
        panel: "right (time, μs)",
        series: `#${c + 1}`,
        x: grid.t[t],
        y: svd.V[t * svd.rank + c],
      });
    }
  }
  figures.push(
    await saveFigure(
      ctx,
      "singular_vectors",
      "Leading singular vectors of the descrambled first layer P·W₁ (the right ones do not depend on P)",
      linePanelsSpec({
        points: svPoints,
        panels: ["left (hidden units)", "right (time, μs)"],
        title: "Singular vectors of the descrambled first layer",
        subtitle: `σ₁..σ₄ = ${Array.from(svd.sigma.slice(0, shown), (s) => fmt(s)).join(", ")}`,
        xTitle: "hidden unit / time (μs)",
        yTitle: "component",
        seriesTitle: "vector",
        width: 280,
      }),
    ),
  );
  // frequency responses
  const specPanel = (name: string, rows: Float64Array[]) => {
    const values = new Float64Array(k * nf);
    rows.forEach((s, u) => values.set(s, u * nf));
    return { name, rows: k, cols: nf, values };
  };
  figures.push(
    await saveHeatmap(
      ctx,
      "frequency_response",
      `|DFT| of every first-layer filter (row of W₁), as trained and descrambled; column m is ${
        fmt(freq(1))
      }·m MHz`,
      matrixPanelsSpec({
        panels: [specPanel("as trained", before), specPanel("descrambled", after)],
        title: "Frequency responses of the first-layer filters",
        xTitle: "frequency bin m",
        yTitle: "hidden unit",
        colorTitle: "|H| / max",
        width: 260,
        sequential: true,
      }),
    ),
  );
  const respPoints: LinePoint[] = [];
  const picks = [0, Math.floor(k / 4), Math.floor(k / 2), k - 1];
  for (const u of picks) {
    for (let m = 0; m < nf; m++) {
      respPoints.push({ panel: "descrambled filters", series: `unit ${u}`, x: freq(m), y: after[u][m] });
    }
  }
  figures.push(
    await saveFigure(
      ctx,
      "filter_responses",
      "Amplitude responses of four descrambled first-layer filters",
      linePanelsSpec({
        points: respPoints,
        panels: ["descrambled filters"],
        title: "Descrambled first-layer filters",
        xTitle: "frequency (MHz)",
        yTitle: "|H(f)|",
        seriesTitle: "filter",
        width: 420,
        height: 220,
      }),
    ),
  );
  figures.push(
    await saveFigure(
      ctx,
      "eta_trace",
      "η against the iteration (tap before tanh): trust-region Newton and the paper's L-BFGS, η* dashed",
      etaTraceSpec({
        traces: { "optimize (trust region)": pre.optimize.trace, "lbfgs (paper)": pre.lbfgs.trace },
        etaStar: pre.closedForm.etaStar,
        title: "Descrambling the DEERNet hidden layer",
      }),
    ),
  );
  figures.push(
    await saveFigure(
      ctx,
      "eta_gap",
      "Relative gap (η − η*)/η* against the iteration (tap before tanh)",
      etaTraceSpec({
        traces: { "optimize (trust region)": pre.optimize.trace, "lbfgs (paper)": pre.lbfgs.trace },
        etaStar: pre.closedForm.etaStar,
        title: "Distance to the closed-form optimum",
        gap: true,
      }),
    ),
  );

  const rPre = reach(pre);
  const dcSmall = filterRows.filter((r) => r.dc_over_peak < 0.1).length;
  const text = [
    `Network ${nt} → ${k} tanh → ${nr}, trained on ${p.trainSamples} simulated traces (${p.epochs} epochs, Adam): ` +
    `test MSE ${fmt(testMse)} against distributions scaled to unit maximum. Hidden layer wiretapped on ` +
    `${p.tapSamples} fresh traces.`,
    `Before tanh: η(I) = ${fmt(pre.etaIdentity)}, η* = ${
      fmt(pre.closedForm.etaStar)
    }; trust-region Newton reaches ` +
    `η*(1 + 1e-6) after ${rPre.optimize} iterations (${fmt(pre.optimize.seconds)} s, ` +
    `${pre.optimize.hessianProducts} Hessian products); the paper's L-BFGS ` +
    (Number.isNaN(rPre.lbfgs)
      ? `does not within ${p.lbfgsIterations} iterations (gap ${
        fmt((pre.lbfgs.eta - pre.closedForm.etaStar) / pre.closedForm.etaStar)
      })`
      : `after ${rPre.lbfgs}`) +
    ".",
    `Descrambled filters: ${dcSmall} of ${k} have |H(0)| < 0.1·|H(peak)| (zero frequency notched out); ` +
    `peak frequencies span ${fmt(Math.min(...filterRows.map((r) => r.peak_MHz)))}–` +
    `${fmt(Math.max(...filterRows.map((r) => r.peak_MHz)))} MHz (the dipolar frequencies of 1.5–8 nm are ` +
    `${fmt(52.04 / 512)}–${fmt(2 * 52.04 / 3.375)} MHz).`,
  ].join("\n\n");
  return { sections: [{ heading: "Descrambling DEERNet", text, tables, figures }] };
};
