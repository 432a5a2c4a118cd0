import assert from "node:assert/strict";
import { parseNetwork } from "../network/network.ts";
import { explainPoint, formatAffine, formatInequality } from "./explain.ts";
import { plNetwork, preActivations } from "./net.ts";
import { enumerateRegions, type Inequality } from "./regions.ts";
import { loadReluFixtures } from "./testing.ts";
import { decisionTree, treeToText } from "./tree.ts";

// units x, x − 1, −x + 2 (kinks at 0, 1, 2), output their sum
const oneD = plNetwork(parseNetwork({
  layers: [
    { activation: "relu", weights: [[0, -1, 2], [1, 1, -1]] },
    { activation: "linear", weights: [[0], [1], [1], [1]] },
  ],
}));

Deno.test("explain: the local model and the rule of a 1-D network, printed readably", () => {
  const e = explainPoint(oneD, [0.5]);
  assert.deepEqual(e.pattern, [1, 0, 1]);
  assert.equal(e.onBoundary, false);
  assert.equal(e.outputs[0].text, "y = 2");
  assert.deepEqual(e.outputs[0].weights, [0]);
  assert.equal(e.outputs[0].y, 2);
  // (0, 1): bounded by the kinks at 0 and 1; the kink at 2 is redundant
  assert.deepEqual(e.rule, ["x1 > 0   [layer 1 unit 1 active]", "x1 < 1   [layer 1 unit 2 inactive]"]);
  const right = explainPoint(oneD, [3], { names: ["dose"] });
  assert.equal(right.outputs[0].text, "y = 2·dose − 1");
  assert.deepEqual(right.outputs[0].contributions, [6]);
  assert.deepEqual(right.rule, ["dose > 2   [layer 1 unit 3 inactive]"]);
  // on the kink at 1 the point goes to the side the anchor 0 lies on: (0, 1)
  const kink = explainPoint(oneD, [1]);
  assert.equal(kink.onBoundary, true);
  assert.deepEqual(kink.pattern, [1, 0, 1]);
  assert.equal(formatAffine([1.23456, -0.5, 0], -0.25, ["a", "b", "c"]), "1.23·a − 0.5·b − 0.25");
  assert.equal(
    formatInequality({ plane: { unit: 0, g: Float64Array.of(-4, 2), h: 1 }, sign: -1 }, ["a", "b"]),
    "a − 0.5·b > 0.25",
  );
});

Deno.test("explain: at every fixture test point the explanation is the network's (value, pattern, minimal rule)", () => {
  const fixtures = loadReluFixtures();
  if (!fixtures) return; // loadReluFixtures said why
  for (const fx of fixtures) {
    const net = plNetwork(parseNetwork(fx));
    const set = enumerateRegions(net);
    const byPattern = new Map(set.regions.map((r) => [r.pattern.join(""), r]));
    const sets: [number[][], number[][]][] = [[fx.x.slice(0, 40), fx.nn_pred], [
      fx.x_boundary,
      fx.nn_pred_boundary,
    ]];
    for (const [X, Y] of sets) {
      X.forEach((x, i) => {
        const e = explainPoint(net, x);
        const region = byPattern.get(e.pattern.join(""));
        assert.ok(region, `${fx.name}: pattern ${e.pattern.join("")} is not a region`);
        const z = preActivations(net, x).z;
        if (!e.onBoundary) assert.deepEqual(e.pattern, Array.from(z, (v) => (v > 0 ? 1 : 0)));
        e.outputs.forEach((o, k) => {
          assert.ok(
            Math.abs(o.y - Y[i][k]) <= 1e-9 * Math.max(1, Math.abs(Y[i][k])),
            `${fx.name}: value at ${x}`,
          );
          const sum = o.intercept + o.contributions.reduce((s, v) => s + v, 0);
          assert.ok(Math.abs(sum - o.y) <= 1e-12 * Math.max(1, Math.abs(o.y)));
        });
        // the rule is the region's minimal inequality set, and x satisfies it (≥ 0 on boundaries)
        // (as half-spaces: two units can share a hyperplane, and either copy may be the one kept)
        const halfSpace = (q: Inequality) => {
          const s = q.sign / Math.max(...Array.from(q.plane.g, Math.abs));
          return [...Array.from(q.plane.g, (v) => s * v), s * q.plane.h].map((v) => v.toPrecision(10)).join(
            ",",
          );
        };
        assert.deepEqual(e.inequalities.map(halfSpace).sort(), region.inequalities.map(halfSpace).sort());
        for (const q of e.inequalities) {
          let v = q.plane.h;
          x.forEach((xk, k) => (v += q.plane.g[k] * xk));
          assert.ok(q.sign * v >= 0);
        }
      });
    }
  }
});

Deno.test("decision tree: 2^H raw leaves, one leaf per region after pruning, printed once each", () => {
  const tree = decisionTree(oneD);
  assert.equal(tree.rawLeaves, 8);
  assert.equal(tree.leaves, 4);
  assert.equal(tree.decisions, 3); // a chain of kinks: 4 intervals need 3 real tests
  const text = treeToText(oneD, tree);
  assert.equal(text.split("\n").filter((l) => l.includes("→ region")).length, 4);
  assert.match(text, /if x1 > 0 {3}\[layer 1 unit 1\]/);
  const fixtures = loadReluFixtures();
  if (!fixtures) return; // loadReluFixtures said why
  for (const fx of fixtures.slice(0, 8)) {
    const net = plNetwork(parseNetwork(fx));
    const t = decisionTree(net);
    assert.equal(t.leaves, fx.region_count);
    assert.equal(t.decisions, t.leaves - 1, `${fx.name}: a binary tree with L leaves has L − 1 decisions`);
    assert.equal(
      treeToText(net, t).split("\n").filter((l) => l.includes("→ region")).length,
      fx.region_count,
    );
  }
});
