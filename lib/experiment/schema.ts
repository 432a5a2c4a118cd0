/**
 * The declarative experiment config: its schema (zod, strict: unknown keys are errors), its
 * types, and {@link defineExperiment} for typed configs in `experiments/*.ts`.
 *
 * @module
 */

import { z } from "zod";
import { ACTIVATIONS } from "../series/activations.ts";
import type { MethodsConfig, MethodsInput } from "./method.ts";
import { methodsSchema } from "./method_registry.ts";

const finite = () => z.number().refine(Number.isFinite, "expected a finite number");
const positiveInt = () => z.number().int("expected an integer").min(1, "expected an integer ≥ 1");
const range = z.tuple([finite(), finite()]).refine(([lo, hi]) => lo < hi, "expected [lo, hi] with lo < hi");

const truthSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("random"),
    /** Degree of the ground-truth polynomial. */
    degree: positiveInt(),
    /** Number of degree-1 terms (default: all p). */
    mainTerms: z.number().int().min(0).optional(),
    /** Number of terms of degree 2..degree, drawn at random among all such monomials. */
    interactionTerms: z.number().int().min(0),
    /** Coefficients are U(lo, hi). */
    coefficientRange: range,
    /** Include a constant term (default false). */
    intercept: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal("formula"), formula: z.string().min(1) }),
]);

const inputsSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("uniform"), lo: finite(), hi: finite() }),
  z.strictObject({
    kind: z.literal("normal"),
    mean: finite(),
    sd: finite().refine((v) => v > 0, "sd must be > 0"),
  }),
  z.strictObject({
    kind: z.literal("mvnormal"),
    means: z.union([z.array(finite()), z.strictObject({ lo: finite(), hi: finite() })]),
    sd: finite().refine((v) => v > 0, "sd must be > 0").optional(),
  }),
]);

const scaleSchema = z.enum(["none", "minus1to1", "0to1"]);

const datasetSchema = z.strictObject({
  /** CSV file with a header row, relative to the project root (e.g. `../shared/reference/datasets/iris.csv`). */
  path: z.string().min(1),
  /** Response column (regression) or class column (classification). */
  target: z.string().min(1),
  /** Predictor columns in order (default: every column but the target). */
  columns: z.array(z.string().min(1)).min(1).optional(),
});

const dataSchema = z.strictObject({
  /** `regression` (one output) or `classification` (k classes, polynomial logits). */
  task: z.enum(["regression", "classification"]).default("regression"),
  /** Number of inputs. */
  p: positiveInt(),
  /** Number of rows. */
  n: z.number().int().min(10, "expected at least 10 rows"),
  /** Ground truth (for classification: the logit of every class); required unless `dataset` is given. */
  truth: truthSchema.optional(),
  /** Input distribution; required unless `dataset` is given. */
  inputs: inputsSchema.optional(),
  /**
   * Real data instead of simulation: the rows of a CSV file (then `p` and `n` must match the file,
   * and `truth`, `inputs` and `noiseSd` are not allowed). Each repetition draws its own split.
   */
  dataset: datasetSchema.optional(),
  /** Standard deviation of the additive noise (regression). */
  noiseSd: finite().refine((v) => v >= 0, "must be ≥ 0").default(0),
  /** Number of classes (classification). */
  classes: z.number().int().min(2).optional(),
  /** Scaling of X columns, fitted on the training split. */
  scaleX: scaleSchema.default("minus1to1"),
  /** Scaling of Y (regression), fitted on the training split. */
  scaleY: scaleSchema.default("minus1to1"),
  /** Shorthand scaling X and Y alike (overrides scaleX and scaleY), e.g. a grid over the papers' "scaling". */
  scale: scaleSchema.optional(),
  /** Fraction of rows used for training (the rest is the test set). */
  trainFraction: z.number().gt(0, "must be in (0, 1)").lt(1, "must be in (0, 1)").default(0.75),
}).superRefine((d, ctx) => {
  if (d.dataset) {
    for (const key of ["truth", "inputs"] as const) {
      if (d[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "not allowed with data.dataset (real data); remove it",
        });
      }
    }
    if (d.noiseSd !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["noiseSd"],
        message: "not allowed with data.dataset (real data); remove it",
      });
    }
  } else {
    for (const key of ["truth", "inputs"] as const) {
      if (d[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "required (or give data.dataset for real data)",
        });
      }
    }
  }
});

const activationSchema = z.enum(ACTIVATIONS);

const modelSchema = z.strictObject({
  /** Number of hidden layers (ignored when `hidden` is given). */
  layers: z.number().int().min(0).default(1),
  /** Units per hidden layer (ignored when `hidden` is given). */
  width: positiveInt().default(50),
  /** Explicit hidden widths, overriding layers × width. */
  hidden: z.array(positiveInt()).optional(),
  /** Hidden activation, one for all or one per hidden layer. */
  activation: z.union([activationSchema, z.array(activationSchema)]).default("tanh"),
  /**
   * The negative slope of `leaky_relu` (default 0.01) or the α of `elu` (default 1): one number for
   * every hidden layer, or one per hidden layer (`null` where the activation takes none).
   */
  alpha: z.union([z.number(), z.array(z.number().nullable())]).optional(),
  /** Output activation: linear (regression) or softmax (classification, trained on logits). */
  outputActivation: z.enum(["linear", "softmax"]).default("linear"),
  /** Per-neuron max-norm 1 (bias included) on all layers but the output layer. */
  constraint: z.enum(["none", "l1", "l2"]).default("none"),
  /** Kernel initialiser (biases start at 0). */
  initializer: z.enum([
    "glorotUniform",
    "glorotNormal",
    "heUniform",
    "heNormal",
    "leCunUniform",
    "leCunNormal",
  ])
    .default("glorotUniform"),
});

const trainSchema = z.strictObject({
  optimizer: z.enum(["adam", "sgd", "adamax"]).default("adam"),
  learningRate: z.number().gt(0, "must be > 0").default(1e-3),
  epochs: positiveInt(),
  batchSize: positiveInt(),
  validationSplit: z.number().min(0).lt(1, "must be in [0, 1)").default(0),
  backend: z.enum(["wasm", "cpu"]).default("wasm"),
  /** mse (regression) or crossentropy (softmax cross-entropy on logits). */
  loss: z.enum(["mse", "crossentropy"]).default("mse"),
  /**
   * Train up to this many repetitions of one grid point together as one stacked tfjs computation
   * (lib/train/stack.ts). A speed setting only: each network's training is the same algorithm as
   * alone (bit-identical on the wasm backend, tested); pays off for small networks. Unset means 1
   * and stays out of the resolved config, so configs without it keep their hash.
   */
  stack: z.number().int().min(1, "must be an integer ≥ 1 (1 trains networks one by one)").max(10000)
    .optional(),
});

const gridValue = z.union([
  finite(),
  z.string(),
  z.boolean(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

const outputsSchema = z.strictObject({
  /**
   * `convergence` also writes `radius` (error vs distance to the centre) when a local method has radii;
   * `methods` adds each method's size to the metrics (`size_<m>`) and writes `methods` (size and
   * errors per grid point and method) and `timings` (build seconds, a measurement).
   */
  tables: z.array(z.enum(["cells", "summary", "convergence", "coefficients", "methods"])).default([
    "cells",
    "summary",
    "convergence",
  ]),
  /**
   * `convergence` also draws `radius` when a local method has radii; `terms` (error vs number of
   * terms, log-log, per method) and `pareto` (error vs build time) record sizes as `methods` does.
   */
  figures: z.array(z.enum(["loss", "convergence", "boxplot", "scatter", "terms", "pareto"])).default([
    "loss",
    "convergence",
    "boxplot",
    "scatter",
  ]),
  formats: z.array(z.enum(["svg", "png"])).default(["svg", "png"]),
  /** A paper comparison to add (registered by a study, see lib/experiment/registry.ts), e.g. "nn2poly-sim1". */
  paper: z.string().optional(),
  /** Extra analyses over the cell records (registered by a study, see lib/experiment/registry.ts), e.g. ["diagonals"]. */
  extras: z.array(z.string()).default([]),
  /** Keep each trained network (fixture layout) in its cell record, for extras that need it. */
  saveNetworks: z.boolean().default(false),
});

/** The schema of a resolved experiment (after `--full`, `--set` and grid values are applied). */
export const experimentSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _"),
  description: z.string().min(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  data: dataSchema,
  model: modelSchema,
  train: trainSchema,
  /**
   * The methods to apply to every trained network, keyed by registered name
   * (lib/experiment/method_registry.ts; adapters in lib/methods/), each validated by its own schema.
   */
  methods: methodsSchema as z.ZodType<MethodsConfig, MethodsInput>,
  /** Cartesian sweep: config path → list of values. */
  grid: z.record(z.string(), z.array(gridValue).min(1, "give at least one value")).default({}),
  repetitions: positiveInt().default(1),
  outputs: outputsSchema.default({
    tables: ["cells", "summary", "convergence"],
    figures: ["loss", "convergence", "boxplot", "scatter"],
    formats: ["svg", "png"],
    extras: [],
    saveNetworks: false,
  }),
  /** Overrides applied by `--full` (the paper's protocol). */
  full: z.record(z.string(), z.unknown()).optional(),
});

/** A validated, resolved experiment config. */
export type Experiment = z.infer<typeof experimentSchema>;

/** What a user writes in `experiments/NAME.ts` (defaults may be omitted). */
export type ExperimentInput = z.input<typeof experimentSchema>;

/** Types an experiment config; export its result as the module's default. */
export function defineExperiment(config: ExperimentInput): ExperimentInput {
  return config;
}

/**
 * An analysis experiment: no simulate→train grid, but a registered routine (lib/experiment/registry.ts)
 * (e.g. the cost of NN2Poly against p and Q, or HOPE's expansion demo) with its parameters.
 * `full` holds parameter overrides applied by `--full`.
 */
export const analysisSchema = z.strictObject({
  kind: z.literal("analysis"),
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _"),
  description: z.string().min(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  /** Name of a registered analysis routine (lib/experiment/registry.ts, registered by a study). */
  analysis: z.string().min(1),
  /** Parameters, validated by the routine itself. */
  params: z.record(z.string(), z.unknown()).default({}),
  formats: z.array(z.enum(["svg", "png"])).default(["svg", "png"]),
  full: z.record(z.string(), z.unknown()).optional(),
});

/** A validated analysis experiment. */
export type AnalysisExperiment = z.infer<typeof analysisSchema>;

/** What a user writes for an analysis experiment. */
export type AnalysisInput = z.input<typeof analysisSchema>;

/** Types an analysis experiment config. */
export function defineAnalysis(config: AnalysisInput): AnalysisInput {
  return config;
}

type Issue = z.core.$ZodIssue;

/**
 * The most telling issue: for a union, the branch that got furthest (deepest path, a value of the
 * right type) instead of zod's bare "Invalid input"; for a number, the config's own bound rather than
 * the safe-integer range zod checks first (`seed: 1e20`).
 */
function mostTelling(issues: readonly Issue[], base: PropertyKey[] = []): Issue {
  let issue = issues[0];
  const sameField = issues.filter((i) => i.path.join(".") === issue.path.join("."));
  if (sameField.length > 1 && (issue as { origin?: string }).origin === "int") issue = sameField[1];
  // a union with its own message (`{ error: … }`) says it best; zod's default is a bare "Invalid input"
  if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.message === "Invalid input") {
    const branches = issue.errors.filter((b) => b.length > 0);
    const score = (b: readonly Issue[]) => b[0].path.length * 2 + (b[0].code === "invalid_type" ? 0 : 1);
    const best = branches.reduce((a, b) => (score(b) > score(a) ? b : a), branches[0]);
    if (best) return mostTelling(best, [...base, ...issue.path]);
  }
  return { ...issue, path: [...base, ...issue.path] } as Issue;
}

/** Formats the first zod issue as one line `path: message`. */
export function formatIssue(error: z.ZodError, prefix = ""): string {
  const issue = mostTelling(error.issues);
  const path = [prefix, ...issue.path.map(String)].filter((s) => s !== "").join(".") || "(config)";
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    return `${path}: unknown key${keys.length > 1 ? "s" : ""} ${
      keys.map((k) => `"${k}"`).join(", ")
    }; remove ${keys.length > 1 ? "them" : "it"} or check the spelling`;
  }
  if (issue.code === "invalid_value" && issue.values.length > 1) {
    return `${path}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return `${path}: ${issue.message}`;
}
