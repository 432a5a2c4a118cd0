import assert from "node:assert/strict";
import { denseLayer, type Network } from "../network/network.ts";
import { exactTaylor } from "./exact.ts";
import { exactTaylorModules, maxPoolArgmax } from "./exact_modules.ts";
import { HOPE_RULES, hopeTaylorModules, networkModules } from "./hope.ts";
import type { Conv2dModule, HopeModule, MaxPool2dModule, Pool2dModule } from "./modules.ts";

/** Deterministic pseudo-random weights in [−1, 1). */
function weights(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Fixture-layout rows (bias first) from a Jacobian `out × in` and a bias. */
function rows(jac: Float64Array, bias: ArrayLike<number>, inputs: number): number[][] {
  const units = bias.length;
  const r: number[][] = [Array.from(bias)];
  for (let i = 0; i < inputs; i++) r.push(Array.from({ length: units }, (_, j) => jac[j * inputs + i]));
  return r;
}

function affineRows(w: Float64Array, inputs: number, units: number): number[][] {
  return Array.from({ length: inputs + 1 }, (_, r) => Array.from(w.subarray(r * units, (r + 1) * units)));
}

/** Largest |a − b| / max(1, |b|) over every output and term. */
function worst(a: { polynomials: { coefficients: Float64Array }[] }, b: typeof a): number {
  let e = 0;
  a.polynomials.forEach((f, o) =>
    f.coefficients.forEach((v, t) => {
      const w = b.polynomials[o].coefficients[t];
      e = Math.max(e, Math.abs(v - w) / Math.max(1, Math.abs(w)));
    })
  );
  return e;
}

const sin = (units: number): HopeModule => ({ kind: "elementwise", activation: "sin", units });
const tanh = (units: number): HopeModule => ({ kind: "elementwise", activation: "tanh", units });

/** Linear(2, 2·5·5)–sin–Conv2d(2→3, 2×2, stride s)–sin–AvgPool(2)–sin–Linear(·, 2), and its dense twin. */
function convNet(stride: number): { modules: HopeModule[]; dense: Network } {
  const p = 2, img = 2 * 5 * 5;
  const w1 = weights((p + 1) * img, 1);
  const conv: Conv2dModule = {
    kind: "conv2d",
    inChannels: 2,
    outChannels: 3,
    height: 5,
    width: 5,
    size: 2,
    stride,
    kernel: weights(3 * 2 * 2 * 2, 2),
    bias: weights(3, 3),
  };
  const side = Math.floor((5 - 2) / stride) + 1, nConv = 3 * side * side;
  const pool: Pool2dModule = { kind: "avgpool2d", channels: 3, height: side, width: side, size: 2 };
  const nPool = 3 * Math.floor(side / 2) ** 2;
  const w4 = weights((nPool + 1) * 2, 4);
  const modules: HopeModule[] = [
    { kind: "affine", inputs: p, units: img, weights: w1 },
    sin(img),
    conv,
    sin(nConv),
    pool,
    sin(nPool),
    { kind: "affine", inputs: nPool, units: 2, weights: w4 },
  ];
  const convBias = Array.from({ length: nConv }, (_, o) => conv.bias[Math.floor(o / (side * side))]);
  const dense: Network = {
    inputs: p,
    layers: [
      denseLayer("sin", affineRows(w1, p, img)),
      denseLayer("sin", rows(HOPE_RULES.conv2d.jacobian!(conv), convBias, img)),
      denseLayer("sin", rows(HOPE_RULES.avgpool2d.jacobian!(pool), new Float64Array(nPool), nConv)),
      denseLayer("linear", affineRows(w4, nPool, 2)),
    ],
  };
  return { modules, dense };
}

for (const stride of [1, 2]) {
  Deno.test(`exact engine: conv2d (stride ${stride}) + avgpool2d graph equals its dense twin to 1e-12`, () => {
    const { modules, dense } = convNet(stride);
    for (const [x0, K] of [[[0.3, -0.2], 6], [[0, 0], 4], [[-0.5, 0.7], 0]] as const) {
      const a = exactTaylorModules(modules, 2, x0, K);
      const b = exactTaylor(dense, x0, K);
      assert.equal(a.terms.count, b.terms.count);
      const e = worst(a, b);
      assert.ok(e <= 1e-12, `x0 ${x0}, order ${K}: worst ${e}`);
    }
  });
}

Deno.test("exact engine: maxpool2d selects the arg-max at x0 and equals the dense selection network", () => {
  const p = 2, n = 2 * 4 * 4; // 2×4×4 hidden image, 2×2 max pooling → 8 units
  const w1 = weights((p + 1) * n, 7), w3 = weights(9 * 1, 8);
  const pool: MaxPool2dModule = { kind: "maxpool2d", channels: 2, height: 4, width: 4, size: 2 };
  const modules: HopeModule[] = [
    { kind: "affine", inputs: p, units: n, weights: w1 },
    tanh(n),
    pool,
    sin(8),
    { kind: "affine", inputs: 8, units: 1, weights: w3 },
  ];
  const x0 = [0.1, 0.4];
  // the arg-max by a plain forward pass
  const hidden = new Float64Array(n);
  for (let j = 0; j < n; j++) hidden[j] = Math.tanh(w1[j] + x0[0] * w1[n + j] + x0[1] * w1[2 * n + j]);
  const sel = new Float64Array(8 * n);
  maxPoolArgmax(pool, hidden).forEach((u, o) => (sel[o * n + u] = 1));
  const dense: Network = {
    inputs: p,
    layers: [
      denseLayer("tanh", affineRows(w1, p, n)),
      denseLayer("sin", rows(sel, new Float64Array(8), n)),
      denseLayer("linear", affineRows(w3, 8, 1)),
    ],
  };
  const e = worst(exactTaylorModules(modules, p, x0, 5), exactTaylor(dense, x0, 5));
  assert.ok(e <= 1e-12, `worst ${e}`);
  // tie rule: the first unit of the window in row-major order wins
  const tie = maxPoolArgmax({ kind: "maxpool2d", channels: 1, height: 2, width: 2, size: 2 }, [
    0.5,
    0.9,
    0.9,
    0.1,
  ]);
  assert.deepEqual(Array.from(tie), [1]);
});

Deno.test("exact engine on networkModules(net) equals exactTaylor(net) on the dense fixtures' layout", () => {
  const net: Network = {
    inputs: 3,
    layers: [
      denseLayer("silu", affineRows(weights(4 * 5, 11), 3, 5)),
      denseLayer("tanh", affineRows(weights(6 * 4, 12), 5, 4)),
      denseLayer("linear", affineRows(weights(5 * 2, 13), 4, 2)),
    ],
  };
  const x0 = [0.2, -0.1, 0.4];
  const e = worst(exactTaylorModules(networkModules(net), 3, x0, 5), exactTaylor(net, x0, 5));
  assert.ok(e <= 1e-13, `worst ${e}`);
});

Deno.test("HOPE equals the exact engine on one-hidden-layer conv networks (theory: one non-linearity)", () => {
  // (a) conv on the input image (16 inputs) – sin – avgpool – linear
  const conv: Conv2dModule = {
    kind: "conv2d",
    inChannels: 1,
    outChannels: 2,
    height: 4,
    width: 4,
    size: 2,
    stride: 1,
    kernel: weights(8, 21),
    bias: weights(2, 22),
  };
  const a: HopeModule[] = [
    conv,
    sin(18),
    { kind: "avgpool2d", channels: 2, height: 3, width: 3, size: 2 },
    { kind: "affine", inputs: 2, units: 1, weights: weights(3, 23) },
  ];
  const x0a = Array.from(weights(16, 24), (v) => 0.5 * v);
  const ha = hopeTaylorModules(a, 16, x0a, 3);
  const ea = exactTaylorModules(a, 16, x0a, 3);
  // (b) linear – sin – conv – avgpool – linear (linear modules after the one activation)
  const b: HopeModule[] = [
    { kind: "affine", inputs: 2, units: 2 * 5 * 5, weights: weights(3 * 50, 31) },
    sin(50),
    {
      ...conv,
      inChannels: 2,
      outChannels: 3,
      height: 5,
      width: 5,
      kernel: weights(24, 32),
      bias: weights(3, 33),
    },
    { kind: "avgpool2d", channels: 3, height: 4, width: 4, size: 2 },
    { kind: "affine", inputs: 12, units: 2, weights: weights(13 * 2, 34) },
  ];
  const hb = hopeTaylorModules(b, 2, [0.3, -0.6], 8);
  const eb = exactTaylorModules(b, 2, [0.3, -0.6], 8);
  for (const [h, e] of [[ha, ea], [hb, eb]] as const) {
    // both engines list terms in graded-lex order
    assert.deepEqual(h.labels, e.terms.labels("taylor"));
    let err = 0;
    h.coefficients.forEach((c, o) =>
      c.forEach((v, t) => {
        const w = e.polynomials[o].coefficients[t];
        err = Math.max(err, Math.abs(v - w) / Math.max(1, Math.abs(w)));
      })
    );
    assert.ok(err <= 1e-12, `worst ${err}`);
  }
  // …and they differ once a second activation follows the convolution (HOPE's dropped mixed partials)
  const deep = [...b.slice(0, 3), sin(48), ...b.slice(3)];
  const hd = hopeTaylorModules(deep, 2, [0.3, -0.6], 4);
  const ed = exactTaylorModules(deep, 2, [0.3, -0.6], 4);
  const diff = Math.max(...hd.coefficients[0].map((v, t) => Math.abs(v - ed.polynomials[0].coefficients[t])));
  assert.ok(diff > 1e-6, `deep: HOPE and exact should differ, max diff ${diff}`);
});

Deno.test("exact engine rejects bad graphs with the field name", () => {
  const m: HopeModule[] = [{ kind: "affine", inputs: 2, units: 3, weights: weights(9, 1) }, sin(4)];
  assert.throws(
    () => exactTaylorModules(m, 2, [0, 0], 2),
    /modules\[1\] \(elementwise\): expects 4 inputs but receives 3/,
  );
  assert.throws(() => exactTaylorModules(m.slice(0, 1), 2, [0], 2), /x0: expected 2 values/);
  assert.throws(() => exactTaylorModules(m.slice(0, 1), 2, [0, NaN], 2), /x0\[1\]/);
  assert.throws(() => exactTaylorModules(m.slice(0, 1), 2, [0, 0], -1), /order/);
  assert.throws(() => exactTaylorModules([], 2, [0, 0], 2), /modules/);
  assert.throws(
    () => exactTaylorModules(m.slice(0, 1), 2, [0, 0], 3, { maxCoefficients: 20 }),
    /exceeds 20 coefficients/,
  );
});
