/**
 * Vega-lite figures of the symgrad study: Pareto fronts, a 2-D gradient field, truth against logit.
 *
 * @module
 */

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Log weighted loss against complexity per task (faceted), the chosen entry red, flagged drops as squares. */
export function paretoSpec(fronts: Record<string, unknown>[]): object {
  return {
    $schema: SCHEMA,
    data: {
      values: fronts.map((f) => ({ ...f, marked: f.chosen ? "chosen" : f.flagged ? "≥10× drop" : "front" })),
    },
    facet: { field: "task", type: "nominal", title: null },
    columns: 4,
    spec: {
      width: 170,
      height: 140,
      layer: [
        {
          mark: { type: "line", color: "#888" },
          encoding: {
            x: { field: "complexity", type: "quantitative" },
            y: {
              field: "weighted_loss",
              type: "quantitative",
              scale: { type: "log" },
              title: "weighted loss",
            },
          },
        },
        {
          mark: { type: "point", filled: true, size: 40 },
          encoding: {
            x: { field: "complexity", type: "quantitative" },
            y: { field: "weighted_loss", type: "quantitative", scale: { type: "log" } },
            color: {
              field: "marked",
              type: "nominal",
              scale: { domain: ["front", "≥10× drop", "chosen"], range: ["#4c78a8", "#f58518", "#e45756"] },
              title: null,
            },
          },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
}

/** Samples coloured by class, and arrows of the normalised gradients at the unsure points (2 inputs). */
export function fieldSpec(
  sample: { x: Float64Array; y: Float64Array; n: number },
  points: Float64Array,
  gradient: Float64Array,
  n: number,
): object {
  const dots = Array.from(
    { length: sample.n },
    (_, i) => ({ x1: sample.x[2 * i], x2: sample.x[2 * i + 1], class: String(sample.y[i]) }),
  );
  const arrows = [];
  for (let i = 0; i < Math.min(n, 250); i++) {
    const g1 = gradient[2 * i];
    const g2 = gradient[2 * i + 1];
    const norm = Math.hypot(g1, g2);
    const x1 = points[2 * i];
    const x2 = points[2 * i + 1];
    arrows.push({ x1, x2, x1e: x1 + 0.08 * g1 / norm, x2e: x2 + 0.08 * g2 / norm });
  }
  return {
    $schema: SCHEMA,
    width: 380,
    height: 380,
    layer: [
      {
        data: { values: dots },
        mark: { type: "circle", size: 10, opacity: 0.35 },
        encoding: {
          x: { field: "x1", type: "quantitative", title: "x1" },
          y: { field: "x2", type: "quantitative", title: "x2" },
          color: { field: "class", type: "nominal" },
        },
      },
      {
        data: { values: arrows },
        mark: { type: "rule", color: "black", strokeWidth: 1 },
        encoding: {
          x: { field: "x1", type: "quantitative", title: "x1" },
          y: { field: "x2", type: "quantitative", title: "x2" },
          x2: { field: "x1e" },
          y2: { field: "x2e" },
        },
      },
    ],
  };
}

/** The true concept against the network logit per task (faceted, independent scales). */
export function truthVsLogitSpec(rows: { task: string; truth: number; logit: number }[]): object {
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { field: "task", type: "nominal", title: null },
    columns: 4,
    spec: {
      width: 170,
      height: 140,
      mark: { type: "circle", size: 8, opacity: 0.5 },
      encoding: {
        x: { field: "logit", type: "quantitative", title: "network logit f" },
        y: { field: "truth", type: "quantitative", title: "true concept g" },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}
