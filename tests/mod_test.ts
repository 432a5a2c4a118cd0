import assert from "node:assert/strict";
import { exactTaylorOfModel, forward, modelToNetwork, nn2polyOfModel } from "../mod.ts";
import { initBackend } from "../lib/train/backend.ts";
import { buildModel } from "../lib/train/model.ts";

Deno.test({
  name: "a tfjs model goes straight to its NN2Poly and Taylor polynomials",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await initBackend("cpu", { quiet: true });
    const model = buildModel({ inputs: 2, hidden: [5], activation: "tanh", outputUnits: 1, seed: 3 });
    const net = modelToNetwork(model);
    const x = new Float64Array([0.05, -0.02]);
    const { polynomials } = nn2polyOfModel(model, { maxOrder: 9, taylorOrders: 9 });
    assert.ok(Math.abs(polynomials[0].evaluate(x, 1)[0] - forward(net, x, 1)[0]) < 1e-9);
    const local = exactTaylorOfModel(model, [0.05, -0.02], 3);
    assert.ok(Math.abs(local.polynomials[0].coefficient([]) - forward(net, x, 1)[0]) < 1e-14);
    model.dispose();
  },
});
