// Conv1d / 1-D pooling and residual blocks in both Taylor engines (HOPE's rule and the exact one).
import assert from "node:assert/strict";
import { denseLayer, type Network } from "../network/network.ts";
import { exactTaylor } from "./exact.ts";
import { exactTaylorModules, maxPoolArgmax } from "./exact_modules.ts";
import { HOPE_RULES, hopeTaylorModules, type TaylorResult as HopeResult } from "./hope.ts";
import type { Conv1dModule, HopeModule, Pool1dModule, ResidualModule } from "./modules.ts";

type ExactResult = ReturnType<typeof exactTaylorModules>;

/** Deterministic pseudo-random weights in [−1, 1). */
function weights(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const sin = (units: number): HopeModule => ({ kind: "elementwise", activation: "sin", units });
const tanh = (units: number): HopeModule => ({ kind: "elementwise", activation: "tanh", units });
const affine = (inputs: number, units: number, seed: number): HopeModule => ({
  kind: "affine",
  inputs,
  units,
  weights: weights((inputs + 1) * units, seed),
});

/** Affine module from a Jacobian `out × in` and a bias (bias-first layout). */
function affineFrom(jac: Float64Array, bias: ArrayLike<number>, inputs: number): HopeModule {
  const units = bias.length;
  const w = new Float64Array((inputs + 1) * units);
  for (let j = 0; j < units; j++) {
    w[j] = bias[j];
    for (let i = 0; i < inputs; i++) w[(i + 1) * units + j] = jac[j * inputs + i];
  }
  return { kind: "affine", inputs, units, weights: w };
}

/** Dense-layer rows (bias first) of an affine module. */
function rowsOf(m: HopeModule): number[][] {
  if (m.kind !== "affine") throw new Error("rowsOf: affine modules only");
  return Array.from(
    { length: m.inputs + 1 },
    (_, r) => Array.from(m.weights.subarray(r * m.units, (r + 1) * m.units)),
  );
}

/** The unrolled matrix of a 1-D convolution, built independently of the engines. */
function conv1dMatrix(m: Conv1dModule): { jac: Float64Array; bias: Float64Array } {
  const ol = Math.floor((m.length - m.size) / m.stride) + 1, nIn = m.inChannels * m.length;
  const jac = new Float64Array(m.outChannels * ol * nIn), bias = new Float64Array(m.outChannels * ol);
  for (let oc = 0; oc < m.outChannels; oc++) {
    for (let x = 0; x < ol; x++) {
      bias[oc * ol + x] = m.bias[oc];
      for (let c = 0; c < m.inChannels; c++) {
        for (let k = 0; k < m.size; k++) {
          jac[(oc * ol + x) * nIn + c * m.length + x * m.stride + k] +=
            m.kernel[(oc * m.inChannels + c) * m.size + k];
        }
      }
    }
  }
  return { jac, bias };
}

/** The matrix of 1-D average pooling (or of a 0/1 selection when `pick` gives the chosen offsets). */
function pool1dMatrix(channels: number, length: number, size: number, pick?: Int32Array): Float64Array {
  const ol = Math.floor(length / size), nIn = channels * length;
  const a = new Float64Array(channels * ol * nIn);
  for (let c = 0; c < channels; c++) {
    for (let x = 0; x < ol; x++) {
      const o = c * ol + x;
      if (pick) a[o * nIn + pick[o]] = 1;
      else for (let d = 0; d < size; d++) a[o * nIn + c * length + x * size + d] = 1 / size;
    }
  }
  return a;
}

/** Largest |a − b| / max(1, |b|) over every output and term of two exact-engine results. */
function worst(a: ExactResult, b: ExactResult): number {
  let e = 0;
  a.polynomials.forEach((f, o) =>
    f.coefficients.forEach((v, t) => {
      const w = b.polynomials[o].coefficients[t];
      e = Math.max(e, Math.abs(v - w) / Math.max(1, Math.abs(w)));
    })
  );
  return e;
}

/** Largest scaled difference between a HOPE result and an exact one (same graded-lex term order). */
function hopeVsExact(h: HopeResult, e: ExactResult, maxDegree = Infinity): number {
  assert.deepEqual(h.labels, e.terms.labels("taylor"));
  let err = 0;
  h.coefficients.forEach((c, o) =>
    c.forEach((v, t) => {
      if (h.labels[t].length > maxDegree) return;
      const w = e.polynomials[o].coefficients[t];
      err = Math.max(err, Math.abs(v - w) / Math.max(1, Math.abs(w)));
    })
  );
  return err;
}

/** Largest scaled difference between two HOPE results. */
function hopeDiff(a: HopeResult, b: HopeResult): number {
  let err = 0;
  a.coefficients.forEach((c, o) =>
    c.forEach((v, t) => {
      const w = b.coefficients[o][t];
      err = Math.max(err, Math.abs(v - w) / Math.max(1, Math.abs(w)));
    })
  );
  return err;
}

// ---------------------------------------------------------------- Conv1d and 1-D pooling

/** Linear(2, 2·9)–sin–Conv1d(2→3, k 3, stride s)–sin–AvgPool1d(2)–sin–Linear(·, 2) and its dense twin. */
function conv1dNet(stride: number): { modules: HopeModule[]; dense: HopeModule[]; net: Network } {
  const p = 2, len = 9, img = 2 * len;
  const first = affine(p, img, 1);
  const conv: Conv1dModule = {
    kind: "conv1d",
    inChannels: 2,
    outChannels: 3,
    length: len,
    size: 3,
    stride,
    kernel: weights(3 * 2 * 3, 2),
    bias: weights(3, 3),
  };
  const ol = Math.floor((len - 3) / stride) + 1, nConv = 3 * ol;
  const pool: Pool1dModule = { kind: "avgpool1d", channels: 3, length: ol, size: 2 };
  const nPool = 3 * Math.floor(ol / 2);
  const last = affine(nPool, 2, 4);
  const cm = conv1dMatrix(conv);
  const convDense = affineFrom(cm.jac, cm.bias, img);
  const poolDense = affineFrom(pool1dMatrix(3, ol, 2), new Float64Array(nPool), nConv);
  const modules = [first, sin(img), conv, sin(nConv), pool, sin(nPool), last];
  const dense = [first, sin(img), convDense, sin(nConv), poolDense, sin(nPool), last];
  const net: Network = {
    inputs: p,
    layers: [
      denseLayer("sin", rowsOf(first)),
      denseLayer("sin", rowsOf(convDense)),
      denseLayer("sin", rowsOf(poolDense)),
      denseLayer("linear", rowsOf(last)),
    ],
  };
  return { modules, dense, net };
}

Deno.test("conv1d forward, Jacobian and avgpool1d Jacobian match hand-built values", () => {
  const { modules } = conv1dNet(2);
  const conv = modules[2] as Conv1dModule;
  const u = weights(18, 9);
  // output (channel 1, position 2) by hand: taps at input positions 4, 5, 6 of both channels
  let z = conv.bias[1];
  for (let c = 0; c < 2; c++) {
    for (let k = 0; k < 3; k++) z += conv.kernel[(2 + c) * 3 + k] * u[c * 9 + 4 + k];
  }
  assert.ok(Math.abs(HOPE_RULES.conv1d.forward(conv, u, 0).output[4 + 2] - z) < 1e-15);
  assert.deepEqual(Array.from(HOPE_RULES.conv1d.jacobian!(conv)), Array.from(conv1dMatrix(conv).jac));
  const pool = modules[4] as Pool1dModule & { kind: "avgpool1d" };
  assert.deepEqual(Array.from(HOPE_RULES.avgpool1d.jacobian!(pool)), Array.from(pool1dMatrix(3, 4, 2)));
});

for (const stride of [1, 2]) {
  Deno.test(`conv1d (stride ${stride}) + avgpool1d: both engines equal the dense twin to 1e-12`, () => {
    const { modules, dense, net } = conv1dNet(stride);
    for (const [x0, K] of [[[0.3, -0.2], 6], [[0, 0], 4], [[-0.5, 0.7], 0]] as const) {
      const e = worst(exactTaylorModules(modules, 2, x0, K), exactTaylor(net, x0, K));
      assert.ok(e <= 1e-12, `exact, x0 ${x0}, order ${K}: worst ${e}`);
      const h = hopeDiff(hopeTaylorModules(modules, 2, x0, K), hopeTaylorModules(dense, 2, x0, K));
      assert.ok(h <= 1e-12, `HOPE, x0 ${x0}, order ${K}: worst ${h}`);
    }
    // conv1d as the first module: HOPE mixes with its unrolled Jacobian
    const x0 = Array.from(weights(18, 5), (v) => 0.5 * v);
    const h = hopeDiff(
      hopeTaylorModules(modules.slice(2), 18, x0, 2),
      hopeTaylorModules(dense.slice(2), 18, x0, 2),
    );
    assert.ok(h <= 1e-12, `HOPE, conv1d first: worst ${h}`);
  });
}

Deno.test("maxpool1d selects the arg-max at x0 in both engines (dense selection twin, tie rule)", () => {
  const p = 2, n = 2 * 6; // 2 channels × length 6, window 3 → 4 units
  const first = affine(p, n, 7), last = affine(4, 1, 8);
  const pool: Pool1dModule = { kind: "maxpool1d", channels: 2, length: 6, size: 3 };
  const x0 = [0.1, 0.4];
  const hidden = Float64Array.from(
    { length: n },
    (_, j) =>
      Math.tanh(
        first.kind === "affine"
          ? first.weights[j] + x0[0] * first.weights[n + j] + x0[1] * first.weights[2 * n + j]
          : 0,
      ),
  );
  const pick = new Int32Array(4);
  for (let o = 0; o < 4; o++) {
    const base = Math.floor(o / 2) * 6 + (o % 2) * 3;
    let best = base;
    for (let d = 1; d < 3; d++) if (hidden[base + d] > hidden[best]) best = base + d;
    pick[o] = best;
  }
  assert.deepEqual(Array.from(maxPoolArgmax(pool, hidden)), Array.from(pick));
  const sel = affineFrom(pool1dMatrix(2, 6, 3, pick), new Float64Array(4), n);
  const modules = [first, tanh(n), pool, sin(4), last];
  const twin = [first, tanh(n), sel, sin(4), last];
  assert.ok(worst(exactTaylorModules(modules, p, x0, 5), exactTaylorModules(twin, p, x0, 5)) <= 1e-12);
  assert.ok(hopeDiff(hopeTaylorModules(modules, p, x0, 5), hopeTaylorModules(twin, p, x0, 5)) <= 1e-12);
  const tie = maxPoolArgmax({ kind: "maxpool1d", channels: 1, length: 3, size: 3 }, [0.2, 0.9, 0.9]);
  assert.deepEqual(Array.from(tie), [1]);
});

Deno.test("HOPE equals the exact engine on one-hidden-layer conv1d networks", () => {
  const conv: Conv1dModule = {
    kind: "conv1d",
    inChannels: 1,
    outChannels: 2,
    length: 8,
    size: 3,
    stride: 1,
    kernel: weights(6, 21),
    bias: weights(2, 22),
  };
  // (a) conv1d on the input signal – sin – avgpool1d – linear
  const a: HopeModule[] = [
    conv,
    sin(12),
    { kind: "avgpool1d", channels: 2, length: 6, size: 2 },
    affine(6, 1, 23),
  ];
  const x0a = Array.from(weights(8, 24), (v) => 0.5 * v);
  const ea = hopeVsExact(hopeTaylorModules(a, 8, x0a, 3), exactTaylorModules(a, 8, x0a, 3));
  assert.ok(ea <= 1e-12, `(a) worst ${ea}`);
  // (b) linear – tanh – conv1d – maxpool1d – avgpool1d – linear (linear modules after the activation)
  const b: HopeModule[] = [
    affine(2, 2 * 10, 31),
    tanh(20),
    {
      ...conv,
      inChannels: 2,
      outChannels: 3,
      length: 10,
      stride: 2,
      kernel: weights(18, 32),
      bias: weights(3, 33),
    },
    { kind: "maxpool1d", channels: 3, length: 4, size: 2 },
    { kind: "avgpool1d", channels: 3, length: 2, size: 2 },
    affine(3, 2, 34),
  ];
  const eb = hopeVsExact(hopeTaylorModules(b, 2, [0.3, -0.6], 8), exactTaylorModules(b, 2, [0.3, -0.6], 8));
  assert.ok(eb <= 1e-12, `(b) worst ${eb}`);
});

// ---------------------------------------------------------------- residual blocks

/** Univariate truncated power series (coefficients of t^0..t^K). */
type Series = Float64Array;

function seriesSin(u: Series): Series {
  const K = u.length - 1, s = new Float64Array(K + 1), c = new Float64Array(K + 1);
  s[0] = Math.sin(u[0]), c[0] = Math.cos(u[0]);
  for (let k = 1; k <= K; k++) {
    let a = 0, b = 0;
    for (let j = 1; j <= k; j++) a += j * u[j] * c[k - j], b += j * u[j] * s[k - j];
    s[k] = a / k, c[k] = -b / k;
  }
  return s;
}

function seriesTanh(u: Series): Series {
  const K = u.length - 1, t = new Float64Array(K + 1), q = new Float64Array(K + 1); // q = 1 − t²
  t[0] = Math.tanh(u[0]), q[0] = 1 - t[0] * t[0];
  for (let k = 1; k <= K; k++) {
    let a = 0;
    for (let j = 1; j <= k; j++) a += j * u[j] * q[k - j];
    t[k] = a / k;
    let sq = 0;
    for (let j = 0; j <= k; j++) sq += t[j] * t[k - j];
    q[k] = -sq;
  }
  return t;
}

/** An affine module applied to a vector of series. */
function seriesAffine(m: HopeModule, u: Series[]): Series[] {
  if (m.kind !== "affine") throw new Error("seriesAffine: affine only");
  return Array.from({ length: m.units }, (_, j) => {
    const z = new Float64Array(u[0].length);
    z[0] = m.weights[j];
    u.forEach((ui, i) => ui.forEach((v, k) => (z[k] += m.weights[(i + 1) * m.units + j] * v)));
    return z;
  });
}

/** The residual test network x → A → u + W2·tanh(W1·u + b1) + b2 → sin → affine, as modules. */
function residualNet(): { modules: HopeModule[]; parts: HopeModule[] } {
  const A = affine(2, 3, 41), W1 = affine(3, 4, 42), W2 = affine(4, 3, 43), out = affine(3, 1, 44);
  const res: ResidualModule = { kind: "residual", body: [W1, tanh(4), W2] };
  return { modules: [A, res, sin(3), out], parts: [A, W1, W2, out] };
}

/** Its value along x0 + t·d as a series in t, by independent univariate Taylor arithmetic. */
function residualSeries(parts: HopeModule[], x0: number[], d: number[], K: number): Series {
  const [A, W1, W2, out] = parts;
  const x = x0.map((v, i) => {
    const s = new Float64Array(K + 1);
    s[0] = v;
    if (K >= 1) s[1] = d[i];
    return s;
  });
  const u = seriesAffine(A, x);
  const body = seriesAffine(W2, seriesAffine(W1, u).map(seriesTanh));
  const y = u.map((ui, j) => ui.map((v, k) => v + body[j][k]));
  return seriesAffine(out, y.map(seriesSin))[0];
}

/** Σ_{|α| = k} c_α d^α for k = 0..K: the polynomial restricted to the line x0 + t·d. */
function alongDirection(labels: number[][], coefficients: ArrayLike<number>, d: number[], K: number): Series {
  const s = new Float64Array(K + 1);
  labels.forEach((l, t) => (s[l.length] += coefficients[t] * l.reduce((p, i) => p * d[i - 1], 1)));
  return s;
}

Deno.test("exact engine: residual with an affine body equals the merged affine map I + W (nested too)", () => {
  const n = 4, W = affine(n, n, 51), V = affine(n, n, 52);
  /** Merges u + (W u + b) into one affine module. */
  const merged = (m: HopeModule): HopeModule => {
    if (m.kind !== "affine") throw new Error("affine only");
    const w = Float64Array.from(m.weights);
    for (let i = 0; i < n; i++) w[(i + 1) * n + i] += 1;
    return { ...m, weights: w };
  };
  /** Composition z = g(f(u)) of two affine modules. */
  const compose = (f: HopeModule, g: HopeModule): HopeModule => {
    if (f.kind !== "affine" || g.kind !== "affine") throw new Error("affine only");
    const w = new Float64Array((n + 1) * n);
    for (let r = 0; r <= n; r++) {
      for (let j = 0; j < n; j++) {
        let s = r === 0 ? g.weights[j] : 0;
        for (let m = 0; m < n; m++) s += f.weights[r * n + m] * g.weights[(m + 1) * n + j];
        w[r * n + j] = s;
      }
    }
    return { kind: "affine", inputs: n, units: n, weights: w };
  };
  const head = [affine(2, n, 53), sin(n)], tail = [tanh(n), affine(n, 2, 54)];
  // u + (W u + b)
  const a = exactTaylorModules([...head, { kind: "residual", body: [W] }, ...tail], 2, [0.2, -0.4], 6);
  const b = exactTaylorModules([...head, merged(W), ...tail], 2, [0.2, -0.4], 6);
  assert.ok(worst(a, b) <= 1e-12, `flat: worst ${worst(a, b)}`);
  // u + [f(u) + V f(u) + c] with f = W·+b: merged map I + (I + V)∘f
  const nested: ResidualModule = { kind: "residual", body: [W, { kind: "residual", body: [V] }] };
  const c = exactTaylorModules([...head, nested, ...tail], 2, [0.2, -0.4], 6);
  const d = exactTaylorModules([...head, merged(compose(W, merged(V))), ...tail], 2, [0.2, -0.4], 6);
  assert.ok(worst(c, d) <= 1e-12, `nested: worst ${worst(c, d)}`);
});

Deno.test("exact engine: residual with a non-linear body matches independent 1-D series and finite differences", () => {
  const { modules, parts } = residualNet();
  const x0 = [0.3, -0.5], K = 8;
  const e = exactTaylorModules(modules, 2, x0, K);
  const labels = e.terms.labels("taylor");
  // K + 1 directions determine every homogeneous part of degree ≤ K of a 2-variable polynomial
  for (let r = 0; r <= K; r++) {
    const th = (Math.PI * r) / (K + 1), d = [Math.cos(th), Math.sin(th)];
    const got = alongDirection(labels, e.polynomials[0].coefficients, d, K);
    const want = residualSeries(parts, x0, d, K);
    want.forEach((w, k) =>
      assert.ok(Math.abs(got[k] - w) <= 1e-13, `direction ${r}, t^${k}: ${got[k]} vs ${w}`)
    );
  }
  // finite differences of the plain forward pass along d = (0.6, 0.8)
  const d = [0.6, 0.8], h = 1e-3;
  const f = (t: number) => residualSeries(parts, [x0[0] + t * d[0], x0[1] + t * d[1]], d, 0)[0];
  const s = alongDirection(labels, e.polynomials[0].coefficients, d, 2);
  assert.ok(Math.abs(s[0] - f(0)) < 1e-15);
  assert.ok(Math.abs(s[1] - (f(h) - f(-h)) / (2 * h)) < 1e-6);
  assert.ok(Math.abs(s[2] - (f(h) - 2 * f(0) + f(-h)) / (2 * h * h)) < 1e-5);
});

Deno.test("HOPE residual: equals the exact engine at order ≤ 1 on a deep residual network", () => {
  const { modules } = residualNet();
  for (const x0 of [[0.3, -0.5], [0, 0]]) {
    const err = hopeVsExact(hopeTaylorModules(modules, 2, x0, 1), exactTaylorModules(modules, 2, x0, 1));
    assert.ok(err <= 1e-12, `x0 ${x0}: worst ${err}`);
  }
});

Deno.test("HOPE residual: equals the exact engine when only linear modules follow the add", () => {
  const A = affine(2, 5, 61), out = affine(5, 2, 62), x0 = [0.4, -0.3];
  const cases: [string, HopeModule[]][] = [
    // z = u + sin(u): one non-linearity, elementwise in u, linear after the add
    ["u + sin(u)", [A, { kind: "residual", body: [sin(5)] }, out]],
    // one activation, then a residual of linear modules
    ["sin, then h + (W h + b)", [A, sin(5), { kind: "residual", body: [affine(5, 5, 63)] }, out]],
  ];
  for (const [name, mods] of cases) {
    const err = hopeVsExact(hopeTaylorModules(mods, 2, x0, 7), exactTaylorModules(mods, 2, x0, 7));
    assert.ok(err <= 1e-12, `${name}: worst ${err}`);
  }
});

Deno.test("HOPE residual: a non-linearity after the add breaks it even in 1-D (a finding)", () => {
  // f(x) = u + tanh(u + sin u), u = 0.7x + 0.2: one input, so no mixed partials are involved, yet
  // HOPE's add rule (sum the two paths' unmixed vectors) drops the cross-path terms once tanh
  // follows the inner add: Faà di Bruno needs (1 + sin')…, not 1 + (sin')….
  const K = 6, x0 = 0.3;
  const mods: HopeModule[] = [
    { kind: "affine", inputs: 1, units: 1, weights: new Float64Array([0.2, 0.7]) },
    { kind: "residual", body: [{ kind: "residual", body: [sin(1)] }, tanh(1)] },
  ];
  const u = new Float64Array(K + 1);
  u[0] = 0.7 * x0 + 0.2, u[1] = 0.7;
  const sn = seriesSin(u);
  const t = seriesTanh(u.map((v, k) => v + sn[k]));
  const want = u.map((v, k) => v + t[k]);
  const h = hopeTaylorModules(mods, 1, [x0], K), e = exactTaylorModules(mods, 1, [x0], K);
  want.forEach((w, k) => assert.ok(Math.abs(e.polynomials[0].coefficients[k] - w) <= 1e-14, `exact t^${k}`));
  assert.ok(hopeVsExact(h, e, 1) <= 1e-14);
  assert.ok(
    Math.abs(h.coefficients[0][2] - want[2]) > 0.1,
    `HOPE t^2: ${h.coefficients[0][2]} vs ${want[2]}`,
  );
});

Deno.test("HOPE residual with a one-hidden-layer body: exact unmixed vectors at u, dropped mixed partials", () => {
  // x → A → u + W2 tanh(W1 u + b1) + b2 → linear: a second affine map (W1) lies between x and the
  // activation, so HOPE (mixed partials only at the first module) differs from the exact series…
  const n = 3, W1 = affine(n, 4, 71), W2 = affine(4, n, 72), out = affine(n, 1, 73);
  const res: ResidualModule = { kind: "residual", body: [W1, tanh(4), W2] };
  const mods = [affine(2, n, 74), res, out];
  assert.ok(
    hopeVsExact(hopeTaylorModules(mods, 2, [0.2, 0.1], 1), exactTaylorModules(mods, 2, [0.2, 0.1], 1)) <=
      1e-12,
  );
  const deep = hopeVsExact(
    hopeTaylorModules(mods, 2, [0.2, 0.1], 4),
    exactTaylorModules(mods, 2, [0.2, 0.1], 4),
  );
  assert.ok(deep > 1e-6, `expected a difference at order ≥ 2, got ${deep}`);
  // …while with A = I the unmixed derivatives w.r.t. u are HOPE's exactly: pure derivatives equal the
  // exact ones and HOPE's mixed ones are zero.
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const idMods = [affineFrom(eye, new Float64Array(n), n), res, out];
  const x0 = [0.2, -0.1, 0.3];
  const h = hopeTaylorModules(idMods, n, x0, 5), e = exactTaylorModules(idMods, n, x0, 5);
  h.labels.forEach((l, t) => {
    const w = e.polynomials[0].coefficients[t], v = h.coefficients[0][t];
    if (l.every((i) => i === l[0])) assert.ok(Math.abs(v - w) <= 1e-12 * Math.max(1, Math.abs(w)), `[${l}]`);
    else assert.equal(v, 0, `[${l}]`);
  });
  assert.ok(
    h.labels.some((l, t) =>
      l.length >= 2 && l[0] !== l[1] && Math.abs(e.polynomials[0].coefficients[t]) > 1e-3
    ),
  );
});

Deno.test("HOPE residual with an affine body is not HOPE's rule for the merged map I + W ((1 + w)^k ≠ 1 + w^k)", () => {
  const n = 3, W = affine(n, n, 81);
  if (W.kind !== "affine") throw new Error();
  const mergedW = Float64Array.from(W.weights);
  for (let i = 0; i < n; i++) mergedW[(i + 1) * n + i] += 1;
  const head = [affine(2, n, 82), sin(n)], tail = [tanh(n), affine(n, 1, 83)];
  const a = [...head, { kind: "residual", body: [W] } as HopeModule, ...tail];
  const b = [...head, { ...W, weights: mergedW }, ...tail];
  const x0 = [0.1, 0.5];
  assert.ok(hopeDiff(hopeTaylorModules(a, 2, x0, 1), hopeTaylorModules(b, 2, x0, 1)) <= 1e-12);
  assert.ok(hopeDiff(hopeTaylorModules(a, 2, x0, 3), hopeTaylorModules(b, 2, x0, 3)) > 1e-6);
});

Deno.test("residual blocks are validated with the field name in both engines", () => {
  const A = affine(2, 3, 91);
  const bad: HopeModule[] = [A, { kind: "residual", body: [affine(3, 4, 92)] }];
  assert.throws(
    () => exactTaylorModules(bad, 2, [0, 0], 2),
    /modules\[1\]\.body: maps 3 inputs to 4 outputs/,
  );
  assert.throws(() => hopeTaylorModules(bad, 2, [0, 0], 2), /modules\[1\]\.body: maps 3 inputs to 4 outputs/);
  const empty: HopeModule[] = [A, { kind: "residual", body: [] }];
  assert.throws(() => exactTaylorModules(empty, 2, [0, 0], 2), /modules\[1\]\.body: expected a non-empty/);
  const nested: HopeModule[] = [A, {
    kind: "residual",
    body: [{ kind: "residual", body: [sin(3), affine(4, 3, 93)] }],
  }];
  assert.throws(
    () => hopeTaylorModules(nested, 2, [0, 0], 2),
    /modules\[1\]\.body\[0\]\.body\[1\] \(affine\)/,
  );
  assert.throws(
    () => hopeTaylorModules([{ kind: "residual", body: [sin(2)] }], 2, [0, 0], 2),
    /modules\[0\]: HOPE needs an affine first module/,
  );
  // the exact engine accepts a residual first: u = x, so f(x) = x + sin(x) elementwise
  const e = exactTaylorModules([{ kind: "residual", body: [sin(2)] }], 2, [0.5, 0], 3);
  assert.ok(Math.abs(e.polynomials[0].coefficient([1]) - (1 + Math.cos(0.5))) < 1e-15);
  assert.ok(Math.abs(e.polynomials[1].coefficient([2, 2, 2]) - -1 / 6) < 1e-15);
});
