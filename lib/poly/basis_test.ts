import assert from "node:assert/strict";
import { getProductTable, MonomialBasis, productPairCount, termCount } from "./basis.ts";

Deno.test("basis size is C(p+Q, Q) and terms are graded-lex ordered", () => {
  const b = new MonomialBasis(3, 3);
  assert.equal(b.size, termCount(3, 3));
  assert.equal(b.size, 20);
  assert.deepEqual(
    Array.from({ length: 10 }, (_, t) => b.termVars(t)),
    [[], [0], [1], [2], [0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]],
  );
  assert.deepEqual(b.termVars(19), [2, 2, 2]);
  assert.equal(termCount(54, 3), 29260);
});

Deno.test("rank inverts termVars, parents drop the last variable", () => {
  const b = new MonomialBasis(5, 4);
  for (let t = 0; t < b.size; t++) {
    const vars = b.termVars(t);
    assert.equal(b.rank(vars), t);
    if (t > 0) {
      assert.deepEqual(b.termVars(b.parent[t]), vars.slice(0, -1));
      assert.equal(b.lastVar[t], vars[vars.length - 1]);
    }
  }
});

Deno.test("product table agrees with merging tuples for every pair", () => {
  const p = 4, Q = 4;
  const table = getProductTable(p, Q);
  const b = table.basis;
  let pairs = 0;
  for (let a = 1; a < b.size; a++) {
    for (let c = 1; c < b.size; c++) {
      if (b.degree[a] + b.degree[c] > Q) continue;
      pairs++;
      const merged = [...b.termVars(a), ...b.termVars(c)].sort((x, y) => x - y);
      assert.equal(table.product[table.rowStart[a] - 1 + c], b.rank(merged));
    }
  }
  assert.equal(table.pairs, pairs);
  assert.equal(productPairCount(p, Q), pairs);
});

Deno.test("invalid basis arguments are refused", () => {
  assert.throws(() => new MonomialBasis(0, 2), /p must be a positive integer/);
  assert.throws(() => new MonomialBasis(2, -1), /maxDegree/);
});
