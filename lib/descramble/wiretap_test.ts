import assert from "node:assert/strict";
import { denseLayer, forward, type Network } from "../network/network.ts";
import { chartPoint } from "./cayley.ts";
import { diagonalCriterion, maxDiagonalSumClosedForm, maximizeDiagonality } from "./criteria.ts";
import { matmul, transpose } from "./dense.ts";
import { gramOfRows } from "./gram.ts";
import { descrambleSignals, descrambleWeights, tapGram, tapSignals } from "./wiretap.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomNet(): Network {
  const r = rng(1);
  const mat = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, r));
  return {
    inputs: 3,
    layers: [
      denseLayer("tanh", mat(4, 5)),
      denseLayer("sigmoid", mat(6, 4)),
      denseLayer("linear", mat(5, 2)),
    ],
  };
}

const r0 = rng(2);
const n = 50;
const x = Float64Array.from({ length: n * 3 }, r0);

Deno.test("wiretap: pre/post signals of a layer; Gram in batches equals SSᵀ of the signals", () => {
  const net = randomNet();
  const post = tapSignals(net, { layer: 1, point: "post" }, x, n);
  const pre = tapSignals(net, { layer: 1, point: "pre" }, x, n);
  for (let i = 0; i < post.length; i++) assert.ok(Math.abs(post[i] - 1 / (1 + Math.exp(-pre[i]))) < 1e-15);
  // the tap after the last hidden layer feeds the output layer: same network output
  const out = forward({ inputs: 4, layers: [net.layers[2]] }, post, n);
  const full = forward(net, x, n);
  for (let i = 0; i < out.length; i++) assert.ok(Math.abs(out[i] - full[i]) < 1e-15);
  const k = 4;
  const rows = Array.from(
    { length: k },
    (_, i) => Float64Array.from({ length: n }, (_, s) => post[s * k + i]),
  );
  const G = gramOfRows(rows);
  const Gb = tapGram(net, { layer: 1, point: "post" }, x, n, 7);
  for (let i = 0; i < k * k; i++) assert.ok(Math.abs(G[i] - Gb[i]) < 1e-12);
  assert.throws(() => tapSignals(net, { layer: 2, point: "post" }, x, n), /output layer has no next layer/);
  assert.throws(() => tapSignals(net, { layer: 3, point: "pre" }, x, n), /layer must be 0..2/);
});

Deno.test("descrambling the weights: pre → P·u from the new layer; post → next layer reads P·a, function unchanged", () => {
  const net = randomNet();
  const k = 4;
  const P = chartPoint(Float64Array.from({ length: 6 }, rng(3)), k).P;
  // pre: the layer with descrambled weights produces P·u
  const pre = tapSignals(net, { layer: 1, point: "pre" }, x, n);
  const dw = descrambleWeights(net, { layer: 1, point: "pre" }, P);
  assert.equal(dw.side, "output");
  const layer = { ...net.layers[1], activation: "linear" as const, weights: dw.weights };
  const mid = tapSignals(net, { layer: 0, point: "post" }, x, n);
  const u2 = forward({ inputs: 5, layers: [layer] }, mid, n);
  const expected = descrambleSignals(pre, n, P, k);
  for (let i = 0; i < u2.length; i++) assert.ok(Math.abs(u2[i] - expected[i]) < 1e-14);
  // post: next layer with P·W_rows applied to P·a gives the network's output
  const post = tapSignals(net, { layer: 1, point: "post" }, x, n);
  const dn = descrambleWeights(net, { layer: 1, point: "post" }, P);
  assert.equal(dn.layer, 2);
  assert.equal(dn.side, "input");
  const nextLayer = { ...net.layers[2], weights: dn.weights };
  const y = forward({ inputs: 4, layers: [nextLayer] }, descrambleSignals(post, n, P, k), n);
  const full = forward(net, x, n);
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(y[i] - full[i]) < 1e-14);
});

Deno.test("diagonality criteria: tr(PW) optimum equals the SVD closed form; ‖diag(PW)‖² recovers a hidden rotation", () => {
  const k = 5;
  const r = rng(4);
  const W = Float64Array.from({ length: k * k }, r);
  const closed = maxDiagonalSumClosedForm(W, k);
  const best = diagonalCriterion("max-diag-sum", closed, W, k);
  const opt = maximizeDiagonality("max-diag-sum", W, k);
  assert.ok(Math.abs(opt.value - best) < 1e-8 * Math.abs(best), `${opt.value} vs ${best}`);
  // closed form beats random rotations
  for (let t = 0; t < 20; t++) {
    const Q = chartPoint(Float64Array.from({ length: 10 }, () => 4 * r()), k).P;
    assert.ok(diagonalCriterion("max-diag-sum", Q, W, k) <= best + 1e-12);
  }
  // W = Rᵀ·diag(d): P = R makes PW diagonal, ‖diag(PW)‖² = Σd² = ‖W‖²_F, the largest possible
  const R = chartPoint(Float64Array.from({ length: 10 }, () => 0.3 * r()), k).P;
  const d = [3, -2, 1.5, 1, 0.5];
  const Dg = new Float64Array(k * k);
  d.forEach((v, i) => (Dg[i * k + i] = v));
  const Wr = matmul(transpose(R, k), Dg, k);
  const normsq = maximizeDiagonality("max-diag-normsq", Wr, k);
  const total = d.reduce((s, v) => s + v * v, 0);
  assert.ok(Math.abs(normsq.value - total) < 1e-8 * total, `${normsq.value} vs ${total}`);
});
