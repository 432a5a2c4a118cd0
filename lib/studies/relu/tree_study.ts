/**
 * relu-tree (Aytekin 2022, "Neural Networks are Decision Trees"): the paper's toy, y = x² on
 * [−2.5, 2.5] (5,000 points) learned by a 1 → 2 → 2 → 1 leaky-ReLU network (slope 0.3, linear output).
 * Its decision tree of layer-wise sign tests has 2⁴ = 16 raw leaves; the branches whose cell is empty
 * are removed by LP (over ℝ and over the data range), and the remaining leaves (the activation regions)
 * are the network's linear pieces, drawn over the data. The paper reports 5 leaves after pruning; we
 * train several seeds and report each.
 *
 * @module
 */

import { z } from "zod";
import { deriveSeed } from "../../data/random.ts";
import type { ReportSection } from "../../report/report.ts";
import { plNetwork } from "../../relu/net.ts";
import { decisionTree, treeToText } from "../../relu/tree.ts";
import type { Analysis, AnalysisContext } from "../../experiment/study.ts";
import { fmt, parseParams, saveFigure } from "../../experiment/analysis_io.ts";
import { UsageError } from "../../errors.ts";
import { saveKeyedTable } from "./io.ts";
import { squareOnGrid } from "./data.ts";
import { pieceIntervals, piecesSpec } from "./figures.ts";
import type { Region } from "../../relu/regions.ts";
import { trainRelu } from "./train.ts";

/** Parameters of the relu-tree analysis (strict; defaults as in experiments/relu-tree.ts). */
export const reluTreeParams = z.strictObject({
  /** Data points on the grid. */
  samples: z.number().int().min(10).default(5000),
  /** The data range. */
  range: z.tuple([z.number(), z.number()]).default([-2.5, 2.5]),
  /** Hidden widths (the paper's 2, 2). */
  hidden: z.array(z.number().int().min(1)).min(1).default([2, 2]),
  /** Slope of the leaky ReLU. */
  alpha: z.number().default(0.3),
  /** Networks trained (seeds 1..n); the one with the best fit is drawn. */
  seeds: z.number().int().min(1).default(10),
  /** Paper's number of leaves after pruning. */
  paperLeaves: z.number().int().default(5),
  epochs: z.number().int().min(1).default(200),
  batchSize: z.number().int().min(1).default(100),
  learningRate: z.number().gt(0).default(0.01),
});

/** A sentence on the narrowest piece when it is too thin to see in the figure (< 1 % of the range), else "". */
function narrowNote(regions: readonly Region[], range: readonly [number, number]): string {
  const widths = pieceIntervals(regions, range).map(([lo, hi], i) => ({ i, lo, hi, w: hi - lo }));
  const thin = widths.reduce((a, b) => (b.w < a.w ? b : a));
  if (!(thin.w < 0.01 * (range[1] - range[0]))) return "";
  return ` Its piece ${thin.i + 1} spans only (${fmt(thin.lo)}, ${fmt(thin.hi)}), ${
    fmt(thin.w, 2)
  } wide: a real ` +
    `region of the network, too thin to see at the figure's scale.`;
}

/** Parses relu-tree's params and checks the range; a bad value is a one-line UsageError naming it. */
export function parseReluTreeParams(params: Record<string, unknown>): z.infer<typeof reluTreeParams> {
  const p = parseParams(reluTreeParams, params);
  if (!(p.range[0] < p.range[1])) {
    throw new UsageError(`params.range: expected [lo, hi] with lo < hi, got [${p.range.join(", ")}]`);
  }
  return p;
}

/** Checks relu-tree's params (the framework calls it before it writes any file). */
export function validateReluTreeParams(params: Record<string, unknown>): void {
  parseReluTreeParams(params);
}

/** The relu-tree analysis (see the module doc). */
export const reluTree: Analysis = async (ctx: AnalysisContext) => {
  const p = parseReluTreeParams(ctx.params);
  const data = squareOnGrid(p.samples, p.range[0], p.range[1]);
  const rows = [];
  const trees = [];
  for (let s = 1; s <= p.seeds; s++) {
    ctx.progress(
      `seed ${s}: training 1–${p.hidden.join("–")}–1 leaky_relu (α = ${p.alpha}), ${p.epochs} epochs`,
    );
    const trained = await trainRelu(data, {
      seed: deriveSeed(ctx.seed, "relu-tree", s),
      hidden: p.hidden,
      activation: "leaky_relu",
      alpha: p.alpha,
      epochs: p.epochs,
      batchSize: p.batchSize,
      learningRate: p.learningRate,
    });
    const pl = plNetwork(trained.net);
    const whole = decisionTree(pl);
    const inRange = decisionTree(pl, { box: p.range });
    trees.push({ seed: s, pl, whole, inRange, fit: trained.fit });
    rows.push({
      seed: s,
      fit: trained.fit,
      raw_leaves: whole.rawLeaves,
      leaves: whole.leaves,
      leaves_in_range: inRange.leaves,
      decisions: whole.decisions,
      implied_tests: whole.impliedTests,
      paper_leaves: p.paperLeaves,
    });
  }
  const table = await saveKeyedTable(
    ctx,
    "trees",
    "Decision trees of the trained networks: leaves before and after pruning",
    {
      rows,
      columns: [
        "seed",
        { key: "fit", title: "train R²", digits: 4 },
        { key: "raw_leaves", title: "raw leaves (2^H)" },
        { key: "leaves", title: "leaves over ℝ" },
        { key: "leaves_in_range", title: `leaves in (${p.range[0]}, ${p.range[1]})` },
        { key: "decisions", title: "real decisions" },
        { key: "implied_tests", title: "implied tests" },
        { key: "paper_leaves", title: "paper" },
      ],
    },
  );
  const best = trees.reduce((a, b) => (b.fit > a.fit ? b : a));
  const stride = Math.max(1, Math.floor(p.samples / 500));
  const points = Array.from({ length: Math.ceil(p.samples / stride) }, (_, i) => ({
    x: data.x[i * stride],
    y: data.y[i * stride],
  }));
  const piecesFigure = (tree: typeof best, name: string, what: string) =>
    saveFigure(
      ctx,
      name,
      `Seed ${tree.seed}${what}: the ${tree.inRange.leaves} linear pieces (tree leaves) over the data`,
      piecesSpec(
        tree.pl,
        tree.inRange.set.regions,
        points,
        p.range,
        `y = x² by a 1–${p.hidden.join("–")}–1 leaky-ReLU network (α = ${p.alpha}), seed ${tree.seed}`,
        `${tree.whole.rawLeaves} raw leaves; ${tree.whole.leaves} over ℝ, ${tree.inRange.leaves} in the data range`,
      ),
    );
  const figure = await piecesFigure(best, "pieces", " (best fit)");
  // the paper's count: the best-fitting network whose pruned tree has exactly paperLeaves leaves in the range
  const withPaperCount = trees.filter((t) => t.inRange.leaves === p.paperLeaves);
  const paperTree = withPaperCount.length > 0
    ? withPaperCount.reduce((a, b) => (b.fit > a.fit ? b : a))
    : undefined;
  const paperFigure = paperTree && paperTree !== best
    ? await piecesFigure(paperTree, "pieces_paper_count", ` (${p.paperLeaves} leaves, as in the paper)`)
    : undefined;
  const leafCounts = rows.map((r) => r.leaves_in_range);
  const counted = new Map<number, number>();
  leafCounts.forEach((c) => counted.set(c, (counted.get(c) ?? 0) + 1));
  const dist = [...counted.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) =>
    `${c} ${c === 1 ? "leaf" : "leaves"} (${n} ${n === 1 ? "network" : "networks"})`
  ).join(
    ", ",
  );
  const sections: ReportSection[] = [
    {
      heading: "Findings",
      text: [
        `The raw tree of a 1–${
          p.hidden.join("–")
        }–1 network tests ${best.pl.H} units, so it has 2^${best.pl.H} = ` +
        `${best.whole.rawLeaves} leaves. After removing the branches whose cell is empty (one LP per branch), ` +
        `${p.seeds} trained networks keep, in the data range (${p.range[0]}, ${
          p.range[1]
        }): ${dist}; over all of ℝ: ` +
        `${rows.map((r) => r.leaves).join(", ")}. The paper reports ${p.paperLeaves} leaves for its network.`,
        `The best-fitting network (seed ${best.seed}, train R² ${
          fmt(best.fit, 4)
        }) is drawn below with its tree ` +
        `(implied tests — a unit whose sign the path already fixes — are folded into the path).`,
        paperTree === undefined
          ? `No trained network has exactly ${p.paperLeaves} leaves in the data range.`
          : paperTree === best
          ? `It is also a network with the paper's ${p.paperLeaves} leaves in the data range.`
          : `Beside it, seed ${paperTree.seed} (train R² ${
            fmt(paperTree.fit, 4)
          }), the best-fitting of the ` +
            `${withPaperCount.length} networks whose pruned tree has exactly the paper's ${p.paperLeaves} leaves ` +
            `in the data range (seeds ${
              withPaperCount.map((t) => t.seed).join(", ")
            }): its ${p.paperLeaves} ` +
            `linear pieces over the data, and its tree below.${
              narrowNote(paperTree.inRange.set.regions, p.range)
            }`,
        `What the paper's text does not let us check: its weights are not given, so the pruned count depends on how ` +
        `our training lands (the count over the data range is what the figure shows); the paper's exact optimiser ` +
        `and epochs are not reproduced.`,
      ].join("\n\n"),
      tables: [table],
      figures: paperFigure ? [figure, paperFigure] : [figure],
    },
    {
      heading: `Tree of seed ${best.seed} (data range)`,
      text: "```\n" + treeToText(best.pl, best.inRange, { names: ["x"] }) + "\n```",
    },
  ];
  if (paperFigure && paperTree) {
    sections.push({
      heading: `Tree of seed ${paperTree.seed} (data range, ${p.paperLeaves} leaves)`,
      text: "```\n" + treeToText(paperTree.pl, paperTree.inRange, { names: ["x"] }) + "\n```",
    });
  }
  return { sections };
};
