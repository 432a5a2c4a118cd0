import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { forward } from "../network/network.ts";
import { exactTaylorModules } from "../taylor/exact_modules.ts";
import type { ImportedModel } from "./imported.ts";
import { conv, flat, type Map3, padMap, toMap, values, windows } from "./reference_testing.ts";
import { tfjsToModel } from "./tfjs_model.ts";

/** A model.json with one weights.bin holding `weights` (float32, in order). */
function model(
  topology: Record<string, unknown>,
  weights: { name: string; shape: number[]; values: number[] }[],
  cut = 0,
): { json: Record<string, unknown>; bin: Uint8Array } {
  const all = weights.flatMap((w) => w.values);
  const bin = new Uint8Array(new Float32Array(all).buffer).slice(0, all.length * 4 - cut);
  return {
    json: {
      modelTopology: topology,
      format: "layers-model",
      weightsManifest: [{
        paths: ["weights.bin"],
        weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: "float32" })),
      }],
    },
    bin,
  };
}

const load = (m: { json: unknown; bin: Uint8Array }): ImportedModel =>
  tfjsToModel(m.json, (p) => {
    if (p !== "weights.bin") throw new Error(`no file ${p}`);
    return m.bin;
  }, "m/model.json");

const refuses = (m: { json: unknown; bin: Uint8Array }, re: RegExp) =>
  assert.throws(() => load(m), (e: Error) => {
    assert.ok(e instanceof UsageError, e.message);
    assert.ok(!e.message.includes("\n"));
    assert.match(e.message, re);
    return true;
  });

const sequential = (layers: Record<string, unknown>[]) => ({
  class_name: "Sequential",
  config: { name: "s", layers },
});
const dense = (name: string, units: number, extra: Record<string, unknown> = {}, first?: number[]) => ({
  class_name: "Dense",
  config: {
    name,
    units,
    activation: "linear",
    use_bias: true,
    ...(first ? { batch_input_shape: first } : {}),
    ...extra,
  },
});

Deno.test("tfjs Dense chains: activations, use_bias false, LeakyReLU/ELU/Activation layers, weights in layout", () => {
  const k1 = [0.5, -1, 0.25, 2, -0.75, 1.5]; // [2, 3]
  const m = load(model(
    sequential([
      dense("d1", 3, { activation: "relu", use_bias: false }, [null as unknown as number, 2]),
      { class_name: "LeakyReLU", config: { name: "lr", alpha: 0.2 } },
      dense("d2", 2, { activation: "gelu_new" }),
      dense("d3", 2),
      { class_name: "ELU", config: { name: "e", alpha: 0.7 } },
      dense("d4", 1),
      { class_name: "Activation", config: { name: "a", activation: "swish" } },
    ]),
    [
      { name: "d1/kernel", shape: [2, 3], values: k1 },
      { name: "d2/kernel", shape: [3, 2], values: [1, 0, 0, 1, 1, 1] },
      { name: "d2/bias", shape: [2], values: [0.5, -0.5] },
      { name: "d3/kernel", shape: [2, 2], values: [1, 2, 3, 4] },
      { name: "d3/bias", shape: [2], values: [0, 0] },
      { name: "d4/kernel", shape: [2, 1], values: [1, -1] },
      { name: "d4/bias", shape: [1], values: [0.25] },
    ],
  ));
  const layers = m.network!.layers;
  // relu then LeakyReLU: a second activation in a row gets an identity layer
  assert.deepEqual(layers.map((l) => l.activation), ["relu", "leaky_relu", "gelu_tanh", "elu", "silu"]);
  assert.equal(layers[1].alpha, 0.2);
  assert.equal(layers[3].alpha, 0.7);
  assert.deepEqual(Array.from(layers[0].weights), [0, 0, 0, ...k1]);
  const x = [0.3, -0.4];
  const y = forward(m.network!, Float64Array.from(x), 1)[0];
  const h1 = [0, 1, 2].map((j) => Math.max(0, x[0] * k1[j] + x[1] * k1[3 + j]));
  const gt = (u: number) => 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u ** 3)));
  const h2 = [0, 1].map((j) => gt([0.5, -0.5][j] + h1[0] * [1, 0][j] + h1[1] * [0, 1][j] + h1[2]));
  const elu = (u: number) => (u > 0 ? u : Math.fround(0.7) * 0 + 0.7 * Math.expm1(u));
  const h3 = [0, 1].map((j) => elu(h2[0] * [1, 2][j] + h2[1] * [3, 4][j]));
  const z = 0.25 + h3[0] - h3[1];
  assert.ok(Math.abs(y - z / (1 + Math.exp(-z))) < 1e-15);
});

Deno.test("tfjs refusals: truncated or oversized weights, missing weights, softmax, unsupported layers", () => {
  const topo = sequential([dense("d1", 2, { activation: "tanh" }, [0, 2]), dense("d2", 1)]);
  const w = [
    { name: "d1/kernel", shape: [2, 2], values: [1, 2, 3, 4] },
    { name: "d1/bias", shape: [2], values: [0, 0] },
    { name: "d2/kernel", shape: [2, 1], values: [1, 1] },
    { name: "d2/bias", shape: [1], values: [0] },
  ];
  assert.equal(load(model(topo, w)).network!.layers.length, 2);
  refuses(
    model(topo, w, 4),
    /hold 32 bytes but the manifest needs at least 36 \(through "d2\/bias"\); the weights are truncated/,
  );
  const long = model(topo, w);
  refuses(
    { json: long.json, bin: new Uint8Array([...long.bin, 0, 0, 0, 0]) },
    /hold 40 bytes but the manifest lists 36/,
  );
  refuses(model(topo, w.slice(0, 2)), /layer "d2" \(Dense\): weight "d2\/kernel" is missing/);
  refuses(
    model(sequential([dense("d1", 2, { activation: "softmax" }, [0, 2]), dense("d2", 1)]), w),
    /layer "d1" \(Dense\): activation "softmax" is not elementwise/,
  );
  refuses(
    model(
      sequential([dense("d1", 2, {}, [0, 2]), { class_name: "BatchNormalization", config: { name: "bn" } }]),
      w,
    ),
    /layer "bn" \(BatchNormalization\): layer class BatchNormalization is not supported/,
  );
  refuses({ json: { format: "graph-model" }, bin: new Uint8Array() }, /expected a tfjs layers model/);
});

/** HWC flat vector ↔ channels-first map. */
function hwcToMap(x: number[], h: number, w: number, c: number): Map3 {
  return Array.from(
    { length: c },
    (_, k) =>
      Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => x[(i * w + j) * c + k])),
  );
}
function mapToHwc(m: Map3): number[] {
  const out: number[] = [];
  for (let i = 0; i < m[0].length; i++) {
    for (let j = 0; j < m[0][0].length; j++) for (const ch of m) out.push(ch[i][j]);
  }
  return out;
}

Deno.test("tfjs Conv2D (channels_last, same padding) → MaxPooling2D → Flatten → Dense matches direct loops", () => {
  const H = 4, W = 3, C = 2, F = 3;
  const kk = values(2 * 2 * C * F, 21); // Keras [kh, kw, in, out]
  const bias = values(F, 22);
  const dk = values(2 * 1 * F, 23); // after pool: 2 × 1 × F
  const m = load(model(
    sequential([
      {
        class_name: "Conv2D",
        config: {
          name: "c",
          filters: F,
          kernel_size: [2, 2],
          strides: [1, 1],
          padding: "same",
          activation: "tanh",
          batch_input_shape: [null, H, W, C],
        },
      },
      {
        class_name: "MaxPooling2D",
        config: { name: "p", pool_size: [2, 2], strides: [2, 2], padding: "valid" },
      },
      { class_name: "Flatten", config: { name: "f" } },
      dense("d", 1),
    ]),
    [
      { name: "c/kernel", shape: [2, 2, C, F], values: kk },
      { name: "c/bias", shape: [F], values: bias },
      { name: "d/kernel", shape: [2 * 1 * F, 1], values: dk },
      { name: "d/bias", shape: [1], values: [0.5] },
    ],
  ));
  assert.equal(m.inputs, H * W * C);
  assert.match(m.notDense!, /layer "p" \(MaxPooling2D\) becomes a module of kind maxpool2d/);
  // the reference kernel in [out, in, kh, kw]
  const kernel = new Array(kk.length);
  for (let o = 0; o < F; o++) {
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          kernel[((o * C + c) * 2 + i) * 2 + j] = kk[((i * 2 + j) * C + c) * F + o];
        }
      }
    }
  }
  for (const seed of [1, 2, 3]) {
    const x = values(H * W * C, 30 + seed);
    const convMap = conv(hwcToMap(x, H, W, C), kernel, F, [2, 2], [1, 1], [0, 0, 1, 1], bias).map((ch) =>
      ch.map((r) => r.map(Math.tanh))
    );
    const pooled = windows(convMap, [2, 2], [2, 2], [0, 0, 0, 0], (v) => Math.max(...v));
    const feats = mapToHwc(pooled);
    const want = 0.5 + feats.reduce((a, v, i) => a + v * dk[i], 0);
    const got = exactTaylorModules(m.modules, m.inputs, x, 0).polynomials[0].coefficients[0];
    assert.ok(Math.abs(got - want) < 1e-14, `${got} vs ${want}`);
  }
});

Deno.test("tfjs Conv1D and AveragePooling1D (same padding averages in-bounds values only)", () => {
  const L = 5, C = 1, F = 2;
  const kk = values(3 * C * F, 41);
  const m = load(model(
    sequential([
      {
        class_name: "Conv1D",
        config: { name: "c", filters: F, kernel_size: 3, use_bias: false, batch_input_shape: [null, L, C] },
      },
      { class_name: "AveragePooling1D", config: { name: "p", pool_size: 2, strides: 2, padding: "same" } },
      { class_name: "Flatten", config: { name: "f" } },
    ]),
    [{ name: "c/kernel", shape: [3, C, F], values: kk }],
  ));
  const x = values(L, 42);
  const kernel = Array.from({ length: F * 3 }, (_, t) => kk[(t % 3) * F + Math.floor(t / 3)]);
  const cm = conv(toMap(x, 1, 1, L), kernel, F, [1, 3], [1, 1], [0, 0, 0, 0], [0, 0]);
  // same padding for a length-3 map, window 2, stride 2: one pad at the end
  const pooled = windows(
    cm,
    [1, 2],
    [1, 2],
    [0, 0, 0, 1],
    (_, inside) => inside.reduce((a, b) => a + b) / inside.length,
  );
  const want = mapToHwc(pooled);
  const got = exactTaylorModules(m.modules, m.inputs, x, 0).polynomials.map((p) => p.coefficients[0]);
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-15));
  assert.deepEqual(flat(padMap([[[1]]], [0, 0, 0, 0], 0)), [1]);
});

Deno.test("tfjs functional model: Add of a skip connection is a residual module", () => {
  const layer = (name: string, cls: string, config: Record<string, unknown>, inbound: string[]) => ({
    name,
    class_name: cls,
    config: { name, ...config },
    inbound_nodes: inbound.length ? [inbound.map((i) => [i, 0, 0, {}])] : [],
  });
  const m = load(model(
    {
      class_name: "Model",
      config: {
        name: "f",
        layers: [
          layer("in", "InputLayer", { batch_input_shape: [null, 2] }, []),
          layer("d1", "Dense", { units: 2, activation: "tanh" }, ["in"]),
          layer("d2", "Dense", { units: 2, activation: "sigmoid" }, ["d1"]),
          layer("add", "Add", {}, ["d2", "d1"]),
          layer("out", "Dense", { units: 1 }, ["add"]),
        ],
        input_layers: [["in", 0, 0]],
        output_layers: [["out", 0, 0]],
      },
    },
    [
      { name: "d1/kernel", shape: [2, 2], values: [0.5, -0.5, 0.25, 1] },
      { name: "d1/bias", shape: [2], values: [0, 0] },
      { name: "d2/kernel", shape: [2, 2], values: [1, 0.5, -1, 0.75] },
      { name: "d2/bias", shape: [2], values: [0, 0] },
      { name: "out/kernel", shape: [2, 1], values: [1, -1] },
      { name: "out/bias", shape: [1], values: [0] },
    ],
  ));
  assert.deepEqual(m.modules.map((x) => x.kind), ["affine", "elementwise", "residual", "affine"]);
  const x = [0.4, -0.3];
  const u = [0, 1].map((j) => Math.tanh(x[0] * [0.5, -0.5][j] + x[1] * [0.25, 1][j]));
  const r = [0, 1].map((j) => u[j] + 1 / (1 + Math.exp(-(u[0] * [1, 0.5][j] + u[1] * [-1, 0.75][j]))));
  const got = exactTaylorModules(m.modules, 2, x, 0).polynomials[0].coefficients[0];
  assert.ok(Math.abs(got - (r[0] - r[1])) < 1e-15);
});
