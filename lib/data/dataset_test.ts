import assert from "node:assert/strict";
import { parseCsv } from "../io/csv.ts";
import { datasetFromTable } from "./dataset.ts";

const table = parseCsv('"a","b","label","y"\n1,2,"cat",0.5\n3,4,"dog",1.5\n5,6,"cat",2.5\n');

Deno.test("dataset: regression takes every other column as predictors, in file order", () => {
  const d = datasetFromTable(table, { target: "y", columns: ["a", "b"] }, "regression");
  assert.deepEqual(Array.from(d.x), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(d.y), [0.5, 1.5, 2.5]);
  assert.deepEqual(d.columns, ["a", "b"]);
  assert.equal(d.n, 3);
  const reordered = datasetFromTable(table, { target: "y", columns: ["b", "a"] }, "regression");
  assert.deepEqual(Array.from(reordered.x), [2, 1, 4, 3, 6, 5]);
});

Deno.test("dataset: classification one-hot encodes classes in order of first appearance", () => {
  const d = datasetFromTable(table, { target: "label", columns: ["a", "b", "y"] }, "classification");
  assert.deepEqual(d.classes, ["cat", "dog"]);
  assert.deepEqual(Array.from(d.y), [1, 0, 0, 1, 1, 0]);
  assert.equal(d.x.length, 9);
});

Deno.test("dataset: errors name the config field and the bad value", () => {
  assert.throws(
    () => datasetFromTable(table, { target: "z" }, "regression"),
    /data\.dataset\.target: no column "z".*a, b, label, y/,
  );
  assert.throws(
    () => datasetFromTable(table, { target: "y", columns: ["a", "nope"] }, "regression"),
    /data\.dataset\.columns\[1\]: no column "nope"/,
  );
  assert.throws(
    () => datasetFromTable(table, { target: "y", columns: ["a", "y"] }, "regression"),
    /data\.dataset\.columns\[1\]: "y" is the target/,
  );
  // the default predictors include the text column "label": not a number
  assert.throws(
    () => datasetFromTable(table, { target: "y" }, "regression"),
    /row 1, column "label" is "cat", not a finite number/,
  );
  const one = parseCsv("a,c\n1,x\n2,x\n");
  assert.throws(
    () => datasetFromTable(one, { target: "c" }, "classification"),
    /has 1 class; need at least 2/,
  );
});
