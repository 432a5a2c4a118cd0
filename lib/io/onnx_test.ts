import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { forward } from "../network/network.ts";
import { exactTaylorModules } from "../taylor/exact_modules.ts";
import type { HopeModule } from "../taylor/modules.ts";
import type { ImportedModel } from "./imported.ts";
import { onnxToModel } from "./onnx.ts";
import { decodeOnnx } from "./onnx_decode.ts";
import { buildOnnx, constant, type GraphSpec, node, tensor } from "./onnx_testing.ts";
import { conv, flat, padMap, toMap, values, windows } from "./reference_testing.ts";

const load = (spec: GraphSpec): ImportedModel => onnxToModel(decodeOnnx(buildOnnx(spec), "t.onnx"), "t.onnx");

const refuses = (spec: GraphSpec, re: RegExp) =>
  assert.throws(() => load(spec), (e: Error) => {
    assert.ok(e instanceof UsageError, e.message);
    assert.ok(!e.message.includes("\n"), "one line");
    assert.match(e.message, re);
    return true;
  });

/** f(x) of an imported model (every output), by the exact engine at order 0. */
function evaluate(m: ImportedModel, x: number[]): number[] {
  return exactTaylorModules(m.modules, m.inputs, x, 0).polynomials.map((p) => p.coefficients[0]);
}

const kinds = (mods: readonly HopeModule[]) =>
  mods.map((m) => (m.kind === "elementwise" ? m.activation : m.kind)).join(" ");

// A 2 → 3 → 1 chain around one elementwise op: Gemm(transB) · OP · Gemm.
function chain(ops: GraphSpec["nodes"], out = "h", extra: GraphSpec["initializers"] = []): GraphSpec {
  return {
    input: [1, 2],
    nodes: [
      node("Gemm", ["x", "W1", "b1"], ["g"], { transB: { i: 1 } }),
      ...ops,
      node("Gemm", [out, "W2", "b2"], ["y"], { transB: { i: 1 } }),
    ],
    initializers: [
      tensor("W1", [3, 2], [0.5, -0.25, 1, 0.75, -1.5, 0.125]),
      tensor("b1", [3], [0.1, -0.2, 0.3]),
      tensor("W2", [1, 3], [1, -2, 0.5]),
      tensor("b2", [1], [0.25]),
      ...extra,
    ],
  };
}

Deno.test("onnx Gemm: alpha, beta, transB, bias shapes; typed float and double fields", () => {
  const m = load({
    input: ["batch", 2],
    nodes: [node("Gemm", ["x", "W", "c"], ["y"], { alpha: 2, beta: 0.5 })],
    initializers: [
      tensor("W", [2, 3], [1, 2, 3, 4, 5, 6], { field: true }),
      tensor("c", [1, 3], [0.1, 0.2, 0.3], { dtype: "double", field: true }),
    ],
  });
  const w = m.network!.layers[0];
  assert.deepEqual([w.inputs, w.units, w.activation], [2, 3, "linear"]);
  assert.deepEqual(Array.from(w.weights), [0.05, 0.1, 0.15, 2, 4, 6, 8, 10, 12]);
  const t = load({
    input: [1, 2],
    nodes: [node("Gemm", ["x", "W", "c"], ["y"], { transB: { i: 1 } })],
    initializers: [tensor("W", [3, 2], [1, 2, 3, 4, 5, 6]), tensor("c", [], [0.5])],
  });
  // transB: W is [M, K]; row i of the layout is input i
  assert.deepEqual(Array.from(t.network!.layers[0].weights), [0.5, 0.5, 0.5, 1, 3, 5, 2, 4, 6]);
  refuses(
    {
      ...t.network && {},
      input: [1, 2],
      nodes: [node("Gemm", ["x", "W"], ["y"], { transA: { i: 1 } })],
      initializers: [tensor("W", [2, 2], [1, 0, 0, 1])],
    },
    /node "Gemm_y" \(Gemm\): transA = 1/,
  );
  refuses(
    {
      input: [1, 2],
      nodes: [node("Gemm", ["W", "x"], ["y"])],
      initializers: [tensor("W", [2, 2], [1, 0, 0, 1])],
    },
    /expected the data as input A/,
  );
});

Deno.test("onnx MatMul + Add in either operand order, bias-free MatMul, float32 promoted exactly", () => {
  for (const order of [["mm", "b"], ["b", "mm"]]) {
    const m = load({
      input: [1, 2],
      nodes: [node("MatMul", ["x", "W"], ["mm"]), node("Add", order, ["y"])],
      initializers: [tensor("W", [2, 2], [0.1, 0.2, 0.3, 0.4]), tensor("b", [2], [-1, 1])],
    });
    assert.equal(m.network!.layers.length, 1);
    assert.deepEqual(Array.from(m.network!.layers[0].weights), [
      -1,
      1,
      ...[0.1, 0.2, 0.3, 0.4].map(Math.fround),
    ]);
  }
  const free = load({
    input: [1, 2],
    nodes: [node("MatMul", ["x", "W"], ["y"])],
    initializers: [tensor("W", [2, 1], [3, 4])],
  });
  assert.deepEqual(Array.from(free.network!.layers[0].weights), [0, 3, 4]);
  // the MatMul output read twice: the Add is not a bias any more
  refuses(
    {
      input: [1, 2],
      nodes: [
        node("MatMul", ["x", "W"], ["mm"]),
        node("Add", ["mm", "b"], ["s"]),
        node("Add", ["s", "mm"], ["y"]),
      ],
      initializers: [tensor("W", [2, 2], [1, 0, 0, 1]), tensor("b", [2], [1, 1])],
    },
    /constant of dims \[2\] in Add/,
  );
});

Deno.test("onnx activations: every elementwise op, with alpha for LeakyRelu and Elu", () => {
  const cases: [string, Record<string, number>, string, number | undefined][] = [
    ["Tanh", {}, "tanh", undefined],
    ["Sigmoid", {}, "sigmoid", undefined],
    ["Softplus", {}, "softplus", undefined],
    ["Sin", {}, "sin", undefined],
    ["Cos", {}, "cos", undefined],
    ["Exp", {}, "exp", undefined],
    ["Relu", {}, "relu", undefined],
    ["LeakyRelu", { alpha: 0.2 }, "leaky_relu", Math.fround(0.2)],
    ["LeakyRelu", {}, "leaky_relu", Math.fround(0.01)],
    ["Elu", { alpha: 0.5 }, "elu", 0.5],
    ["Elu", {}, "elu", 1],
  ];
  for (const [op, attrs, name, alpha] of cases) {
    const m = load(chain([node(op, ["g"], ["h"], attrs)]));
    const layers = m.network!.layers;
    assert.deepEqual(layers.map((l) => l.activation), [name, "linear"], op);
    assert.equal(layers[0].alpha, alpha, op);
  }
});

Deno.test("onnx SiLU and GELU subgraphs (either operand order, float32 √2, tanh form, Gelu op)", () => {
  const silu = load(chain([node("Sigmoid", ["g"], ["s"]), node("Mul", ["s", "g"], ["h"])]));
  assert.equal(silu.network!.layers[0].activation, "silu");
  const erf = load(chain([
    constant("c2", Math.fround(Math.SQRT2)),
    node("Div", ["g", "c2"], ["d"]),
    node("Erf", ["d"], ["e"]),
    constant("one", 1),
    node("Add", ["one", "e"], ["a"]),
    constant("half", 0.5),
    node("Mul", ["half", "g"], ["hg"]),
    node("Mul", ["a", "hg"], ["h"]),
  ]));
  assert.equal(erf.network!.layers[0].activation, "gelu");
  // torch 1.13's tanh approximation: 0.5·x·(1 + tanh(β·(x + κ·x·x·x)))
  const tanh = load(chain([
    node("Mul", ["g", "g"], ["g2"]),
    node("Mul", ["g", "g2"], ["g3"]),
    constant("kappa", Math.fround(0.044715)),
    node("Mul", ["kappa", "g3"], ["kg3"]),
    node("Add", ["g", "kg3"], ["in1"]),
    constant("beta", Math.fround(Math.sqrt(2 / Math.PI))),
    node("Mul", ["beta", "in1"], ["in2"]),
    node("Tanh", ["in2"], ["t"]),
    constant("one", 1),
    node("Add", ["one", "t"], ["a"]),
    node("Mul", ["g", "a"], ["ga"]),
    constant("half", 0.5),
    node("Mul", ["half", "ga"], ["h"]),
  ]));
  assert.equal(tanh.network!.layers[0].activation, "gelu_tanh");
  const pow = load(chain([
    constant("three", 3),
    node("Pow", ["g", "three"], ["g3"]),
    constant("kappa", 0.044715),
    node("Mul", ["g3", "kappa"], ["kg3"]),
    node("Add", ["kg3", "g"], ["in1"]),
    constant("beta", Math.sqrt(2 / Math.PI)),
    node("Mul", ["in1", "beta"], ["in2"]),
    node("Tanh", ["in2"], ["t"]),
    constant("one", 1),
    node("Add", ["t", "one"], ["a"]),
    constant("half", 0.5),
    node("Mul", ["a", "half"], ["ah"]),
    node("Mul", ["ah", "g"], ["h"]),
  ]));
  assert.equal(pow.network!.layers[0].activation, "gelu_tanh");
  const op = load({ ...chain([node("Gelu", ["g"], ["h"], { approximate: "tanh" })]), opset: 20 });
  assert.equal(op.network!.layers[0].activation, "gelu_tanh");
  // a wrong constant is not GELU
  refuses(
    chain([
      constant("c2", 1.5),
      node("Div", ["g", "c2"], ["d"]),
      node("Erf", ["d"], ["e"]),
      constant("one", 1),
      node("Add", ["e", "one"], ["a"]),
      node("Mul", ["g", "a"], ["ga"]),
      constant("half", 0.5),
      node("Mul", ["ga", "half"], ["h"]),
    ]),
    /node "Mul_h" \(Mul\): the elementwise nodes .*\(Div, Erf, Add, Mul\) do not form a supported activation/,
  );
  refuses(chain([node("Erf", ["g"], ["h"])]), /\(Erf\) do not form a supported activation/);
});

Deno.test("onnx elementwise affine steps: x / 255 on the input, Softplus with β, tanh(2·u)", () => {
  const m = load({
    input: [1, 2],
    nodes: [
      constant("c255", 255),
      node("Div", ["x", "c255"], ["xs"]),
      node("Gemm", ["xs", "W1", "b1"], ["g"], { transB: { i: 1 } }),
      constant("beta", 2),
      node("Mul", ["g", "beta"], ["gb"]),
      node("Softplus", ["gb"], ["sp"]),
      node("Div", ["sp", "beta"], ["h"]),
      constant("two", 2),
      node("Mul", ["two", "h"], ["h2"]),
      node("Tanh", ["h2"], ["t"]),
      node("Gemm", ["t", "W2", "b2"], ["y"], { transB: { i: 1 } }),
    ],
    initializers: chain([]).initializers,
  });
  assert.equal(kinds(m.modules), "affine affine affine softplus tanh affine"); // 2·(softplus/2) cancels
  const x = [51, -102];
  const u = [0, 1, 2].map((j) =>
    Math.fround([0.1, -0.2, 0.3][j]) +
    [[0.5, -0.25], [1, 0.75], [-1.5, 0.125]][j].reduce((a, w, i) => a + w * x[i] / 255, 0)
  );
  const t = u.map((v) => Math.tanh(2 * (Math.log1p(Math.exp(2 * v)) / 2)));
  const want = 0.25 + t[0] - 2 * t[1] + 0.5 * t[2];
  assert.ok(Math.abs(evaluate(m, x)[0] - want) < 1e-14);
  assert.ok(Math.abs(forward(m.network!, Float64Array.from(x), 1)[0] - want) < 1e-14);
});

Deno.test("onnx: two activations in a row and one on the input get identity layers (same function)", () => {
  const m = load({
    input: [1, 2],
    nodes: [
      node("Sin", ["x"], ["s"]),
      node("Gemm", ["s", "W1", "b1"], ["g"], { transB: { i: 1 } }),
      node("Sigmoid", ["g"], ["q"]),
      node("Tanh", ["q"], ["h"]),
      node("Gemm", ["h", "W2", "b2"], ["y"], { transB: { i: 1 } }),
    ],
    initializers: chain([]).initializers,
  });
  assert.deepEqual(m.network!.layers.map((l) => l.activation), ["sin", "sigmoid", "tanh", "linear"]);
  const x = [0.3, -0.7];
  const g = [0, 1, 2].map((j) =>
    Math.fround([0.1, -0.2, 0.3][j]) +
    [[0.5, -0.25], [1, 0.75], [-1.5, 0.125]][j].reduce((a, w, i) => a + w * Math.sin(x[i]), 0)
  ).map((u) => Math.tanh(1 / (1 + Math.exp(-u))));
  const want = 0.25 + g[0] - 2 * g[1] + 0.5 * g[2];
  assert.ok(Math.abs(forward(m.network!, Float64Array.from(x), 1)[0] - want) < 1e-15);
  assert.ok(Math.abs(evaluate(m, x)[0] - want) < 1e-15);
});

Deno.test("onnx Flatten, Reshape keeping the batch axis, Identity, Dropout; layouts that mix the batch are refused", () => {
  const spec = (
    shapeNode: GraphSpec["nodes"],
    target: number[],
    input: (number | string)[] = ["N", 1, 2],
  ) => ({
    input,
    nodes: [...shapeNode, node("MatMul", ["f", "W"], ["y"])],
    initializers: [tensor("W", [2, 1], [1, 2]), tensor("shape", [target.length], target, { dtype: "int64" })],
  });
  for (const target of [[-1, 2], [0, -1], [0, 2]]) {
    const m = load(spec([node("Reshape", ["x", "shape"], ["f"])], target));
    assert.equal(m.inputs, 2);
    assert.deepEqual(evaluate(m, [0.5, 0.25]), [1]);
  }
  const fixed = load(spec([node("Reshape", ["x", "shape"], ["f"])], [1, 2], [1, 1, 2]));
  assert.equal(fixed.inputs, 2);
  refuses(spec([node("Reshape", ["x", "shape"], ["f"])], [1, -1]), /does not keep the batch axis first/);
  const flat = load(
    spec([node("Identity", ["x"], ["i"]), node("Dropout", ["i"], ["d"]), node("Flatten", ["d"], ["f"])], []),
  );
  assert.deepEqual(flat.inputShape, [1, 2]);
  refuses(spec([node("Flatten", ["x"], ["f"], { axis: { i: 0 } })], []), /axis 0 would merge the batch axis/);
  refuses(
    {
      input: [1, 1, 2],
      nodes: [node("MatMul", ["x", "W"], ["y"])],
      initializers: [tensor("W", [2, 1], [1, 2])],
    },
    /shape \[batch, 1, 2\]; a dense layer needs \[batch, features\] \(add a Flatten/,
  );
});

Deno.test("onnx Conv: native when valid and square, an exact affine map with pads and rectangular strides", () => {
  const C = 2, H = 5, W = 4, O = 3;
  const kernel = values(O * C * 2 * 3, 7);
  const bias = values(O, 8);
  const x = values(C * H * W, 9);
  for (
    const [k, s, p] of [
      [[2, 3], [2, 1], [1, 0, 0, 2]],
      [[2, 3], [1, 1], [0, 0, 0, 0]],
    ]
  ) {
    const spec: GraphSpec = {
      input: [1, C, H, W],
      nodes: [
        node("Conv", ["x", "K", "B"], ["y"], {
          kernel_shape: k,
          strides: s,
          pads: p,
          dilations: [1, 1],
          group: { i: 1 },
        }),
      ],
      initializers: [tensor("K", [O, C, ...k], kernel), tensor("B", [O], bias)],
    };
    const m = load(spec);
    assert.equal(m.modules[0].kind, "affine");
    const want = flat(conv(toMap(x, C, H, W), kernel, O, k, s, p, bias));
    evaluate(m, x).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-14, `${k} ${s} ${p}: ${i}`));
  }
  const sq = values(O * C * 2 * 2, 3);
  const native = load({
    input: [1, C, H, W],
    nodes: [node("Conv", ["x", "K"], ["y"], { kernel_shape: [2, 2] })],
    initializers: [tensor("K", [O, C, 2, 2], sq)],
  });
  assert.equal(native.modules[0].kind, "conv2d");
  const want = flat(conv(toMap(x, C, H, W), sq, O, [2, 2], [1, 1], [0, 0, 0, 0], [0, 0, 0]));
  evaluate(native, x).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-14));
  const same = load({
    input: [1, C, H, W],
    nodes: [node("Conv", ["x", "K"], ["y"], { auto_pad: "SAME_UPPER" })],
    initializers: [tensor("K", [O, C, 2, 2], sq)],
  });
  const wantSame = flat(conv(toMap(x, C, H, W), sq, O, [2, 2], [1, 1], [0, 0, 1, 1], [0, 0, 0]));
  evaluate(same, x).forEach((v, i) => assert.ok(Math.abs(v - wantSame[i]) < 1e-14));
  const bad = (attrs: Record<string, number[] | { i: number }>, re: RegExp) =>
    refuses({
      input: [1, C, H, W],
      nodes: [node("Conv", ["x", "K"], ["y"], attrs)],
      initializers: [tensor("K", [O, C, 2, 2], sq)],
    }, re);
  bad({ dilations: [2, 2] }, /dilations \[2,2\] are not supported/);
  bad({ group: { i: 2 } }, /group 2 is not supported/);
});

Deno.test("onnx 1-D Conv and pools on [batch, C, L]", () => {
  const kernel = values(2 * 1 * 3, 4);
  const x = values(6, 5);
  const m = load({
    input: [1, 1, 6],
    nodes: [
      node("Conv", ["x", "K"], ["c"], { kernel_shape: [3] }),
      node("MaxPool", ["c"], ["y"], { kernel_shape: [2], strides: [2] }),
    ],
    initializers: [tensor("K", [2, 1, 3], kernel)],
  });
  assert.equal(kinds(m.modules), "conv1d maxpool1d");
  const c = conv(toMap(x, 1, 1, 6), kernel, 2, [1, 3], [1, 1], [0, 0, 0, 0], [0, 0]);
  const want = flat(windows(c, [1, 2], [1, 2], [0, 0, 0, 0], (v) => Math.max(...v)));
  assert.deepEqual(evaluate(m, x), want);
});

Deno.test("onnx AveragePool, MaxPool (overlapping, padded) and Pad against direct loops", () => {
  const C = 2, H = 4, W = 5;
  const x = values(C * H * W, 11);
  const map = toMap(x, C, H, W);
  const run = (n: GraphSpec["nodes"], inits: GraphSpec["initializers"] = []) =>
    evaluate(load({ input: [1, C, H, W], nodes: n, initializers: inits }), x);
  const close = (a: number[], b: number[]) => {
    assert.equal(a.length, b.length);
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-15, `${i}: ${v} vs ${b[i]}`));
  };
  const p = [1, 0, 0, 1];
  for (const include of [0, 1]) {
    close(
      run([
        node("AveragePool", ["x"], ["y"], {
          kernel_shape: [2, 3],
          strides: [1, 2],
          pads: p,
          count_include_pad: { i: include },
        }),
      ]),
      flat(
        windows(
          map,
          [2, 3],
          [1, 2],
          p,
          (
            v,
            inside,
          ) => (include
            ? v.reduce((a, b) => a + b) / v.length
            : inside.reduce((a, b) => a + b) / inside.length),
        ),
      ),
    );
  }
  close(
    run([node("MaxPool", ["x"], ["y"], { kernel_shape: [2, 2], strides: [1, 1], pads: p })]),
    flat(windows(map, [2, 2], [1, 1], p, (_, inside) => Math.max(...inside))),
  );
  const native = load({
    input: [1, C, H, W],
    nodes: [node("AveragePool", ["x"], ["y"], { kernel_shape: [2, 2], strides: [2, 2] })],
  });
  assert.equal(native.modules[0].kind, "avgpool2d");
  close(
    evaluate(native, x),
    flat(windows(map, [2, 2], [2, 2], [0, 0, 0, 0], (v) => v.reduce((a, b) => a + b) / 4)),
  );
  close(
    run(
      [node("Pad", ["x", "pads", "v"], ["y"])],
      [tensor("pads", [8], [0, 0, 1, 2, 0, 0, 0, 1], { dtype: "int64" }), tensor("v", [], [0.5])],
    ),
    flat(padMap(map, [1, 2, 0, 1], 0.5)),
  );
  const zero = load({
    input: [1, C, H, W],
    nodes: [
      node("Pad", ["x", "pads"], ["p"]),
      node("Flatten", ["p"], ["f"]),
      node("MatMul", ["f", "W"], ["y"]),
    ],
    initializers: [
      tensor("pads", [8], new Array(8).fill(0), { dtype: "int64" }),
      tensor("W", [C * H * W, 1], new Array(C * H * W).fill(1)),
    ],
  });
  assert.equal(kinds(zero.modules), "affine");
  refuses(
    {
      input: [1, C, H, W],
      nodes: [node("Pad", ["x", "pads"], ["y"], { mode: "reflect" })],
      initializers: [tensor("pads", [8], new Array(8).fill(1), { dtype: "int64" })],
    },
    /mode "reflect" is not supported/,
  );
  refuses(
    {
      input: [1, C, H, W],
      nodes: [node("MaxPool", ["x"], ["y"], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: { i: 1 } })],
    },
    /ceil_mode = 1 adds partial windows/,
  );
});

Deno.test("onnx residual Add: u + F(u) becomes a residual module; other two-branch ops are refused", () => {
  const inits = [
    tensor("W1", [2, 2], [0.5, -0.5, 0.25, 1]),
    tensor("W2", [2, 2], [1, 0.5, -1, 0.75]),
    tensor("W3", [2, 1], [1, -1]),
  ];
  const m = load({
    input: [1, 2],
    nodes: [
      node("MatMul", ["x", "W1"], ["a"]),
      node("Tanh", ["a"], ["u"]),
      node("MatMul", ["u", "W2"], ["b"]),
      node("Sigmoid", ["b"], ["f"]),
      node("Add", ["f", "u"], ["r"]),
      node("MatMul", ["r", "W3"], ["y"]),
    ],
    initializers: inits,
  });
  assert.equal(kinds(m.modules), "affine tanh residual affine");
  assert.match(m.notDense!, /node "Add_r" \(Add\) becomes a module of kind residual/);
  const x = [0.4, -0.3];
  const u = [0, 1].map((j) => Math.tanh(x[0] * [0.5, -0.5][j] + x[1] * [0.25, 1][j]));
  const r = [0, 1].map((j) => u[j] + 1 / (1 + Math.exp(-(u[0] * [1, 0.5][j] + u[1] * [-1, 0.75][j]))));
  assert.ok(Math.abs(evaluate(m, x)[0] - (r[0] - r[1])) < 1e-15);
  refuses({
    input: [1, 2],
    nodes: [
      node("MatMul", ["x", "W1"], ["a"]),
      node("Tanh", ["a"], ["u"]),
      node("MatMul", ["x", "W2"], ["b"]),
      node("Sigmoid", ["b"], ["f"]),
      node("Mul", ["f", "u"], ["r"]),
      node("MatMul", ["r", "W3"], ["y"]),
    ],
    initializers: inits,
  }, /node "Mul_r" \(Mul\): Mul of two different tensors is not supported/);
  refuses({
    input: [1, 2],
    nodes: [
      node("MatMul", ["x", "W1"], ["a"]),
      node("MatMul", ["x", "W2"], ["b"]),
      node("Add", ["a", "b"], ["r"]),
      node("MatMul", ["r", "W3"], ["y"]),
    ],
    initializers: inits,
  }, /not a skip connection/);
});

Deno.test("onnx Transpose keeping the batch axis (tf2onnx's NHWC → NCHW) is a permutation; a final Softmax is refused", () => {
  const H = 2, W = 3, C = 2;
  const k = values(1 * C * 2 * 2, 51);
  const m = load({
    input: ["N", H, W, C],
    nodes: [
      node("Transpose", ["x"], ["t"], { perm: [0, 3, 1, 2] }),
      node("Conv", ["t", "K"], ["y"], { kernel_shape: [2, 2] }),
    ],
    initializers: [tensor("K", [1, C, 2, 2], k)],
  });
  assert.equal(kinds(m.modules), "affine conv2d");
  const x = values(H * W * C, 52);
  const chw = Array.from({ length: C * H * W }, (_, i) => {
    const c = Math.floor(i / (H * W)), r = Math.floor(i / W) % H, col = i % W;
    return x[(r * W + col) * C + c];
  });
  const want = flat(conv(toMap(chw, C, H, W), k, 1, [2, 2], [1, 1], [0, 0, 0, 0], [0]));
  evaluate(m, x).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-15));
  refuses(
    { input: [1, 2, 3], nodes: [node("Transpose", ["x"], ["y"], { perm: [1, 0, 2] })] },
    /perm \[1,0,2\] moves the batch axis/,
  );
  const base = chain([node("Tanh", ["g"], ["h"])]);
  refuses(
    { ...base, nodes: [...base.nodes, node("Softmax", ["y"], ["p"])] },
    /\(Softmax\) is not supported: it is not elementwise; polylab expands the logits/,
  );
});

Deno.test("onnx without constant folding: Transpose of a weight is folded; Unsqueeze/Squeeze keep the flat vector", () => {
  const m = load({
    input: ["N", 3],
    nodes: [
      node("Transpose", ["W"], ["Wt"]),
      node("MatMul", ["x", "Wt"], ["y"]),
    ],
    initializers: [tensor("W", [2, 3], [1, 2, 3, 4, 5, 6])],
  });
  // W is [out, in]; its transpose [in, out] has rows (1, 4), (2, 5), (3, 6)
  assert.deepEqual(Array.from(m.network!.layers[0].weights), [0, 0, 1, 4, 2, 5, 3, 6]);
  const k = values(2 * 1 * 2, 61);
  const c = load({
    input: ["N", 4],
    nodes: [
      node("Unsqueeze", ["x", "ax"], ["u"]),
      node("Conv", ["u", "K"], ["cv"], { kernel_shape: [2] }),
      node("Flatten", ["cv"], ["y"]),
    ],
    initializers: [tensor("ax", [1], [1], { dtype: "int64" }), tensor("K", [2, 1, 2], k)],
  });
  assert.equal(kinds(c.modules), "conv1d");
  const x = values(4, 62);
  const want = flat(conv(toMap(x, 1, 1, 4), k, 2, [1, 2], [1, 1], [0, 0, 0, 0], [0, 0]));
  evaluate(c, x).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-15));
  const sq = load({
    input: ["N", 1, 3],
    nodes: [node("Squeeze", ["x"], ["s"], { axes: [1] }), node("MatMul", ["s", "W"], ["y"])],
    initializers: [tensor("W", [3, 1], [1, 1, 1])],
    opset: 11,
  });
  assert.equal(sq.inputs, 3);
  refuses(
    { input: ["N", 3], nodes: [node("Unsqueeze", ["x"], ["y"], { axes: [0] })], opset: 11 },
    /would change the batch axis/,
  );
});

Deno.test("onnx refusals: unsupported ops, domains, opsets, inputs, outputs, tensors and files", () => {
  refuses(
    chain([node("Softmax", ["g"], ["h"], { axis: { i: 1 } }, "/3/Softmax")]),
    /node "\/3\/Softmax" \(Softmax\) is not supported; polylab imports Gemm/,
  );
  refuses(
    chain([{ ...node("Relu", ["g"], ["h"]), domain: "com.microsoft" }]),
    /\(Relu\) of domain "com.microsoft" is not supported/,
  );
  refuses(
    { ...chain([node("Tanh", ["g"], ["h"])]), opset: 9 },
    /opset 9 is not supported; export with opset_version between 11 and 21/,
  );
  refuses(
    chain([node("Tanh", ["g"], ["t"]), node("Div", ["t", "t"], ["h"])]),
    /only division by a non-zero scalar constant/,
  );
  refuses(
    chain([node("Tanh", ["g"], ["t"]), constant("half", 0.5), node("Pow", ["t", "half"], ["h"])]),
    /only a power by an integer constant/,
  );
  refuses(
    chain([node("Tanh", ["g"], ["t"]), node("Add", ["t", "v"], ["h"])], "h", [tensor("v", [3], [1, 2, 3])]),
    /a constant of dims \[3\] in Add; elementwise ops take scalar constants/,
  );
  refuses(
    chain([node("Tanh", ["g"], ["h"])], "h", [{
      ...tensor("half", [1], [1]),
      dataType: 10,
      rawData: new Uint8Array(2),
    }]),
    /initializer "half": float16 tensors are not supported/,
  );
  const bytes = buildOnnx(chain([node("Tanh", ["g"], ["h"])]));
  assert.throws(
    () => decodeOnnx(bytes.subarray(0, Math.floor(bytes.length * 0.6)), "cut.onnx"),
    /cut.onnx: not a readable ONNX model/,
  );
  // keep_initializers_as_inputs and a symbolic batch axis are fine
  const keep = load({
    ...chain([node("Tanh", ["g"], ["h"])]),
    initializersAsInputs: true,
    input: ["batch", 2],
  });
  assert.deepEqual(keep.network!.layers.map((l) => l.activation), ["tanh", "linear"]);
  refuses(
    { ...chain([node("Tanh", ["g"], ["h"])]), input: [1, "width"] },
    /fixed positive sizes after the batch axis/,
  );
});
