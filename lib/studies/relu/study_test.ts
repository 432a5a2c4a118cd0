import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { forward, parseNetwork } from "../../network/network.ts";
import { evaluateExtended } from "../../relu/extended.ts";
import { plNetwork, preActivations } from "../../relu/net.ts";
import { shallowNetwork } from "../../relu/shallow.ts";
import { runExperiment } from "../../experiment/runner.ts";
import "../../methods/mod.ts";
import { enumerateRegions } from "../../relu/regions.ts";
import { mulberry32, randomDyadicNetwork } from "../../relu/testing.ts";
import { analysisSchema, defineExperiment } from "../../experiment/schema.ts";
import { deepMerge, planExperiment } from "../../experiment/plan.ts";
import shallowConfig from "../../../experiments/relu-shallow.ts";
import treeConfig from "../../../experiments/relu-tree.ts";
import { paraboloid, squareOnGrid, twoMoons } from "./data.ts";
import { nextAfter, polygonCentroid, regionPolygon, zeroSetPoints } from "./geometry.ts";
import { productBound, serraBound } from "../../relu/bounds.ts";
import { logLogFit } from "./measure.ts";
import { reluShallow, reluShallowParams } from "./shallow_study.ts";
import { reluTree, reluTreeParams } from "./tree_study.ts";
import { tinyExperiment } from "../../../tests/tiny_experiment.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

Deno.test("region bounds: Zaslavsky for one layer, Serra's sum by hand, and real counts stay below both", () => {
  assert.equal(productBound(2, [3]), 7); // 3 lines in the plane
  assert.equal(serraBound(2, [3]), 7);
  assert.equal(productBound(2, [3, 3]), 49);
  // j1 = 0: 1·7; j1 = 1: 3·7; j1 = 2: 3·(1 + 3)
  assert.equal(serraBound(2, [3, 3]), 40);
  assert.equal(serraBound(1, [2, 2]), 9);
  const rng = mulberry32(8);
  for (let t = 0; t < 12; t++) {
    const p = 1 + (t % 3);
    const widths = t % 2 ? [4, 3] : [5];
    const count = enumerateRegions(plNetwork(randomDyadicNetwork(rng, p, widths, 1))).regions.length;
    assert.ok(count <= serraBound(p, widths) && serraBound(p, widths) <= productBound(p, widths));
  }
});

Deno.test("region polygons tile the box and carry the right centroid", () => {
  const half = regionPolygon([{ plane: { unit: 0, g: Float64Array.of(1, 0), h: 0 }, sign: 1 }], [-1, 1]);
  assert.deepEqual(half, [[0, -1], [1, -1], [1, 1], [0, 1]]);
  assert.deepEqual(polygonCentroid(half), { area: 2, x: 0.5, y: 0 });
  const net = plNetwork(randomDyadicNetwork(mulberry32(4), 2, [6, 5], 1));
  const set = enumerateRegions(net, { box: [-1, 1] });
  const total = set.regions.reduce(
    (s, r) => s + polygonCentroid(regionPolygon(r.inequalities, [-1, 1])).area,
    0,
  );
  assert.ok(Math.abs(total - 4) < 1e-9, `areas add up to ${total}`);
  for (const r of set.regions) {
    const { x, y } = polygonCentroid(regionPolygon(r.inequalities, [-1, 1]));
    const z = preActivations(net, [x, y]).z;
    assert.deepEqual(Array.from(z, (v) => (v > 0 ? 1 : 0)), Array.from(r.pattern)); // convex: centroid inside
  }
});

Deno.test("zero-set points: the network's own forward pass gives exactly 0 for the unit", () => {
  const net = plNetwork(randomDyadicNetwork(mulberry32(12), 2, [5, 4], 1));
  const set = enumerateRegions(net, { box: [-1, 1] });
  const pts = zeroSetPoints(net, set.regions, 200);
  assert.ok(pts.length > 30, `${pts.length} points`);
  for (const x of pts) assert.ok(preActivations(net, x).z.some((v) => v === 0));
  assert.equal(nextAfter(1, Infinity), 1 + Number.EPSILON);
  assert.equal(nextAfter(-1, Infinity), -1 + Number.EPSILON / 2);
  assert.equal(nextAfter(0, -Infinity), -Number.MIN_VALUE);
});

Deno.test("data: moons in the box with balanced classes, the paraboloid's targets, a log-log fit", () => {
  const m = twoMoons(1, 200);
  assert.ok(m.x.every((v) => v >= -1 && v <= 1));
  let ones = 0;
  for (let i = 0; i < 200; i++) ones += m.y[2 * i + 1];
  assert.equal(ones, 100);
  const q = paraboloid(2, 50, 3);
  for (let i = 0; i < 50; i++) {
    assert.ok(Math.abs(q.y[i] - (q.x[3 * i] ** 2 + q.x[3 * i + 1] ** 2 + q.x[3 * i + 2] ** 2)) < 1e-15);
  }
  const s = squareOnGrid(5, -2, 2);
  assert.deepEqual(Array.from(s.y), [4, 1, 0, 1, 4]);
  const fit = logLogFit([10, 100, 1000], [2e-3, 2e-2, 2e-1]);
  assert.ok(Math.abs(fit.slope - 1) < 1e-12);
});

Deno.test("relu-shallow and relu-tree configs validate (default and --full)", () => {
  for (
    const [config, schema] of [[shallowConfig, reluShallowParams], [treeConfig, reluTreeParams]] as const
  ) {
    const c = analysisSchema.parse(config);
    schema.parse(c.params);
    schema.parse(deepMerge(c.params, c.full ?? {}));
  }
});

Deno.test({
  name:
    "relu-shallow and relu-tree run end to end on tiny settings (tables, figures, exact shallow networks)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const ctx = (params: Record<string, unknown>) => analysisContext(dir, params);
      const out = await reluShallow(ctx({
        tasks: [{ name: "moons", kind: "moons", p: 2, samples: 120, architectures: [[4], [3, 3]] }],
        epochs: 3,
        randomPoints: 500,
        boundaryPoints: 100,
        maps: ["moons:3x3"],
      }));
      const csv = readFileSync(join(dir, "tables", "networks.csv"), "utf8").trim().split("\n");
      assert.equal(csv.length, 3);
      const header = csv[0].split(",");
      for (const line of csv.slice(1)) {
        const row = Object.fromEntries(line.split(",").map((v, i) => [header[i], v]));
        assert.ok(Number(row.max_err_random) <= 1e-9 && Number(row.max_err_boundary) <= 1e-9);
        assert.ok(Number(row.regions) <= Number(row.bound_serra));
      }
      assert.ok(existsSync(join(dir, "figures", "regions_moons_3x3.svg")));
      assert.ok(existsSync(join(dir, "figures", "twin_moons_3x3.svg")));
      assert.ok(out.sections!.some((s) => s.heading === "Findings"));
      const tree = await reluTree(ctx({ samples: 200, seeds: 2, epochs: 3 }));
      const trees = readFileSync(join(dir, "tables", "trees.csv"), "utf8").trim().split("\n");
      assert.equal(trees.length, 3);
      assert.ok(trees.slice(1).every((l) => l.split(",")[2] === "16"));
      assert.ok(tree.sections!.some((s) => s.text?.includes("→ region")));
      // the network with the paper's count of leaves is drawn beside the best fit (when it is another one)
      const rows = trees.slice(1).map((l) => l.split(",").map(Number)); // seed, fit, raw, leaves, in range
      const [best, other] = rows[0][1] >= rows[1][1] ? rows : [rows[1], rows[0]];
      rmSync(join(dir, "figures"), { recursive: true, force: true });
      const again = await reluTree(ctx({ samples: 200, seeds: 2, epochs: 3, paperLeaves: other[4] }));
      const findings = again.sections!.find((s) => s.heading === "Findings")!;
      if (other[4] === best[4]) {
        assert.match(findings.text!, /It is also a network with the paper's/);
        assert.ok(!existsSync(join(dir, "figures", "pieces_paper_count.svg")));
      } else {
        assert.match(
          findings.text!,
          new RegExp(`Beside it, seed ${other[0]} .*exactly the paper's ${other[4]} leaves`),
        );
        assert.ok(existsSync(join(dir, "figures", "pieces_paper_count.svg")));
        assert.equal(findings.figures!.length, 2);
        assert.ok(
          again.sections!.some((s) =>
            s.heading === `Tree of seed ${other[0]} (data range, ${other[4]} leaves)`
          ),
        );
      }
      const none = await reluTree(ctx({ samples: 200, seeds: 2, epochs: 3, paperLeaves: 99 }));
      assert.match(none.sections![0].text!, /No trained network has exactly 99 leaves in the data range\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name:
    "the framework trains ReLU networks (model.activation: relu); the shallow method reproduces them exactly",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const out = Deno.makeTempDirSync({ prefix: "polylab-relu-grid-" });
    try {
      const run = await runExperiment({
        input: defineExperiment({
          name: "relu-grid",
          description: "ReLU networks in a grid experiment",
          seed: 1,
          data: {
            p: 2,
            n: 200,
            truth: { kind: "formula", formula: "x1^2 + x2^2" },
            inputs: { kind: "uniform", lo: -1, hi: 1 },
            noiseSd: 0,
            scaleX: "minus1to1",
            scaleY: "minus1to1",
            trainFraction: 0.75,
          },
          model: { layers: 2, width: 6, activation: "relu", constraint: "none" },
          train: { optimizer: "adam", learningRate: 0.01, epochs: 20, batchSize: 25, validationSplit: 0 },
          methods: { polyRegression: { degree: 2 }, shallow: { box: [-1, 1] } },
          outputs: { tables: ["cells"], figures: [], formats: ["svg"], extras: [], saveNetworks: true },
        }),
        out,
        runId: "t",
        workers: 1,
        quiet: true,
      });
      assert.equal(run.status, "completed");
      const record = run.records[0];
      assert.ok(record.metrics.r2_nn_y > 0.5, `R² ${record.metrics.r2_nn_y}`);
      // the shallow method, applied by the framework, reproduces the network on the test set
      assert.ok(record.metrics.mse_nn_shallow < 1e-25, `MSE(NN, shallow) ${record.metrics.mse_nn_shallow}`);
      const net = parseNetwork(record.network!);
      assert.deepEqual(net.layers.map((l) => l.activation), ["relu", "relu", "linear"]);
      const pl = plNetwork(net);
      const set = enumerateRegions(pl);
      const sh = shallowNetwork(set, 1);
      const X = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i * 1.7));
      const got = evaluateExtended(sh.net, X, 200);
      const want = forward(net, X, 200);
      want.forEach((y, i) => assert.ok(Math.abs(got[i] - y) <= 1e-12 * Math.max(1, Math.abs(y))));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});

Deno.test("the shallow method refuses a non-piecewise-linear network when the config is planned", () => {
  const config = tinyExperiment({ shallow: {} }, {
    name: "tanh-shallow",
    model: { layers: 1, width: 4, activation: "tanh", constraint: "none" },
  });
  assert.throws(
    () => planExperiment(config),
    /shallow method needs relu or leaky_relu hidden layers, got "tanh"/,
  );
});
