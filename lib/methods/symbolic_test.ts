import assert from "node:assert/strict";
import { denseLayer, forward, type Network } from "../network/network.ts";
import "./mod.ts";
import { methodNamed } from "../experiment/method_registry.ts";
import { runMethods } from "../experiment/methods.ts";
import { validateExperiment } from "../experiment/plan.ts";
import { tinyExperiment } from "../../tests/tiny_experiment.ts";
import { parseExpression } from "../symbolic/parse/parse.ts";
import { expressionValues, type SymbolicOptions, symbolicOptionsSchema } from "./symbolic.ts";

const points = (n: number, p: number) =>
  Float64Array.from({ length: n * p }, (_, j) => Math.sin(1.7 * j + 0.3) * 0.95);

const input = (net: Network, n: number) => {
  const trainX = points(n, net.inputs);
  return { network: net, p: net.inputs, outputs: 1, trainX, trainY: forward(net, trainX, n), trainN: n };
};

const options = (over: Partial<SymbolicOptions> = {}): SymbolicOptions =>
  symbolicOptionsSchema.parse({ evaluations: 20_000, ...over });

Deno.test("symbolic: registered, with its schema's defaults", () => {
  const m = methodNamed("symbolic");
  assert.ok(m);
  assert.equal(m.sizeUnit, "nodes");
  const o = symbolicOptionsSchema.parse({});
  assert.deepEqual(
    [o.evaluations, o.maxComplexity, o.binary, o.unary, o.choose, o.seed],
    [100_000, 30, ["+", "-", "*", "/"], [], "lowest", 0],
  );
  assert.equal(symbolicOptionsSchema.safeParse({ evaluations: 10 }).success, false);
  assert.equal(symbolicOptionsSchema.safeParse({ unary: ["tan"] }).success, false);
});

Deno.test("symbolic: a linear network is recovered exactly, in a handful of nodes", () => {
  // f = 0.5 + 2·x1 − x2
  const net: Network = { inputs: 2, layers: [denseLayer("linear", [[0.5], [2], [-1]])] };
  const rep = methodNamed("symbolic")!.build(input(net, 200), options());
  const test = points(50, 2).map((v) => v * 0.8);
  const got = rep.evaluate(test, 50);
  const want = forward(net, test, 50);
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-9, `point ${i}`);
  assert.ok(rep.size <= 9, `size ${rep.size}`); // e.g. 2*x1 - x2 + 0.5: 7 nodes
});

Deno.test("symbolic: a tanh network is approximated (R² > 0.99) and the build is deterministic", () => {
  const net: Network = {
    inputs: 2,
    layers: [
      denseLayer("tanh", [[0.1, -0.2], [0.8, -0.4], [0.3, 0.9]]),
      denseLayer("linear", [[0.2], [1.1], [-0.7]]),
    ],
  };
  const m = methodNamed("symbolic")!;
  const data = input(net, 300);
  const a = m.build(data, options());
  const b = m.build(data, options());
  const test = points(100, 2);
  const pa = a.evaluate(test, 100);
  assert.deepEqual(pa, b.evaluate(test, 100));
  assert.equal(a.size, b.size);
  const want = forward(net, test, 100);
  const mean = want.reduce((s, v) => s + v, 0) / 100;
  let ss = 0;
  let tot = 0;
  for (let i = 0; i < 100; i++) {
    ss += (pa[i] - want[i]) ** 2;
    tot += (want[i] - mean) ** 2;
  }
  assert.ok(1 - ss / tot > 0.99, `R² ${1 - ss / tot}`);
  assert.ok(a.size <= 30);
});

Deno.test("symbolic: expressionValues evaluates a tree at points", () => {
  const x = Float64Array.from([1, 2, 3, 4]);
  assert.deepEqual(Array.from(expressionValues(parseExpression("x1*x2 + 1", 2), x, 2, 2)), [3, 13]);
  assert.deepEqual(Array.from(expressionValues(parseExpression("2.5 + 0*x1", 2), x, 2, 2)), [2.5, 2.5]);
});

Deno.test("symbolic: runs from a config beside the other methods, with variants", () => {
  const config = tinyExperiment({
    polyRegression: { degree: 2 },
    symbolic: { evaluations: 5000, variants: { small: { maxComplexity: 7 }, big: { maxComplexity: 15 } } },
  });
  const net: Network = {
    inputs: 2,
    layers: [
      denseLayer("tanh", [[0, 0], [1, 0.5], [0.5, -1]]),
      denseLayer("linear", [[0], [1], [1]]),
    ],
  };
  const x = points(30, 2);
  const results = runMethods(validateExperiment(config), net, {
    p: 2,
    outputs: 1,
    trainX: x.subarray(0, 40),
    trainY: forward(net, x.subarray(0, 40), 20),
    trainN: 20,
    testX: x.subarray(40),
    testY: forward(net, x.subarray(40), 10),
    testN: 10,
  });
  assert.deepEqual([...results.keys()], ["polyRegression", "symbolic_small", "symbolic_big"]);
  assert.ok(results.get("symbolic_small")!.size <= 7);
  assert.ok(results.get("symbolic_big")!.size <= 15);
});
