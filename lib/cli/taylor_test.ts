import assert from "node:assert/strict";
import { UsageError } from "./errors.ts";
import { polyCommand } from "./poly.ts";
import { piecewiseLinearNote, resolveTaylorJob, taylorRunner } from "./taylor.ts";
import { parseNetwork } from "../network/network.ts";

const file = {
  inputs: 2,
  layers: [
    { activation: "tanh", weights: [[0.1, -0.2], [0.5, 0.3], [-0.4, 0.8]] },
    { activation: "sin", weights: [[0.05], [1.2], [-0.7]] },
  ],
  order: 3,
  x0: [0.2, -0.1],
};

Deno.test("poly taylor: order and x0 default to the file; flags override; labels in taylor style", async () => {
  const out = await taylorRunner(file, {});
  assert.equal(out.method, "exact");
  assert.equal(out.order, 3);
  assert.deepEqual(out.x0, [0.2, -0.1]);
  const labels = out.labels as number[][];
  assert.equal(labels.length, 10);
  assert.deepEqual(labels.slice(0, 4), [[], [1], [2], [1, 1]]);
  assert.ok(typeof out.seconds === "number" && out.seconds >= 0);
  const hope = await taylorRunner(file, { method: "hope", order: "1", x0: "0,0" });
  assert.equal((hope.labels as number[][]).length, 3);
  assert.deepEqual(hope.x0, [0, 0]);
  // one hidden layer: HOPE equals exact
  const exact = await taylorRunner(file, { order: "1", x0: "0,0" });
  (exact.coefficients as number[][])[0].forEach((c, t) =>
    assert.ok(Math.abs(c - (hope.coefficients as number[][])[0][t]) < 1e-15)
  );
});

Deno.test("poly taylor autodiff reports its backend and matches exact to float32", async () => {
  const ad = await taylorRunner(file, { method: "autodiff", order: "2" });
  const ex = await taylorRunner(file, { order: "2" });
  assert.ok(typeof ad.backend === "string" && Array.isArray(ad.notes));
  (ex.coefficients as number[][])[0].forEach((c, t) =>
    assert.ok(Math.abs(c - (ad.coefficients as number[][])[0][t]) < 1e-5)
  );
});

Deno.test("poly taylor: malformed input is a one-line UsageError naming the field or flag", async () => {
  const bad = (obj: Record<string, unknown>, flags: Record<string, string>, re: RegExp) =>
    assert.throws(
      () => resolveTaylorJob(obj, flags),
      (e: Error) => e instanceof UsageError && re.test(e.message),
    );
  const { order: _o, x0: _x, ...bare } = file;
  bad(bare, {}, /no order in the file; pass --order/);
  bad(bare, { order: "2" }, /no x0 in the file; pass --x0/);
  bad(file, { x0: "0.1" }, /x0 has 1 values but the network has 2 inputs/);
  bad(file, { method: "bogus" }, /--method: expected one of exact, hope, autodiff/);
  bad(file, { order: "-1" }, /--order: expected an integer/);
  bad({ ...file, order: 1.5 }, {}, /order in the file must be a non-negative integer/);
  bad({ ...file, x0: [0, "a"] }, {}, /x0 in the file must be a list of finite numbers/);
  bad(
    { ...file, layers: [{ activation: "swish", weights: [[0], [1], [1]] }] },
    {},
    /unknown activation "swish"/,
  );
  bad({ ...file, layers: [{ activation: "tanh", weights: [[0], [1, 2], [1]] }] }, {}, /weights\[1\]/);
  bad({ ...file, layers: [{ activation: "tanh", weights: [[0], [null], [1]] }] }, {}, /finite number/);
  await assert.rejects(
    () => taylorRunner(file, { order: "400" }),
    (e: Error) => e instanceof UsageError && /expansion too large/.test(e.message),
  );
  // through the poly command, as main.ts runs it
  await assert.rejects(
    () => polyCommand(["taylor", "/nonexistent.json"], taylorRunner),
    (e: Error) => e instanceof UsageError && !e.message.includes("\n"),
  );
});

Deno.test("poly taylor says when relu layers make the expansion trivially linear", () => {
  const relu = parseNetwork({
    layers: [{ activation: "relu", weights: [[0.5, -1], [1, 2]] }, {
      activation: "linear",
      weights: [[0], [1], [1]],
    }],
  });
  assert.match(piecewiseLinearNote(relu).notes![0], /expansion is the network's active linear piece/);
  const mixed = parseNetwork({
    layers: [{ activation: "relu", weights: [[0.5], [1]] }, { activation: "tanh", weights: [[0], [1]] }],
  });
  assert.match(piecewiseLinearNote(mixed).notes![0], /1 relu\/leaky_relu layer/);
  assert.deepEqual(
    piecewiseLinearNote(parseNetwork({ layers: [{ activation: "tanh", weights: [[0], [1]] }] })),
    {},
  );
});
