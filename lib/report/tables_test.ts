import assert from "node:assert/strict";
import { join } from "node:path";
import { formatNumber, toCsv, toMarkdown, writeTableCsv } from "./tables.ts";

const table = {
  columns: ["method", { key: "order", title: "order" }, "mse", "note"],
  rows: [
    { note: "ok", mse: 0.1 + 0.2, order: 3, method: "nn2poly" },
    { method: "taylor, 2nd", order: 2, mse: 1e-12, note: 'say "hi"' },
    { method: "hope", order: 1, mse: NaN, note: null },
    { method: "x|y", order: -0, mse: Infinity },
  ],
};

Deno.test("CSV: exact text, stable column order, full-precision numbers", () => {
  const expected = [
    "method,order,mse,note",
    "nn2poly,3,0.30000000000000004,ok",
    '"taylor, 2nd",2,1e-12,"say ""hi"""',
    "hope,1,NaN,",
    "x|y,0,Inf,",
    "",
  ].join("\n");
  assert.equal(toCsv(table), expected);
  assert.equal(toCsv(table), toCsv(structuredClone(table)), "deterministic");
});

Deno.test("CSV: significant digits option and inferred column order", () => {
  const csv = toCsv({ rows: [{ b: 123456.789, a: 0.000123456 }, { a: 2, c: true }] }, { digits: 3 });
  assert.equal(csv, "b,a,c\n123000,0.000123,\n,2,true\n");
});

Deno.test("formatNumber is deterministic and rejects bad digits", () => {
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(-1e-9, 2), "-1e-9");
  assert.equal(formatNumber(2.5e21), "2.5e+21");
  assert.equal(formatNumber(1 / 3, 4), "0.3333");
  assert.throws(() => formatNumber(1, 0), /`digits` must be an integer in 1\.\.21/);
});

Deno.test("Markdown: same table, 4 significant digits, numeric columns right-aligned, pipes escaped", () => {
  const md = toMarkdown(table);
  assert.equal(
    md,
    [
      "| method | order | mse | note |",
      "| --- | ---: | ---: | --- |",
      "| nn2poly | 3 | 0.3 | ok |",
      '| taylor, 2nd | 2 | 1e-12 | say "hi" |',
      "| hope | 1 | NaN |  |",
      "| x\\|y | 0 | Inf |  |",
      "",
    ].join("\n"),
  );
  assert.match(toMarkdown(table, { fullPrecision: true }), /0\.30000000000000004/);
});

Deno.test("tables: bad input names the field", () => {
  assert.throws(() => toCsv({ rows: [] }), /no columns/);
  assert.throws(() => toCsv({ rows: [{ a: 1 }], columns: ["a", "a"] }), /duplicate column key 'a'/);
  assert.throws(
    () => toCsv({ rows: [{ a: [1, 2] as unknown as number }] }),
    /rows\[0\]\.a: .*flatten/,
  );
});

Deno.test("writeTableCsv writes the CSV atomically", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "tables", "t.csv");
    await writeTableCsv(path, { rows: [{ x: 1 }] });
    assert.equal(await Deno.readTextFile(path), "x\n1\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
