/**
 * Warm in-process numbers for model import (`deno bench -A bench/import_bench.ts`): decoding and
 * mapping an ONNX file (protobuf via onnx-proto, then the graph → modules/network) of an MNIST-sized
 * MLP 784–256–256–10 (270k float32 weights, built in memory), and a tfjs model.json of the same
 * network, against a polylab JSON file of it (JSON.parse + parseNetwork).
 *
 * @module
 */

import { networkToJson, parseNetwork } from "../lib/network/network.ts";
import { onnxToModel } from "../lib/io/onnx.ts";
import { decodeOnnx } from "../lib/io/onnx_decode.ts";
import { tfjsToModel } from "../lib/io/tfjs_model.ts";
import { buildOnnx, node, tensor } from "../lib/io/onnx_testing.ts";

const SIZES = [784, 256, 256, 10];
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.1;

const nodes = [],
  inits = [],
  tfjsLayers = [],
  manifest: { name: string; shape: number[]; dtype: string }[] = [];
const floats: number[] = [];
let prev = "x";
for (let l = 1; l < SIZES.length; l++) {
  const [k, m] = [SIZES[l - 1], SIZES[l]];
  const w = Array.from({ length: k * m }, rand), b = Array.from({ length: m }, rand);
  inits.push(tensor(`W${l}`, [m, k], w), tensor(`b${l}`, [m], b));
  nodes.push(node("Gemm", [prev, `W${l}`, `b${l}`], [`g${l}`], { transB: { i: 1 } }));
  prev = `g${l}`;
  if (l < SIZES.length - 1) {
    nodes.push(node("Tanh", [prev], [`t${l}`]));
    prev = `t${l}`;
  }
  tfjsLayers.push({
    class_name: "Dense",
    config: {
      name: `d${l}`,
      units: m,
      activation: l < SIZES.length - 1 ? "tanh" : "linear",
      ...(l === 1 ? { batch_input_shape: [null, k] } : {}),
    },
  });
  manifest.push({ name: `d${l}/kernel`, shape: [k, m], dtype: "float32" }, {
    name: `d${l}/bias`,
    shape: [m],
    dtype: "float32",
  });
  for (const v of [...w, ...b]) floats.push(v); // (the kernel layout differs; only the sizes matter here)
}
const onnxBytes = buildOnnx({ input: ["batch", SIZES[0]], nodes, initializers: inits });
const modelJson = {
  modelTopology: { class_name: "Sequential", config: { name: "s", layers: tfjsLayers } },
  weightsManifest: [{ paths: ["weights.bin"], weights: manifest }],
};
const bin = new Uint8Array(new Float32Array(floats).buffer);
const polylabText = JSON.stringify(networkToJson(onnxToModel(decodeOnnx(onnxBytes, "b.onnx")).network!));

Deno.bench({
  name: `ONNX ${SIZES.join("–")} (${(onnxBytes.length / 1e6).toFixed(1)} MB): decode + map`,
  group: "import",
  baseline: true,
  fn: () => void onnxToModel(decodeOnnx(onnxBytes, "b.onnx")),
});
Deno.bench({
  name: `tfjs model.json + weights.bin ${SIZES.join("–")}: read + map`,
  group: "import",
  fn: () => void tfjsToModel(modelJson, () => bin),
});
Deno.bench({
  name: `polylab JSON ${SIZES.join("–")} (${(polylabText.length / 1e6).toFixed(1)} MB): parse`,
  group: "import",
  fn: () => void parseNetwork(JSON.parse(polylabText)),
});
