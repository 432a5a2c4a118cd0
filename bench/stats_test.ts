import assert from "node:assert/strict";
import { Rng } from "../lib/data/random.ts";
import {
  bootstrapRatioInterval,
  holm,
  mannWhitney,
  mannWhitneyExactDistribution,
  medianOf,
  ratioOfMedians,
} from "./stats.ts";

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("Mann–Whitney exact distribution: counts of the C(m+n, m) orderings", () => {
  // m = n = 2: the 6 orderings give U = 0,1,2,2,3,4
  assert.deepEqual([...mannWhitneyExactDistribution(2, 2)].map((p) => Math.round(p * 6)), [1, 1, 2, 1, 1]);
  // m = 3, n = 4: partitions of u into ≤ 3 parts ≤ 4, over C(7, 3) = 35
  const d = mannWhitneyExactDistribution(3, 4);
  assert.deepEqual([...d.subarray(0, 4)].map((p) => Math.round(p * 35)), [1, 1, 2, 3]);
  for (const [m, n] of [[1, 1], [5, 3], [10, 10], [49, 49]]) {
    const dist = mannWhitneyExactDistribution(m, n);
    assert.equal(dist.length, m * n + 1);
    close(dist.reduce((s, p) => s + p, 0), 1, 1e-12);
    for (let u = 0; u <= m * n; u++) close(dist[u], dist[m * n - u], 1e-15); // symmetric
  }
  close(mannWhitneyExactDistribution(10, 10)[0], 1 / 184756, 1e-18); // C(20, 10) = 184756
});

Deno.test("Mann–Whitney exact p: hand-computed tiny samples and R's documented example", () => {
  // complete separation, 3 vs 3: P(U = 0) = 1/20, two-sided 0.1
  assert.deepEqual(mannWhitney([1, 2, 3], [4, 5, 6]), { u: 0, p: 0.1, method: "exact" });
  // x = 1,3,5 vs y = 2,4,6,7: U = 3 (3>2, 5>2, 5>4); P(U ≤ 3) = 7/35; two-sided 0.4
  const r = mannWhitney([1, 3, 5], [2, 4, 6, 7]);
  assert.equal(r.u, 3);
  close(r.p, 0.4, 1e-12);
  // the mirror image gives the same p from the other tail
  close(mannWhitney([2, 4, 6, 7], [1, 3, 5]).p, 0.4, 1e-12);
  // 4 vs 5 separated: 2/C(9, 4) = 2/126
  close(mannWhitney([1, 2, 3, 4], [5, 6, 7, 8, 9]).p, 2 / 126, 1e-12);
  // R's ?wilcox.test example (depression scores): W = 35, two-sided p = 2 × 0.1272 ("greater")
  const x2 = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y2 = [1.15, 0.88, 0.90, 0.74, 1.21];
  const e = mannWhitney(x2, y2);
  assert.equal(e.u, 35);
  assert.equal(e.method, "exact");
  close(e.p, 0.2544, 1e-4);
});

Deno.test("Mann–Whitney normal approximation: tie and continuity correction by hand", () => {
  // x = 1,2,2 vs y = 2,3,3,4: mid-ranks 1, 3, 3 → R = 7, U = 1; ties 3 and 2 → Σ(t³−t) = 30;
  // σ² = (12/12)(8 − 30/42) = 51/7; z = (1 − 6 + 0.5)/√(51/7) = −1.667157; p = 2Φ(z) = 0.0954832
  const r = mannWhitney([1, 2, 2], [2, 3, 3, 4]);
  assert.equal(r.method, "normal");
  assert.equal(r.u, 1);
  close(r.p, 0.09548323, 1e-6);
  // large samples use the normal approximation even without ties
  const big = mannWhitney(
    Array.from({ length: 60 }, (_, i) => i),
    Array.from({ length: 60 }, (_, i) => i + 0.5),
  );
  assert.equal(big.method, "normal");
  assert.ok(big.p > 0.8);
  assert.equal(mannWhitney([1, 1], [1, 1]).p, 1); // all tied: no evidence
});

Deno.test("Holm: hand-computed adjustment, order kept, NaN left out", () => {
  // sorted 0.01, 0.03, 0.04, 0.2 → 4·0.01, max(3·0.03, ·) = 0.09, max(2·0.04, 0.09) = 0.09, 0.2
  const adj = holm([0.01, 0.04, 0.03, 0.2]);
  [0.04, 0.09, 0.09, 0.2].forEach((v, i) => close(adj[i], v, 1e-12));
  const withNaN = holm([NaN, 0.01, 0.02]);
  assert.ok(Number.isNaN(withNaN[0]));
  close(withNaN[1], 0.02, 1e-12);
  close(withNaN[2], 0.02, 1e-12);
  assert.deepEqual(holm([0.5, 0.9]), [1, 1]);
  assert.deepEqual(holm([]), []);
});

Deno.test("ratio of medians and the seeded bootstrap interval", () => {
  assert.equal(medianOf([3, 1, 2, 10]), 2.5);
  assert.equal(ratioOfMedians([1, 2, 3], [2, 4, 6]), 2);
  // constant samples: every resample has the same medians
  assert.deepEqual(bootstrapRatioInterval([5, 5, 5], [10, 10, 10], { seed: 3 }), [2, 2]);
  const rng = new Rng(11);
  const a = Array.from({ length: 12 }, () => 1 + 0.05 * rng.normal());
  const b = Array.from({ length: 12 }, () => 1.3 + 0.05 * rng.normal());
  const ci = bootstrapRatioInterval(a, b, { seed: 42 });
  assert.deepEqual(bootstrapRatioInterval(a, b, { seed: 42 }), ci); // reproducible
  assert.notDeepEqual(bootstrapRatioInterval(a, b, { seed: 43 }), ci);
  assert.ok(ci[0] < ratioOfMedians(a, b) && ratioOfMedians(a, b) < ci[1]);
  assert.ok(ci[0] > 1.15 && ci[1] < 1.45, `${ci}`);
  // coverage: the true ratio 1.3 lies inside the 95 % interval in most of 200 seeded experiments
  let covered = 0;
  for (let s = 0; s < 200; s++) {
    const r = new Rng(1000 + s);
    const x = Array.from({ length: 15 }, () => Math.exp(0.1 * r.normal()));
    const y = Array.from({ length: 15 }, () => 1.3 * Math.exp(0.1 * r.normal()));
    const [lo, hi] = bootstrapRatioInterval(x, y, { seed: s, reps: 500 });
    if (lo <= 1.3 && 1.3 <= hi) covered++;
  }
  assert.ok(covered >= 170 && covered <= 200, `covered ${covered}/200`);
});
