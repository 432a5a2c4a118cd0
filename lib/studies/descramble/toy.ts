/**
 * descramble-toy: two cases with a known answer.
 *
 * 1. Smooth signals scrambled by a random rotation: S = R·X, X band-limited (wavenumbers ≤ `band`)
 *    plus white noise. Descrambling must bring the signals back into their band (the optimum may
 *    rotate within the band, so P = Rᵀ is not the only answer, but η(Rᵀ) ≥ η*).
 * 2. A network trained to band-pass filter periodic signals (wavenumbers lo..hi pass, the rest
 *    stop): its hidden layer is wiretapped and descrambled, and the descrambled first-layer filters
 *    are compared with the true filter, pure Fourier modes of the pass band.
 *
 * @module
 */

import { z } from "zod";
import { deriveSeed, Rng } from "../../data/random.ts";
import { matmul } from "../../descramble/dense.ts";
import { gramOfRows } from "../../descramble/gram.ts";
import { eta } from "../../descramble/problem.ts";
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
  timingRows,
  unitsByInputs,
} from "./common.ts";
import { etaTraceSpec, linePanelsSpec, type LinePoint, matrixPanelsSpec } from "./figures.ts";

const schema = z.strictObject({
  scrambled: z.strictObject({
    k: z.number().int().min(4).default(32),
    n: z.number().int().min(10).default(2000),
    /** Highest wavenumber of the smooth signals. */
    band: z.number().int().min(0).default(3),
    noise: z.number().min(0).default(1e-3),
    lbfgsIterations: z.number().int().min(1).default(2000),
  }).default({ k: 32, n: 2000, band: 3, noise: 1e-3, lbfgsIterations: 2000 }),
  bandpass: z.strictObject({
    length: z.number().int().min(8).default(64),
    passLow: z.number().int().min(0).default(4),
    passHigh: z.number().int().min(0).default(8),
    hidden: z.number().int().min(2).default(16),
    amplitude: z.number().gt(0).default(0.3),
    trainSamples: z.number().int().min(100).default(8000),
    tapSamples: z.number().int().min(10).default(4000),
    epochs: z.number().int().min(1).default(40),
    batchSize: z.number().int().min(1).default(64),
    learningRate: z.number().gt(0).default(2e-3),
    lbfgsIterations: z.number().int().min(1).default(2000),
  }).default({
    length: 64,
    passLow: 4,
    passHigh: 8,
    hidden: 16,
    amplitude: 0.3,
    trainSamples: 8000,
    tapSamples: 4000,
    epochs: 40,
    batchSize: 64,
    learningRate: 2e-3,
    lbfgsIterations: 2000,
  }),
  examples: z.number().int().min(1).max(6).default(3),
});

/**
 * Parses descramble-toy's params and checks the cross-field rules (the pass band below the Nyquist
 * wavenumber of the filtered signals, the smooth band below k/2), as one-line UsageErrors.
 */
export function parseToyParams(params: Record<string, unknown>): z.infer<typeof schema> {
  const p = parseParams(schema, params);
  const bp = p.bandpass;
  if (bp.passHigh < bp.passLow || 2 * bp.passHigh >= bp.length) {
    throw new UsageError("params.bandpass: need passLow ≤ passHigh < length/2");
  }
  if (2 * p.scrambled.band >= p.scrambled.k) {
    throw new UsageError(
      `params.scrambled.band: ${p.scrambled.band} is not below k/2 = ${p.scrambled.k / 2}, so the signals ` +
        `are not smooth on k points; lower band or raise k`,
    );
  }
  return p;
}

/** Checks descramble-toy's params (the framework calls it before it writes any file). */
export function validateToyParams(params: Record<string, unknown>): void {
  parseToyParams(params);
}

/** A Haar-random rotation (Gram–Schmidt of a Gaussian matrix, one row flipped if det = −1). */
function randomRotation(k: number, rng: Rng): Float64Array {
  const R = Float64Array.from({ length: k * k }, () => rng.normal());
  for (let i = 0; i < k; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let c = 0; c < k; c++) d += R[i * k + c] * R[j * k + c];
        for (let c = 0; c < k; c++) R[i * k + c] -= d * R[j * k + c];
      }
    }
    let norm = 0;
    for (let c = 0; c < k; c++) norm += R[i * k + c] ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < k; c++) R[i * k + c] /= norm;
  }
  // det R by Gaussian elimination; flip the first row when it is −1
  const M = R.slice();
  let det = 1;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]) > Math.abs(M[piv * k + c])) piv = r;
    if (piv !== c) {
      det = -det;
      for (let j = 0; j < k; j++) [M[c * k + j], M[piv * k + j]] = [M[piv * k + j], M[c * k + j]];
    }
    det *= M[c * k + c];
    for (let r = c + 1; r < k; r++) {
      const f = M[r * k + c] / M[c * k + c];
      for (let j = c; j < k; j++) M[r * k + j] -= f * M[c * k + j];
    }
  }
  if (det < 0) { for (let c = 0; c < k; c++) R[c] = -R[c]; }
  return R;
}

/** Share of the energy of sample-major signals (n × k) at wavenumbers above `band`. */
function outOfBandShare(signals: Float64Array, n: number, k: number, band: number): number {
  let hi = 0;
  let all = 0;
  for (let s = 0; s < n; s++) {
    const spec = amplitudeSpectrum(signals.subarray(s * k, (s + 1) * k));
    for (let m = 0; m < spec.length; m++) {
      // one-sided spectrum: bins 1..k/2−1 stand for ±m (twice the energy)
      const w = m === 0 || 2 * m === k ? 1 : 2;
      all += w * spec[m] ** 2;
      if (m > band) hi += w * spec[m] ** 2;
    }
  }
  return hi / all;
}

/** The descramble-toy analysis routine. */
export const descrambleToy: Analysis = async (ctx) => {
  const p = parseToyParams(ctx.params);
  const bp = p.bandpass;
  const sections = [];

  // 1. scrambled smooth signals
  {
    const { k, n, band, noise } = p.scrambled;
    const rng = new Rng(deriveSeed(ctx.seed, "scrambled"));
    const X = new Float64Array(n * k); // sample-major
    for (let s = 0; s < n; s++) {
      const a = Array.from({ length: band + 1 }, (_, m) => rng.normal() / (1 + m));
      const b = Array.from({ length: band + 1 }, (_, m) => rng.normal() / (1 + m));
      for (let i = 0; i < k; i++) {
        const x = 2 * Math.PI * i / k;
        let v = 0;
        for (let m = 0; m <= band; m++) v += a[m] * Math.cos(m * x) + (m > 0 ? b[m] * Math.sin(m * x) : 0);
        X[s * k + i] = v + noise * rng.normal();
      }
    }
    const R = randomRotation(k, new Rng(deriveSeed(ctx.seed, "rotation")));
    const S = descrambleSignals(X, n, R, k);
    const rows = Array.from(
      { length: k },
      (_, i) => Float64Array.from({ length: n }, (_, s) => S[s * k + i]),
    );
    const run = runDescramblers(gramOfRows(rows), k, p.scrambled.lbfgsIterations);
    const Rt = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Rt[j * k + i] = R[i * k + j];
    const etaTruth = eta(run.problem, Rt);
    const descrambled = descrambleSignals(S, n, run.optimize.P, k);
    const shares = {
      scrambled: outOfBandShare(S, n, k, band),
      descrambled: outOfBandShare(descrambled, n, k, band),
      truth: outOfBandShare(X, n, k, band),
    };
    const tables = [
      await saveTable(ctx, "scrambled_optimisers", "Scrambled smooth signals: η for each method and η*", {
        rows: [
          ...optimiserRows(`k = ${k}, N = ${n}`, run),
          {
            signals: `k = ${k}, N = ${n}`,
            method: "Rᵀ (the true unscrambling)",
            eta: etaTruth,
            eta_star: run.closedForm.etaStar,
            relative_gap: (etaTruth - run.closedForm.etaStar) / run.closedForm.etaStar,
            iterations: 0,
          },
        ],
      }, { digits: 4 }),
      await saveTable(ctx, "scrambled_band", `Share of the signals' energy above wavenumber ${band}`, {
        rows: [
          { signals: "scrambled S = R·X", out_of_band_share: shares.scrambled },
          { signals: "descrambled P·S (optimize)", out_of_band_share: shares.descrambled },
          { signals: "true X", out_of_band_share: shares.truth },
        ],
      }, { digits: 4 }),
      await saveTable(ctx, "scrambled_timings", "Compute seconds (measurements)", {
        rows: timingRows(`k = ${k}`, run),
      }, { digits: 3 }),
    ];
    const points: LinePoint[] = [];
    for (let e = 0; e < p.examples; e++) {
      for (let i = 0; i < k; i++) {
        points.push({ panel: `example ${e + 1}`, series: "scrambled", x: i, y: S[e * k + i] });
        points.push({ panel: `example ${e + 1}`, series: "descrambled", x: i, y: descrambled[e * k + i] });
        points.push({ panel: `example ${e + 1}`, series: "true", x: i, y: X[e * k + i] });
      }
    }
    const PR = matmul(run.optimize.P, R, k);
    const figures = [
      await saveFigure(
        ctx,
        "scrambled_signals",
        "Smooth signals scrambled by a random rotation, descrambled, and the truth",
        linePanelsSpec({
          points,
          panels: Array.from({ length: p.examples }, (_, e) => `example ${e + 1}`),
          title: "Scrambled, descrambled and true signals",
          xTitle: "signal index (neuron)",
          yTitle: "value",
          seriesTitle: "signals",
        }),
      ),
      await saveHeatmap(
        ctx,
        "scrambled_PR",
        "P·R: the descrambler times the scrambling rotation (identity up to rotations inside eigenspaces)",
        matrixPanelsSpec({
          panels: [{ name: "P·R", rows: k, cols: k, values: PR }],
          title: "Descrambler after scrambler",
          xTitle: "true signal",
          yTitle: "descrambled signal",
          colorTitle: "entry",
          width: 260,
          height: 260,
          normalise: false,
        }),
      ),
      await saveFigure(
        ctx,
        "scrambled_eta_gap",
        "Relative gap (η − η*)/η* against the iteration",
        etaTraceSpec({
          traces: { "optimize (trust region)": run.optimize.trace, "lbfgs (paper)": run.lbfgs.trace },
          etaStar: run.closedForm.etaStar,
          title: "Scrambled smooth signals",
          gap: true,
        }),
      ),
    ];
    const reachLbfgs = iterationsToReach(run.lbfgs.trace, run.closedForm.etaStar);
    sections.push({
      heading: "Smooth signals scrambled by a random rotation",
      text:
        `${n} signals on k = ${k} points with wavenumbers ≤ ${band} and white noise (sd ${noise}), mixed ` +
        `by a Haar-random rotation R. η(I) = ${fmt(run.etaIdentity)}, η(Rᵀ) = ${fmt(etaTruth)}, η* = ` +
        `${fmt(run.closedForm.etaStar)}. The descrambled signals keep ${
          fmt(100 * shares.descrambled, 2)
        } % of their energy above wavenumber ${band} (scrambled: ${fmt(100 * shares.scrambled, 2)} %, ` +
        `truth: ${
          fmt(100 * shares.truth, 2)
        } %). Trust-region Newton: ${run.optimize.iterations} iterations; ` +
        `the paper's L-BFGS ${
          Number.isNaN(reachLbfgs)
            ? `stops ${
              fmt((run.lbfgs.eta - run.closedForm.etaStar) / run.closedForm.etaStar)
            } above η* after ` +
              `${run.lbfgs.iterations}`
            : `reaches η*(1 + 1e-6) after ${reachLbfgs}`
        } iterations.`,
      tables,
      figures,
    });
  }

  // 2. a band-pass network
  {
    const L = bp.length;
    const rng = new Rng(deriveSeed(ctx.seed, "bandpass-data"));
    const make = (count: number) => {
      const x = new Float64Array(count * L);
      const y = new Float64Array(count * L);
      for (let s = 0; s < count; s++) {
        for (let m = 0; m <= L / 2; m++) {
          const a = bp.amplitude * rng.normal() / Math.sqrt(L / 2);
          const phase = 2 * Math.PI * rng.next();
          for (let i = 0; i < L; i++) {
            const v = a * Math.cos(2 * Math.PI * m * i / L + phase);
            x[s * L + i] += v;
            if (m >= bp.passLow && m <= bp.passHigh) y[s * L + i] += v;
          }
        }
      }
      return { x, y };
    };
    const train = make(bp.trainSamples);
    const tap = make(bp.tapSamples);
    await initBackend("wasm", { quiet: true });
    const fit = await fitNetwork(
      {
        inputs: L,
        hidden: [bp.hidden],
        activation: "tanh",
        outputUnits: L,
        seed: deriveSeed(ctx.seed, "bandpass-init"),
      },
      train,
      {
        optimizer: "adam",
        learningRate: bp.learningRate,
        epochs: bp.epochs,
        batchSize: bp.batchSize,
        shuffleSeed: deriveSeed(ctx.seed, "bandpass-shuffle"),
      },
    );
    fit.model.dispose();
    if (!fit.network) throw new Error("descramble-toy: band-pass training failed");
    const net: Network = fit.network;
    const k = bp.hidden;
    const run = runDescramblers(
      tapGram(net, { layer: 0, point: "pre" }, tap.x, bp.tapSamples),
      k,
      bp.lbfgsIterations,
    );
    const W1 = unitsByInputs(net.layers[0].weights, L, k);
    const W1d = new Float64Array(k * L);
    const P = run.optimize.P;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        for (let c = 0; c < L; c++) W1d[a * L + c] += P[a * k + b] * W1[b * L + c];
      }
    }
    const spectra = (M: Float64Array) =>
      Array.from({ length: k }, (_, u) => amplitudeSpectrum(M.subarray(u * L, (u + 1) * L)));
    const before = spectra(W1);
    const after = spectra(W1d);
    const nf = before[0].length;
    // per filter: share of its energy in the pass band and at its single strongest wavenumber
    const describe = (rows: Float64Array[]) =>
      rows.map((s) => {
        let total = 0;
        let pass = 0;
        let best = 0;
        for (let m = 0; m < nf; m++) {
          total += s[m] ** 2;
          if (m >= bp.passLow && m <= bp.passHigh) pass += s[m] ** 2;
          best = Math.max(best, s[m] ** 2);
        }
        return { pass: pass / total, single: best / total };
      });
    const db = describe(before);
    const da = describe(after);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // the network's small-signal gain per wavenumber: response to cos(m·x) of amplitude ε
    const eps = 1e-3;
    const gain: LinePoint[] = [];
    let gainError = 0;
    for (let m = 0; m <= L / 2; m++) {
      const x = Float64Array.from({ length: L }, (_, i) => eps * Math.cos(2 * Math.PI * m * i / L));
      const y = forward(net, x, 1);
      const y0 = forward(net, new Float64Array(L), 1);
      const out = Float64Array.from(y, (v, i) => (v - y0[i]) / eps);
      const g = amplitudeSpectrum(out)[m] / amplitudeSpectrum(Float64Array.from(x, (v) => v / eps))[m];
      const ideal = m >= bp.passLow && m <= bp.passHigh ? 1 : 0;
      gainError = Math.max(gainError, Math.abs(g - ideal));
      gain.push({ panel: "gain", series: "network", x: m, y: g });
      gain.push({ panel: "gain", series: "ideal band-pass", x: m, y: ideal });
    }
    const rows = [
      {
        filters: "as trained (rows of W₁)",
        mean_pass_band_share: mean(db.map((d) => d.pass)),
        mean_single_wavenumber_share: mean(db.map((d) => d.single)),
      },
      {
        filters: "descrambled (rows of P·W₁)",
        mean_pass_band_share: mean(da.map((d) => d.pass)),
        mean_single_wavenumber_share: mean(da.map((d) => d.single)),
      },
    ];
    const sig = tapSignals(net, { layer: 0, point: "pre" }, tap.x.subarray(0, p.examples * L), p.examples);
    const sigD = descrambleSignals(sig, p.examples, P, k);
    const sigPoints: LinePoint[] = [];
    for (let e = 0; e < p.examples; e++) {
      for (let u = 0; u < k; u++) {
        sigPoints.push({ panel: `input ${e + 1}`, series: "as wiretapped", x: u, y: sig[e * k + u] });
        sigPoints.push({ panel: `input ${e + 1}`, series: "descrambled", x: u, y: sigD[e * k + u] });
      }
    }
    const specPanel = (name: string, r: Float64Array[]) => {
      const values = new Float64Array(k * nf);
      r.forEach((s, u) => values.set(s, u * nf));
      return { name, rows: k, cols: nf, values };
    };
    const tables = [
      await saveTable(
        ctx,
        "bandpass_optimisers",
        "Band-pass network, hidden layer before tanh: η per method",
        {
          rows: optimiserRows(`${L} → ${k} tanh → ${L}`, run),
        },
        { digits: 4 },
      ),
      await saveTable(
        ctx,
        "bandpass_filters",
        `First-layer filters: mean share of each filter's energy in the pass band (wavenumbers ${bp.passLow}–` +
          `${bp.passHigh}) and at its single strongest wavenumber`,
        { rows },
        { digits: 4 },
      ),
      await saveTable(ctx, "bandpass_timings", "Compute seconds (measurements)", {
        rows: [...timingRows("hidden layer", run), {
          signals: "training (tfjs)",
          train_seconds: fit.training.seconds,
        }],
      }, { digits: 3 }),
    ];
    const figures = [
      await saveHeatmap(
        ctx,
        "bandpass_frequency_response",
        "|DFT| of each first-layer filter, as trained and descrambled",
        matrixPanelsSpec({
          panels: [specPanel("as trained", before), specPanel("descrambled", after)],
          title: `Band-pass network (pass band ${bp.passLow}–${bp.passHigh}): first-layer filters`,
          xTitle: "wavenumber",
          yTitle: "hidden unit",
          colorTitle: "|H| / max",
          width: 240,
          height: 200,
          sequential: true,
        }),
      ),
      await saveFigure(
        ctx,
        "bandpass_gain",
        "Small-signal gain of the trained network per wavenumber against the ideal band-pass filter",
        linePanelsSpec({
          points: gain,
          panels: ["gain"],
          title: "What the network does",
          xTitle: "wavenumber",
          yTitle: "gain",
          seriesTitle: "filter",
          width: 380,
        }),
      ),
      await saveFigure(
        ctx,
        "bandpass_signals",
        "Hidden-layer signals (before tanh) for a few inputs, as wiretapped and descrambled",
        linePanelsSpec({
          points: sigPoints,
          panels: Array.from({ length: p.examples }, (_, e) => `input ${e + 1}`),
          title: "Band-pass network: wiretapped signals",
          xTitle: "hidden unit",
          yTitle: "pre-activation",
          seriesTitle: "signals",
        }),
      ),
    ];
    sections.push({
      heading: "A network trained to band-pass filter",
      text:
        `${L} → ${k} tanh → ${L}, trained on ${bp.trainSamples} random periodic signals to keep wavenumbers ` +
        `${bp.passLow}–${bp.passHigh} (final training MSE ${
          fmt(fit.training.history.trainLoss.at(-1) ?? NaN)
        }; largest gain error against the ideal filter ${fmt(gainError)}). Descrambling the hidden layer ` +
        `(η(I) = ${fmt(run.etaIdentity)} → η* = ${
          fmt(run.closedForm.etaStar)
        }) turns the first-layer filters ` +
        `from mixtures into near-single wavenumbers: the mean share of a filter's energy at its strongest ` +
        `wavenumber goes from ${fmt(rows[0].mean_single_wavenumber_share)} to ` +
        `${fmt(rows[1].mean_single_wavenumber_share)} (pass-band share ${
          fmt(rows[0].mean_pass_band_share)
        } → ` +
        `${fmt(rows[1].mean_pass_band_share)}).`,
      tables,
      figures,
    });
  }
  return { sections };
};
