import assert from "node:assert/strict";
import type { Rng } from "../data/random.ts";
import { initBackend } from "./backend.ts";
import { modelToNetwork } from "./convert.ts";
import { buildModel } from "./model.ts";
import { trainTriplet } from "./triplet.ts";
import { forward } from "../network/network.ts";

Deno.test("triplet training: a 1-unit latent learns the radius of points on circles", async () => {
  await initBackend("wasm", { quiet: true });
  const draw = (rng: Rng, r: number, out: Float64Array, at: number) => {
    const t = rng.uniform(0, 2 * Math.PI);
    out[at] = r * Math.cos(t);
    out[at + 1] = r * Math.sin(t);
  };
  const sample = (rng: Rng, count: number) => {
    const anchor = new Float64Array(2 * count);
    const positive = new Float64Array(2 * count);
    const negative = new Float64Array(2 * count);
    for (let i = 0; i < count; i++) {
      const r = rng.uniform(0.5, 2);
      draw(rng, r, anchor, 2 * i);
      draw(rng, r, positive, 2 * i);
      draw(rng, rng.uniform(0.5, 2), negative, 2 * i);
    }
    return { anchor, positive, negative };
  };
  const model = buildModel({ inputs: 2, hidden: [16, 16], activation: "elu", outputUnits: 1, seed: 4 });
  const h = await trainTriplet(model, sample, {
    epochs: 15,
    stepsPerEpoch: 20,
    batchSize: 32,
    seed: 1,
    learningRate: 3e-3,
  });
  assert.equal(h.loss.length, 15);
  assert.ok(h.loss[14] < 0.6 * h.loss[0], `loss ${h.loss[0]} → ${h.loss[14]}`);
  const net = modelToNetwork(model);
  // the latent is monotone in the radius along a ray
  const ray = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.5 + 0.075 * i : 0));
  const z = forward(net, ray, 10);
  const diffs = Array.from({ length: 9 }, (_, i) => Math.sign(z[i + 1] - z[i]));
  assert.ok(Math.abs(diffs.reduce((a, b) => a + b, 0)) >= 7, `latent along a ray: ${Array.from(z)}`);
  await assert.rejects(
    () => trainTriplet(model, sample, { epochs: 0, stepsPerEpoch: 1, batchSize: 1, seed: 1 }),
    /triplet\.epochs/,
  );
  model.dispose();
});
