import assert from "node:assert/strict";
import { denseLayer, type Network } from "../network/network.ts";
import { autodiffTaylor } from "./autodiff.ts";
import { labelKey, loadTaylorFixtures } from "./fixtures.ts";

const fixtures = await loadTaylorFixtures();

/**
 * float32 comparison: |got − ref| ≤ 1e-4 · max(|ref|, 1e-3 · max|ref| of that output). The floor
 * only matters for coefficients a thousand times smaller than the largest, where float32
 * cancellation (not the method) sets the error.
 */
function closeF32(got: number, ref: number, scale: number): boolean {
  return Math.abs(got - ref) <= 1e-4 * Math.max(Math.abs(ref), 1e-3 * scale);
}

if (fixtures === null) {
  Deno.test({
    name: "autodiff fixtures: SKIPPED — ../shared/fixtures/taylor/ not found",
    ignore: true,
    fn() {},
  });
} else {
  Deno.test(`autodiff (nested tf.grad, float32) matches coefficients of all ${fixtures.length} fixtures to 1e-4`, async () => {
    let worst = 0, seconds = 0, backend = "";
    for (const fx of fixtures) {
      const r = await autodiffTaylor(fx.net, fx.x0, fx.order, { maxSeconds: 20 });
      assert.equal(r.completedOrder, fx.order, `${fx.name}: ${r.notes.join("; ")}`);
      const index = new Map(r.labels.map((l, t) => [labelKey(l), t]));
      fx.coefficients.forEach((ref, o) => {
        const scale = Math.max(...ref.map(Math.abs));
        fx.labels.forEach((l, t) => {
          const got = r.coefficients[o][index.get(labelKey(l))!];
          assert.ok(closeF32(got, ref[t], scale), `${fx.name} out ${o} [${l}]: ${got} vs ${ref[t]}`);
          worst = Math.max(worst, Math.abs(got - ref[t]) / Math.max(Math.abs(ref[t]), 1e-3 * scale));
        });
      });
      seconds += r.seconds;
      backend = r.backend;
    }
    console.log(
      `  backend ${backend}, ${seconds.toFixed(2)} s in total, worst relative error ${
        worst.toExponential(2)
      }`,
    );
  });
}

Deno.test("autodiff on a single tanh neuron gives w^k tanh^(k)(w x0 + b) / k! (float32)", async () => {
  const w = 0.8, b = -0.3, x0 = 0.45;
  const net: Network = { inputs: 1, layers: [denseLayer("tanh", [[b], [w]])] };
  const r = await autodiffTaylor(net, [x0], 4);
  const t = Math.tanh(w * x0 + b), s = 1 - t * t;
  const derivs = [t, s, -2 * t * s, s * (6 * t * t - 2), 8 * t * s * (2 - 3 * t * t)];
  derivs.forEach((d, k) => {
    const want = (w ** k * d) / [1, 1, 2, 6, 24][k];
    assert.ok(Math.abs(r.coefficients[0][k] - want) < 1e-5, `order ${k}: ${r.coefficients[0][k]} vs ${want}`);
  });
});

Deno.test("autodiff: identically zero partials of a linear network are 0, budget skips degrees with a note", async () => {
  const lin: Network = { inputs: 2, layers: [denseLayer("linear", [[0.5], [2], [-3]])] };
  const r = await autodiffTaylor(lin, [0.1, 0.2], 2);
  [0.5 + 0.2 - 0.6, 2, -3, 0, 0, 0].forEach((want, t) =>
    assert.ok(Math.abs(r.coefficients[0][t] - want) < 1e-6)
  );
  const deep: Network = {
    inputs: 1,
    layers: [denseLayer("sin", [[0.1, 0.2], [0.3, 0.4]]), denseLayer("linear", [[0], [1], [1]])],
  };
  const cut = await autodiffTaylor(deep, [0.2], 30, { maxSeconds: 0.05 });
  assert.ok(cut.completedOrder < 30);
  assert.match(cut.notes.join(" "), /skipped/);
  assert.ok(Number.isNaN(cut.coefficients[0][30]));
  await assert.rejects(() => autodiffTaylor(deep, [0.2, 0.1], 2), /x0: has 2 entries/);
  await assert.rejects(() => autodiffTaylor(deep, [0.2], 2, { maxSeconds: 0 }), /maxSeconds/);
});

Deno.test("autodiff: every activation's tfjs form is exact to order 4 (one hidden layer, HOPE is exact)", async () => {
  const { ACTIVATIONS } = await import("../series/activations.ts");
  const { hopeTaylor } = await import("./hope.ts");
  for (const act of ACTIVATIONS) {
    const net: Network = {
      inputs: 2,
      layers: [
        denseLayer(act, [[0.1, -0.2], [0.7, 0.4], [-0.5, 0.9]]),
        denseLayer("linear", [[0.3], [1.2], [-0.8]]),
      ],
    };
    const x0 = [0.35, -0.6];
    const want = hopeTaylor(net, x0, 4).coefficients[0];
    const got = (await autodiffTaylor(net, x0, 4)).coefficients[0];
    const scale = Math.max(...want.map(Math.abs));
    want.forEach((w, t) => assert.ok(closeF32(got[t], w, scale), `${act} term ${t}: ${got[t]} vs ${w}`));
  }
});
