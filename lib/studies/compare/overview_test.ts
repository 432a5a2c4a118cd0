import assert from "node:assert/strict";
import type { CellRecord } from "../../experiment/cell.ts";
import { paretoFront, sizedMethods, winners } from "./overview.ts";

const record = (metrics: Record<string, number>) => ({ metrics }) as unknown as CellRecord;

Deno.test("paretoFront keeps the points no other point beats in both coordinates", () => {
  const points = [{ x: 1, y: 5 }, { x: 2, y: 2 }, { x: 3, y: 3 }, { x: 4, y: 1 }, { x: 2, y: 2 }, {
    x: 5,
    y: 1,
  }];
  // (3,3) is beaten by (2,2); (5,1) by (4,1); the two equal (2,2) do not beat each other
  assert.deepEqual(paretoFront(points), [0, 1, 3, 4]);
  assert.deepEqual(paretoFront([]), []);
});

Deno.test("winners: the method closest to the network per record; non-finite errors never win", () => {
  const a = record({ mse_nn_a: 1e-3, mse_nn_b: 1e-5, size_a: 6, size_b: 6 });
  const b = record({ mse_nn_a: 1e-4, mse_nn_b: NaN, size_a: 6, size_b: 6 });
  const c = record({ mse_nn_a: 2, mse_nn_b: 2, size_a: 6, size_b: 6 });
  assert.deepEqual(sizedMethods([a]), ["a", "b"]);
  const w = winners([a, b, c], ["a", "b"]);
  assert.deepEqual([w.get(a), w.get(b), w.get(c)], ["b", "a", "a"]);
});
