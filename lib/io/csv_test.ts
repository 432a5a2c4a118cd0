import assert from "node:assert/strict";
import { parseCsv, parseCsvRecords } from "./csv.ts";

Deno.test("csv: quotes, doubled quotes, commas and newlines inside quotes, CRLF, BOM, blank lines", () => {
  const text = '\ufeff"a","b c",d\r\n1,"x, ""y""",3\r\n\r\n2,"multi\nline",\n';
  assert.deepEqual(parseCsvRecords(text), [["a", "b c", "d"], ["1", 'x, "y"', "3"], [
    "2",
    "multi\nline",
    "",
  ]]);
  const t = parseCsv(text);
  assert.deepEqual(t.header, ["a", "b c", "d"]);
  assert.equal(t.rows.length, 2);
});

Deno.test("csv: the last line without a newline; errors name the line", () => {
  assert.deepEqual(parseCsvRecords("h1,h2\n1,2"), [["h1", "h2"], ["1", "2"]]);
  assert.throws(() => parseCsv("h1,h2\n1,2,3\n"), /data row 1: 3 fields, the header has 2/);
  assert.throws(() => parseCsvRecords('a\n"open\n'), /line 2: a quoted field is never closed/);
  assert.throws(() => parseCsv(""), /empty/);
});
