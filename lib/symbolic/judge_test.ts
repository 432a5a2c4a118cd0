import assert from "node:assert/strict";
import { accepted } from "./judge.ts";

Deno.test("the outside check's acceptance: loss ≤ max(3 × the reference's, 2e-3) and ρ ≥ 0.98", () => {
  assert.ok(accepted({ gradientLoss: 2e-3, spearman: 0.98 }, 1e-4));
  assert.ok(!accepted({ gradientLoss: 2.1e-3, spearman: 0.99 }, 1e-4));
  assert.ok(accepted({ gradientLoss: 2.9e-2, spearman: 0.99 }, 1e-2));
  assert.ok(!accepted({ gradientLoss: 3.1e-2, spearman: 0.99 }, 1e-2));
  assert.ok(!accepted({ gradientLoss: 0, spearman: 0.979 }, 1e-2));
  assert.ok(!accepted({ gradientLoss: Infinity, spearman: 1 }, 1e-2));
});
