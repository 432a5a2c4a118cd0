/**
 * Property-based fuzzing of the command line (fast-check, fixed seeds): generated invalid configs
 * (`--set` overrides of real experiments), invalid network files and invalid flag combinations. Each
 * case must exit 2 with exactly one line on stderr, no stack trace, nothing on stdout, and nothing
 * written. The bulk runs in-process through `runCli` (a fresh Deno per case would take hours on two
 * cores); a sample of every family runs again in real subprocesses.
 *
 * Every generator builds an input that is invalid by construction (a variable beyond p, lo ≥ hi, a
 * split that leaves no row, …). The run cases start with safe overrides (1 epoch, 1 repetition, no
 * grid) before the generated ones, so an input that slipped through validation would finish fast and
 * fail the property instead of training for minutes.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../main.ts";
import { ACTIVATIONS, PIECEWISE_ACTIVATIONS } from "../series/activations.ts";
import { registeredNames } from "../experiment/registry.ts";
import "../studies/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const IRIS = join(ROOT, "../shared/reference/datasets/iris.csv");

/** Runs counts per family (fixed seeds): their sum is the number of generated cases per CI run. */
export const FUZZ_RUNS = { configs: 560, analyses: 560, flags: 240, networks: 260 } as const;

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, capturing what it prints. */
async function capture(argv: string[]): Promise<Captured> {
  const out: string[] = [], err: string[] = [];
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  const fmt = (a: unknown[]) => a.map((v) => (typeof v === "string" ? v : Deno.inspect(v))).join(" ");
  console.log = (...a: unknown[]) => out.push(fmt(a));
  console.info = console.log;
  console.error = (...a: unknown[]) => err.push(fmt(a));
  console.warn = console.error;
  try {
    const code = await runCli(argv);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    Object.assign(console, saved);
  }
}

/** Every path under `dir` with its size and mtime, to prove nothing was written. */
function snapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const s = statSync(full);
      lines.push(`${full} ${s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return lines.join("\n");
}

const STACK = /^\s+at .*(:\d+:\d+\)?|native\)?)$/m;

/** The property every case must hold. */
function assertRefused(c: Captured, argv: readonly string[], before: string, after: string): void {
  const what = `argv ${JSON.stringify(argv)}\nstderr: ${c.stderr}\nstdout: ${c.stdout.slice(0, 300)}`;
  assert.equal(c.code, 2, `exit code 2 expected, got ${c.code}: ${what}`);
  assert.equal(c.stdout, "", `nothing on stdout: ${what}`);
  const lines = c.stderr.split("\n");
  assert.equal(lines.length, 1, `exactly one line on stderr: ${what}`);
  assert.match(lines[0], /^error: \S/, `an "error:" line: ${what}`);
  assert.doesNotMatch(c.stderr, STACK, `no stack trace: ${what}`);
  assert.doesNotMatch(c.stderr, /internal error|Uncaught/, `not an internal error: ${what}`);
  assert.equal(after, before, `nothing written: ${what}`);
}

// ---------------------------------------------------------------------------------------------
// generators

/** Safe overrides placed before the generated ones (see the module doc). */
const SAFE = [
  "--set",
  "train.epochs=1",
  "--set",
  "repetitions=1",
  "--set",
  "grid={}",
  "--workers",
  "1",
  "--quiet",
];

const json = (v: unknown) => JSON.stringify(v);
const set = (
  path: string,
  value: unknown,
) => ["--set", `${path}=${typeof value === "string" ? value : json(value)}`];
const smallInt = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
/** A word that is not a registered name of anything (letters only, prefixed so it never collides). */
const unknownWord = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/).map((s) => `zz${s}`);
const notActivation = fc.stringMatching(/^[A-Za-z][A-Za-z_]{0,10}$/).filter((s) =>
  !(ACTIVATIONS as readonly string[]).includes(s)
);
const formulaPrefix = fc.constantFrom("", "x1 + ", "2*x1 - ", "0.5*x1^2 + ");
const formulaSuffix = fc.constantFrom("", " + x1", " - 3*x1*x1");

/** An invalid config, as `--set` overrides of a regression experiment with a formula or random truth. */
const badRegression: fc.Arbitrary<string[]> = fc.oneof(
  // a variable beyond p
  fc.tuple(smallInt(1, 6), smallInt(1, 20), formulaPrefix).map(([p, extra, pre]) => [
    ...set("data.p", p),
    ...set("data.truth", { kind: "formula", formula: `${pre}x${p + extra}` }),
  ]),
  // formula syntax errors and unknown variables
  fc.tuple(
    formulaPrefix,
    fc.constantFrom(
      "*",
      "+ *",
      "x0",
      "x",
      "x1^-1",
      "x1^1.5",
      "x1 x2",
      "@",
      "(x1)",
      "y1",
      "X1",
      "theta",
      "x1^",
      "3 3",
    ),
    formulaSuffix,
  ).map((
    [a, bad, b],
  ) => [...set("data.p", 3), ...set("data.truth", { kind: "formula", formula: `${a}${bad}${b}` })]),
  // uniform inputs with lo ≥ hi
  fc.tuple(smallInt(-100, 100), smallInt(0, 50)).map(([lo, d]) => [
    ...set("data.inputs", { kind: "uniform", lo, hi: lo - d }),
  ]),
  // other distributions: sd ≤ 0, means of the wrong length, an unknown kind
  fc.oneof(
    smallInt(-5, 0).map((sd) => set("data.inputs", { kind: "normal", mean: 0, sd })),
    fc.tuple(smallInt(1, 5), smallInt(1, 4)).map(([p, d]) => [
      ...set("data.p", p),
      ...set("data.inputs", { kind: "mvnormal", means: Array.from({ length: p + d }, () => 0) }),
    ]),
    unknownWord.map((k) => set("data.inputs", { kind: k, lo: 0, hi: 1 })),
  ),
  // splits that leave no training, test or fitting row
  fc.oneof(
    fc.constantFrom(0, 1, -0.5, 1.5, 0.0001, 0.9999).map((
      f,
    ) => [...set("data.n", 20), ...set("data.trainFraction", f)]),
    fc.constantFrom(0.9999, 1, -0.1, 2).map((v) => set("train.validationSplit", v)),
    smallInt(-5, 9).map((n) => set("data.n", n)),
  ),
  // list lengths
  fc.tuple(smallInt(0, 4), smallInt(1, 3)).map(([layers, d]) => [
    ...set("model.layers", layers),
    ...set("model.activation", Array.from({ length: layers + d }, () => "tanh")),
  ]),
  fc.tuple(smallInt(1, 3), smallInt(1, 3)).map(([layers, d]) => [
    ...set("model.layers", layers),
    ...set("methods.nn2poly", { maxOrder: 2, taylorOrders: Array.from({ length: layers + 1 + d }, () => 3) }),
  ]),
  // NN2Poly on a piecewise-linear activation
  fc.tuple(fc.constantFrom(...PIECEWISE_ACTIVATIONS), smallInt(1, 3)).map(([a, l]) => [
    ...set("model.layers", l),
    ...set("model.activation", a),
    ...set("methods.nn2poly", { maxOrder: 2 }),
  ]),
  // unknown activations
  notActivation.map((a) => set("model.activation", a)),
  // expansions above the memory guard
  fc.tuple(smallInt(30, 60), smallInt(12, 30)).map(([p, q]) => [
    ...set("data.p", p),
    ...set("data.truth", { kind: "formula", formula: "x1" }),
    ...set("model.layers", 2),
    ...set("methods.nn2poly", { maxOrder: q, taylorOrders: 8 }),
  ]),
  // a polynomial regression with more terms than training rows
  smallInt(8, 30).map((d) => set("methods.polyRegression", { degree: d })),
  // random truths asking for more terms than exist
  fc.tuple(smallInt(1, 4), smallInt(1, 5)).map(([p, extra]) => [
    ...set("data.p", p),
    ...set("data.truth", {
      kind: "random",
      degree: 1,
      mainTerms: p + extra,
      interactionTerms: 0,
      coefficientRange: [-1, 1],
    }),
  ]),
  fc.tuple(smallInt(1, 4), smallInt(1, 50)).map(([p, extra]) => [
    ...set("data.p", p),
    ...set("data.truth", {
      kind: "random",
      degree: 2,
      interactionTerms: (p * (p + 1)) / 2 + extra,
      coefficientRange: [-1, 1],
    }),
  ]),
  // unknown paper comparisons, extras and keys
  unknownWord.map((w) => set("outputs.paper", w)),
  unknownWord.map((w) => set("outputs.extras", [w])),
  fc.tuple(fc.constantFrom("data", "model", "train", "outputs", "methods.nn2poly"), unknownWord).map((
    [section, key],
  ) => set(`${section}.${key}`, 1)),
  // wrong types and impossible values
  fc.constantFrom<[string, unknown]>(
    ["train.epochs", 0],
    ["train.epochs", -3],
    ["train.epochs", 1.5],
    ["train.epochs", "many"],
    ["train.batchSize", 0],
    ["train.learningRate", 0],
    ["train.learningRate", -1],
    ["train.optimizer", "sgdx"],
    ["model.width", 0],
    ["model.layers", -1],
    ["model.hidden", [0]],
    ["model.constraint", "l3"],
    ["data.noiseSd", -1],
    ["data.scaleX", "log"],
    ["seed", -1],
    ["seed", 1e20],
    ["seed", 4294967296],
    ["repetitions", 0],
    ["methods", {}],
    ["methods.nn2poly.maxOrder", -1],
    ["outputs.formats", ["pdf"]],
    ["outputs.tables", ["nosuch"]],
    ["name", "Bad Name"],
  ).map(([p, v]) => set(p, v)),
  // the output against the task
  fc.constantFrom(set("model.outputActivation", "softmax"), set("train.loss", "crossentropy")),
  // grids over impossible paths, empty value lists
  fc.oneof(
    unknownWord.map((w) => set("grid", { [`model.${w}`]: [1, 2] })),
    fc.constantFrom("repetitions", "seed", "grid.x").map((p) => set("grid", { [p]: [1, 2] })),
    fc.constant(set("grid", { "model.layers": [] })),
    smallInt(-3, 0).map((w) => set("grid", { "model.width": [8, w] })),
  ),
  // plans too big to hold, or estimated above the confirmation threshold (no --yes, no terminal)
  fc.oneof(
    smallInt(1_000_001, 9_000_000).map((r) => set("repetitions", r)),
    fc.tuple(smallInt(2000, 50000), smallInt(2000, 5000)).map(([r, e]) => [
      ...set("repetitions", r),
      ...set("train.epochs", e),
    ]),
    smallInt(2e8, 2e9).map((n) => set("data.n", n)),
  ),
);

/** Invalid overrides of a classification experiment (sim4). */
const badClassification: fc.Arbitrary<string[]> = fc.oneof(
  smallInt(-3, 1).map((k) => set("data.classes", k)),
  fc.constant(set("model.outputActivation", "tanh")),
  fc.constant(set("data.task", "clustering")),
  fc.tuple(smallInt(0, 3), smallInt(1, 3)).map(([l, d]) => [
    ...set("model.layers", l),
    ...set("model.activation", Array.from({ length: l + d }, () => "tanh")),
  ]),
);

/** Invalid overrides of the real-data experiment (iris). */
const badDataset: fc.Arbitrary<string[]> = fc.oneof(
  smallInt(1, 10).filter((p) => p !== 4).map((p) => set("data.p", p)),
  smallInt(10, 1000).filter((n) => n !== 150).map((n) => set("data.n", n)),
  unknownWord.map((w) => set("data.dataset.target", w)),
  unknownWord.map((w) => set("data.dataset.path", `../shared/reference/datasets/${w}.csv`)),
  fc.constant(set("data.truth", { kind: "formula", formula: "x1" })),
  fc.constant(set("data.noiseSd", 0.5)),
);

/** The committed params of every registered analysis, by analysis name (its experiment has the same name). */
const ANALYSIS_PARAMS: Record<string, Record<string, unknown>> = await (async () => {
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of registeredNames().analyses) {
    const config = (await import(`../../experiments/${name}.ts`)).default as {
      params: Record<string, unknown>;
    };
    out[name] = config.params;
  }
  return out;
})();

/** Paths of the leaves of committed params (objects opened two levels deep; arrays are leaves). */
function leafPaths(params: Record<string, unknown>, prefix = "params", depth = 0): [string, unknown][] {
  return Object.entries(params).flatMap(([k, v]): [string, unknown][] =>
    v && typeof v === "object" && !Array.isArray(v) && depth < 2 && Object.keys(v).length > 0
      ? leafPaths(v as Record<string, unknown>, `${prefix}.${k}`, depth + 1)
      : [[`${prefix}.${k}`, v]]
  );
}

/** A value of a JSON type the leaf does not have (numbers get strings, arrays and strings get objects, …). */
function otherType(v: unknown): fc.Arbitrary<unknown> {
  if (typeof v === "number") return fc.constantFrom<unknown>("many", true, [], { n: 1 });
  if (typeof v === "string") return fc.constantFrom<unknown>(12345, false, { s: 1 });
  if (typeof v === "boolean") return fc.constantFrom<unknown>("maybe", 2);
  return fc.constantFrom<unknown>(7, "x", { zz: 1 });
}

/** Invalid params of one analysis from its committed ones: an unknown key, or a leaf of the wrong type. */
function genericBadParams(name: string): fc.Arbitrary<string[]> {
  const leaves = leafPaths(ANALYSIS_PARAMS[name]);
  return fc.oneof(
    unknownWord.map((w) => set(`params.${w}`, 1)),
    fc.constantFrom(...leaves).chain(([path, v]) => otherType(v).map((bad) => set(path, bad))),
  );
}

const FIXTURE_ONNX = "../shared/fixtures/models/onnx-nn2poly-tanh.onnx"; // 2 inputs (a missing file is refused too)
const badFormulas = ["x1 +", "x0", "x1 x2", "@", "y1", "sin(", "x1^"];

/** Each analysis's own cross-field rules, broken on purpose. */
const badAnalysisRules: Record<string, fc.Arbitrary<string[]>> = {
  cost: fc.oneof(
    fc.constantFrom<[string, unknown]>(
      ["params.repeats", 0],
      ["params.timingP", []],
      ["params.timingQ", [0]],
      ["params.hidden", [0]],
      ["params.activation", "relu"],
      ["params.taylorOrder", 0],
      ["params.maxSecondsPerRun", -1],
    ).map(([p, v]) => set(p, v)),
    unknownWord.map((w) => set("analysis", w)),
  ),
  "relu-shallow": fc.oneof(
    smallInt(1, 6).filter((p) => p !== 2).map((p) =>
      set("params.tasks", [{ name: "m", kind: "moons", p, samples: 100, architectures: [[4]] }])
    ),
    unknownWord.map((w) => set("params.maps", [w])),
    unknownWord.map((w) => set("params.network", `no/such/${w}.onnx`)),
    fc.constant<string[]>(set("params.network", FIXTURE_ONNX)), // a tanh network: no activation regions
    fc.constant<string[]>([...set("params.tasks", []), ...set("params.network", "")]),
    unknownWord.map((w) => set("params.weights", { network: w, regions: 3 })),
    fc.tuple(smallInt(-5, 5), smallInt(0, 5)).map(([lo, d]) => set("params.box", [lo, lo - d])),
    smallInt(1, 10).map((m) => [
      ...set("params.tasks", [{ name: "t", kind: "paraboloid", p: 2, samples: 100, architectures: [[4]] }]),
      ...set("params.maxRegions", m), // 4 lines in the plane: 11 regions
    ]),
    fc.constant(set(
      "params.tasks",
      [1, 2].map(() => ({
        name: "same",
        kind: "paraboloid",
        p: 2,
        samples: 100,
        architectures: [[4]],
      })),
    )),
  ),
  "relu-tree": fc.oneof(
    fc.tuple(smallInt(-5, 5), smallInt(0, 5)).map(([lo, d]) => set("params.range", [lo, lo - d])),
    fc.constantFrom<[string, unknown]>(["params.hidden", [0]], ["params.seeds", 0], ["params.samples", 5])
      .map(([p, v]) => set(p, v)),
  ),
  "descramble-deernet": fc.oneof(
    fc.tuple(smallInt(-5, 0), smallInt(1, 8)).map(([lo, hi]) => set("params.distanceRange", [lo, hi])),
    smallInt(1, 8).map((a) => set("params.distanceRange", [a, a])),
    fc.constantFrom("widthRange", "depthRange", "noiseRange").map((k) => set(`params.${k}`, [0.5, 0.1])),
    smallInt(9, 30).map((e) => set("params.examples", e)),
  ),
  "descramble-toy": fc.oneof(
    smallInt(4, 40).chain((k) =>
      smallInt(Math.ceil(k / 2), k).map((band) => set("params.scrambled", { k, band }))
    ),
    smallInt(8, 64).chain((length) =>
      smallInt(Math.ceil(length / 2), length).map((passHigh) =>
        set("params.bandpass", { length, passLow: 0, passHigh })
      )
    ),
    smallInt(1, 10).map((d) => set("params.bandpass", { passLow: 8 + d, passHigh: 8 })),
  ),
  "imported-models": fc.oneof(
    unknownWord.map((w) =>
      set("params.models", [{ name: "m", path: `no/such/${w}.onnx`, taylor: { order: 2, x0: 0, radius: 1 } }])
    ),
    smallInt(1, 5).filter((n) => n !== 2).map((n) =>
      set("params.models", [{
        name: "m",
        path: FIXTURE_ONNX,
        taylor: { order: 2, x0: Array.from({ length: n }, () => 0), radius: 0.5 },
      }])
    ),
    fc.constant(set("params.models", [{ name: "m", path: FIXTURE_ONNX }])),
    fc.constant(set("params.models", [])),
  ),
  "symgrad-regression": fc.oneof(
    fc.tuple(fc.constantFrom(...badFormulas), smallInt(1, 3)).map(([formula, inputs]) =>
      set("params.benchmarks", [{ name: "b", formula, inputs, range: [-1, 1], points: 20 }])
    ),
    smallInt(1, 3).map((inputs) =>
      set("params.benchmarks", [{ name: "b", formula: `x${inputs + 1}`, inputs, range: [-1, 1], points: 20 }])
    ),
    fc.tuple(smallInt(-3, 3), smallInt(0, 3)).map(([lo, d]) =>
      set("params.benchmarks", [{ name: "b", formula: "x1", inputs: 1, range: [lo, lo - d], points: 20 }])
    ),
    unknownWord.map((w) => set(`params.search.${w}`, 1)),
    fc.constantFrom<[string, unknown]>(
      ["populationSize", 2],
      ["populations", 0],
      ["tournamentP", 1.5],
      ["maxComplexity", 1],
      ["parsimony", -1],
    ).map(([k, v]) => set(`params.search.${k}`, v)),
  ),
  "symgrad-classifiers": fc.oneof(
    fc.constantFrom("A1", "A", "B", "C").map((t) => set("params.tasks", [t, "F", t])),
    fc.constantFrom(0.999, 0.9999).map((
      f,
    ) => [...set("params.samples", 100), ...set("params.trainFraction", f)]),
    smallInt(20, 31).map((m) => set("params.maxPoints", m)),
  ),
  "symgrad-latent": fc.oneof(
    fc.constant(set("params.systems", ["oscillator", "oscillator"])),
    smallInt(-3, 0).map((m) => set("params.margin", m)),
    smallInt(0, 49).map((n) => set("params.points", n)),
  ),
  "hope-discovery": fc.oneof(
    smallInt(1, 4).map((inputs) =>
      set("params.targets", [{ name: "t", formula: `x1 + x${inputs + 1}`, inputs, points: [[0]] }])
    ),
    fc.tuple(smallInt(1, 4), smallInt(1, 3)).map(([inputs, d]) =>
      set("params.targets", [{
        name: "t",
        formula: "x1",
        inputs,
        points: [Array.from({ length: inputs + d }, () => 0)],
      }])
    ),
    notActivation.map((a) => set("params.activation", a)),
  ),
  "hope-features": fc.oneof(
    notActivation.map((a) => set("params.activation", a)),
    smallInt(2, 6).map((
      side,
    ) => [...set("params.side", side), ...set("params.formula", `x${side * side + 1}`)]),
  ),
  "hope-expansion": fc.oneof(
    fc.constantFrom(set("params.conv.x0", [0]), set("params.conv.x0", [0, 0, 0])),
    unknownWord.map((w) => set("params.network", `no/such/${w}.onnx`)),
  ),
  "hope-convergence": fc.oneof(
    fc.constantFrom(set("params.order", 1), set("params.w0", [0]), set("params.radii", [])),
    unknownWord.map((w) => set("params.network", `no/such/${w}.json`)),
    fc.constant<string[]>(set("params.network", FIXTURE_ONNX)), // 2 inputs; hope-convergence expands f: ℝ → ℝ
  ),
  "hope-speed": fc.constantFrom(
    set("params.orders", [-1]),
    set("params.methods", ["bogus"]),
    set("params.dims.inputs", [0]),
  ),
};

/** Invalid params of every registered analysis: generic ones from its committed params, and its own rules. */
const badAnalysis: fc.Arbitrary<string[]> = fc.oneof(
  ...registeredNames().analyses.map((name) =>
    fc.oneof(genericBadParams(name), ...(badAnalysisRules[name] ? [badAnalysisRules[name]] : []))
      .map((sets) => [name, ...sets])
  ),
);

/** Invalid flag combinations of `run` (the experiment and the output folder are supplied). */
function badRunFlags(out: string, aFile: string): fc.Arbitrary<string[]> {
  const base = (...args: string[]) => ["run", "sim1", ...SAFE, "--out", out, ...args];
  return fc.oneof(
    fc.stringMatching(/^--[a-z][a-z-]{0,12}$/).filter((f) =>
      ![
        "--full",
        "--set",
        "--seed",
        "--out",
        "--run-id",
        "--workers",
        "--resume",
        "--shard",
        "--aggregate",
        "--yes",
        "--force",
        "--quiet",
        "--list",
        "--help",
      ]
        .some((k) => k.startsWith(f))
    ).map((f) => base(f)),
    fc.oneof(smallInt(-100, 0).map(String), fc.constantFrom("1.5", "abc", "1e3", "", "2000", "0x2")).map((
      w,
    ) => base("--workers", w)),
    fc.oneof(
      smallInt(-1000, -1).map(String),
      fc.constantFrom("4294967296", "1e20", "1.5", "x", "", "0x10", "99999999999999999999"),
    ).map((s) => base("--seed", s)),
    fc.constantFrom("../x", ".x", "a/b", "", "a b", "-x").map((id) => base("--run-id", id)),
    fc.oneof(
      fc.tuple(smallInt(0, 20), smallInt(0, 20)).filter(([i, n]) => i >= n).map(([i, n]) => `${i}/${n}`),
      fc.constantFrom("1", "a/b", "-1/2", "0/0", "1/", "/4", "1/2/3", "0/200000"),
    ).map((s) => base("--shard", s)),
    fc.constantFrom(
      base("--shard", "0/2", "--resume"),
      base("--shard", "0/2", "--aggregate"),
      base("--resume", "--aggregate"),
      base("--resume"),
      base("--aggregate"),
      ["run", "--out", out],
      ["run", "sim1", "sim2", "--out", out],
      ["run", "--list", "sim1"],
      ["run", "sim1", "--out", aFile],
      ["run", "sim1", "--out", join(aFile, "sub")],
      ["run", "sim1", "--out", ""],
      ["run", "cost", "--resume", "--out", out],
      ["run", "cost", "--shard", "0/2", "--out", out],
      ["run", "cost", "--aggregate", "--out", out],
      base("--set", "foo"),
      base("--set", "=3"),
      base("--set", "a..b=1"),
      base("--set", "train.epochs.x=1"),
      base("--full", "--set", "repetitions=0"),
      ["bogus-command"],
      ["submit", "sim1", "--out", out],
    ),
    unknownWord.map((w) => ["run", w, "--out", out]),
  );
}

/** A network file that is invalid (or that the engines must refuse), with the poly command to run on it. */
const badNetwork: fc.Arbitrary<{ content: string; args: string[] }> = (() => {
  const row = (n: number, v = 0.1) => Array.from({ length: n }, () => v);
  const dense = (inputs: number, units: number, activation = "tanh", v = 0.1) => ({
    activation,
    weights: Array.from({ length: inputs + 1 }, () => row(units, v)),
  });
  const valid = (p: number, h: number) => ({ inputs: p, layers: [dense(p, h), dense(h, 1, "linear")] });
  const nn = (extra: string[] = ["--max-order", "2"]) => ["nn2poly", ...extra];
  const as = (obj: unknown, args: string[]) => ({ content: JSON.stringify(obj), args });
  return fc.oneof(
    // not JSON, or not an object
    fc.string({ maxLength: 30 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }).map((s) => ({ content: s, args: nn() })),
    fc.oneof(fc.integer(), fc.constant("[]"), fc.constant('"net"'), fc.constant("null")).map((v) => ({
      content: String(v),
      args: nn(),
    })),
    // structure
    fc.constantFrom<unknown>(
      {},
      { layers: [] },
      { layers: {} },
      { layers: [1] },
      { layers: [{ weights: [[1]] }] },
      { layers: [{ activation: 3, weights: [[1]] }] },
      { layers: [{ activation: "tanh", weights: [] }] },
      { layers: [{ activation: "tanh", weights: [[]] }] },
      { layers: [{ activation: "tanh", weights: "w" }] },
      { inputs: 0, layers: [dense(1, 1)] },
      { inputs: 1.5, layers: [dense(1, 1)] },
    ).map((o) => as(o, nn())),
    // unknown activations
    fc.tuple(notActivation, smallInt(1, 4)).map(([a, p]) =>
      as({ inputs: p, layers: [dense(p, 2, a), dense(2, 1, "linear")] }, nn())
    ),
    // ragged rows, wrong row counts, non-numbers
    fc.tuple(smallInt(1, 4), smallInt(2, 5)).map(([p, h]) => {
      const net = valid(p, h);
      net.layers[0].weights[1] = row(h + 1);
      return as(net, nn());
    }),
    fc.tuple(smallInt(1, 4), smallInt(2, 5), smallInt(1, 3)).map(([p, h, d]) => {
      const net = valid(p, h);
      net.layers[1].weights = Array.from({ length: h + 1 + d }, () => row(1));
      return as(net, nn());
    }),
    fc.tuple(smallInt(1, 4), fc.constantFrom<unknown>("x", null, true, [1], {})).map(([p, bad]) => {
      const net = valid(p, 3) as { layers: { weights: unknown[][] }[] };
      net.layers[0].weights[0][0] = bad;
      return as(net, nn());
    }),
    // options in the file or on the command line
    smallInt(1, 3).map((p) => as(valid(p, 2), ["nn2poly"])),
    fc.tuple(smallInt(1, 3), fc.constantFrom<unknown>(-1, 1.5, "3", null)).map(([p, q]) =>
      as({ ...valid(p, 2), max_order: q }, ["nn2poly"])
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom<unknown>(0, "8", [8], [0, 1], -2)).map(([p, t]) =>
      as({ ...valid(p, 2), max_order: 2, taylor_orders: t }, ["nn2poly"])
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom("-1", "abc", "1.5", "")).map(([p, q]) =>
      as(valid(p, 2), nn(["--max-order", q]))
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom("0", "a", "8,x", "")).map(([p, t]) =>
      as(valid(p, 2), nn(["--max-order", "2", "--taylor-orders", t]))
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom("0", "-5", "x")).map(([p, m]) =>
      as(valid(p, 2), nn(["--max-order", "2", "--max-coefficients", m]))
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom("--order", "--x0", "--method")).map(([p, f]) =>
      as(valid(p, 2), nn(["--max-order", "2", f, "1"]))
    ),
    // refusals of the engines: piecewise-linear units, too large an expansion, float64 overflow
    fc.tuple(fc.constantFrom(...PIECEWISE_ACTIVATIONS), smallInt(1, 3)).map(([a, p]) =>
      as({ inputs: p, layers: [dense(p, 2, a), dense(2, 1, "linear")] }, nn())
    ),
    fc.tuple(smallInt(40, 60), smallInt(12, 20)).map(([p, q]) =>
      as(valid(p, 4), nn(["--max-order", String(q)]))
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom(1e300, -1e300, 1e200)).map(([p, w]) =>
      as({ inputs: p, layers: [dense(p, 3, "tanh", w), dense(3, 1, "linear", w)] }, nn(["--max-order", "3"]))
    ),
    fc.tuple(smallInt(1, 3), fc.constantFrom("exact", "hope")).map(([p, m]) =>
      as({ inputs: p, layers: [dense(p, 3, "exp", 1e300), dense(3, 1, "linear", 1e300)] }, [
        "taylor",
        "--order",
        "3",
        "--x0",
        Array.from({ length: p }, () => "0.1").join(","),
        "--method",
        m,
      ])
    ),
    // taylor options
    fc.tuple(
      smallInt(1, 3),
      fc.constantFrom<string[]>(
        ["--order", "2"],
        ["--x0", "0.1"],
        ["--order", "-1", "--x0", "0"],
        ["--order", "2", "--x0", "a,b"],
        ["--order", "2", "--x0", "0,0,0,0,0,0"],
        ["--order", "2", "--x0", "0", "--method", "bogus"],
        ["--order", "2", "--x0", "0", "--max-order", "3"],
        ["--order", "2", "--x0", "0", "--max-coefficients", "10"],
      ),
    ).map(([p, flags]) => as(valid(p, 2), ["taylor", ...flags])),
  );
})();

// ---------------------------------------------------------------------------------------------

function tempRoot(): { root: string; out: string; aFile: string } {
  const root = Deno.makeTempDirSync({ prefix: "polylab-fuzz-" });
  const out = join(root, "out");
  mkdirSync(out);
  const aFile = join(root, "a-file");
  writeFileSync(aFile, "not a folder\n");
  return { root, out, aFile };
}

async function checkCase(argv: string[], root: string): Promise<void> {
  const before = snapshot(root);
  const c = await capture(argv);
  assertRefused(c, argv, before, snapshot(root));
}

const TEST = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name:
    `fuzz: ${FUZZ_RUNS.configs} generated invalid configs are refused (exit 2, one line, nothing written)`,
  ...TEST,
  async fn() {
    const { root, out } = tempRoot();
    try {
      const experiment = fc.oneof(
        { weight: 6, arbitrary: badRegression.map((sets) => ["sim1", ...sets]) },
        { weight: 2, arbitrary: badRegression.map((sets) => ["sim3", ...sets]) },
        { weight: 1, arbitrary: badClassification.map((sets) => ["sim4", ...sets]) },
        ...(existsSync(IRIS) ? [{ weight: 1, arbitrary: badDataset.map((sets) => ["iris", ...sets]) }] : []),
      );
      await fc.assert(
        fc.asyncProperty(experiment, async ([name, ...sets]) => {
          await checkCase(["run", name, "--out", out, ...SAFE, ...sets], root);
        }),
        { seed: 14, numRuns: FUZZ_RUNS.configs },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name:
    `fuzz: ${FUZZ_RUNS.analyses} generated invalid analysis params are refused before any file is written`,
  ...TEST,
  async fn() {
    const { root, out } = tempRoot();
    try {
      await fc.assert(
        fc.asyncProperty(badAnalysis, async ([name, ...sets]) => {
          await checkCase(["run", name, "--out", out, "--quiet", ...sets], root);
        }),
        { seed: 1414, numRuns: FUZZ_RUNS.analyses },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: `fuzz: ${FUZZ_RUNS.flags} generated invalid flag combinations are refused`,
  ...TEST,
  async fn() {
    const { root, out, aFile } = tempRoot();
    try {
      await fc.assert(
        fc.asyncProperty(badRunFlags(out, aFile), async (argv) => {
          await checkCase(argv, root);
        }),
        { seed: 141414, numRuns: FUZZ_RUNS.flags },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: `fuzz: ${FUZZ_RUNS.networks} generated invalid network files are refused by poly nn2poly / taylor`,
  ...TEST,
  async fn() {
    const { root } = tempRoot();
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(badNetwork, async ({ content, args }) => {
          const file = join(root, `net-${n++}.json`);
          writeFileSync(file, content);
          try {
            const [kind, ...flags] = args;
            await checkCase(["poly", kind, file, ...flags], root);
          } finally {
            rmSync(file);
          }
        }),
        { seed: 14141414, numRuns: FUZZ_RUNS.networks },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});

/** One sample of every family, run again as a real `deno run main.ts` process. */
Deno.test({
  name: "fuzz sample in real subprocesses: exit 2, one line, no stack trace, nothing written",
  ...TEST,
  async fn() {
    const { root, out, aFile } = tempRoot();
    try {
      const net = join(root, "net.json");
      writeFileSync(
        net,
        JSON.stringify({
          inputs: 1,
          layers: [{ activation: "exp", weights: [[1e300, 1e300], [1e300, 1e300]] }, {
            activation: "linear",
            weights: [[1e300], [1e300], [1e300]],
          }],
        }),
      );
      const relu = join(root, "relu.json");
      writeFileSync(
        relu,
        JSON.stringify({ inputs: 1, layers: [{ activation: "relu", weights: [[0], [1]] }] }),
      );
      const sample: string[][] = [
        [
          "run",
          "sim1",
          "--out",
          out,
          ...set("data.p", 1),
          ...set("data.truth", { kind: "formula", formula: "x1+x2" }),
        ],
        ["run", "sim1", "--out", out, ...set("data.inputs.lo", 1), ...set("data.inputs.hi", 1)],
        ["run", "sim1", "--out", out, ...set("grid", {}), ...set("model.activation", "relu")],
        ["run", "sim1", "--out", out, ...set("train.validationSplit", 0.9999)],
        ["run", "sim1", "--out", out, ...set("repetitions", 2000), ...set("train.epochs", 100000)],
        ["run", "sim1", "--out", aFile],
        ["run", "sim1", "--out", out, "--workers", "-1"],
        ["run", "sim1", "--out", out, "--seed", "1e20"],
        ["run", "sim1", "--out", out, "--shard", "4/4"],
        ["run", "cost", "--out", out, ...set("params.repeats", 0)],
        ["run", "relu-tree", "--out", out, ...set("params.epochs", 0)],
        [
          "run",
          "relu-shallow",
          "--out",
          out,
          ...set("params.tasks", [{ name: "m", kind: "moons", p: 3, samples: 100, architectures: [[4]] }]),
        ],
        ["poly", "nn2poly", net, "--max-order", "3"],
        ["poly", "taylor", net, "--order", "3", "--x0", "0.1"],
        ["poly", "nn2poly", relu, "--max-order", "2"],
      ];
      for (const argv of sample) {
        const before = snapshot(root);
        const p = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", join(ROOT, "main.ts"), ...argv],
          cwd: ROOT,
          stdout: "piped",
          stderr: "piped",
          env: { NO_COLOR: "1" },
        }).output();
        const c = {
          code: p.code,
          stdout: new TextDecoder().decode(p.stdout).trimEnd(),
          stderr: new TextDecoder().decode(p.stderr).trimEnd(),
        };
        assertRefused(c, argv, before, snapshot(root));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
});
