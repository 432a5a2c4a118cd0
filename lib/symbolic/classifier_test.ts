/**
 * The outside check's acceptance on the shared symgrad fixtures (tasks A1, A, B, C, D of Wetzel,
 * arXiv 2401.04978), run in CI on the CLI's deterministic budget for `--seconds 75` (evaluations
 * and patience) instead of its wall clock, so the outcome is deterministic: seed 1, two workers.
 */

import assert from "node:assert/strict";
import { loadFixtures, type SymgradFixture } from "../../tests/fixtures.ts";
import { parseNetwork } from "../network/network.ts";
import { CLASSIFIER_PATIENCE, EVALUATIONS_PER_SECOND, interpretClassifier } from "./classifier.ts";
import { compareToReference } from "./judge.ts";
import { parseExpression } from "./parse/parse.ts";
import { valuesAndGradients } from "./judge.ts";
import { GradientLoss } from "./loss/gradient_loss.ts";
import { compile } from "./evaluation/compile.ts";
import { inputGradients } from "../network/network.ts";
import { fromSympy } from "./parse/sympy.ts";

/** Evaluations per concept: the CLI's deterministic budget at `--seconds 75`. */
export const CI_EVALUATIONS = EVALUATIONS_PER_SECOND * 75;

const fixtures = loadFixtures<SymgradFixture>("symgrad");

for (const { file, data: fx } of fixtures) {
  Deno.test({
    name: `symgrad ${fx.name}: recovered as the outside check judges it (${CI_EVALUATIONS} evaluations)`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const net = parseNetwork(fx);
      const p = fx.inputs;
      const x = Float64Array.from(fx.points.flat());
      const res = await interpretClassifier(net, x, fx.points.length, {
        search: { seed: 1 },
        budget: { maxEvaluations: CI_EVALUATIONS, ...CLASSIFIER_PATIENCE },
        workers: 2,
      });
      const chosen = res.front[res.best];
      // 3. the reported loss is the unweighted loss of exactly the printed expression
      const { gradient } = inputGradients(net, x, fx.points.length);
      const recomputed = new GradientLoss(x, gradient, fx.points.length, p).loss(
        compile(parseExpression(chosen.expression, p), p),
      );
      assert.ok(
        Math.abs(chosen.loss - recomputed) <= 1e-12 * Math.max(1, recomputed),
        `${file}: reported loss`,
      );
      // 1. and 2. against the truth on the held-out points
      const test = Float64Array.from(fx.test_points.flat());
      const truth = parseExpression(fromSympy(fx.truth), p);
      const a = compareToReference(chosen.tree, truth, test, fx.test_points.length, p);
      const tol = Math.max(3 * fx.truth_loss_test, 2e-3);
      const line = `${fx.name}: ${chosen.expression} (complexity ${chosen.complexity}); ` +
        `vs truth ${a.gradientLoss.toExponential(2)} (≤ ${tol.toExponential(2)}), ρ ${a.spearman.toFixed(4)}`;
      console.log(line);
      assert.ok(a.gradientLoss <= tol, line);
      assert.ok(Number.isFinite(valuesAndGradients(chosen.tree, test, fx.test_points.length, p).value[0]));
      assert.ok(a.spearman >= 0.98, line);
    },
  });
}
