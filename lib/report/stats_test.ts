import assert from "node:assert/strict";
import { quantileSorted, summarize, summarizeGroups } from "./stats.ts";

Deno.test("quantiles follow R type 7 on known data", () => {
  // R: quantile(1:10) → 1.00 3.25 5.50 7.75 10.00
  const s = summarize([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.equal(s.q1, 3.25);
  assert.equal(s.median, 5.5);
  assert.equal(s.q3, 7.75);
  assert.equal(s.min, 1);
  assert.equal(s.max, 10);
  assert.equal(s.mean, 5.5);
  assert.ok(Math.abs(s.sd - 3.0276503540974917) < 1e-12); // R: sd(1:10)
  assert.equal(s.n, 10);
  assert.equal(s.failed, 0);
  // R: quantile(c(1, 2, 4, 8, 100), c(.25, .5, .75)) → 2 4 8; p = 0.1 → 1.4
  assert.equal(quantileSorted([1, 2, 4, 8, 100], 0.1), 1.4);
  assert.equal(quantileSorted([7], 0.25), 7);
});

Deno.test("summarize ignores and counts failed entries", () => {
  const s = summarize([1, null, 3, NaN, undefined, Infinity, 2]);
  assert.equal(s.n, 3);
  assert.equal(s.failed, 4);
  assert.equal(s.median, 2);
  assert.equal(s.sd, 1);
  const one = summarize([4]);
  assert.ok(Number.isNaN(one.sd), "sd of a single value is NaN");
  const none = summarize([null, NaN]);
  assert.equal(none.n, 0);
  assert.equal(none.failed, 2);
  assert.ok(Number.isNaN(none.median));
});

Deno.test("quantileSorted rejects bad input with a named field", () => {
  assert.throws(() => quantileSorted([], 0.5), /`sorted` is empty/);
  assert.throws(() => quantileSorted([1], 1.5), /`p` must be in \[0, 1\]/);
});

Deno.test("summarizeGroups keeps first-seen group order and counts failures per group", () => {
  const rows = [
    { width: 50, act: "tanh", mse: 1 },
    { width: 100, act: "tanh", mse: 5 },
    { width: 50, act: "tanh", mse: 3 },
    { width: 50, act: "tanh", mse: null },
  ];
  const out = summarizeGroups(rows, ["width", "act"], "mse");
  assert.equal(out.length, 2);
  assert.deepEqual([out[0].width, out[0].n, out[0].failed, out[0].median], [50, 2, 1, 2]);
  assert.deepEqual([out[1].width, out[1].n, out[1].median], [100, 1, 5]);
  assert.deepEqual(Object.keys(out[0]).slice(0, 3), ["width", "act", "n"]);
  assert.throws(() => summarizeGroups(rows, ["depth"], "mse"), /no group field 'depth'/);
});
