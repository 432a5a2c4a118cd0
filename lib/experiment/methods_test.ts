import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import "../methods/mod.ts";
// a method registered from outside the framework and outside lib/methods/mod.ts
import "../../tests/methods/network_mean.ts";
import { UsageError } from "../errors.ts";
import { methodLabel, methodModules, methodNames } from "./method_registry.ts";
import { planExperiment, validateExperiment } from "./plan.ts";
import { runExperiment } from "./runner.ts";
import type { ExperimentInput } from "./schema.ts";

const tiny: ExperimentInput = {
  name: "tiny-methods",
  description: "a registered test method beside nn2poly",
  seed: 3,
  data: {
    p: 2,
    n: 80,
    truth: { kind: "formula", formula: "x1 - 2*x1*x2" },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
    noiseSd: 0.05,
  },
  model: { layers: 1, width: 6, constraint: "l1" },
  train: { epochs: 3, batchSize: 20, backend: "cpu" },
  methods: {
    networkMean: { offset: 0 },
    nn2poly: { maxOrder: 2, taylorOrders: 5, convergenceOrders: [1, 2] },
  },
  grid: { "model.activation": ["tanh", "sigmoid"] },
  outputs: { tables: ["cells", "methods"], figures: ["terms"], formats: ["svg"] },
};

/** Runs `fn` expecting a one-line UsageError matching `pattern`. */
function refuses(input: unknown, pattern: RegExp) {
  assert.throws(() => planExperiment(input as ExperimentInput), (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, got ${e}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
    return true;
  });
}

function withMethods(methods: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return { ...structuredClone(tiny), grid: {}, methods, ...extra };
}

Deno.test("the registry lists the adapters in registration order, each with its module for the workers", () => {
  assert.deepEqual(methodNames(), [
    "nn2poly",
    "taylor",
    "hope",
    "polyRegression",
    "shallow",
    "symbolic",
    "networkMean",
  ]);
  const modules = methodModules();
  assert.equal(modules.length, 7);
  assert.ok(modules.at(-1)!.endsWith("/tests/methods/network_mean.ts"));
  assert.equal(methodLabel("networkMean"), "network mean");
  assert.equal(methodLabel("taylor_mean"), "Taylor mean");
  assert.equal(methodLabel("nn2poly_q3"), "NN2Poly q3");
  assert.equal(methodLabel("unknown_x"), "unknown_x");
});

Deno.test("methods resolve in registration order with each method's defaults, whatever the order written", () => {
  const config = validateExperiment(withMethods({
    polyRegression: { degree: 2 },
    networkMean: {},
    taylor: { order: 3 },
    nn2poly: { maxOrder: 2 },
  }));
  assert.deepEqual(Object.keys(config.methods), ["nn2poly", "taylor", "polyRegression", "networkMean"]);
  assert.deepEqual(config.methods.nn2poly, { maxOrder: 2, taylorOrders: 8, taylorCenter: 0 });
  assert.deepEqual(config.methods.taylor, { order: 3, center: "origin" });
  assert.deepEqual(config.methods.networkMean, { offset: 0, minRows: 0 });
});

Deno.test("bad method options and unknown methods are refused with a one-line error naming the path", () => {
  refuses(
    withMethods({ nn2poyl: { maxOrder: 2 } }),
    /^methods\.nn2poyl: unknown method "nn2poyl"; known: nn2poly, taylor, hope, polyRegression, shallow, symbolic, networkMean$/,
  );
  refuses(withMethods({}), /^methods: choose at least one method$/);
  refuses(withMethods({ taylor: { order: -1 } }), /^methods\.taylor\.order: expected an integer ≥ 0/);
  refuses(withMethods({ taylor: { order: 2, centre: "mean" } }), /^methods\.taylor: unknown key "centre"/);
  refuses(
    withMethods({ hope: { order: 2, center: "median" } }),
    /^methods\.hope\.center: expected "origin", "mean"/,
  );
  refuses(
    withMethods({ taylor: { order: 2, radii: [0.5, -1] } }),
    /^methods\.taylor\.radii\.1: radii must be > 0/,
  );
  refuses(
    withMethods({ polyRegression: { degree: 2, target: "truth" } }),
    /^methods\.polyRegression\.target: /,
  );
  refuses(withMethods({ networkMean: { offset: "x" } }), /^methods\.networkMean\.offset: /);
  // a grid over an unknown method's option
  refuses(
    { ...structuredClone(tiny), grid: { "methods.nn2poly.order": [1, 2] } },
    /^grid\.methods\.nn2poly\.order: no such config field/,
  );
});

Deno.test("cross-field checks run when the config is planned, before any training or file", async () => {
  // NN2Poly cannot expand a kink; the taylor method can (locally)
  refuses(
    withMethods({ nn2poly: { maxOrder: 2 } }, { model: { layers: 1, width: 6, activation: "relu" } }),
    /^model\.activation: "relu" \(hidden layer 1\) has no Taylor expansion at its kink.*use an analytic activation/,
  );
  refuses(
    { ...structuredClone(tiny), grid: { "model.activation": ["tanh", "leaky_relu"] } },
    /^grid point model\.activation=leaky_relu: model\.activation: "leaky_relu" \(hidden layer 1\) has no Taylor/,
  );
  planExperiment(
    withMethods({ taylor: { order: 2 } }, {
      model: { layers: 1, width: 6, activation: "relu" },
    }) as ExperimentInput,
  );
  // the memory guards (30 inputs: C(38, 8) = 48,903,492 terms)
  const wide = { ...structuredClone(tiny).data, p: 30, truth: { kind: "formula", formula: "x1" } };
  refuses(
    withMethods({ nn2poly: { maxOrder: 8 } }, { data: wide }),
    /^methods\.nn2poly\.maxOrder: 8 gives 48903492 terms in 30 inputs .* above the memory guard of 40000000; lower it$/,
  );
  refuses(
    withMethods({ nn2poly: { maxOrder: 2, variants: { big: { maxOrder: 9 } } } }, { data: wide }),
    /^methods\.nn2poly\.variants\.big\.maxOrder: 9 gives/,
  );
  refuses(
    withMethods({ taylor: { order: 3, convergenceOrders: [8] } }, { data: wide }),
    /^methods\.taylor\.convergenceOrders: 8 gives/,
  );
  refuses(
    withMethods({ hope: { order: 8 } }, { data: wide }),
    /^methods\.hope\.order: 8 gives 48903492 terms .* HOPE's limit/,
  );
  refuses(
    withMethods({ taylor: { order: 2, center: [0.1, 0.2, 0.3] } }),
    /^methods\.taylor\.center: has 3 coordinates but the data has p = 2 inputs; give 2$/,
  );
  planExperiment(withMethods({ polyRegression: { degree: 9 } }) as ExperimentInput); // 55 terms, 60 rows
  refuses(
    withMethods({ polyRegression: { degree: 10 } }),
    /^methods\.polyRegression\.degree: degree 10 in 2 inputs has 66 terms but only 60 training rows; lower the degree/,
  );
  refuses(
    withMethods({ nn2poly: { maxOrder: 2, taylorOrders: [8, 8, 1] } }),
    /^methods\.nn2poly\.taylorOrders: has 3 entries but the network has 2 layers/,
  );
  // the test method's own check, through the same path
  refuses(
    withMethods({ networkMean: { minRows: 100 } }),
    /^methods\.networkMean\.minRows: needs 100 training rows, the config gives 60$/,
  );
  // nothing written
  const out = Deno.makeTempDirSync({ prefix: "polylab-refuse-" });
  try {
    await assert.rejects(
      runExperiment({
        input: withMethods({ hope: { order: 8 } }, { data: wide }) as ExperimentInput,
        out,
        quiet: true,
      }),
      UsageError,
    );
    assert.ok(!existsSync(join(out, "tiny-methods")), "no run folder");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

Deno.test({
  name:
    "a registered test method runs beside nn2poly, in-process and in 2 workers, with sizes and build times",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = Deno.makeTempDirSync({ prefix: "polylab-methods-" });
    try {
      const one = await runExperiment({ input: tiny, out, runId: "one", workers: 1, quiet: true });
      const two = await runExperiment({ input: tiny, out, runId: "two", workers: 2, quiet: true });
      assert.equal(one.status, "completed");
      const strip = (r: { timings: unknown }) => ({ ...r, timings: null });
      assert.deepEqual(two.records.map(strip), one.records.map(strip));
      for (const r of one.records) {
        const m = r.metrics;
        // the test method predicts one value: MSE(NN, mean) is the network's spread around it
        const mean = r.predictions.networkMean;
        assert.ok(mean.every((v) => v === mean[0]));
        assert.equal(m.size_networkMean, 1);
        assert.equal(m.size_nn2poly, 6, "C(2 + 2, 2) terms");
        assert.ok(m.mse_nn_nn2poly < m.mse_nn_networkMean);
        assert.deepEqual(
          Object.keys(m),
          [
            "mse_nn_y",
            "r2_nn_y",
            "mse_nn_nn2poly",
            "mse_nn2poly_y",
            "r2_nn_nn2poly",
            "mse_nn_networkMean",
            "mse_networkMean_y",
            "r2_nn_networkMean",
            "size_nn2poly",
            "size_networkMean",
          ],
          "registration order (nn2poly before the test method), sizes last",
        );
        for (const name of ["nn2poly", "networkMean"]) {
          const s = r.timings[`method_${name}`];
          assert.ok(s >= 0 && s < 10, `build time of ${name}: ${s}`);
        }
        assert.deepEqual(r.convergence.map((c) => [c.order, c.size]), [[1, 3], [2, 6]]);
        assert.equal(r.convergence[1].mse_nn, m.mse_nn_nn2poly);
      }
      const tables = join(one.runDir, "tables");
      const methods = readFileSync(join(tables, "methods.csv"), "utf8").trim().split("\n");
      assert.equal(
        methods[0],
        "activation,method,unit,n,size,mse_nn_median,mse_nn_q1,mse_nn_q3,mse_y_median,r2_nn_median",
      );
      assert.equal(methods.length, 1 + 2 * 2);
      assert.match(methods[1], /^tanh,nn2poly,terms,1,6,/);
      assert.match(
        readFileSync(join(tables, "timings.csv"), "utf8"),
        /^activation,method,n,build_seconds_median/,
      );
      assert.ok(existsSync(join(one.runDir, "figures", "terms.svg")));
      assert.equal(
        readFileSync(join(tables, "methods.csv"), "utf8"),
        readFileSync(join(two.runDir, "tables", "methods.csv"), "utf8"),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
