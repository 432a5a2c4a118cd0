import assert from "node:assert/strict";
import { fixtureDir, loadFixtures, type SymgradFixture } from "../../tests/fixtures.ts";
import { loadModel } from "../io/network_file.ts";
import { inputGradients, networkToJson, parseNetwork } from "../network/network.ts";
import { compile } from "../symbolic/evaluation/compile.ts";
import { GradientLoss } from "../symbolic/loss/gradient_loss.ts";
import { parseExpression } from "../symbolic/parse/parse.ts";
import { UsageError } from "./errors.ts";
import symgradCommand, { readSymgradInput } from "./symgrad.ts";
import { fromSympy } from "../symbolic/parse/sympy.ts";

function networkLoss(fx: SymgradFixture, expression: string, set: "points" | "test_points"): number {
  const net = parseNetwork(fx);
  const pts = fx[set];
  const x = Float64Array.from(pts.flat());
  const { gradient } = inputGradients(net, x, pts.length);
  const loss = new GradientLoss(x, gradient, pts.length, fx.inputs);
  return loss.loss(compile(parseExpression(fromSympy(expression), fx.inputs), fx.inputs));
}

const fixtures = loadFixtures<SymgradFixture>("symgrad");

Deno.test("symgrad fixtures: the truth's loss against the network's float64 gradients matches truth_loss", () => {
  if (fixtures.length === 0) return;
  assert.equal(fixtures.length, 5);
  for (const { file, data: fx } of fixtures) {
    const mine = networkLoss(fx, fx.truth, "points");
    assert.ok(Math.abs(mine - fx.truth_loss) <= 1e-12, `${file}: ${mine} vs ${fx.truth_loss}`);
    const test = networkLoss(fx, fx.truth, "test_points");
    assert.ok(Math.abs(test - fx.truth_loss_test) <= 1e-12, `${file}: ${test} vs ${fx.truth_loss_test}`);
  }
});

Deno.test("symgrad fixtures: losses of the fitted truths and of the near misses", () => {
  if (fixtures.length === 0) return;
  for (const { file, data: fx } of fixtures) {
    for (const e of [fx.fitted_truth, ...fx.near_misses]) {
      const mine = networkLoss(fx, e.expression, "points");
      assert.ok(
        Math.abs(mine - e.loss) <= 1e-9 * Math.max(1, e.loss),
        `${file} ${e.expression}: ${mine} vs ${e.loss}`,
      );
    }
  }
});

const base = {
  inputs: 2,
  layers: [
    { activation: "elu", weights: [[0.1, -0.2], [1, 0.5], [-0.3, 2]] },
    { activation: "linear", weights: [[0.05], [1], [-1]] },
  ],
  points: [[0.1, 0.2], [0.3, -0.4]],
};

function refused(json: unknown, pattern: RegExp): void {
  assert.throws(
    () => readSymgradInput("net.json", json),
    (e: unknown) => e instanceof UsageError && pattern.test(e.message) && !e.message.includes("\n"),
    `expected ${pattern}`,
  );
}

Deno.test("symgrad input: every malformed field is refused with one line naming it", () => {
  const clone = () => JSON.parse(JSON.stringify(base));
  assert.equal(readSymgradInput("net.json", base).n, 2);
  refused([1, 2], /expected a JSON object/);
  refused({ ...clone(), inputs: 0 }, /inputs: expected a positive integer/);
  const { inputs: _drop, ...noInputs } = clone();
  refused(noInputs, /inputs: expected a positive integer/);
  const shape = clone();
  shape.layers[1].weights.pop();
  refused(shape, /layers\[1\]\.weights: has 2 rows but must have 3/);
  const ragged = clone();
  ragged.layers[0].weights[1] = [1];
  refused(ragged, /layers\[0\]\.weights\[1\]: expected 2 numbers/);
  const act = clone();
  act.layers[0].activation = "swish";
  refused(act, /layers\[0\]\.activation: unknown activation "swish"/);
  const nan = clone();
  nan.layers[0].weights[0][0] = "NaN";
  refused(nan, /layers\[0\]\.weights\[0\]\[0\]: expected a finite number/);
  const two = clone();
  two.layers[1].weights = [[0, 0], [1, 1], [1, 1]];
  refused(two, /layers\[1\]\.weights: the last layer has 2 units; expected 1/);
  refused({ ...clone(), points: [] }, /points: expected a non-empty list/);
  refused(
    { ...clone(), points: [[0.1, 0.2, 0.5]] },
    /points\[0\]: expected 2 numbers \(one per input\), got 3/,
  );
  refused({ ...clone(), points: [[0.1, null]] }, /points\[0\]\[1\]: expected a finite number/);
  const mismatch = clone();
  mismatch.inputs = 3;
  refused(mismatch, /layers\[0\]\.weights: has 3 rows but must have 4/);
});

Deno.test("poly symgrad: bad flags are refused before any work", async () => {
  const bad: [string[], RegExp][] = [
    [[], /missing FILE\.json/],
    [["a.json", "b.json"], /unexpected argument "b\.json"/],
    [["a.json", "--seconds", "2"], /--seconds: expected a number of seconds ≥ 5/],
    [["a.json", "--seed", "-1"], /--seed: expected an integer ≥ 0/],
    [["a.json", "--max-complexity", "3"], /--max-complexity: expected an integer ≥ 5/],
    [["a.json", "--weighting", "fisher"], /--weighting: expected sensitivity or uniform/],
    [["a.json", "--frobnicate"], /poly symgrad: Unknown option/],
    [["/nonexistent/net.json"], /cannot read the file/],
  ];
  for (const [args, re] of bad) {
    await assert.rejects(
      () => symgradCommand(args),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      args.join(" "),
    );
  }
});

Deno.test("poly symgrad on an ONNX model with --points gives the front of the same network as polylab JSON", async () => {
  const dir = fixtureDir("models");
  if (!dir) return;
  const onnx = `${dir}onnx-nn2poly-tanh.onnx`;
  const net = loadModel(onnx).network!;
  const points = Array.from({ length: 40 }, (_, i) => [Math.cos(i) * 0.9, Math.sin(1.7 * i) * 0.9]);
  const tmp = Deno.makeTempDirSync({ prefix: "polylab-symgrad-cli-" });
  try {
    const pointsFile = `${tmp}/points.json`, jsonFile = `${tmp}/net.json`;
    Deno.writeTextFileSync(pointsFile, JSON.stringify({ points }));
    Deno.writeTextFileSync(jsonFile, JSON.stringify({ ...networkToJson(net), inputs: 2, points }));
    const flags = ["--evaluations", "4000", "--workers", "0", "--seed", "3"];
    const fromOnnx = await symgradCommand([onnx, "--points", pointsFile, ...flags]);
    const fromJson = await symgradCommand([jsonFile, ...flags]);
    assert.deepEqual(fromOnnx.front, fromJson.front);
    assert.equal(fromOnnx.best, fromJson.best);
    assert.ok((fromOnnx.front as unknown[]).length >= 2);
    // --points replaces a polylab file's own points: the first 20 give another front
    Deno.writeTextFileSync(pointsFile, JSON.stringify(points.slice(0, 20)));
    const fewer = await symgradCommand([jsonFile, "--points", pointsFile, ...flags]);
    const half = await symgradCommand([onnx, "--points", pointsFile, ...flags]);
    assert.deepEqual(fewer.front, half.front);
    assert.notDeepEqual(fewer.front, fromJson.front);
    // refusals, one line each
    const refusals: [string[], RegExp][] = [
      [[onnx], /onnx-nn2poly-tanh\.onnx: a model file holds no points; pass --points FILE\.json/],
      [[onnx, "--points", jsonFile.replace("net", "none")], /none\.json: cannot read the file/],
    ];
    Deno.writeTextFileSync(`${tmp}/wide.json`, JSON.stringify([[0, 0, 0]]));
    refusals.push([[onnx, "--points", `${tmp}/wide.json`], /wide\.json: points\[0\]: expected 2 numbers/]);
    Deno.writeTextFileSync(`${tmp}/odd.json`, JSON.stringify({ rows: [] }));
    refusals.push([[onnx, "--points", `${tmp}/odd.json`], /odd\.json: expected a JSON list of points/]);
    const conv = `${dir}onnx-taylor-conv-avgpool.onnx`;
    refusals.push([[conv, "--points", pointsFile], /poly symgrad needs a chain of dense layers/]);
    for (const [args, re] of refusals) {
      await assert.rejects(
        () => symgradCommand(args),
        (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes("\n"),
        args.join(" "),
      );
    }
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});
