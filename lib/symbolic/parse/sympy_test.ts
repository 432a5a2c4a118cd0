import assert from "node:assert/strict";
import { evaluateAt } from "../evaluation/reference.ts";
import { parseExpression } from "./parse.ts";
import { fromSympy } from "./sympy.ts";

Deno.test("sympy syntax: powers and pi become the grammar's", () => {
  assert.equal(fromSympy("x1**2 + sin(pi*x2)"), `x1^2 + sin(${Math.PI}*x2)`);
  assert.equal(fromSympy("spin + x1"), "spin + x1", "pi only as a whole word");
  const e = parseExpression(fromSympy("exp(x1 - x2) - pi*x3**2"), 3);
  assert.ok(Math.abs(evaluateAt(e, [1, 1, 2]) - (1 - 4 * Math.PI)) < 1e-14);
});
