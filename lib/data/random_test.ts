import assert from "node:assert/strict";
import { deriveSeed, permutation, Rng, shuffle } from "./random.ts";

Deno.test("xoshiro128** matches the reference stream from state {1,2,3,4}", () => {
  const rng = Rng.fromState(1, 2, 3, 4);
  const got = Array.from({ length: 6 }, () => rng.nextUint32());
  assert.deepEqual(got, [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

Deno.test("same seed gives the same stream; first values are pinned", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const first = [a.nextUint32(), a.nextUint32(), a.nextUint32()];
  assert.deepEqual(first, [2837322924, 544945897, 479756282]);
  assert.deepEqual([b.nextUint32(), b.nextUint32(), b.nextUint32()], first);
  for (let i = 0; i < 1000; i++) assert.equal(a.next(), b.next());
  assert.notEqual(new Rng(43).nextUint32(), 2837322924);
});

Deno.test("next() is in [0,1) and uses more than 32 bits", () => {
  const rng = new Rng(7);
  let fine = 0;
  for (let i = 0; i < 10000; i++) {
    const u = rng.next();
    assert.ok(u >= 0 && u < 1);
    if (Math.round(u * 2 ** 32) !== u * 2 ** 32) fine++;
  }
  assert.ok(fine > 9900, `only ${fine} draws had bits beyond 2^-32`);
});

Deno.test("large seeds differ in their high words", () => {
  assert.notEqual(new Rng(2 ** 40 + 5).nextUint32(), new Rng(5).nextUint32());
  assert.throws(() => new Rng(-1), /seed: expected a non-negative integer/);
  assert.throws(() => new Rng(1.5), /seed/);
});

Deno.test("normal() has mean 0 and sd 1 on 1e5 draws; shifted and scaled correctly", () => {
  const rng = new Rng(123);
  const n = 100_000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sq += z * z;
  }
  const mean = sum / n;
  const sd = Math.sqrt(sq / n - mean * mean);
  assert.ok(Math.abs(mean) < 0.015, `mean ${mean}`);
  assert.ok(Math.abs(sd - 1) < 0.01, `sd ${sd}`);
  let s2 = 0;
  for (let i = 0; i < 20000; i++) s2 += rng.normal(10, 2);
  assert.ok(Math.abs(s2 / 20000 - 10) < 0.06);
});

Deno.test("int() is uniform and in range", () => {
  const rng = new Rng(9);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60000; i++) counts[rng.int(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `counts ${counts}`);
  assert.throws(() => rng.int(0), /int: expected an integer bound/);
});

Deno.test("shuffle and permutation are seeded permutations", () => {
  const p1 = permutation(new Rng(5), 50);
  const p2 = permutation(new Rng(5), 50);
  assert.deepEqual(p1, p2);
  assert.deepEqual([...p1].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(p1, permutation(new Rng(6), 50));
  const arr = ["a", "b", "c", "d", "e"];
  shuffle(new Rng(1), arr);
  assert.deepEqual([...arr].sort(), ["a", "b", "c", "d", "e"]);
});

Deno.test("deriveSeed is stable, uint32, and differs per path", () => {
  assert.equal(deriveSeed(42), 981414616);
  assert.equal(deriveSeed(42, "data"), 1044585449);
  assert.equal(deriveSeed(42, "init", 1), 2237446164);
  const seeds = new Set<number>();
  for (
    const path of [[], ["data"], ["split"], ["init", 0], ["init", 1], ["init", "1"], ["shuffle"], [
      "data",
      "x",
    ]]
  ) {
    const s = deriveSeed(42, ...path);
    assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 32);
    seeds.add(s);
  }
  assert.equal(seeds.size, 8);
  assert.notEqual(deriveSeed(42, "data"), deriveSeed(43, "data"));
  assert.throws(() => deriveSeed(-3, "x"), /deriveSeed.master/);
  assert.throws(() => deriveSeed(1, NaN), /deriveSeed.path\[0\]/);
});
