import assert from "node:assert/strict";
import { medianFolds } from "./cross_validation.ts";

Deno.test("median folds: every point is held out in exactly p of the 2p folds, fit and test disjoint", () => {
  const n = 41, p = 3;
  const x = Float64Array.from({ length: n * p }, (_, i) => Math.sin(1.3 * i) + (i % p));
  const folds = medianFolds(x, n, p);
  assert.equal(folds.length, 2 * p);
  const heldOut = new Int32Array(n);
  for (const { fit, test } of folds) {
    assert.equal(fit.length + test.length, n);
    const inFit = new Set(fit);
    for (const i of test) {
      assert.ok(!inFit.has(i));
      heldOut[i]++;
    }
  }
  assert.deepEqual([...heldOut], Array(n).fill(p));
  // an input with a single value cannot be split
  const flat = Float64Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? 1 : i));
  assert.equal(medianFolds(flat, n, 2).length, 2);
});
