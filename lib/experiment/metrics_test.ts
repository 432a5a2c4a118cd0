import assert from "node:assert/strict";
import { agreement, argmaxRows, columnMse, mse, rSquared } from "./metrics.ts";

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
