/**
 * imported-models — NN2Poly and the exact Taylor engine on networks trained outside polylab: PyTorch
 * 1.13 models exported with `torch.onnx.export` and a TensorFlow.js 4.22 model saved with
 * `model.save` (the shared fixtures `../shared/fixtures/models/`, seeded weights). Each is read by
 * the same loader as `deno task poly … MODEL`; NN2Poly runs for Q = 1..4 on the input box [−1, 1]^p
 * (dense chains), the exact Taylor engine at x0 for k = 1..K (conv and pool graphs too), and the
 * coefficients are set beside the reference ones computed elsewhere on the same float32 weights (the R
 * package nn2poly; float64 nested autograd).
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

const DIR = "../shared/fixtures/models/";

export default defineAnalysis({
  kind: "analysis",
  name: "imported-models",
  description:
    "NN2Poly and exact Taylor on models exported by PyTorch (ONNX: tanh MLP, SiLU/GELU MLP, conv + avg-pool) " +
    "and tfjs (tanh/softplus MLP), beside the R package's and autograd's coefficients on the same weights",
  seed: 16,
  analysis: "imported-models",
  params: {
    points: 400,
    topTerms: 6,
    models: [
      {
        name: "torch tanh MLP (4 inputs)",
        path: `${DIR}onnx-nn2poly-linear-hidden-dynbatch.onnx`,
        nn2poly: { maxOrder: 4, taylorOrders: [5, 1, 5, 1] },
        taylor: { order: 6, x0: 0, radius: 0.5 },
        reference: `${DIR}onnx-nn2poly-linear-hidden-dynbatch.expect.json`,
      },
      {
        name: "tfjs tanh/softplus MLP",
        path: `${DIR}tfjs-nn2poly-tanh-softplus/model.json`,
        nn2poly: { maxOrder: 4, taylorOrders: 6 },
        taylor: { order: 6, x0: 0, radius: 0.5 },
        reference: `${DIR}tfjs-nn2poly-tanh-softplus.expect.json`,
      },
      {
        name: "torch SiLU/GELU MLP",
        path: `${DIR}onnx-taylor-silu-gelu.onnx`,
        nn2poly: { maxOrder: 4, taylorOrders: 8 },
        taylor: { order: 6, x0: 0, radius: 0.5 },
        reference: `${DIR}onnx-taylor-silu-gelu.expect.json`,
      },
      {
        name: "torch conv + avg-pool",
        path: `${DIR}onnx-taylor-conv-avgpool.onnx`,
        taylor: { order: 3, x0: 0, radius: 0.3 },
        reference: `${DIR}onnx-taylor-conv-avgpool.expect.json`,
      },
    ],
  },
});
