/**
 * The symgrad yardstick: labelled concept networks made the way the shared symgrad fixtures were
 * (../shared/fixtures/symgrad/README.md), so that the choice of an interpretation and the search
 * settings can be measured on many networks of known concept instead of the five public files.
 *
 * A concept is sampled (10,000 uniform points of its box, label 1[g(x)·N(1, 0.01) > threshold],
 * random 80/20 split), a classifier Dense(128, ELU) → Dropout 0.2 → Dense(128, ELU) → Dropout 0.2 →
 * Dense(1) is trained on the 80 % (binary cross-entropy on the logit, L2 1e-4, Adam 1e-3, batch 100,
 * at most 200 epochs, learning rate halved after 10 epochs without improvement of the held-out loss,
 * stopped after 20), and the unsure samples (1e-4 < σ(f) < 1 − 1e-4 of the 10,000, at most 1,000)
 * are split 70/30 into `points` and `test_points`. The file has the fixtures' fields (truth in
 * sympy syntax, so that ../shared/tools/check-symgrad judges it as it judges the fixtures).
 *
 * @module
 */

import { deriveSeed, permutation, Rng } from "../../lib/data/random.ts";
import { splitIndices, takeRows } from "../../lib/data/split.ts";
import { forward, inputGradients, networkToJson } from "../../lib/network/network.ts";
import { unsureMask } from "../../lib/symbolic/classifier.ts";
import { compile } from "../../lib/symbolic/evaluation/compile.ts";
import { spearman, valuesAndGradients } from "../../lib/symbolic/judge.ts";
import { GradientLoss } from "../../lib/symbolic/loss/gradient_loss.ts";
import { parseExpression } from "../../lib/symbolic/parse/parse.ts";
import { initBackend } from "../../lib/train/backend.ts";
import { fitNetwork } from "../../lib/train/fit.ts";
import { type ClassifierTask, PAPER_TASKS, simulateTask } from "../../lib/studies/symgrad/tasks.ts";
import { fromSympy } from "../../lib/symbolic/parse/sympy.ts";

/** A yardstick concept: a task and the seeds of its networks. */
export interface YardstickConcept extends ClassifierTask {
  /** The concept in sympy syntax (`**`, `pi`), as the fixtures write it. */
  sympy: string;
  /** Where it comes from: the paper's task or one of ours. */
  origin: "paper" | "ours";
}

const task = (name: string, domain: [number, number][], sympy: string, threshold: number) => ({
  name,
  inputs: domain.length,
  domain,
  sympy,
  truth: fromSympy(sympy),
  threshold,
});

/**
 * The concepts: the paper's tasks A1, A, B, C, D (their boxes and thresholds) and twelve of ours of
 * similar difficulty: 2–3 inputs, one sin or exp term with polynomial terms (sums and products),
 * thresholds near the concept's median on its box.
 */
export const YARDSTICK_CONCEPTS: readonly YardstickConcept[] = [
  ...PAPER_TASKS.filter((t) => ["A1", "A", "B", "C", "D"].includes(t.name)).map((t) => ({
    ...t,
    sympy: t.truth.replaceAll("^", "**").replace(String(Math.PI), "pi"),
    origin: "paper" as const,
  })),
  ...[
    task("S1", [[-2, 2], [-2, 2]], "sin(x1) + x2**2", 1),
    task("S2", [[0, 2], [-1, 1]], "x1*exp(x2)", 1),
    task("S3", [[-1, 1], [-1, 1], [-1, 1]], "exp(x1) - x2*x3", 1),
    task("S4", [[0, 2], [0, 3], [-1, 1]], "x1*sin(x2) + x3**2", 1),
    task("S5", [[-2, 2], [0, 2]], "x2*exp(-x1**2)", 0.3),
    task("S6", [[-1, 1], [-1, 1], [-1, 1]], "x1*x2 + exp(x3)", 1),
    task("S7", [[0, 2], [0, 2], [-1, 1]], "sin(x1*x2) + x3", 0.5),
    task("S8", [[-1, 1], [-1, 1], [-2, 2]], "exp(x1 + x2) - x3**2", 0.5),
    task("S9", [[-1, 1], [0, 2], [-1, 1]], "x1**2*x2 + x3", 0.5),
    task("S10", [[-1, 1], [-1, 1], [-2, 2]], "x1**2 + x2**2 - sin(x3)", 0.5),
    task("S11", [[0, 2], [-1, 1], [-1, 1]], "x1*x2*x3 + x1", 1),
    task("S12", [[-1, 1], [0, 2], [-1, 1]], "exp(x1)*x2 - x3", 1),
  ].map((t) => ({ ...t, domain: t.domain as [number, number][], origin: "ours" as const })),
];

/** How the networks are made (the fixtures' settings by default). */
export interface YardstickSettings {
  samples: number;
  noise: number;
  trainFraction: number;
  width: number;
  dropout: number;
  l2: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  band: number;
  maxPoints: number;
  searchFraction: number;
}

/** The shared fixtures' settings. */
export const FIXTURE_SETTINGS: Readonly<YardstickSettings> = Object.freeze({
  samples: 10_000,
  noise: 0.01,
  trainFraction: 0.8,
  width: 128,
  dropout: 0.2,
  l2: 1e-4,
  epochs: 200,
  batchSize: 100,
  learningRate: 1e-3,
  band: 1e-4,
  maxPoints: 1000,
  searchFraction: 0.7,
});

/**
 * Trains one network of a concept with a seed and returns it in the fixtures' layout (JSON-ready),
 * or null when the network has too few unsure points (fewer than 30 search or 15 held-out points).
 */
export async function makeYardstickFixture(
  concept: YardstickConcept,
  seed: number,
  settings: YardstickSettings = FIXTURE_SETTINGS,
): Promise<Record<string, unknown> | null> {
  const p = concept.inputs;
  const s = deriveSeed(seed, "symgrad-yardstick", concept.name);
  const data = simulateTask(concept, settings.samples, settings.noise, deriveSeed(s, "data"));
  const split = splitIndices(data.n, settings.trainFraction, deriveSeed(s, "split"));
  // training rows first, the held-out 20 % last: the trainer monitors the last rows as validation
  const order = [...split.train, ...split.test];
  await initBackend("wasm", { quiet: true });
  const t0 = performance.now();
  const fit = await fitNetwork(
    {
      inputs: p,
      hidden: [settings.width, settings.width],
      activation: "elu",
      outputUnits: 1,
      seed: deriveSeed(s, "init"),
      dropout: settings.dropout,
    },
    { x: takeRows(data.x, p, order), y: takeRows(data.y, 1, order) },
    {
      optimizer: "adam",
      learningRate: settings.learningRate,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      validationSplit: split.test.length / data.n,
      loss: "sigmoidCrossEntropy",
      l2: settings.l2,
      shuffleSeed: deriveSeed(s, "shuffle"),
      plateau: { patience: 10, factor: 0.5, stopAfter: 20 },
    },
  );
  fit.model.dispose();
  const trainSeconds = (performance.now() - t0) / 1000;
  if (!fit.network || fit.training.status !== "ok") {
    throw new Error(`${concept.name} seed ${seed}: training failed`);
  }
  const net = fit.network;
  const logits = forward(net, data.x, data.n);
  let correct = 0;
  for (const i of split.test) correct += (logits[i] > 0 ? 1 : 0) === data.y[i] ? 1 : 0;
  const unsure = unsureMask(logits, settings.band).flatMap((u, i) => (u ? [i] : []));
  const shuffled = Array.from(permutation(new Rng(deriveSeed(s, "points")), unsure.length), (j) => unsure[j]);
  const kept = shuffled.slice(0, settings.maxPoints);
  const nSearch = Math.round(settings.searchFraction * kept.length);
  if (nSearch < 30 || kept.length - nSearch < 15) return null;
  const rows = (idx: number[]) => takeRows(data.x, p, idx);
  const x = rows(kept.slice(0, nSearch));
  const testX = rows(kept.slice(nSearch));
  const nTest = kept.length - nSearch;
  const truth = parseExpression(concept.truth, p);
  const lossOn = (pts: Float64Array, n: number) => {
    const { gradient } = inputGradients(net, pts, n);
    return new GradientLoss(pts, gradient, n, p).loss(compile(truth, p));
  };
  const toRows = (a: Float64Array) =>
    Array.from({ length: a.length / p }, (_, i) => Array.from(a.subarray(i * p, i * p + p)));
  return {
    name: `yardstick-${seed}-${concept.name}`,
    ...networkToJson(net),
    points: toRows(x),
    test_points: toRows(testX),
    domain: concept.domain,
    threshold: concept.threshold,
    truth: concept.sympy,
    origin: concept.origin,
    seed,
    class_balance: data.y.reduce((a, b) => a + b, 0) / data.n,
    accuracy: correct / split.test.length,
    epochs: fit.training.epochs,
    max_epochs: settings.epochs,
    final_train_loss: fit.training.history.trainLoss.at(-1),
    train_seconds: trainSeconds,
    n_unsure: unsure.length,
    truth_loss: lossOn(x, nSearch),
    truth_loss_test: lossOn(testX, nTest),
    net_spearman_test: spearman(
      forward(net, testX, nTest),
      valuesAndGradients(truth, testX, nTest, p).value,
    ),
  };
}
