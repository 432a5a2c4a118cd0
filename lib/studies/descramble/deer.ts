/**
 * DEER (double electron–electron resonance) traces for the descramble-deernet study, simulated the
 * way DEERNet's training databases are built (Worswick, Spencer, Jeschke, Kuprov, Sci. Adv. 2018):
 * a random distance distribution P(r) on 1.5–8 nm (a mixture of Gaussians), the orientation-averaged
 * dipolar kernel, a modulation depth λ, a stretched-exponential background and white noise.
 *
 * Kernel: K(t, r) = ∫₀¹ cos[(3z² − 1)·ω(r)·t] dz with ω(r) = 2π·52.04 MHz·nm³ / r³ (t in μs, r in
 * nm). With q = √(6ωt/π): K = [cos(ωt)·C(q) + sin(ωt)·S(q)] / q (Fresnel integrals), K(0, r) = 1.
 *
 * @module
 */

import { Rng } from "../../data/random.ts";
import { fresnel } from "./fresnel.ts";

/** Dipolar coupling constant for two nitroxides, MHz·nm³. */
export const DIPOLAR_MHZ_NM3 = 52.04;

/** K(t, r) for one time (μs) and one distance (nm). */
export function dipolarKernel(t: number, r: number): number {
  const at = Math.abs(t);
  if (at === 0) return 1;
  const omegaT = (2 * Math.PI * DIPOLAR_MHZ_NM3 / (r * r * r)) * at;
  const q = Math.sqrt(6 * omegaT / Math.PI);
  const [c, s] = fresnel(q);
  return (Math.cos(omegaT) * c + Math.sin(omegaT) * s) / q;
}

/** Evenly spaced grid of n points from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + (hi - lo) * i / (n - 1)));
}

/** The kernel matrix K[i, j] = K(t_i, r_j) (row-major, times × distances). */
export function kernelMatrix(t: Float64Array, r: Float64Array): Float64Array {
  const K = new Float64Array(t.length * r.length);
  for (let i = 0; i < t.length; i++) {
    for (let j = 0; j < r.length; j++) K[i * r.length + j] = dipolarKernel(t[i], r[j]);
  }
  return K;
}

/** The random ranges of a DEER database. */
export interface DeerSpec {
  /** Time points of a trace (network inputs). */
  timePoints: number;
  /** Trace length, μs. */
  maxTime: number;
  /** Distance points (network outputs). */
  distancePoints: number;
  /** Distance range, nm. */
  distanceRange: [number, number];
  /** Gaussians per distribution: 1..maxPeaks. */
  maxPeaks: number;
  /** Standard deviation of a Gaussian, nm. */
  widthRange: [number, number];
  /** Modulation depth λ. */
  depthRange: [number, number];
  /** Background B(t) = exp(−(κt)^{d/3}): decay rate κ (μs⁻¹) and dimension d. */
  decayRange: [number, number];
  dimensionRange: [number, number];
  /** Noise standard deviation as a fraction of λ. */
  noiseRange: [number, number];
}

/** One simulated example. */
export interface DeerExample {
  /** The noisy DEER trace V(t), divided by its noise-free V(0) = 1. */
  trace: Float64Array;
  /** The form factor F(t) = Σ_r K(t, r)·P(r) (noise- and background-free). */
  formFactor: Float64Array;
  /** P(r) on the distance grid, scaled to unit maximum (the network's target). */
  distribution: Float64Array;
}

/** A grid and kernel shared by every example of a database. */
export interface DeerGrid {
  t: Float64Array;
  r: Float64Array;
  K: Float64Array;
}

/** The time and distance grids of a spec and their kernel matrix. */
export function deerGrid(spec: DeerSpec): DeerGrid {
  const t = linspace(0, spec.maxTime, spec.timePoints);
  const r = linspace(spec.distanceRange[0], spec.distanceRange[1], spec.distancePoints);
  return { t, r, K: kernelMatrix(t, r) };
}

/** Draws one example. */
export function simulateDeer(spec: DeerSpec, grid: DeerGrid, rng: Rng): DeerExample {
  const { t, r, K } = grid;
  const nt = t.length;
  const nr = r.length;
  const peaks = 1 + rng.int(spec.maxPeaks);
  const P = new Float64Array(nr);
  const [r0, r1] = spec.distanceRange;
  for (let p = 0; p < peaks; p++) {
    const width = rng.uniform(spec.widthRange[0], spec.widthRange[1]);
    const centre = rng.uniform(r0 + width, r1 - width);
    const weight = rng.uniform(0.2, 1);
    for (let j = 0; j < nr; j++) {
      const z = (r[j] - centre) / width;
      P[j] += weight * Math.exp(-0.5 * z * z) / width;
    }
  }
  let sum = 0;
  let max = 0;
  for (let j = 0; j < nr; j++) {
    sum += P[j];
    max = Math.max(max, P[j]);
  }
  const formFactor = new Float64Array(nt);
  for (let i = 0; i < nt; i++) {
    let f = 0;
    for (let j = 0; j < nr; j++) f += K[i * nr + j] * P[j];
    formFactor[i] = f / sum;
  }
  const depth = rng.uniform(spec.depthRange[0], spec.depthRange[1]);
  const decay = rng.uniform(spec.decayRange[0], spec.decayRange[1]);
  const dimension = rng.uniform(spec.dimensionRange[0], spec.dimensionRange[1]);
  const noise = depth * rng.uniform(spec.noiseRange[0], spec.noiseRange[1]);
  const trace = new Float64Array(nt);
  for (let i = 0; i < nt; i++) {
    const background = Math.exp(-Math.pow(decay * t[i], dimension / 3));
    trace[i] = (1 - depth + depth * formFactor[i]) * background + noise * rng.normal();
  }
  return { trace, formFactor, distribution: P.map((v) => v / max) };
}

/** n examples as row-major matrices: traces (n × timePoints) and distributions (n × distancePoints). */
export function simulateDeerDatabase(
  spec: DeerSpec,
  grid: DeerGrid,
  n: number,
  seed: number,
): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n * spec.timePoints);
  const y = new Float64Array(n * spec.distancePoints);
  for (let s = 0; s < n; s++) {
    const e = simulateDeer(spec, grid, rng);
    x.set(e.trace, s * spec.timePoints);
    y.set(e.distribution, s * spec.distancePoints);
  }
  return { x, y };
}
