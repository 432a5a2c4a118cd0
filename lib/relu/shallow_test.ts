import assert from "node:assert/strict";
import { parseNetwork } from "../network/network.ts";
import {
  evaluateExtended,
  ExtendedRealError,
  ExtLayerBuilder,
  type ExtNetwork,
  extNetworkToJson,
  parseExtNetwork,
} from "./extended.ts";
import { plNetwork, preActivations } from "./net.ts";
import { enumerateRegions } from "./regions.ts";
import { shallowNetwork } from "./shallow.ts";
import { loadReluFixtures, mulberry32, randomDyadicNetwork, type ReluFixture } from "./testing.ts";

const flat = (rows: number[][]) => Float64Array.from(rows.flat());

/** Largest error relative to max(1, |y|) of the shallow network against y at the rows of X. */
function worstError(net: ExtNetwork, X: number[][], Y: number[][]): number {
  if (X.length === 0) return 0;
  const got = evaluateExtended(net, flat(X), X.length);
  const K = Y[0].length;
  let worst = 0;
  Y.forEach((row, i) =>
    row.forEach((y, k) => {
      const e = Math.abs(got[i * K + k] - y) / Math.max(1, Math.abs(y));
      worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    })
  );
  return worst;
}

/** The fixture's point sets with their exact outputs, plus the reference region points. */
function pointSets(fx: ReluFixture): [string, number[][], number[][]][] {
  const net = plNetwork(parseNetwork(fx));
  const R = fx.regions.map((r) => r.point);
  return [
    ["x", fx.x, fx.nn_pred],
    ["x_boundary", fx.x_boundary, fx.nn_pred_boundary],
    ["x_near", fx.x_near, fx.nn_pred_near],
    ["x_far", fx.x_far, fx.nn_pred_far],
    ["region points", R, R.map((x) => Array.from(preActivations(net, x).y))],
  ];
}

Deno.test("extended reals: 0·∞ = 0, ReLU(−∞) = 0, an exact step, and +∞ with −∞ is an error", () => {
  // hidden: b = ReLU(−x); E = ReLU(1 − ∞·b) = [x ≥ 0]; output E
  const l1 = new ExtLayerBuilder("relu", 1, 1);
  l1.set(1, 0, -1);
  const l2 = new ExtLayerBuilder("relu", 1, 1);
  l2.set(0, 0, 1);
  l2.set(1, 0, -Infinity);
  const out = new ExtLayerBuilder("linear", 1, 1);
  out.set(1, 0, 1);
  const step: ExtNetwork = { inputs: 1, layers: [l1.build(), l2.build(), out.build()] };
  assert.deepEqual(Array.from(evaluateExtended(step, new Float64Array([-1e-300, 0, 1e-300, -5, 7]), 5)), [
    0,
    1,
    1,
    0,
    1,
  ]);
  // +∞ reaches the output: ReLU(+∞·x) then linear
  const u = new ExtLayerBuilder("relu", 1, 1);
  u.set(1, 0, Infinity);
  const o = new ExtLayerBuilder("linear", 1, 1);
  o.set(1, 0, -2);
  const inf: ExtNetwork = { inputs: 1, layers: [u.build(), o.build()] };
  assert.deepEqual(Array.from(evaluateExtended(inf, new Float64Array([3, 0, -3]), 3)), [-Infinity, 0, 0]);
  // x·∞ + y·(−∞) at x = y = 1 is undefined
  const c = new ExtLayerBuilder("linear", 2, 1);
  c.set(1, 0, Infinity);
  c.set(2, 0, -Infinity);
  const clash: ExtNetwork = { inputs: 2, layers: [c.build()] };
  assert.deepEqual(Array.from(evaluateExtended(clash, new Float64Array([0, 1]), 1)), [-Infinity]);
  assert.throws(() => evaluateExtended(clash, new Float64Array([1, 1]), 1), ExtendedRealError);
});

Deno.test("extended JSON: dense and sparse forms round-trip, bad entries are refused with the field", () => {
  const net = plNetwork(randomDyadicNetwork(mulberry32(3), 2, [5, 4], 2));
  const sh = shallowNetwork(enumerateRegions(net), 2).net;
  const X = new Float64Array(Array.from({ length: 40 }, (_, i) => Math.sin(i) * 3));
  const ref = evaluateExtended(sh, X, 20);
  for (const sparseAbove of [0, 1e9]) {
    const text = JSON.stringify(extNetworkToJson(sh, { sparseAbove }));
    assert.ok(text.includes('"-inf"'));
    assert.equal(text.includes('"entries"'), sparseAbove === 0);
    const back = parseExtNetwork(JSON.parse(text));
    assert.deepEqual(Array.from(evaluateExtended(back, X, 20)), Array.from(ref));
  }
  const bad = (layers: unknown) => () => parseExtNetwork({ inputs: 1, layers });
  assert.throws(
    bad([{ activation: "linear", weights: [[0], ["infinity"]] }]),
    /layers\[0\]\.weights\[1\]\[0\]/,
  );
  assert.throws(bad([{ activation: "linear", weights: [[0]] }]), /expected 2 rows/);
  assert.throws(
    bad([{ activation: "linear", weights: { rows: 2, cols: 1, entries: [[0, 0, 1], [0, 0, 2]] } }]),
    /repeated/,
  );
  assert.throws(bad([{ activation: "relu", weights: [[0], [1]] }]), /expected "linear"/);
});

Deno.test("shallow network: equals the network at every fixture test point (x, boundary, near, far, region points)", () => {
  const fixtures = loadReluFixtures();
  if (!fixtures) return; // loadReluFixtures said why
  for (const fx of fixtures) {
    const net = plNetwork(parseNetwork(fx));
    const sh = shallowNetwork(enumerateRegions(net), net.outputs);
    assert.ok(sh.size.widths.length === 3);
    for (const [name, X, Y] of pointSets(fx)) {
      const e = worstError(sh.net, X, Y);
      assert.ok(e <= 1e-9, `${fx.name} ${name}: error ${e}`);
    }
    // with the box: exact on the closed box
    const b = fx.box_for_count;
    const shBox = shallowNetwork(enumerateRegions(net, { box: b }), net.outputs);
    for (const [name, X, Y] of pointSets(fx)) {
      const keep = X.map((x) => x.every((v) => v >= b[0] && v <= b[1]));
      const e = worstError(shBox.net, X.filter((_, i) => keep[i]), Y.filter((_, i) => keep[i]));
      assert.ok(e <= 1e-9, `${fx.name} box ${name}: error ${e}`);
    }
  }
});

Deno.test("shallow network: the two-layer variant is exact off boundaries and wrong on some, a finite 1e6 for ∞ fails near facets", () => {
  const fixtures = loadReluFixtures();
  if (!fixtures) return; // loadReluFixtures said why
  let wrongOnBoundary = 0;
  let finiteFailsNear = 0;
  for (const fx of fixtures) {
    const net = plNetwork(parseNetwork(fx));
    const set = enumerateRegions(net);
    const two = shallowNetwork(set, net.outputs, { layers: 2 });
    assert.equal(two.size.widths.length, 2);
    const off = fx.x.map((x) => preActivations(net, x).z.every((v) => v !== 0)); // off every zero set
    assert.ok(off.filter(Boolean).length >= 150);
    const e = worstError(two.net, fx.x.filter((_, i) => off[i]), fx.nn_pred.filter((_, i) => off[i]));
    assert.ok(e <= 1e-9, `${fx.name}: ${e}`);
    assert.ok(worstError(two.net, fx.x_near, fx.nn_pred_near) <= 1e-9, fx.name);
    if (worstError(two.net, fx.x_boundary, fx.nn_pred_boundary) > 1e-9) wrongOnBoundary++;
    // ∞ replaced by a large finite weight
    const three = shallowNetwork(set, net.outputs).net;
    const finite: ExtNetwork = {
      inputs: three.inputs,
      layers: three.layers.map((l) => ({
        ...l,
        vals: l.vals.map((v) => (Number.isFinite(v) ? v : Math.sign(v) * 1e6)),
      })),
    };
    if (worstError(finite, fx.x_near, fx.nn_pred_near) > 1e-9) finiteFailsNear++;
  }
  assert.ok(
    wrongOnBoundary >= fixtures.length / 2,
    `two-layer variant wrong on boundaries of ${wrongOnBoundary}`,
  );
  assert.ok(
    finiteFailsNear >= fixtures.length / 2,
    `finite weights failed near facets on ${finiteFailsNear}`,
  );
});

Deno.test("shallow network: exact on random dyadic networks at kinks, their crossings and far points", () => {
  const rng = mulberry32(99);
  for (let trial = 0; trial < 20; trial++) {
    const p = 1 + (trial % 2);
    const widths = trial % 3 === 0 ? [6] : [3, 3];
    const pl = plNetwork(randomDyadicNetwork(rng, p, widths, 1, trial % 4 === 3 ? "leaky_relu" : "relu"));
    const set = enumerateRegions(pl);
    const sh = shallowNetwork(set, 1).net;
    // points on first-layer kinks (dyadic when the weight is a power of two) and random grid points
    const X: number[][] = [];
    for (let s = 0; s < 300; s++) {
      X.push(Array.from({ length: p }, () => Math.round((rng() * 8 - 4) * 64) / 64));
    }
    const W = pl.hidden[0].weights;
    const n1 = pl.hidden[0].units;
    for (let j = 0; j < n1; j++) {
      for (let k = 0; k < p; k++) {
        const w = W[(k + 1) * n1 + j];
        if (w === 0) continue;
        for (const other of [-1.5, 0, 0.75]) {
          const x = Array.from({ length: p }, () => other);
          let rest = W[j];
          for (let q = 0; q < p; q++) if (q !== k) rest += W[(q + 1) * n1 + j] * x[q];
          x[k] = -rest / w;
          X.push(x);
        }
      }
    }
    for (const far of [1e4, -3e6, 1e9]) X.push(Array.from({ length: p }, (_, k) => far * (k + 1)));
    const Y = X.map((x) => Array.from(preActivations(pl, x).y));
    const e = worstError(sh, X, Y);
    assert.ok(e <= 1e-9, `trial ${trial}: error ${e}`);
  }
});
