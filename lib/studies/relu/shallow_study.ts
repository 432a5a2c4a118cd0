/**
 * relu-shallow (Villani & Schoots, "Any Deep ReLU Network is Shallow"): ReLU networks trained on
 * simulated data (the paraboloid y = Σ x_k² in p = 2, 3, 4 and two-moons classification), widths and
 * depths swept; per network the activation regions (in the data box [−1, 1]^p and over ℝ^p) against
 * 2^H and the known upper bounds, the exact shallow network's width and parameters, its exactness at
 * 10⁴ random points and at points exactly on units' zero sets (the two-hidden-layer variant beside
 * it), and the enumeration time against the number of regions (log-log, fitted slope). A ReLU
 * network file (`network`: polylab JSON, ONNX or tfjs) is measured the same way, without training.
 *
 * @module
 */

import { z } from "zod";
import { deriveSeed } from "../../data/random.ts";
import { forward, type Network } from "../../network/network.ts";
import { requireNetwork } from "../../io/network_file.ts";
import { loadProjectModel } from "../../io/project_path.ts";
import { evaluateExtended } from "../../relu/extended.ts";
import { type PlNetwork, plNetwork, preActivations, ReluNetworkError } from "../../relu/net.ts";
import { heatmapSpec } from "../../report/figures.ts";
import type { ReportFigure, ReportSection, ReportTable } from "../../report/report.ts";
import type { Analysis, AnalysisContext } from "../../experiment/study.ts";
import { fmt, parseParams, saveFigure } from "../../experiment/analysis_io.ts";
import { UsageError } from "../../errors.ts";
import { guaranteedRegions } from "../../relu/bounds.ts";
import { saveKeyedTable } from "./io.ts";
import { paraboloid, type TaskData, twoMoons, uniformPoints } from "./data.ts";
import { countsSpec, regionMapSpec, timeSpec, twinSpec } from "./figures.ts";
import {
  logLogFit,
  type MeasuredNetwork,
  measureNetwork,
  type NetworkMeasure,
  type NetworkTiming,
} from "./measure.ts";
import { trainRelu } from "./train.ts";

const taskSchema = z.strictObject({
  /** Name in tables and figure file names. */
  name: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and -"),
  /** `paraboloid` (y = Σ x_k², regression) or `moons` (two-moons classification, p = 2). */
  kind: z.enum(["paraboloid", "moons"]),
  /** Inputs (moons: 2). */
  p: z.number().int().min(1).max(6),
  /** Training rows. */
  samples: z.number().int().min(20),
  /** Hidden widths of each network trained on this task. */
  architectures: z.array(z.array(z.number().int().min(1)).min(1)).min(1),
});

/** Parameters of the relu-shallow analysis (strict; defaults as in experiments/relu-shallow.ts). */
export const reluShallowParams = z.strictObject({
  /** Tasks whose networks are trained (may be empty when `network` is given). */
  tasks: z.array(taskSchema).default([]),
  /**
   * A ReLU network file (polylab JSON, ONNX or tfjs model.json; relative to the project root), measured
   * beside the trained networks without training, as "file:8x8" in the tables, `maps` and `weights`.
   */
  network: z.string().min(1).optional(),
  /** Networks per (task, architecture), with different seeds. */
  repetitions: z.number().int().min(1).default(1),
  epochs: z.number().int().min(1).default(150),
  batchSize: z.number().int().min(1).default(50),
  learningRate: z.number().gt(0).default(0.01),
  /** The data box (every task's inputs lie in [−1, 1]^p). */
  box: z.tuple([z.number(), z.number()]).default([-1, 1]),
  /** Random points in the box for the exactness check. */
  randomPoints: z.number().int().min(1).default(10000),
  /** Zero-set points (at most) per network. */
  boundaryPoints: z.number().int().min(0).default(2000),
  /** Region limit per enumeration. */
  maxRegions: z.number().int().min(1).default(200000),
  /** Networks drawn as region maps and side by side with their twin: "task:8x8". */
  maps: z.array(z.string()).default([]),
  /** The network whose per-region feature weights are drawn ("task:8x8"), and how many regions (null: none). */
  weights: z.object({ network: z.string(), regions: z.number().int().min(1) }).nullable().optional(),
});

type Params = z.infer<typeof reluShallowParams>;

/** The task name of the network read from `params.network`. */
const FILE_TASK = "file";

/** The network of `params.network`, checked to be a dense ReLU / leaky-ReLU network with a linear output. */
function readReluNetwork(path: string): { net: Network; pl: PlNetwork } {
  const net = requireNetwork(loadProjectModel(path, "params.network"), "params.network (relu-shallow)");
  try {
    return { net, pl: plNetwork(net) };
  } catch (e) {
    if (e instanceof ReluNetworkError) throw new UsageError(`params.network: ${path}: ${e.message}`);
    throw e;
  }
}

/** The name of a trained network in `maps` and `weights.network`: "task:8x8". */
const networkName = (task: string, widths: readonly number[]) => `${task}:${widths.join("x")}`;

/**
 * Parses relu-shallow's params and checks every cross-field rule (moons in the plane, the box, task
 * names, region limits the first layer alone exceeds, the networks `maps` and `weights` name), so a
 * bad value is a one-line UsageError naming `params.<path>` before anything is written.
 */
export function parseReluShallowParams(params: Record<string, unknown>): Params {
  const p = parseParams(reluShallowParams, params);
  if (!(p.box[0] < p.box[1])) {
    throw new UsageError(`params.box: expected [lo, hi] with lo < hi, got [${p.box.join(", ")}]`);
  }
  if (p.tasks.length === 0 && p.network === undefined) {
    throw new UsageError(
      "params.tasks: give at least one task to train, or params.network (a ReLU network file)",
    );
  }
  const inputs = new Map<string, number>();
  if (p.network !== undefined) {
    const pl = readReluNetwork(p.network).pl;
    const widths = pl.hidden.map((l) => l.units);
    const certain = guaranteedRegions(pl.p, widths);
    if (certain > p.maxRegions) {
      throw new UsageError(
        `params.network: the first hidden layer of ${p.network} (${
          widths[0]
        } units) alone creates ${certain} ` +
          `activation regions over ℝ^${pl.p}, above params.maxRegions (${p.maxRegions}); raise maxRegions`,
      );
    }
    if (p.tasks.some((t) => t.name === FILE_TASK)) {
      throw new UsageError(
        `params.tasks: a task named "${FILE_TASK}" clashes with params.network's name; rename it`,
      );
    }
    inputs.set(networkName(FILE_TASK, widths), pl.p);
  }
  p.tasks.forEach((t, i) => {
    if (t.kind === "moons" && t.p !== 2) {
      throw new UsageError(`params.tasks[${i}].p: two moons lie in the plane; set p to 2 (got ${t.p})`);
    }
    if (p.tasks.findIndex((u) => u.name === t.name) !== i) {
      throw new UsageError(`params.tasks[${i}].name: "${t.name}" is used twice; give each task its own name`);
    }
    t.architectures.forEach((widths, j) => {
      const certain = guaranteedRegions(t.p, widths);
      if (certain > p.maxRegions) {
        throw new UsageError(
          `params.tasks[${i}].architectures[${j}]: the first hidden layer (${
            widths[0]
          } units) alone creates ` +
            `${certain} activation regions over ℝ^${t.p}, above params.maxRegions (${p.maxRegions}); raise ` +
            `maxRegions or narrow the first layer`,
        );
      }
      inputs.set(networkName(t.name, widths), t.p);
    });
  });
  const known = () => [...inputs.keys()].slice(0, 4).join(", ") + (inputs.size > 4 ? ", …" : "");
  p.maps.forEach((name, i) => {
    const rep = /^(.*):r(\d+)$/.exec(name);
    const base = rep && p.repetitions > 1 ? rep[1] : name;
    const pIn = inputs.get(base);
    if (
      pIn === undefined ||
      (rep && p.repetitions > 1 && !(Number(rep[2]) >= 1 && Number(rep[2]) <= p.repetitions))
    ) {
      throw new UsageError(`params.maps[${i}]: no network "${name}"; name one as "task:8x8" (${known()})`);
    }
    if (pIn !== 2) {
      throw new UsageError(`params.maps[${i}]: "${name}" has p = ${pIn}; region maps need p = 2`);
    }
  });
  if (p.weights && !inputs.has(p.weights.network)) {
    throw new UsageError(
      `params.weights.network: no network "${p.weights.network}"; name one as "task:8x8" (${known()})`,
    );
  }
  return p;
}

/** Checks relu-shallow's params (the framework calls it before it writes any file). */
export function validateReluShallowParams(params: Record<string, unknown>): void {
  parseReluShallowParams(params);
}

function taskData(seed: number, task: Params["tasks"][number]): TaskData {
  if (task.kind === "moons") return twoMoons(seed, task.samples);
  return paraboloid(seed, task.samples, task.p);
}

interface Row {
  id: string;
  task: string;
  p: number;
  widths: string;
  repetition: number;
  fit: number;
  measure: NetworkMeasure;
  timing: NetworkTiming;
  measured: MeasuredNetwork;
  data: TaskData;
}

/** The relu-shallow analysis (see the module doc). */
export const reluShallow: Analysis = async (ctx: AnalysisContext) => {
  const p = parseReluShallowParams(ctx.params);
  const rows: Row[] = [];
  for (const task of p.tasks) {
    for (let rep = 0; rep < p.repetitions; rep++) {
      const data = taskData(deriveSeed(ctx.seed, "relu-shallow", task.name, "data", rep), task);
      for (const widths of task.architectures) {
        const arch = widths.join("x");
        const id = `${task.name}:${arch}${p.repetitions > 1 ? `:r${rep + 1}` : ""}`;
        ctx.progress(
          `${id}: training ${task.p}–${widths.join("–")}–${data.outputs} relu, ${p.epochs} epochs`,
        );
        const trained = await trainRelu(data, {
          seed: deriveSeed(ctx.seed, "relu-shallow", task.name, arch, rep),
          hidden: widths,
          activation: "relu",
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: p.learningRate,
        });
        const measured = measureNetwork(trained.net, {
          box: p.box,
          randomPoints: p.randomPoints,
          boundaryPoints: p.boundaryPoints,
          seed: deriveSeed(ctx.seed, "relu-shallow", id, "points"),
          maxRegions: p.maxRegions,
        });
        ctx.progress(
          `${id}: ${measured.measure.regions_box} regions in the box, ${measured.measure.regions} over ℝ^${task.p} ` +
            `(${measured.timing.seconds.toFixed(2)} s); max error ${fmt(measured.measure.max_err_random)}`,
        );
        rows.push({
          id,
          task: task.name,
          p: task.p,
          widths: widths.join("–"),
          repetition: rep + 1,
          fit: trained.fit,
          measure: measured.measure,
          timing: measured.timing,
          measured,
          data,
        });
      }
    }
  }
  if (p.network !== undefined) {
    const { net, pl } = readReluNetwork(p.network);
    const widths = pl.hidden.map((l) => l.units);
    const id = networkName(FILE_TASK, widths);
    ctx.progress(`${id}: ${p.network}, ${pl.p}–${widths.join("–")}–${pl.outputs}, not trained`);
    // no training data: random points in the box stand for it (the per-region weights figure counts them)
    const data = uniformPoints(
      deriveSeed(ctx.seed, "relu-shallow", "file", "data"),
      1000,
      pl.p,
      p.box,
      pl.outputs,
    );
    const measured = measureNetwork(net, {
      box: p.box,
      randomPoints: p.randomPoints,
      boundaryPoints: p.boundaryPoints,
      seed: deriveSeed(ctx.seed, "relu-shallow", id, "points"),
      maxRegions: p.maxRegions,
    });
    rows.push({
      id,
      task: FILE_TASK,
      p: pl.p,
      widths: widths.join("–"),
      repetition: 1,
      fit: NaN,
      measure: measured.measure,
      timing: measured.timing,
      measured,
      data,
    });
  }
  const tables: ReportTable[] = [];
  tables.push(
    await saveKeyedTable(
      ctx,
      "networks",
      "Regions, bounds, shallow network and exactness per trained network",
      {
        rows: rows.map((r) => ({
          network: r.id,
          p: r.p,
          hidden: r.widths,
          fit: Number.isNaN(r.fit) ? null : r.fit,
          ...r.measure,
        })),
        columns: [
          "network",
          "p",
          "hidden",
          { key: "fit", title: "train R² / accuracy", digits: 4 },
          "H",
          { key: "regions_box", title: "regions in box", digits: 16 },
          { key: "regions", title: "regions ℝ^p", digits: 16 },
          { key: "patterns", title: "2^H", digits: 16 },
          { key: "bound_product", title: "product bound", digits: 16 },
          { key: "bound_serra", title: "Serra bound", digits: 16 },
          { key: "shallow_widths", title: "shallow widths" },
          { key: "shallow_params_dense", title: "params (dense)", digits: 16 },
          { key: "shallow_params_nonzero", title: "params ≠ 0", digits: 16 },
          { key: "shallow_params_infinite", title: "±∞ params", digits: 16 },
          { key: "max_err_random", title: "max err (10⁴ random)", digits: 2 },
          { key: "boundary_points", title: "zero-set points", digits: 16 },
          { key: "max_err_boundary", title: "max err (zero sets)", digits: 2 },
          { key: "max_err_boundary_two_layer", title: "2-layer variant: max err (zero sets)", digits: 2 },
          { key: "max_err_random_two_layer", title: "2-layer variant: max err (random)", digits: 2 },
        ],
      },
    ),
  );
  const fitRows = rows.filter((r) => r.measure.regions >= 2);
  const fit = logLogFit(fitRows.map((r) => r.measure.regions), fitRows.map((r) => r.timing.seconds));
  tables.push(
    await saveKeyedTable(
      ctx,
      "timings",
      "Enumeration time (over ℝ^p, with the shallow network) — changes from run to run",
      {
        rows: rows.map((r) => ({ network: r.id, regions: r.measure.regions, ...r.timing })),
        columns: [
          "network",
          "regions",
          { key: "seconds", digits: 3 },
          { key: "seconds_box", title: "seconds (box)", digits: 3 },
          { key: "seconds_per_region", title: "seconds / region", digits: 3 },
          { key: "lps", title: "LPs" },
        ],
      },
    ),
  );
  const figures: ReportFigure[] = [];
  figures.push(
    await saveFigure(
      ctx,
      "regions_vs_H",
      "Regions over ℝ^p against H, beside 2^H and the upper bounds",
      countsSpec(rows.flatMap((r) => [
        { task: r.task, H: r.measure.H, value: r.measure.regions, what: "regions (ℝ^p)" },
        { task: r.task, H: r.measure.H, value: r.measure.patterns, what: "2^H" },
        { task: r.task, H: r.measure.H, value: r.measure.bound_product, what: "product bound" },
        { task: r.task, H: r.measure.H, value: r.measure.bound_serra, what: "Serra bound" },
      ])),
    ),
  );
  figures.push(
    await saveFigure(
      ctx,
      "time_vs_regions",
      `Time against regions (log-log)${
        Number.isFinite(fit.slope) ? `, fitted slope ${fit.slope.toFixed(2)}` : ""
      }`,
      timeSpec(
        rows.map((r) => ({ regions: r.measure.regions, seconds: r.timing.seconds, task: r.task })),
        fit,
      ),
    ),
  );
  const sections: ReportSection[] = [];
  for (const name of p.maps) {
    // checked before any work (parseReluShallowParams)
    const r = rows.find((q) => q.id === name || `${q.task}:${q.widths.replaceAll("–", "x")}` === name)!;
    sections.push(await mapSection(ctx, r, p.box));
  }
  if (p.weights) {
    const r = rows.find((q) => `${q.task}:${q.widths.replaceAll("–", "x")}` === p.weights!.network)!;
    figures.push(await weightsFigure(ctx, r, p.weights.regions));
  }
  const worstRandom = Math.max(...rows.map((r) => r.measure.max_err_random));
  const worstBoundary = Math.max(...rows.map((r) => r.measure.max_err_boundary));
  const worstTwo = Math.max(...rows.map((r) => r.measure.max_err_boundary_two_layer));
  const twoWrong = rows.filter((r) => r.measure.max_err_boundary_two_layer > 1e-9).length;
  const totalBoundary = rows.reduce((s, r) => s + r.measure.boundary_points, 0);
  sections.unshift({
    heading: "Findings",
    text: [
      `${rows.length} ReLU network${rows.length === 1 ? "" : "s"}${
        p.network === undefined
          ? ""
          : ` (${rows.length - 1} trained, and ${p.network} as "${rows.at(-1)!.id}")`
      } (H = ${Math.min(...rows.map((r) => r.measure.H))}–${
        Math.max(...rows.map((r) => r.measure.H))
      }); regions over ℝ^p from ${Math.min(...rows.map((r) => r.measure.regions))} to ${
        Math.max(...rows.map((r) => r.measure.regions))
      }, always far below 2^H and below both upper bounds (checked in the table).`,
      `The shallow network (three hidden ReLU layers with ±∞ weights, built from the regions over ℝ^p) equals ` +
      `the network within ${
        fmt(worstRandom)
      } (relative to max(1, |y|)) at ${p.randomPoints} random points per network ` +
      `and within ${
        fmt(worstBoundary)
      } at ${totalBoundary} points exactly on units' zero sets (float64 forward pass = 0).`,
      `The two-hidden-layer variant is exact off boundaries and wrong on them: at the zero-set points its largest error ` +
      `is ${
        fmt(worstTwo)
      }, for ${twoWrong} of ${rows.length} networks above 1e-9 (adjacent regions both claim the point).`,
      Number.isFinite(fit.slope)
        ? `Enumeration time grows like regions^${
          fit.slope.toFixed(2)
        } (least squares on log-log; timings in tables/timings.csv).`
        : "Enumeration time: too few networks with different region counts to fit a slope (timings in tables/timings.csv).",
      `What the paper's text did not let us check: its body could not be read here, so the construction (widths, the ` +
      `tie-break on boundaries, the layer roles) is our reconstruction from the abstract, proved and tested here, ` +
      `not necessarily the authors'; we have no paper numbers to put beside ours.`,
    ].join("\n\n"),
  });
  return { sections, tables, figures };
};

async function mapSection(ctx: AnalysisContext, r: Row, box: [number, number]): Promise<ReportSection> {
  const { setBox, shallow, pl } = r.measured;
  const classification = r.data.classification;
  const figures: ReportFigure[] = [];
  const name = `${r.task}_${r.widths.replaceAll("–", "x")}`;
  figures.push(
    await saveFigure(
      ctx,
      `regions_${name}`,
      `${r.id}: the ${setBox.regions.length} activation regions in [${box[0]}, ${
        box[1]
      }]² (colour = region), ` +
        `arrows = local gradient of ${classification ? "logit 2 − logit 1" : "y"}`,
      regionMapSpec(setBox.regions, box, {
        title: `${r.id}: activation regions`,
        subtitle: `${setBox.regions.length} regions in [${box[0]}, ${
          box[1]
        }]²; arrows: local gradient (length ∝ norm)`,
        difference: classification,
      }),
    ),
  );
  const n = 30;
  const step = (box[1] - box[0]) / n;
  const pts: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) pts.push(box[0] + (j + 0.5) * step, box[0] + (i + 0.5) * step);
  }
  const X = Float64Array.from(pts);
  const yn = forward(r.measured.net, X, n * n);
  const ys = evaluateExtended(shallow.net, X, n * n);
  const K = pl.outputs;
  const value = (y: Float64Array, i: number) => (classification ? y[i * K + 1] - y[i * K] : y[i * K]);
  const grid = Array.from({ length: n * n }, (_, i) => ({
    x: X[2 * i] - step / 2,
    y: X[2 * i + 1] - step / 2,
    network: value(yn, i),
    shallow: value(ys, i),
  }));
  const worst = Math.max(...grid.map((g) => Math.abs(g.network - g.shallow)));
  figures.push(
    await saveFigure(
      ctx,
      `twin_${name}`,
      `${r.id}: the network and its shallow twin on a ${n}×${n} grid (largest difference ${fmt(worst)})`,
      twinSpec(grid, step, {
        title: `${r.id}: network and shallow twin`,
        subtitle: `largest |difference| on the grid: ${fmt(worst)}`,
        valueTitle: classification ? "logit 2 − logit 1" : "y",
      }),
    ),
  );
  return {
    heading: `Region map and shallow twin: ${r.id}`,
    text: `Widths of the shallow network: ${r.measure.shallow_widths} (over ℝ²), ` +
      `${r.measure.shallow_params_nonzero} non-zero parameters of which ${r.measure.shallow_params_infinite} are ±∞.`,
    figures,
  };
}

async function weightsFigure(ctx: AnalysisContext, r: Row, top: number): Promise<ReportFigure> {
  const { pl, set } = r.measured;
  // regions ordered by how many training inputs fall in them (the ones the data uses), top `top`
  const counts = new Map<string, number>();
  const byPattern = new Map(set.regions.map((reg, i) => [reg.pattern.join(""), i]));
  for (let i = 0; i < r.data.n; i++) {
    const z = preActivations(pl, r.data.x.subarray(i * pl.p, (i + 1) * pl.p)).z;
    const key = Array.from(z, (v) => (v > 0 ? 1 : 0)).join("");
    if (byPattern.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const chosen = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top);
  const values = chosen.map(([key]) => Array.from(set.regions[byPattern.get(key)!].A.subarray(0, pl.p)));
  return await saveFigure(
    ctx,
    `weights_${r.task}_${r.widths.replaceAll("–", "x")}`,
    `${r.id}: local feature weights (∂y/∂x_k) of the ${chosen.length} regions holding the most ${
      r.task === FILE_TASK ? `of ${r.data.n} random points in the box` : "training points"
    }`,
    heatmapSpec({
      values,
      rowLabels: chosen.map(([key, c], i) => `R${i + 1} (${c} pts) ${key}`),
      colLabels: Array.from({ length: pl.p }, (_, k) => `x${k + 1}`),
      xTitle: "feature",
      yTitle: "region (pattern)",
      colorTitle: "weight",
      title: `${r.id}: per-region feature weights`,
    }),
  );
}
