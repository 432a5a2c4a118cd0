/**
 * symgrad-latent (Patel & Wetzel, arXiv 2409.05305): a Siamese network trained with the triplet loss
 * on states that share an invariant learns that invariant in its latent neuron; the neuron is then
 * interpreted by symbolic gradients (lib/symbolic) like a classifier's logit, on sampled states.
 *
 * Systems: the harmonic oscillator (state (x, v); a trajectory x = A cos(t + φ), v = −A sin(t + φ) has
 * the invariant ½v² + ½x²; anchor and positive share A, the negative has another A) and the 2-D
 * Kepler angular momentum L = x1·v2 − x2·v1 (states (x1, x2, v1, v2) built with a chosen L: position
 * on an annulus, velocity = (L/r²)·(−x2, x1) + s·r̂; the positive shares L, the negative has another).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { deriveSeed, Rng } from "../../data/random.ts";
import type { Analysis, AnalysisContext } from "../../experiment/study.ts";
import { forward, inputGradients } from "../../network/network.ts";
import { compile } from "../../symbolic/evaluation/compile.ts";
import { GradientLoss } from "../../symbolic/loss/gradient_loss.ts";
import type { ReportSection, ReportTable } from "../../report/report.ts";
import { interpretGradients } from "../../symbolic/interpret.ts";
import { accepted, compareToReference, spearman, valuesAndGradients } from "../../symbolic/judge.ts";
import { parseExpression } from "../../symbolic/parse/parse.ts";
import { initBackend } from "../../train/backend.ts";
import { modelToNetwork } from "../../train/convert.ts";
import { buildModel } from "../../train/model.ts";
import { trainTriplet, type TripletBatch } from "../../train/triplet.ts";
import { fmt, parseParams, saveFigure, saveTable } from "../../experiment/analysis_io.ts";
import { paretoSpec, truthVsLogitSpec } from "./figures.ts";

/** A system with an invariant and a sampler of states with a given invariant class. */
interface LatentSystem {
  name: string;
  inputs: number;
  invariant: string;
  /** A random class parameter (amplitude, angular momentum). */
  drawClass: (rng: Rng) => number;
  /** A random state of class c, written to out at offset. */
  drawState: (rng: Rng, c: number, out: Float64Array, at: number) => void;
}

const SYSTEMS: Record<string, LatentSystem> = {
  oscillator: {
    name: "oscillator",
    inputs: 2,
    invariant: "x1^2 + x2^2",
    drawClass: (rng) => rng.uniform(0.5, 2),
    drawState: (rng, a, out, at) => {
      const phase = rng.uniform(0, 2 * Math.PI);
      out[at] = a * Math.cos(phase);
      out[at + 1] = -a * Math.sin(phase);
    },
  },
  "kepler-angular-momentum": {
    name: "kepler-angular-momentum",
    inputs: 4,
    invariant: "x1*x4 - x2*x3",
    drawClass: (rng) => rng.uniform(-1.5, 1.5),
    drawState: (rng, l, out, at) => {
      const r = rng.uniform(0.5, 2);
      const angle = rng.uniform(0, 2 * Math.PI);
      const x1 = r * Math.cos(angle);
      const x2 = r * Math.sin(angle);
      const s = rng.uniform(-1, 1);
      out[at] = x1;
      out[at + 1] = x2;
      out[at + 2] = (-l / (r * r)) * x2 + (s * x1) / r;
      out[at + 3] = (l / (r * r)) * x1 + (s * x2) / r;
    },
  },
};

/** Parameters of symgrad-latent (strict; defaults as in experiments/symgrad-latent.ts). */
export const schema = z.strictObject({
  systems: z.array(z.enum(["oscillator", "kepler-angular-momentum"])).min(1).default([
    "oscillator",
    "kepler-angular-momentum",
  ]),
  width: z.number().int().min(1).default(64),
  depth: z.number().int().min(1).default(2),
  epochs: z.number().int().min(1).default(30),
  stepsPerEpoch: z.number().int().min(1).default(50),
  batchSize: z.number().int().min(1).default(64),
  learningRate: z.number().gt(0).default(1e-3),
  margin: z.number().gt(0).default(1),
  /** States interpreted (70 %) and held out (30 %). */
  points: z.number().int().min(50).default(1000),
  maxEvaluations: z.number().int().min(1000).default(250_000),
  workers: z.number().int().min(0).default(2),
});

type Params = z.infer<typeof schema>;

function sampler(sys: LatentSystem) {
  return (rng: Rng, count: number): TripletBatch => {
    const p = sys.inputs;
    const anchor = new Float64Array(count * p);
    const positive = new Float64Array(count * p);
    const negative = new Float64Array(count * p);
    for (let i = 0; i < count; i++) {
      const c = sys.drawClass(rng);
      let other = sys.drawClass(rng);
      while (Math.abs(other - c) < 0.05) other = sys.drawClass(rng);
      sys.drawState(rng, c, anchor, i * p);
      sys.drawState(rng, c, positive, i * p);
      sys.drawState(rng, other, negative, i * p);
    }
    return { anchor, positive, negative };
  };
}

async function runSystem(ctx: AnalysisContext, params: Params, name: string) {
  const sys = SYSTEMS[name];
  const p = sys.inputs;
  const seed = deriveSeed(ctx.seed, "symgrad-latent", name);
  await initBackend("wasm", { quiet: true });
  const model = buildModel({
    inputs: p,
    hidden: Array.from({ length: params.depth }, () => params.width),
    activation: "elu",
    outputUnits: 1,
    seed: deriveSeed(seed, "init"),
  });
  ctx.progress(`${name}: triplet training`);
  const history = await trainTriplet(model, sampler(sys), {
    epochs: params.epochs,
    stepsPerEpoch: params.stepsPerEpoch,
    batchSize: params.batchSize,
    learningRate: params.learningRate,
    margin: params.margin,
    seed: deriveSeed(seed, "triplets"),
  });
  const net = modelToNetwork(model);
  model.dispose();
  tf.disposeVariables();
  const rng = new Rng(deriveSeed(seed, "points"));
  const all = new Float64Array(params.points * p);
  for (let i = 0; i < params.points; i++) sys.drawState(rng, sys.drawClass(rng), all, i * p);
  const nSearch = Math.round(0.7 * params.points);
  const x = all.subarray(0, nSearch * p);
  const test = all.subarray(nSearch * p);
  const nTest = params.points - nSearch;
  const truth = parseExpression(sys.invariant, p);
  const z = forward(net, all, params.points);
  const tv = valuesAndGradients(truth, all, params.points, p).value;
  const netSpearman = spearman(z, tv);
  // the latent's orientation is arbitrary: compare with the invariant oriented like the neuron
  const oriented = netSpearman >= 0 ? truth : parseExpression(`-(${sys.invariant})`, p);
  const { gradient } = inputGradients(net, x, nSearch);
  ctx.progress(`${name}: interpreting the latent neuron on ${nSearch} states`);
  const res = await interpretGradients(Float64Array.from(x), gradient, nSearch, p, {
    search: { seed, binary: ["+", "-", "*", "/"], unary: ["sin", "exp", "square", "sqrt"], batching: true },
    budget: { maxEvaluations: params.maxEvaluations },
    workers: params.workers,
  });
  const chosen = res.front[res.best];
  const a = compareToReference(chosen.tree, oriented, Float64Array.from(test), nTest, p);
  const { gradient: gTest } = inputGradients(net, Float64Array.from(test), nTest);
  const truthVsNet = new GradientLoss(Float64Array.from(test), gTest, nTest, p).loss(compile(oriented, p));
  return {
    summary: {
      system: name,
      invariant: sys.invariant,
      final_triplet_loss: history.loss[history.loss.length - 1],
      latent_spearman_with_invariant: netSpearman,
      invariant_loss_vs_latent: truthVsNet,
      chosen: chosen.expression,
      complexity: chosen.complexity,
      loss: chosen.loss,
      last_drop: res.lastDrop === null ? null : res.front[res.lastDrop].expression,
      vs_invariant: a.gradientLoss,
      spearman: a.spearman,
      equivalent: accepted(a, truthVsNet),
    },
    front: res.front.map((e, i) => ({
      task: name,
      complexity: e.complexity,
      expression: e.expression,
      loss: e.loss,
      weighted_loss: e.weightedLoss,
      drop: e.drop,
      flagged: res.flagged.includes(i),
      chosen: i === res.best,
    })),
    scatter: Array.from({ length: params.points }, (_, i) => ({ task: name, truth: tv[i], logit: z[i] })),
    seconds: { system: name, train_seconds: history.seconds, search_seconds: res.seconds },
  };
}

/** The symgrad-latent analysis. */
export const symgradLatent: Analysis = async (ctx) => {
  const params = parseParams(schema, ctx.params);
  const out = [];
  for (const name of params.systems) out.push(await runSystem(ctx, params, name));
  const tables: ReportTable[] = [
    await saveTable(ctx, "summary", "Latent neuron vs the invariant, and its interpretation", {
      rows: out.map((o) => o.summary),
    }),
    await saveTable(ctx, "fronts", "Pareto fronts of the latent neurons", {
      rows: out.flatMap((o) => o.front),
    }),
    await saveTable(ctx, "timings", "Seconds (measured)", { rows: out.map((o) => o.seconds) }),
  ];
  const figures = [
    await saveFigure(
      ctx,
      "pareto",
      "Pareto fronts (log loss vs complexity), chosen entry in red",
      paretoSpec(out.flatMap((o) => o.front)),
    ),
    await saveFigure(
      ctx,
      "invariant_vs_latent",
      "The invariant against the latent neuron",
      truthVsLogitSpec(out.flatMap((o) => o.scatter)),
    ),
  ];
  const ok = out.filter((o) => o.summary.equivalent).length;
  const sections: ReportSection[] = [{
    heading: "Invariants from latent neurons of Siamese networks",
    text:
      `${ok} of ${out.length} latent neurons interpreted as their system's invariant (up to a monotone map). ` +
      `Networks ${params.depth}×${params.width} ELU, ${params.epochs} epochs × ${params.stepsPerEpoch} steps of ` +
      `${params.batchSize} triplets; ${fmt(params.maxEvaluations)} evaluations per search.`,
    tables,
    figures,
  }];
  return { sections };
};
