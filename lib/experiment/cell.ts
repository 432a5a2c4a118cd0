/**
 * One cell of an experiment: simulate data → split → scale → train (tfjs) → float64 network →
 * methods → metrics. Returns a plain, JSON-serialisable record; never throws for a training
 * failure (the record says `failed` with the reason).
 *
 * @module
 */

import { fitMinMaxScaler, type MinMaxScaler, scaleColumns } from "../data/scale.ts";
import {
  type InputDistribution,
  simulateClassification,
  simulateRegression,
  type TruthSpec,
} from "../data/simulate.ts";
import { splitXY } from "../data/split.ts";
import { loadDataset } from "../io/dataset.ts";
import { forward, networkToJson } from "../network/network.ts";
import { type BackendInfo, backendInfo, initBackend } from "../train/backend.ts";
import { fitNetwork } from "../train/fit.ts";
import type { ModelSpec } from "../train/model.ts";
import { fitNetworkStack, type StackOptions } from "../train/stack.ts";
import type { TrainResult } from "../train/train.ts";
import type { Network } from "../network/network.ts";
import { agreement, argmaxRows, columnMse, mse, radiusCurve, rSquared } from "./metrics.ts";
import { runMethods, wantsMethodStats } from "./methods.ts";
import type { Cell } from "./plan.ts";
import type { Experiment } from "./schema.ts";

/** Everything a finished cell leaves behind (one JSON file per cell). */
export interface CellRecord {
  id: string;
  index: number;
  gridIndex: number;
  repetition: number;
  params: Record<string, unknown>;
  seeds: Cell["seeds"];
  status: "ok" | "failed";
  reason?: string;
  /** Named metrics on the test set (see {@link computeMetrics}). */
  metrics: Record<string, number>;
  /**
   * MSE between the network and each method at each convergence order (with the representation's
   * size when sizes are recorded, see `wantsMethodStats`).
   */
  convergence: { method: string; order: number; mse_nn: number; size?: number }[];
  /** Per-epoch losses. */
  history: { trainLoss: number[]; validationLoss: number[] };
  /** Test-set predictions of output 0 (for scatter plots): nn, y and one array per method. */
  predictions: Record<string, number[]>;
  /** Polynomial coefficients per method and output (when the coefficients table is requested). */
  coefficients?: Record<string, { labels: number[][]; values: number[][] }>;
  /** Seconds per stage. */
  timings: Record<string, number>;
  /** The regression ground truth in nn2poly label form (unscaled inputs and response). */
  truth?: { labels: number[][]; values: number[] }[];
  /** The trained network in the fixtures' layout (with `outputs.saveNetworks`). */
  network?: ReturnType<typeof networkToJson>;
  /** Backend that trained the network. */
  backend?: BackendInfo;
  /**
   * Local methods with radii: MSE(NN, method) over the test points within distance `radius` of the
   * method's centre (`n` of them; null when none).
   */
  radius?: { method: string; radius: number; n: number; mse_nn: number | null }[];
}

function truthSpec(config: Experiment): TruthSpec {
  const t = config.data.truth;
  if (!t) throw new Error("data.truth: required for simulated data");
  if (t.kind === "formula") return { kind: "formula", formula: t.formula };
  return {
    kind: "random",
    degree: t.degree,
    linearTerms: t.mainTerms ?? config.data.p,
    higherTerms: t.interactionTerms,
    coefficientRange: t.coefficientRange,
    intercept: t.intercept,
  };
}

function distribution(config: Experiment): InputDistribution {
  const d = config.data.inputs;
  if (!d) throw new Error("data.inputs: required for simulated data");
  if (d.kind === "mvnormal") return { kind: "mvnormal", means: d.means, sd: d.sd };
  return d;
}

const RANGES = { minus1to1: [-1, 1], "0to1": [0, 1] } as const;

function scale(kind: Experiment["data"]["scaleX"], train: Float64Array, test: Float64Array, columns: number) {
  if (kind === "none") return { train, test, scaler: null };
  const scaler = fitMinMaxScaler(train, columns, RANGES[kind]);
  return { train: scaleColumns(scaler, train), test: scaleColumns(scaler, test), scaler };
}

/** A cell's data after simulate → split → scale, exactly as the network saw it. */
export interface CellData {
  /** Inputs p and outputs (1, or k classes). */
  p: number;
  outputs: number;
  classification: boolean;
  /** Scaled train/test inputs (row-major) and targets (scaled for regression, one-hot for classes). */
  train: { n: number; x: Float64Array; y: Float64Array };
  test: { n: number; x: Float64Array; y: Float64Array };
  /** The fitted min–max scalers (null when that side is not scaled). */
  scalerX: MinMaxScaler | null;
  scalerY: MinMaxScaler | null;
  /** The ground truth in nn2poly label form (unscaled inputs and response), one per output. */
  truth: { labels: number[][]; values: number[] }[];
}

/** Scaling of X and of Y after the `data.scale` shorthand. */
export function scalings(config: Experiment): { x: ScaleKind; y: ScaleKind } {
  return { x: config.data.scale ?? config.data.scaleX, y: config.data.scale ?? config.data.scaleY };
}

type ScaleKind = Experiment["data"]["scaleX"];

/**
 * Simulates (or reads, for `data.dataset`), splits and scales a cell's data from its seeds (deterministic: extras call it again
 * to recover the training inputs of a saved network).
 */
export function prepareData(config: Experiment, seeds: Pick<Cell["seeds"], "data" | "split">): CellData {
  const { p, n } = config.data;
  const classification = config.data.task === "classification";
  let x: Float64Array, y: Float64Array, outputs: number;
  let truth: CellData["truth"];
  if (config.data.dataset) {
    const data = loadDataset(config.data.dataset, config.data.task);
    x = data.x;
    y = data.y;
    outputs = classification ? data.classes!.length : 1;
    truth = [];
  } else if (classification) {
    const classes = config.data.classes ?? 3;
    const sim = simulateClassification({
      seed: seeds.data,
      samples: n,
      inputs: p,
      classes,
      truth: truthSpec(config),
      distribution: distribution(config),
    });
    x = sim.x;
    y = sim.y;
    outputs = classes;
    truth = sim.polynomials.map((f) => ({
      labels: f.labels.map((l) => [...l]),
      values: Array.from(f.values),
    }));
  } else {
    const sim = simulateRegression({
      seed: seeds.data,
      samples: n,
      inputs: p,
      truth: truthSpec(config),
      distribution: distribution(config),
      noiseSd: config.data.noiseSd,
    });
    x = sim.x;
    y = sim.y;
    outputs = 1;
    truth = [{
      labels: sim.polynomial.labels.map((l) => [...l]),
      values: Array.from(sim.polynomial.values),
    }];
  }
  const split = splitXY(x, y, p, outputs, config.data.trainFraction, seeds.split);
  const kinds = scalings(config);
  const xs = scale(kinds.x, split.train.x, split.test.x, p);
  const ys = classification
    ? { train: split.train.y, test: split.test.y, scaler: null }
    : scale(kinds.y, split.train.y, split.test.y, outputs);
  return {
    p,
    outputs,
    classification,
    train: { n: split.train.n, x: xs.train, y: ys.train },
    test: { n: split.test.n, x: xs.test, y: ys.test },
    scalerX: xs.scaler,
    scalerY: ys.scaler,
    truth,
  };
}

function hiddenWidths(config: Experiment): number[] {
  return config.model.hidden ?? Array.from({ length: config.model.layers }, () => config.model.width);
}

function newRecord(cell: Cell): CellRecord {
  return {
    id: cell.id,
    index: cell.index,
    gridIndex: cell.gridIndex,
    repetition: cell.repetition,
    params: cell.params,
    seeds: cell.seeds,
    status: "ok",
    metrics: {},
    convergence: [],
    history: { trainLoss: [], validationLoss: [] },
    predictions: {},
    timings: {},
  };
}

function modelSpec(cell: Cell, data: CellData): ModelSpec {
  const config = cell.config;
  return {
    inputs: data.p,
    hidden: hiddenWidths(config),
    activation: config.model.activation,
    ...(config.model.alpha === undefined ? {} : {
      alpha: Array.isArray(config.model.alpha)
        ? config.model.alpha.map((a) => a ?? undefined)
        : config.model.alpha,
    }),
    outputUnits: data.outputs,
    outputActivation: config.model.outputActivation,
    initializer: config.model.initializer,
    seed: cell.seeds.init,
  };
}

function trainOptions(config: Experiment): StackOptions {
  return {
    optimizer: config.train.optimizer,
    learningRate: config.train.learningRate,
    epochs: config.train.epochs,
    batchSize: config.train.batchSize,
    validationSplit: config.train.validationSplit,
    loss: config.train.loss === "crossentropy" ? "softmaxCrossEntropy" : "mse",
    constraint: config.model.constraint,
  };
}

/** Runs one cell. Requires nothing initialised: the tfjs backend is set up on first use. */
export async function runCell(cell: Cell): Promise<CellRecord> {
  return (await runCellGroup([cell]))[0];
}

/**
 * Runs cells of ONE grid point (same config, different repetitions). With `train.stack` > 1 their
 * networks are trained together by {@link fitNetworkStack} (each exactly as alone); otherwise one
 * by one. Records come back in the order of `cells`.
 */
export async function runCellGroup(cells: readonly Cell[]): Promise<CellRecord[]> {
  if (cells.length === 0) return [];
  const config = cells[0].config;
  if (cells.some((c) => c.gridIndex !== cells[0].gridIndex)) {
    throw new Error("runCellGroup: every cell of a group must belong to the same grid point");
  }
  const records = cells.map(newRecord);
  const datas = cells.map((cell, i) => {
    const t0 = performance.now();
    const data = prepareData(config, cell.seeds);
    records[i].truth = data.truth;
    records[i].timings.data = (performance.now() - t0) / 1000;
    return data;
  });

  if (backendInfo()?.name !== config.train.backend) await initBackend(config.train.backend);
  const backend = backendInfo() ?? undefined;
  const t0 = performance.now();
  let fits: { training: TrainResult; network: Network | null }[];
  if ((config.train.stack ?? 1) > 1 || cells.length > 1) {
    fits = await fitNetworkStack(
      cells.map((cell, i) => ({
        spec: modelSpec(cell, datas[i]),
        data: { x: datas[i].train.x, y: datas[i].train.y },
        shuffleSeed: cell.seeds.shuffle,
      })),
      trainOptions(config),
    );
  } else {
    const fit = await fitNetwork(
      modelSpec(cells[0], datas[0]),
      { x: datas[0].train.x, y: datas[0].train.y },
      { ...trainOptions(config), shuffleSeed: cells[0].seeds.shuffle },
    );
    fit.model.dispose();
    fits = [fit];
  }
  const trainSeconds = (performance.now() - t0) / 1000 / cells.length;
  return records.map((record, i) => {
    record.backend = backend;
    record.timings.train = trainSeconds;
    return finishCell(record, config, datas[i], fits[i]);
  });
}

/** Methods and metrics of a cell whose network is trained (or failed). */
function finishCell(
  record: CellRecord,
  config: Experiment,
  data: CellData,
  fit: { training: TrainResult; network: Network | null },
): CellRecord {
  const timings = record.timings;
  let t0 = performance.now();
  const lap = (name: string) => {
    const t = performance.now();
    timings[name] = (t - t0) / 1000;
    t0 = t;
  };
  const { p, outputs, classification } = data;
  const split = { train: { n: data.train.n }, test: { n: data.test.n } };
  const xs = { train: data.train.x, test: data.test.x };
  const ys = { train: data.train.y, test: data.test.y };
  record.history = {
    trainLoss: fit.training.history.trainLoss,
    validationLoss: fit.training.history.validationLoss,
  };
  if (fit.training.status === "failed" || !fit.network) {
    record.status = "failed";
    record.reason = fit.training.status === "failed" ? fit.training.reason : "training produced no network";
    return record;
  }

  // methods and metrics
  const network = fit.network;
  if (config.outputs.saveNetworks) record.network = networkToJson(network);
  const testN = split.test.n;
  const nn = forward(network, xs.test, testN);
  let results;
  try {
    results = runMethods(config, network, {
      p,
      outputs,
      trainX: xs.train,
      trainY: ys.train,
      trainN: split.train.n,
      testX: xs.test,
      testY: ys.test,
      testN,
    });
  } catch (e) {
    record.status = "failed";
    record.reason = `method failed: ${(e as Error).message}`;
    return record;
  }
  lap("methods");
  const stats = wantsMethodStats(config);
  record.metrics = computeMetrics(nn, ys.test, outputs, classification, results);
  for (const [name, r] of results) {
    if (stats) record.metrics[`size_${name}`] = r.size;
    timings[`method_${name}`] = r.seconds;
    for (const c of r.convergence ?? []) {
      record.convergence.push({
        method: name,
        order: c.order,
        mse_nn: mse(nn, c.predictions),
        ...(stats ? { size: c.size } : {}),
      });
    }
    if (r.center && r.radii) {
      const curve = radiusCurve(xs.test, testN, r.center, nn, r.predictions, outputs, r.radii);
      record.radius ??= [];
      for (const c of curve) record.radius.push({ method: name, radius: c.radius, n: c.n, mse_nn: c.mse });
    }
  }
  const column0 = (a: Float64Array) => Array.from({ length: testN }, (_, i) => a[i * outputs]);
  record.predictions = { nn: column0(nn), y: column0(ys.test) };
  for (const [name, r] of results) record.predictions[name] = column0(r.predictions);
  if (config.outputs.tables.includes("coefficients")) {
    record.coefficients = {};
    for (const [name, r] of results) {
      if (!r.polynomials) continue;
      const terms = r.polynomials[0].terms;
      record.coefficients[name] = {
        labels: terms.labels("nn2poly"),
        values: r.polynomials.map((f) => Array.from(f.coefficients)),
      };
    }
  }
  return record;
}

/**
 * Metrics on the test set. Regression: `mse_nn_y`, `r2_nn_y`, and per method m: `mse_nn_m`
 * (network vs polynomial, the papers' main number), `mse_m_y`, `r2_nn_m` (how much of the
 * network's variance the polynomial explains). Classification adds accuracies `acc_nn_y`,
 * `acc_m_nn`, `acc_m_y` and per-class `mse_nn_m_c{k}` on the logits.
 */
export function computeMetrics(
  nn: Float64Array,
  y: Float64Array,
  outputs: number,
  classification: boolean,
  results: Map<string, { predictions: Float64Array }>,
): Record<string, number> {
  const m: Record<string, number> = {};
  if (classification) {
    const truth = argmaxRows(y, outputs);
    const nnClass = argmaxRows(nn, outputs);
    m.acc_nn_y = agreement(nnClass, truth);
    for (const [name, r] of results) {
      m[`mse_nn_${name}`] = mse(nn, r.predictions);
      for (let c = 0; c < outputs; c++) {
        m[`mse_nn_${name}_c${c + 1}`] = columnMse(nn, r.predictions, outputs, c);
      }
      const cls = argmaxRows(r.predictions, outputs);
      m[`acc_${name}_nn`] = agreement(cls, nnClass);
      m[`acc_${name}_y`] = agreement(cls, truth);
    }
    return m;
  }
  m.mse_nn_y = mse(nn, y);
  m.r2_nn_y = rSquared(nn, y);
  for (const [name, r] of results) {
    m[`mse_nn_${name}`] = mse(nn, r.predictions);
    m[`mse_${name}_y`] = mse(r.predictions, y);
    m[`r2_nn_${name}`] = rSquared(r.predictions, nn);
  }
  return m;
}
