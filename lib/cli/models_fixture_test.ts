/**
 * Parity with ../shared/fixtures/models: every model exported by PyTorch (ONNX) or tfjs imports
 * and matches its sidecar through the same `poly` command the CLI runs (NN2Poly against the R
 * package, exact Taylor against float64 autograd, export weights and forward pass), and every bad
 * model is refused with one line naming the offending op or layer.
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { polyCommand } from "./poly.ts";
import { taylorRunner } from "./taylor.ts";
import { forward, parseNetwork } from "../network/network.ts";
import { fixtureDir } from "../../tests/fixtures.ts";
import { loadModel } from "../io/network_file.ts";
import { exactTaylorModules } from "../taylor/exact_modules.ts";

const DIR = fixtureDir("models");

interface Sidecar {
  name: string;
  checks: string[];
  model: string;
  inputs: number;
  max_order?: number;
  taylor_orders?: number | number[];
  order?: number;
  x0?: number[];
  labels?: number[][];
  coefficients?: number[][];
  network?: { inputs: number; layers: { activation: string; alpha?: number; weights: number[][] }[] };
  x?: number[][];
  nn_pred?: number[][];
  error?: { mentions_any: string[] };
}

const sidecars: Sidecar[] = DIR
  ? readdirSync(DIR).filter((f) => f.endsWith(".expect.json")).sort().map((f) =>
    JSON.parse(readFileSync(DIR + f, "utf8")) as Sidecar
  )
  : [];

/** Compares `{labels, coefficients}` with the sidecar's by label, as check-models does. */
function compareTerms(out: Record<string, unknown>, sc: Sidecar, kind: "nn2poly" | "taylor"): number {
  const key = (
    l: number[],
  ) => (kind === "nn2poly" && l.length === 1 && l[0] === 0 ? "" : [...l].sort().join(","));
  const labels = out.labels as number[][];
  const coefs = out.coefficients as number[][];
  assert.equal(coefs.length, sc.coefficients!.length, "outputs");
  let worst = 0;
  sc.coefficients!.forEach((ref, o) => {
    const mine = new Map<string, number>();
    labels.forEach((l, t) => mine.set(key(l), (mine.get(key(l)) ?? 0) + coefs[o][t]));
    const seen = new Set<string>();
    sc.labels!.forEach((l, t) => {
      const k = key(l);
      seen.add(k);
      const m = mine.get(k);
      if (m === undefined) return assert.ok(Math.abs(ref[t]) <= 1e-7, `missing term ${k}`);
      worst = Math.max(worst, Math.abs(m - ref[t]) / Math.max(1, Math.abs(ref[t])));
    });
    for (const [k, v] of mine) if (!seen.has(k)) assert.ok(Math.abs(v) <= 1e-7, `extra term ${k} = ${v}`);
  });
  return worst;
}

for (const sc of sidecars) {
  const path = DIR + sc.model;
  Deno.test(`models fixture ${sc.name}: ${sc.checks.join(", ")}`, async () => {
    for (const check of sc.checks) {
      if (check === "nn2poly") {
        const t = sc.taylor_orders!;
        const out = await polyCommand([
          "nn2poly",
          path,
          "--max-order",
          String(sc.max_order),
          `--taylor-orders=${Array.isArray(t) ? t.join(",") : t}`,
        ]);
        assert.ok(compareTerms(out, sc, "nn2poly") <= 1e-7);
      } else if (check === "taylor") {
        const out = await polyCommand([
          "taylor",
          path,
          "--order",
          String(sc.order),
          `--x0=${sc.x0!.join(",")}`,
        ], taylorRunner);
        assert.ok(compareTerms(out, sc, "taylor") <= 1e-7);
      } else if (check === "export") {
        const out = await polyCommand(["export", path]);
        const ref = sc.network!;
        assert.equal(out.inputs, ref.inputs);
        const layers = out.layers as typeof ref.layers;
        assert.equal(layers.length, ref.layers.length);
        layers.forEach((l, i) => {
          assert.equal(l.activation, ref.layers[i].activation);
          assert.equal(l.alpha, ref.layers[i].alpha);
          l.weights.forEach((row, r) =>
            row.forEach((w, c) => assert.ok(Math.abs(w - ref.layers[i].weights[r][c]) <= 1e-12))
          );
        });
        // the printed network reproduces the reference forward pass
        const net = parseNetwork(out);
        const y = forward(net, Float64Array.from(sc.x!.flat()), sc.x!.length);
        const want = sc.nn_pred!.flat();
        want.forEach((v, k) => assert.ok(Math.abs(y[k] - v) <= 1e-6 * Math.max(1, Math.abs(v))));
      } else {
        const p = sc.inputs;
        for (
          const args of [
            ["export", path],
            ["nn2poly", path, "--max-order", "2", "--taylor-orders", "3"],
            ["taylor", path, "--order", "2", `--x0=${new Array(p).fill(0).join(",")}`],
          ]
        ) {
          await assert.rejects(() => polyCommand(args, taylorRunner), (e: Error) => {
            assert.ok(e instanceof UsageError, `${args[0]}: ${e.message}`);
            assert.ok(!e.message.includes("\n"), "one line");
            const m = sc.error!.mentions_any;
            assert.ok(
              m.length === 0 || m.some((s) => e.message.toLowerCase().includes(s.toLowerCase())),
              e.message,
            );
            return true;
          });
        }
      }
    }
  });
}

Deno.test("models fixtures: the imported module graphs reproduce nn_pred (conv, pool, residual included)", () => {
  for (const sc of sidecars) {
    if (!sc.x || !sc.nn_pred) continue;
    const model = loadModel(DIR + sc.model);
    assert.equal(model.inputs, sc.inputs);
    sc.x.forEach((x, s) => {
      const y = exactTaylorModules(model.modules, model.inputs, x, 0).polynomials.map((f) =>
        f.coefficients[0]
      );
      y.forEach((v, o) => assert.ok(Math.abs(v - sc.nn_pred![s][o]) <= 1e-12, `${sc.name} point ${s}`));
    });
  }
});
