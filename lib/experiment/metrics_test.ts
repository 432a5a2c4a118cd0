import assert from "node:assert/strict";
import { agreement, argmaxRows, columnMse, mse, radiusCurve, rSquared } from "./metrics.ts";

Deno.test("rSquared of predictions against a target: perfect, mean-only, worked example, constant target", () => {
  assert.equal(rSquared([1, 2, 3], [1, 2, 3]), 1);
  assert.equal(rSquared([2, 2, 2], [1, 2, 3]), 0);
  // residuals 0.5, −0.5, 0 → SS_res 0.5; SS_tot 2
  assert.ok(Math.abs(rSquared([0.5, 2.5, 3], [1, 2, 3]) - 0.75) < 1e-15);
  assert.equal(rSquared([4, 4], [4, 4]), 1);
  assert.equal(rSquared([4, 5], [4, 4]), -Infinity);
  assert.throws(() => rSquared([1], [1, 2]), RangeError);
});

Deno.test("mse, per-column mse, argmax and agreement", () => {
  assert.equal(mse([1, 2], [1, 4]), 2);
  assert.equal(columnMse([1, 10, 2, 20], [1, 11, 4, 20], 2, 0), 2);
  assert.deepEqual(Array.from(argmaxRows([0.1, 0.9, 0.5, 0.2], 2)), [1, 0]);
  assert.equal(agreement([1, 0, 2], [1, 1, 2]), 2 / 3);
});

Deno.test("radiusCurve: MSE over the rows within each distance of the centre (worked example)", () => {
  // three points at distances 0, 1 and 2 from the centre (1, 1); errors 1, 2 and 4 (two outputs: the
  // second always exact)
  const x = [1, 1, 1, 2, 3, 1];
  const a = [0, 0, 0, 0, 0, 0];
  const b = [1, 0, 2, 0, 4, 0];
  const curve = radiusCurve(x, 3, [1, 1], a, b, 2, [0.5, 1, 1.5, 2, 10]);
  assert.deepEqual(curve.map((c) => c.n), [1, 2, 2, 3, 3]);
  assert.deepEqual(curve.map((c) => c.mse), [1 / 2, 5 / 4, 5 / 4, 21 / 6, 21 / 6]);
  assert.deepEqual(radiusCurve(x, 3, [9, 9], a, b, 2, [1]), [{ radius: 1, n: 0, mse: null }]);
  assert.throws(() => radiusCurve(x, 2, [1, 1], a, b, 2, [1]), RangeError);
});
