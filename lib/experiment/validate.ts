/**
 * The one validation pass over a resolved plan, made before any file is written: every cross-field
 * rule the schema cannot express (formula variables against `data.p`, formula syntax, input
 * distributions, splits that leave rows in every part, list lengths, output/loss against the task,
 * the memory a cell's data needs). Each method's own cross-field rules (NN2Poly on relu, expansion
 * sizes, a regression with more terms than rows…) are the method's `check` in the method registry,
 * run when the plan is made (./plan.ts). Every problem is one {@link UsageError} naming the config
 * path and the fix, prefixed with the grid point it occurs at.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { parseFormula } from "../data/formula.ts";
import { MAX_ENUMERATED_MONOMIALS, monomialCount } from "../data/polynomial.ts";
import { splitTrainValidation } from "../train/train.ts";
import { type ActivationName, ALPHA_ACTIVATIONS } from "../series/activations.ts";
import { termCount } from "../poly/basis.ts";
import { configShape, methodNamed } from "./method_registry.ts";
import { describe, type Plan } from "./plan.ts";
import type { Experiment } from "./schema.ts";

/** The shape of the network a config trains, and the row counts its split leaves. */
export interface NetworkShape {
  /** Inputs p. */
  inputs: number;
  /** Outputs (1, or k classes). */
  outputs: number;
  /** Hidden widths. */
  hidden: number[];
  /** Hidden activations, one per hidden layer. */
  activations: ActivationName[];
  /** Training rows after the train/test split (before the validation hold-out). */
  trainRows: number;
  /** Rows the optimizer fits on (training rows less the validation hold-out). */
  fitRows: number;
  /** Test rows. */
  testRows: number;
}

/** What validation learned about one grid point (used by the work estimate). */
export interface GridPointFacts {
  /** Grid point index. */
  gridIndex: number;
  /** Cells (repetitions) of this grid point in the plan. */
  cells: number;
  /** The network's shape and the split's row counts. */
  shape: NetworkShape;
  /** Terms of the largest polynomial the configured methods build (an upper bound; 0 without one). */
  maxTerms: number;
  /** Training epochs. */
  epochs: number;
  /** Rows per optimizer step. */
  batchSize: number;
  /** Trainable parameters of the network. */
  parameters: number;
}

/** Options of {@link validatePlan}. */
export interface ValidateOptions {
  /** Parallel workers (each holds one cell's data and expansions at a time). */
  workers: number;
  /** Memory the run may use, in bytes (default: 75% of this machine's). */
  memoryBytes?: number;
}

/** This machine's memory in bytes. */
export function machineMemoryBytes(): number {
  try {
    return Deno.systemMemoryInfo().total;
  } catch {
    return 8 * 2 ** 30;
  }
}

/** Runs every cross-field rule over each grid point of `plan`; throws the first problem. */
export function validatePlan(plan: Plan, options: ValidateOptions): GridPointFacts[] {
  const workers = Math.max(1, Math.min(options.workers, plan.cells.length || 1));
  const memory = (options.memoryBytes ?? 0.75 * machineMemoryBytes()) / workers;
  const facts: GridPointFacts[] = [];
  for (const cell of plan.cells) {
    const last = facts[facts.length - 1];
    if (last && last.gridIndex === cell.gridIndex) {
      last.cells++;
      continue;
    }
    const prefix = plan.gridPaths.length ? `grid point ${describe(cell.params)}: ` : "";
    const shape = checkConfig(cell.config, prefix, memory);
    let parameters = 0, inputs = shape.inputs;
    for (const units of [...shape.hidden, shape.outputs]) {
      parameters += (inputs + 1) * units;
      inputs = units;
    }
    facts.push({
      gridIndex: cell.gridIndex,
      cells: 1,
      shape,
      maxTerms: largestPolynomial(cell.config),
      epochs: cell.config.train.epochs,
      batchSize: cell.config.train.batchSize,
      parameters,
    });
  }
  return facts;
}

/** The data, split, model and training rules of one cell config; returns the network's shape. */
function checkConfig(config: Experiment, prefix: string, memoryBytes: number): NetworkShape {
  const fail = (path: string, message: string): never => {
    throw new UsageError(`${prefix}${path}: ${message}`);
  };
  const { data, model, train } = config;
  const p = data.p;
  const classification = data.task === "classification";
  const outputs = classification ? data.classes ?? 3 : 1;

  // data: truth and inputs (simulated data; real data was checked against its file when planned)
  if (!data.dataset) {
    const truth = data.truth!;
    if (truth.kind === "formula") {
      try {
        parseFormula(truth.formula, p);
      } catch (e) {
        const message = (e as Error).message.replace(/^formula:\s*/, "")
          .replace(/the data has only (\d+) inputs?/, "data.p is $1").replace("raise inputs", "raise data.p");
        fail("data.truth.formula", message);
      }
    } else {
      const main = truth.mainTerms ?? p;
      if (main > p) fail("data.truth.mainTerms", `${main} main terms but data.p is ${p}; use at most ${p}`);
      let higher = 0;
      for (let d = 2; d <= truth.degree; d++) higher += monomialCount(p, d);
      if (truth.interactionTerms > higher) {
        fail(
          "data.truth.interactionTerms",
          `${truth.interactionTerms} terms but only ${higher} monomials of degree 2..${truth.degree} exist in ` +
            `${p} inputs; use at most ${higher}${truth.degree < 2 ? " (or raise data.truth.degree)" : ""}`,
        );
      }
      if (truth.interactionTerms > 0 && higher > MAX_ENUMERATED_MONOMIALS) {
        fail(
          "data.truth.degree",
          `${higher} candidate monomials for p=${p}, degree ${truth.degree}, above the limit of ` +
            `${MAX_ENUMERATED_MONOMIALS}; lower the degree or data.p`,
        );
      }
    }
    const inputs = data.inputs!;
    if (inputs.kind === "uniform" && !(inputs.lo < inputs.hi)) {
      fail("data.inputs", `uniform needs lo < hi, got lo=${inputs.lo}, hi=${inputs.hi}; widen the interval`);
    }
    if (inputs.kind === "mvnormal") {
      const means = inputs.means;
      if (Array.isArray(means) && means.length !== p) {
        fail("data.inputs.means", `${means.length} means for data.p = ${p} inputs; give one per input`);
      }
      if (!Array.isArray(means) && !(means.lo < means.hi)) {
        fail("data.inputs.means", `needs lo < hi, got lo=${means.lo}, hi=${means.hi}`);
      }
    }
    const bytes = data.n * (p + outputs) * 8 * 6;
    if (bytes > memoryBytes) {
      fail(
        "data.n",
        `${data.n} rows of ${p} inputs need about ${gib(bytes)}, more than ${gib(memoryBytes)}; lower it`,
      );
    }
  }

  // splits: rows in every part
  const trainRows = Math.round(data.n * data.trainFraction);
  const testRows = data.n - trainRows;
  if (trainRows < 1 || testRows < 1) {
    fail(
      "data.trainFraction",
      `${data.trainFraction} of ${data.n} rows leaves ${trainRows} training and ${testRows} test rows; ` +
        `choose a fraction that leaves at least one of each (or raise data.n)`,
    );
  }
  let fitRows = trainRows;
  try {
    fitRows = splitTrainValidation(trainRows, train.validationSplit).trainRows;
  } catch (e) {
    fail(
      "train.validationSplit",
      `${train.validationSplit} of the ${trainRows} training rows ${
        (e as Error).message.includes("no training rows")
          ? "leaves no row to fit on"
          : "leaves no validation row"
      }; lower it (or raise data.n / data.trainFraction)`,
    );
  }

  // model: list lengths and the output against the task
  const hidden = model.hidden ?? Array.from({ length: model.layers }, () => model.width);
  const activations = Array.isArray(model.activation)
    ? model.activation as ActivationName[]
    : hidden.map(() => model.activation as ActivationName);
  if (activations.length !== hidden.length) {
    fail(
      "model.activation",
      `${activations.length} activations for ${hidden.length} hidden layers; give one per hidden layer ` +
        `(or one name for all)`,
    );
  }
  if (model.alpha !== undefined) {
    const alphas = Array.isArray(model.alpha) ? model.alpha : hidden.map(() => model.alpha as number);
    if (alphas.length !== hidden.length) {
      fail(
        "model.alpha",
        `${alphas.length} values for ${hidden.length} hidden layers; give one per hidden layer (null where the ` +
          `activation takes none) or one number`,
      );
    }
    const l = alphas.findIndex((a, l) => a !== null && !ALPHA_ACTIVATIONS.includes(activations[l]));
    if (l >= 0) {
      fail(
        "model.alpha",
        `hidden layer ${l + 1} is "${
          activations[l]
        }", which takes no alpha (the negative slope of leaky_relu, ` +
          `the α of elu); ${
            Array.isArray(model.alpha) ? "put null there" : "remove it or give one per layer"
          }`,
      );
    }
  }
  if (!classification && model.outputActivation === "softmax") {
    fail("model.outputActivation", `softmax needs data.task "classification"; use "linear" for regression`);
  }
  if (!classification && train.loss === "crossentropy") {
    fail("train.loss", `crossentropy needs data.task "classification"; use "mse" for regression`);
  }
  return { inputs: p, outputs, hidden, activations, trainRows, fitRows, testRows };
}

/**
 * Terms of the largest polynomial the configured methods build, from each method's order (its
 * instances and convergence orders): C(p + order, order), an upper bound (an expansion stops at the
 * network's own degree). Methods without an order or not counted in terms are not included.
 */
function largestPolynomial(config: Experiment): number {
  const shape = configShape(config);
  let terms = 0;
  for (const [name, options] of Object.entries(config.methods)) {
    const method = methodNamed(name);
    if (!method?.order || method.sizeUnit !== "terms") continue;
    const { order } = method;
    for (const instance of method.instances(options, name)) {
      for (const k of [order.of(instance.options), ...(instance.convergenceOrders ?? [])]) {
        const at = order.with(instance.options, k);
        terms = Math.max(terms, order.terms ? order.terms(at, shape) : termCount(shape.p, k));
      }
    }
  }
  return terms;
}

/** Bytes as GiB with one decimal. */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
