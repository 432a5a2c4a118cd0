import assert from "node:assert/strict";
import { chooseInterpretation } from "./evolution/hall_of_fame.ts";
import { type HallEntry, reportFront } from "./interpret.ts";
import { parseExpression } from "./parse/parse.ts";

const entry = (complexity: number, weightedLoss: number, loss: number): HallEntry => ({
  expression: `x1 + ${complexity}`,
  latex: "",
  complexity,
  weightedLoss,
  loss,
  tree: parseExpression("x1 + 1", 1),
});

Deno.test("reportFront: chosen on the weighted front, kept even where the unweighted loss would drop it", () => {
  // public C's situation: the product form (13) has a lower unweighted loss than the true form (14),
  // a higher weighted one; 12 is dominated on the weighted loss; the rule picks 14
  const all = [
    entry(11, 7.6e-3, 7.7e-3),
    entry(12, 1.2e-2, 1.2e-2),
    entry(13, 1.08e-3, 1.45e-3),
    entry(14, 6.9e-4, 1.75e-3),
    entry(19, 3.1e-4, 1.11e-3),
    entry(20, 1.7e-4, 5.2e-4),
    entry(21, 1.9e-4, 5.0e-4),
  ];
  const { front, choice } = reportFront(all, (curve) => chooseInterpretation(curve, { rule: "penalty" }));
  assert.deepEqual(front.map((e) => e.complexity), [11, 14, 19, 20]);
  assert.equal(front[choice.best].complexity, 14);
  for (let i = 1; i < front.length; i++) {
    assert.ok(front[i].loss < front[i - 1].loss && front[i].weightedLoss < front[i - 1].weightedLoss);
  }
  assert.ok(Math.abs(front[1].drop - 7.6e-3 / 6.9e-4) < 1e-12);
  // PySR's rule keeps every entry along which both losses decrease
  const pysr = reportFront(all, (curve) => chooseInterpretation(curve));
  assert.deepEqual(pysr.front.map((e) => e.complexity), [11, 13, 19, 20]);
  assert.equal(pysr.front[pysr.choice.best].complexity, 20);
});
