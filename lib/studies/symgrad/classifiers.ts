/**
 * symgrad-classifiers: Wetzel's classifier tasks end to end — simulate 10,000 labelled samples,
 * train an ELU classifier in tfjs (dropout, L2, binary cross-entropy), convert it to the network
 * value, keep the points where it is unsure (1e-4 < σ(f) < 1 − 1e-4, at most 1,000: 70 % for the
 * search, 30 % held out), interpret the logit by symbolic-regression gradients (lib/symbolic), and
 * judge the chosen expression against the true concept on the held-out points the way the outside
 * check does (gradient loss ≤ max(3 × the truth's own, 2e-3) and Spearman ρ ≥ 0.98).
 *
 * @module
 */

import { z } from "zod";
import { deriveSeed, permutation, Rng } from "../../data/random.ts";
import { splitIndices, takeRows } from "../../data/split.ts";
import type { Analysis, AnalysisContext } from "../../experiment/study.ts";
import { forward, inputGradients, type Network } from "../../network/network.ts";
import type { ReportFigure, ReportSection, ReportTable } from "../../report/report.ts";
import { interpretClassifier, unsureMask } from "../../symbolic/classifier.ts";
import { compile } from "../../symbolic/evaluation/compile.ts";
import { accepted, compareToReference, spearman, valuesAndGradients } from "../../symbolic/judge.ts";
import { GradientLoss } from "../../symbolic/loss/gradient_loss.ts";
import { parseExpression } from "../../symbolic/parse/parse.ts";
import { initBackend } from "../../train/backend.ts";
import { fitNetwork } from "../../train/fit.ts";
import { fmt, parseParams, saveFigure, saveTable } from "../../experiment/analysis_io.ts";
import { fieldSpec, paretoSpec, truthVsLogitSpec } from "./figures.ts";
import { PAPER_TASKS, simulateTask } from "./tasks.ts";

/** Parameters of symgrad-classifiers (strict; defaults as in experiments/symgrad-classifiers.ts). */
export const schema = z.strictObject({
  /** Tasks to run (names of PAPER_TASKS). */
  tasks: z.array(z.enum(["A1", "A", "B", "C", "D", "E", "F"])).min(1).default([
    "A1",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
  ]),
  samples: z.number().int().min(100).default(10_000),
  /** Multiplicative label noise sd. */
  noise: z.number().min(0).default(0.01),
  trainFraction: z.number().gt(0).lt(1).default(0.8),
  /** Hidden width (the paper: 1000) and depth (2). */
  width: z.number().int().min(1).default(64),
  depth: z.number().int().min(1).default(2),
  dropout: z.number().min(0).lt(1).default(0.2),
  l2: z.number().min(0).default(1e-4),
  epochs: z.number().int().min(1).default(60),
  batchSize: z.number().int().min(1).default(100),
  learningRate: z.number().gt(0).default(1e-3),
  /** Unsure band: 1e-4 < σ(f) < 1 − 1e-4. */
  band: z.number().gt(0).lt(0.5).default(1e-4),
  /** At most this many unsure points, split 70/30 into search and held-out points. */
  maxPoints: z.number().int().min(20).default(1000),
  searchFraction: z.number().gt(0).lt(1).default(0.7),
  /** Evaluation budget of each search (deterministic). */
  maxEvaluations: z.number().int().min(1000).default(250_000),
  workers: z.number().int().min(0).default(2),
});

type Params = z.infer<typeof schema>;

/** The paper's reported task-B interpretation (its text: the entry at a 70× drop). */
export const PAPER_B = { expression: "sin(x2 + x3) + x1*x1", loss: 3.67e-4, drop: 70 };

interface TaskOutcome {
  summary: Record<string, string | number | boolean | null>;
  front: Record<string, string | number | boolean | null>[];
  timing: Record<string, string | number | null>;
  net: Network;
  testX: Float64Array;
  testN: number;
  unsureX: Float64Array;
  unsureN: number;
  sample: { x: Float64Array; y: Float64Array; n: number };
}

function rowsOf(x: Float64Array, p: number, idx: ArrayLike<number>): Float64Array {
  return takeRows(x, p, idx);
}

async function runTask(ctx: AnalysisContext, params: Params, name: string): Promise<TaskOutcome> {
  const task = PAPER_TASKS.find((t) => t.name === name)!;
  const p = task.inputs;
  const seed = deriveSeed(ctx.seed, "symgrad-classifiers", name);
  const data = simulateTask(task, params.samples, params.noise, deriveSeed(seed, "data"));
  const split = splitIndices(data.n, params.trainFraction, deriveSeed(seed, "split"));
  const trainX = rowsOf(data.x, p, split.train);
  const trainY = takeRows(data.y, 1, split.train);
  ctx.progress(`${name}: training ${params.depth}×${params.width} ELU on ${split.train.length} rows`);
  await initBackend("wasm", { quiet: true });
  const t0 = performance.now();
  const fit = await fitNetwork(
    {
      inputs: p,
      hidden: Array.from({ length: params.depth }, () => params.width),
      activation: "elu",
      outputUnits: 1,
      seed: deriveSeed(seed, "init"),
      dropout: params.dropout,
    },
    { x: trainX, y: trainY },
    {
      optimizer: "adam",
      learningRate: params.learningRate,
      epochs: params.epochs,
      batchSize: params.batchSize,
      loss: "sigmoidCrossEntropy",
      l2: params.l2,
      shuffleSeed: deriveSeed(seed, "shuffle"),
    },
  );
  fit.model.dispose();
  const trainSeconds = (performance.now() - t0) / 1000;
  if (!fit.network) throw new Error(`${name}: training failed (${fit.training.status})`);
  const net = fit.network;
  const logits = forward(net, data.x, data.n);
  let correct = 0;
  for (const i of split.test) correct += (logits[i] > 0 ? 1 : 0) === data.y[i] ? 1 : 0;
  const accuracy = correct / split.test.length;
  const unsure = unsureMask(logits, params.band).flatMap((u, i) => (u ? [i] : []));
  const shuffled = Array.from(
    permutation(new Rng(deriveSeed(seed, "points")), unsure.length),
    (j) => unsure[j],
  );
  const kept = shuffled.slice(0, params.maxPoints);
  const nSearch = Math.round(params.searchFraction * kept.length);
  const searchIdx = kept.slice(0, nSearch);
  const testIdx = kept.slice(nSearch);
  const x = rowsOf(data.x, p, searchIdx);
  const testX = rowsOf(data.x, p, testIdx);
  const truth = parseExpression(task.truth, p);
  const base = {
    task: name,
    truth: task.truth,
    accuracy,
    n_unsure: unsure.length,
    points: searchIdx.length,
    test_points: testIdx.length,
  };
  const sample = {
    x: data.x.subarray(0, Math.min(data.n, 1500) * p),
    y: data.y.subarray(0, Math.min(data.n, 1500)),
    n: Math.min(data.n, 1500),
  };
  const points = { net, testX, testN: testIdx.length, unsureX: x, unsureN: searchIdx.length, sample };
  if (searchIdx.length < 20 || testIdx.length < 10) {
    return {
      summary: { ...base, note: `too few unsure points (${unsure.length}) for the method` },
      front: [],
      timing: { task: name, train_seconds: trainSeconds, search_seconds: null },
      ...points,
    };
  }
  const lossOn = (pts: Float64Array, n: number) => {
    const { gradient } = inputGradients(net, pts, n);
    return new GradientLoss(pts, gradient, n, p).loss(compile(truth, p));
  };
  const truthLoss = lossOn(x, searchIdx.length);
  const truthLossTest = lossOn(testX, testIdx.length);
  const netSpearman = spearman(
    forward(net, testX, testIdx.length),
    valuesAndGradients(truth, testX, testIdx.length, p).value,
  );
  ctx.progress(`${name}: interpreting the logit on ${searchIdx.length} unsure points`);
  const t1 = performance.now();
  const res = await interpretClassifier(net, x, searchIdx.length, {
    search: { seed },
    budget: { maxEvaluations: params.maxEvaluations },
    workers: params.workers,
  });
  const searchSeconds = (performance.now() - t1) / 1000;
  const judge = (i: number) => {
    const a = compareToReference(res.front[i].tree, truth, testX, testIdx.length, p);
    return { ...a, equivalent: accepted(a, truthLossTest) };
  };
  const judged = res.front.map((_, i) => judge(i));
  const chosen = res.front[res.best];
  const jc = judged[res.best];
  const jd = res.lastDrop === null ? null : judged[res.lastDrop];
  const front = res.front.map((e, i) => ({
    task: name,
    complexity: e.complexity,
    expression: e.expression,
    loss: e.loss,
    weighted_loss: e.weightedLoss,
    drop: e.drop,
    flagged: res.flagged.includes(i),
    chosen: i === res.best,
    last_drop: i === res.lastDrop,
    equivalent: judged[i].equivalent,
  }));
  return {
    summary: {
      ...base,
      truth_loss: truthLoss,
      truth_loss_test: truthLossTest,
      net_spearman_test: netSpearman,
      chosen: chosen.expression,
      complexity: chosen.complexity,
      loss: chosen.loss,
      weighted_loss: chosen.weightedLoss,
      drop: chosen.drop,
      vs_truth: jc.gradientLoss,
      spearman: jc.spearman,
      equivalent: jc.equivalent,
      last_drop: res.lastDrop === null ? null : res.front[res.lastDrop].expression,
      last_drop_equivalent: jd === null ? null : jd.equivalent,
      iterations: res.iterations,
    },
    front,
    timing: { task: name, train_seconds: trainSeconds, search_seconds: searchSeconds },
    ...points,
  };
}

/** The symgrad-classifiers analysis. */
export const symgradClassifiers: Analysis = async (ctx) => {
  const params = parseParams(schema, ctx.params);
  const outcomes: TaskOutcome[] = [];
  for (const name of params.tasks) outcomes.push(await runTask(ctx, params, name));
  const summary = outcomes.map((o) => o.summary);
  const fronts = outcomes.flatMap((o) => o.front);
  const tables: ReportTable[] = [];
  tables.push(
    await saveTable(
      ctx,
      "summary",
      "Per task: network, unsure points, the truth's loss (the yardstick), the chosen interpretation and whether it is the concept (up to a monotone map)",
      { rows: summary },
    ),
  );
  tables.push(
    await saveTable(
      ctx,
      "fronts",
      "Pareto fronts (loss: unweighted, the contract's; weighted_loss: the search's, σ'(f) per point)",
      { rows: fronts },
    ),
  );
  const b = outcomes.find((o) => o.summary.task === "B");
  if (b && b.front.length > 0) {
    const ours = b.front.find((e) => e.chosen)!;
    tables.push(
      await saveTable(ctx, "paper_B", "Task B: the paper's reported interpretation beside ours", {
        rows: [
          {
            source: "paper (1000-wide network)",
            expression: PAPER_B.expression,
            loss: PAPER_B.loss,
            drop: PAPER_B.drop,
          },
          {
            source: "polylab",
            expression: ours.expression,
            loss: ours.loss as number,
            drop: ours.drop as number,
          },
        ],
      }),
    );
  }
  tables.push(
    await saveTable(ctx, "timings", "Seconds (measured, machine-dependent)", {
      rows: outcomes.map((o) => o.timing),
    }),
  );
  const figures: ReportFigure[] = [];
  if (fronts.length > 0) {
    figures.push(
      await saveFigure(
        ctx,
        "pareto",
        "Pareto fronts: weighted loss (log) against complexity; the chosen entry in red",
        paretoSpec(fronts),
      ),
    );
  }
  const a1 = outcomes.find((o) => o.summary.task === "A1");
  if (a1) {
    const { gradient } = inputGradients(a1.net, a1.unsureX, a1.unsureN);
    figures.push(
      await saveFigure(
        ctx,
        "a1_field",
        "A1: samples by class and the network's normalised gradients at unsure points",
        fieldSpec(a1.sample, a1.unsureX, gradient, a1.unsureN),
      ),
    );
  }
  const scatter: { task: string; truth: number; logit: number }[] = [];
  for (const o of outcomes) {
    const task = PAPER_TASKS.find((t) => t.name === o.summary.task)!;
    const tv =
      valuesAndGradients(parseExpression(task.truth, task.inputs), o.testX, o.testN, task.inputs).value;
    const f = forward(o.net, o.testX, o.testN);
    for (let i = 0; i < o.testN; i++) scatter.push({ task: task.name, truth: tv[i], logit: f[i] });
  }
  if (scatter.length > 0) {
    figures.push(
      await saveFigure(
        ctx,
        "truth_vs_logit",
        "The true concept against the network's logit on held-out unsure points",
        truthVsLogitSpec(scatter),
      ),
    );
  }
  const ok = summary.filter((s) => s.equivalent === true).length;
  const sections: ReportSection[] = [{
    heading: "Symbolic-gradient interpretation of classifiers",
    text: `${ok} of ${summary.length} chosen interpretations are the true concept up to a monotone map ` +
      `(gradient loss ≤ max(3 × the truth's, 2e-3) and ρ ≥ 0.98 on held-out unsure points). Networks ` +
      `${params.depth}×${params.width} ELU, dropout ${params.dropout}, L2 ${
        fmt(params.l2)
      }, ${params.epochs} epochs; ` +
      `${fmt(params.maxEvaluations)} evaluations per search.`,
    tables,
    figures,
  }];
  return { sections };
};
