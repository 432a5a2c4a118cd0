/**
 * Bench driver for the descrambler: one method on one problem, timed in this process, one JSON
 * object on stdout.
 *
 *   deno run -A bench/drivers/descramble_run.ts --method optimize|closed-form|lbfgs
 *     (--k K --n N [--seed S] [--noise E] | --file FIXTURE.json) [--max-iterations I] [--max-seconds T]
 *
 * Synthetic problems: N band-limited periodic signals (wavenumbers ≤ 3) on k points, mixed by a
 * seeded random rotation of that band, plus white noise of relative size E (default 1e-3), like the
 * fixtures' "smooth-scrambled" kind. SSᵀ is formed in blocks while S is generated, so S (k × N) is
 * never held. Prints `seconds` (the method's own time, after SSᵀ and its normalisation), `gram_seconds`,
 * `setup_seconds`, η, η* (closed form, computed outside the timing), the relative gap, iterations,
 * and for the optimisers the iterations and seconds to reach η*·(1 + 1e-6) (null if not reached).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { closedFormDescramble } from "../../lib/descramble/closed_form.ts";
import { GramAccumulator, gramOfRows } from "../../lib/descramble/gram.ts";
import { paperLbfgsDescramble } from "../../lib/descramble/paper_lbfgs.ts";
import { eta, problemFromGram } from "../../lib/descramble/problem.ts";
import { identity } from "../../lib/descramble/dense.ts";
import { trustRegionDescramble } from "../../lib/descramble/trust_region.ts";
import { Rng } from "../../lib/data/random.ts";
import { peakRssMiB } from "../../lib/io/memory.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    method: { type: "string", default: "optimize" },
    k: { type: "string" },
    n: { type: "string" },
    seed: { type: "string", default: "1" },
    noise: { type: "string", default: "1e-3" },
    file: { type: "string" },
    "max-iterations": { type: "string" },
    "max-seconds": { type: "string" },
  },
});

/** SSᵀ of the synthetic signals, generated in blocks of columns. */
function syntheticGram(k: number, n: number, seed: number, noise: number): Float64Array {
  const rng = new Rng(seed);
  const band = 3;
  const basis: Float64Array[] = []; // the 2·band + 1 band-limited modes, each rotated at random
  for (let m = 0; m <= band; m++) {
    for (const kind of m === 0 ? ["cos"] : ["cos", "sin"]) {
      basis.push(Float64Array.from({ length: k }, (_, i) => {
        const x = 2 * Math.PI * i / k;
        return kind === "cos" ? Math.cos(m * x) : Math.sin(m * x);
      }));
    }
  }
  // applying a random k × k rotation to S would cost k²N; rotate the band modes instead (R = four
  // random Householder reflections); white noise is rotation-invariant and is added directly
  const reflections = Array.from({ length: 4 }, () => {
    const v = Float64Array.from({ length: k }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  const mixed = basis.map((b) => {
    let y = b.slice();
    for (const v of reflections) {
      let d = 0;
      for (let i = 0; i < k; i++) d += v[i] * y[i];
      y = y.map((yi, i) => yi - 2 * d * v[i]);
    }
    return y;
  });
  const acc = new GramAccumulator(k);
  const block = 2048;
  const x = new Float64Array(block * k);
  for (let s0 = 0; s0 < n; s0 += block) {
    const b = Math.min(block, n - s0);
    x.fill(0);
    for (let s = 0; s < b; s++) {
      for (let j = 0; j < mixed.length; j++) {
        const a = rng.normal() / (1 + (j + 1 >> 1));
        const mj = mixed[j];
        for (let i = 0; i < k; i++) x[s * k + i] += a * mj[i];
      }
      for (let i = 0; i < k; i++) x[s * k + i] += noise * rng.normal();
    }
    acc.addSamples(x, b);
  }
  return acc.matrix();
}

const method = values.method!;
const t0 = performance.now();
let gram: Float64Array;
let k: number;
let reference: Record<string, unknown> = {};
if (values.file) {
  const fx = JSON.parse(Deno.readTextFileSync(values.file));
  k = fx.signals.length;
  gram = gramOfRows(fx.signals);
  reference = {
    scipy_eta: fx.optimizer_eta,
    scipy_iterations: fx.optimizer_iterations,
    scipy_seconds: fx.optimizer_seconds,
    fixture_eta_star: fx.eta_star,
    n: fx.signals[0].length,
  };
} else {
  k = Number(values.k);
  const n = Number(values.n);
  gram = syntheticGram(k, n, Number(values.seed), Number(values.noise));
  reference = { n };
}
const t1 = performance.now();
const problem = problemFromGram(gram, k);
const t2 = performance.now();
const etaStar = closedFormDescramble(problem).etaStar; // outside the timing
const target = etaStar * (1 + 1e-6);
const maxIterations = values["max-iterations"] ? Number(values["max-iterations"]) : undefined;
const maxSeconds = values["max-seconds"] ? Number(values["max-seconds"]) : Infinity;
const start = eta(problem, identity(k));
let reached: { iterations: number; seconds: number } | null = start <= target
  ? { iterations: 0, seconds: 0 }
  : null;
const t3 = performance.now();
let result: { eta: number; iterations: number; stop?: string; hessian_products?: number };
if (method === "closed-form") {
  const r = closedFormDescramble(problem);
  result = { eta: r.eta, iterations: 0 };
} else if (method === "optimize") {
  const r = trustRegionDescramble(problem, {
    maxIterations,
    onIteration: (it, e) => {
      if (!reached && e <= target) reached = { iterations: it, seconds: (performance.now() - t3) / 1000 };
    },
  });
  result = { eta: r.eta, iterations: r.iterations, stop: r.stop, hessian_products: r.hessianProducts };
} else if (method === "lbfgs") {
  const r = paperLbfgsDescramble(problem, {
    maxIterations: maxIterations ?? 20000,
    onIteration: (it, e) => {
      if (!reached && e <= target) reached = { iterations: it, seconds: (performance.now() - t3) / 1000 };
      return (performance.now() - t3) / 1000 > maxSeconds;
    },
  });
  result = { eta: r.eta, iterations: r.iterations, stop: r.stop };
} else {
  throw new Error(`--method: expected optimize, closed-form or lbfgs, got ${method}`);
}
const seconds = (performance.now() - t3) / 1000;
const hit = reached as { iterations: number; seconds: number } | null;
console.log(JSON.stringify({
  method,
  k,
  ...reference,
  seconds,
  gram_seconds: (t1 - t0) / 1000,
  setup_seconds: (t2 - t1) / 1000,
  eta: result.eta,
  eta_star: etaStar,
  relative_gap: (result.eta - etaStar) / etaStar,
  iterations: result.iterations,
  stop: result.stop ?? null,
  hessian_products: result.hessian_products ?? null,
  iterations_to_target: method === "closed-form" ? 0 : hit?.iterations ?? null,
  seconds_to_target: method === "closed-form" ? seconds : hit?.seconds ?? null,
  peak_rss_mib: peakRssMiB(),
}));
