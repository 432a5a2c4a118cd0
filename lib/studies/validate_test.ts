/**
 * Every registered analysis checks its params before the framework writes a file: it registers a
 * `validate`, the committed experiments (default and `--full`) pass it, and each cross-field rule
 * the routines rely on is refused with one line naming `params.<path>`.
 */

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import "./mod.ts";
import { UsageError } from "../errors.ts";
import { deepMerge } from "../experiment/plan.ts";
import { analysisNamed, registeredNames } from "../experiment/registry.ts";
import { analysisSchema } from "../experiment/schema.ts";

const EXPERIMENTS = fileURLToPath(new URL("../../experiments/", import.meta.url));

/** The committed analysis experiments, parsed. */
async function analysisExperiments() {
  const out = [];
  for (
    const file of readdirSync(EXPERIMENTS).filter((f) => f.endsWith(".ts") && !f.endsWith("_test.ts")).sort()
  ) {
    const raw = (await import(`../../experiments/${file}`)).default as Record<string, unknown>;
    if (raw.kind === "analysis") out.push(analysisSchema.parse(raw));
  }
  return out;
}

function refused(name: string, params: Record<string, unknown>, pattern: RegExp) {
  const validate = analysisNamed(name)!.validate!;
  assert.throws(() => validate(params), (e: unknown) => {
    assert.ok(e instanceof UsageError, `${name}: a UsageError, got ${e}`);
    assert.match(e.message, pattern, `${name}: ${e.message}`);
    assert.ok(!e.message.includes("\n"), `${name}: one line`);
    return true;
  });
}

Deno.test("every registered analysis registers a validate, and every committed config passes it", async () => {
  const names = registeredNames().analyses;
  assert.ok(names.length >= 13);
  for (const name of names) assert.equal(typeof analysisNamed(name)!.validate, "function", name);
  const configs = await analysisExperiments();
  assert.ok(configs.length >= 13);
  for (const c of configs) {
    const validate = analysisNamed(c.analysis)!.validate!;
    validate(c.params);
    if (c.full) validate(deepMerge(c.params, c.full));
  }
});

Deno.test("analysis params: the cross-field rules are refused before any work, naming params.<path>", async () => {
  const params = Object.fromEntries((await analysisExperiments()).map((c) => [c.name, c.params]));
  const shallow = params["relu-shallow"];
  const moons = { name: "m", kind: "moons", p: 3, samples: 100, architectures: [[4]] };
  refused(
    "relu-shallow",
    { ...shallow, tasks: [moons] },
    /^params\.tasks\[0\]\.p: two moons lie in the plane; set p to 2/,
  );
  refused(
    "relu-shallow",
    { ...shallow, maps: ["nosuch"] },
    /^params\.maps\[0\]: no network "nosuch"; name one as "task:8x8"/,
  );
  refused(
    "relu-shallow",
    { ...shallow, maps: ["paraboloid-3:8"] },
    /^params\.maps\[0\]: "paraboloid-3:8" has p = 3; region maps need p = 2$/,
  );
  refused(
    "relu-shallow",
    { ...shallow, weights: { network: "x:1", regions: 3 } },
    /^params\.weights\.network: no network "x:1"/,
  );
  refused("relu-shallow", { ...shallow, box: [1, -1] }, /^params\.box: expected \[lo, hi\] with lo < hi/);
  refused(
    "relu-shallow",
    { ...shallow, maxRegions: 20 },
    /^params\.tasks\[0\]\.architectures\[1\]: the first hidden layer \(8 units\) alone creates 37 activation regions over ℝ\^2, above params\.maxRegions \(20\)/,
  );
  refused("relu-shallow", { ...shallow, epochs: 0 }, /^params\.epochs: /);
  refused(
    "relu-tree",
    { ...params["relu-tree"], range: [2, 2] },
    /^params\.range: expected \[lo, hi\] with lo < hi/,
  );
  refused("relu-tree", { ...params["relu-tree"], epochs: 0 }, /^params\.epochs: /);
  refused(
    "descramble-deernet",
    { ...params["descramble-deernet"], distanceRange: [0, 8] },
    /^params\.distanceRange: distances must be > 0 nm$/,
  );
  refused("descramble-deernet", { ...params["descramble-deernet"], hidden: 1 }, /^params\.hidden: /);
  refused(
    "descramble-toy",
    { ...params["descramble-toy"], bandpass: { passLow: 9, passHigh: 8 } },
    /^params\.bandpass: need passLow ≤ passHigh < length\/2$/,
  );
  refused(
    "descramble-toy",
    { ...params["descramble-toy"], scrambled: { k: 8, band: 4 } },
    /^params\.scrambled\.band: 4 is not below k\/2 = 4/,
  );
  const models = params["imported-models"] as { models: Record<string, unknown>[] };
  refused(
    "imported-models",
    { ...models, models: [{ ...models.models[0], path: "no/such/model.onnx" }] },
    /^params\.models\[0\] \(.*\)\.path: .*no\/such\/model\.onnx: cannot read the file/,
  );
  refused("symgrad-regression", {
    benchmarks: [{ name: "a", formula: "x1 +", inputs: 1, range: [-1, 1], points: 20 }],
  }, /^params\.benchmarks\[0\]\.formula: /);
  refused("symgrad-regression", {
    benchmarks: [{ name: "a", formula: "x2", inputs: 1, range: [-1, 1], points: 20 }],
  }, /^params\.benchmarks\[0\]\.formula: /);
  refused("symgrad-regression", {
    benchmarks: [{ name: "a", formula: "x1", inputs: 1, range: [1, -1], points: 20 }],
  }, /^params\.benchmarks\[0\]\.range: /);
  refused(
    "symgrad-regression",
    { search: { populationz: 3 } },
    /^params\.search\.populationz: not a search option; known: /,
  );
  refused(
    "symgrad-regression",
    { search: { populationSize: 2 } },
    /^params\.search\.populationSize: expected an integer ≥ 4, got 2$/,
  );
  refused("symgrad-classifiers", { tasks: ["A", "A"] }, /^params\.tasks\[1\]: "A" is listed twice/);
  refused(
    "symgrad-classifiers",
    { samples: 100, trainFraction: 0.999 },
    /^params\.trainFraction: 0\.999 of 100 samples leaves 100 training and 0 test rows/,
  );
  refused(
    "symgrad-classifiers",
    { maxPoints: 25 },
    /^params\.searchFraction: 0\.7 of at most 25 unsure points gives 18 search and 7 held-out points/,
  );
  refused(
    "symgrad-latent",
    { systems: ["oscillator", "oscillator"] },
    /^params\.systems\[1\]: "oscillator" is listed twice/,
  );
  refused("symgrad-latent", { margin: 0 }, /^params\.margin: /);
  const target = { name: "t", formula: "x1 + x3", inputs: 2, points: [[0, 0]] };
  refused(
    "hope-discovery",
    { targets: [target] },
    /^params\.targets\[0\]\.formula: uses x3 but the data has only 2 inputs; use x1\.\.x2 or raise params\.targets\[0\]\.inputs$/,
  );
  refused(
    "hope-discovery",
    { targets: [{ ...target, formula: "x1", points: [[0, 0], [1]] }] },
    /^params\.targets\[0\]\.points\[1\]: \[1\] has 1 values but the target has 2 inputs/,
  );
  refused("hope-discovery", { activation: "swish2" }, /^params\.activation: /);
  refused("hope-features", { activation: "nosuch" }, /^params\.activation: /);
  refused("hope-features", { formula: "x65" }, /^params\.formula: uses x65/);
});
