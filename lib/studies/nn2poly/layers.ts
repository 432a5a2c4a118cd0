/**
 * The `layer-potentials` extra (sim2): for every hidden layer, the activation, its Taylor
 * polynomial (the one NN2Poly uses), their absolute error, and the density of the layer's
 * activation potentials over the training inputs, one curve per grid point (e.g. constrained
 * vs unconstrained). Needs `outputs.saveNetworks`; the training inputs are re-simulated from the
 * cell's seeds ({@link prepareData}), so they are exactly the ones the network was trained on.
 *
 * @module
 */

import { type Network, parseNetwork } from "../../network/network.ts";
import { resolveTaylorOrders } from "../../nn2poly/engine.ts";
import type { VegaLiteSpec } from "../../report/figures.ts";
import type { ReportSection } from "../../report/report.ts";
import type { CellValue } from "../../report/tables.ts";
import { evaluateActivation, taylorCoefficients } from "../../series/activations.ts";
import { prepareData } from "../../experiment/cell.ts";
import {
  gaussianKde,
  gridLabel,
  linspace,
  okGroups,
  quantile,
  saveFigure,
  saveTables,
  silvermanBandwidth,
} from "./common.ts";
import type { ExtraContext } from "../../experiment/study.ts";
import type { Nn2polyMethodOptions } from "../../methods/nn2poly.ts";

/** Potentials `u = b + a_{l−1}·W` of every layer on a batch (row-major n × units per layer). */
export function layerPotentials(net: Network, x: Float64Array, n: number): Float64Array[] {
  const out: Float64Array[] = [];
  let a = x;
  for (const layer of net.layers) {
    const { inputs, units, weights, activation } = layer;
    const u = new Float64Array(n * units);
    for (let s = 0; s < n; s++) {
      for (let j = 0; j < units; j++) {
        let v = weights[j];
        for (let i = 0; i < inputs; i++) v += a[s * inputs + i] * weights[(i + 1) * units + j];
        u[s * units + j] = v;
      }
    }
    out.push(u);
    a = u.map((v) => evaluateActivation(activation, v));
  }
  return out;
}

/** The Taylor polynomial Σ c_k (u − a)^k of an activation, evaluated at u. */
export function taylorValue(coefficients: Float64Array, center: number, u: number): number {
  let s = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) s = s * (u - center) + coefficients[k];
  return s;
}

const ERROR_TOLERANCE = 1e-2;

/** The layer-potentials extra: figure `layer_potentials` and table `layer_potentials`. */
export async function layerPotentialsExtra(ctx: ExtraContext): Promise<ReportSection[]> {
  const heading = "Activations, Taylor polynomials and activation potentials per layer";
  const opts = ctx.config.methods.nn2poly as Nn2polyMethodOptions | undefined;
  const chosen = okGroups(ctx.records).map((g) => g.find((r) => r.network)).filter((r) => r !== undefined);
  if (!opts || chosen.length === 0) {
    return [{
      heading,
      text: "No saved network (set outputs.saveNetworks and methods.nn2poly); nothing to show.",
    }];
  }
  const center = opts.taylorCenter;
  // potentials of each chosen network on its own training inputs
  const settings = chosen.map((record) => {
    const net = parseNetwork(record.network);
    const data = prepareData(ctx.plan.cells[record.index].config, record.seeds);
    return {
      label: gridLabel(ctx, record),
      net,
      orders: resolveTaylorOrders(net, opts.taylorOrders),
      potentials: layerPotentials(net, data.train.x, data.train.n),
    };
  });
  const hiddenLayers = settings[0].net.layers.map((l, i) => ({ l: i, act: l.activation }))
    .filter(({ act }) => act !== "linear");
  const rows: Record<string, CellValue>[] = [];
  const panels: VegaLiteSpec[] = [];
  for (const { l, act } of hiddenLayers) {
    const q = settings[0].orders[l];
    const c = taylorCoefficients(act, center, q);
    const all = settings.flatMap((s) => (s.potentials[l] ? [s.potentials[l]] : []));
    const reach = Math.max(...all.map((u) => Math.max(-quantile(u, 0.005), quantile(u, 0.995))));
    const R = Math.min(Math.max(3, Math.ceil(reach * 1.1)), 20);
    const grid = linspace(center - R, center + R, 241);
    const names = [`${act}(u)`, `Taylor order ${q} at ${center}`, "absolute error"];
    const curves = grid.flatMap((u) => {
      const g = evaluateActivation(act, u), t = taylorValue(c, center, u);
      return [g, t, Math.abs(g - t)].map((value, i) => ({ u, value, curve: names[i] }));
    });
    const gValues = grid.map((u) => evaluateActivation(act, u));
    const yLo = Math.min(...gValues) - 0.5, yHi = Math.max(...gValues) + 0.5;
    // each setting on its own fine grid: constrained potentials can be 100× narrower
    const density = settings.flatMap((s) => {
      const u = s.potentials[l];
      const h = silvermanBandwidth(u);
      const lo = Math.max(center - R, quantile(u, 0) - 4 * h),
        hi = Math.min(center + R, quantile(u, 1) + 4 * h);
      const at = [center - R, ...linspace(lo, hi, 400), center + R];
      const d = gaussianKde(u, at);
      return at.map((x, i) => ({ u: x, density: d[i], setting: s.label }));
    });
    for (const s of settings) {
      const u = s.potentials[l];
      let bad = 0, maxAbs = 0;
      for (const v of u) {
        if (Math.abs(evaluateActivation(act, v) - taylorValue(c, center, v)) > ERROR_TOLERANCE) bad++;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      rows.push({
        layer: l + 1,
        activation: act,
        taylor_order: q,
        setting: s.label,
        potentials: u.length,
        q01: quantile(u, 0.01),
        median: quantile(u, 0.5),
        q99: quantile(u, 0.99),
        max_abs: maxAbs,
        share_taylor_error_gt_1e2: bad / u.length,
      });
    }
    panels.push({
      hconcat: [
        {
          title: `layer ${l + 1}: ${act} and its Taylor polynomial`,
          width: 300,
          height: 200,
          data: { values: curves },
          mark: { type: "line", clip: true, strokeWidth: 2 },
          encoding: {
            x: {
              field: "u",
              type: "quantitative",
              title: "potential u",
              scale: { domain: [center - R, center + R] },
            },
            y: {
              field: "value",
              type: "quantitative",
              title: "value (clipped)",
              scale: { domain: [yLo, yHi] },
            },
            color: {
              field: "curve",
              type: "nominal",
              title: "curve",
              sort: names,
              scale: { domain: names, range: ["#222222", "#4c78a8", "#e45756"] },
            },
            strokeDash: {
              field: "curve",
              type: "nominal",
              legend: null,
              sort: names,
              scale: { domain: names, range: [[1, 0], [6, 3], [2, 2]] },
            },
          },
        },
        {
          title: `layer ${l + 1}: density of the potentials (training inputs)`,
          width: 300,
          height: 200,
          data: { values: density },
          mark: { type: "line", strokeWidth: 2 },
          encoding: {
            x: {
              field: "u",
              type: "quantitative",
              title: "potential u",
              scale: { domain: [center - R, center + R] },
            },
            y: {
              field: "density",
              type: "quantitative",
              title: "density (square-root scale)",
              scale: { type: "sqrt" },
            },
            color: { field: "setting", type: "nominal", title: "grid point", scale: { scheme: "dark2" } },
          },
        },
      ],
      resolve: { scale: { color: "independent" } },
    });
  }
  const spec: VegaLiteSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Activation, Taylor polynomial and activation potentials per hidden layer",
      subtitle:
        "first repetition of each grid point; densities are Gaussian KDEs over all units and training rows",
    },
    vconcat: panels,
    resolve: { legend: { color: "independent" } },
  };
  const figure = await saveFigure(
    ctx,
    "layer_potentials",
    "Per hidden layer: the activation, its Taylor polynomial and their absolute error (left); the density of the activation potentials over the training inputs (right)",
    spec,
  );
  const tables = await saveTables(ctx, [{
    name: "layer_potentials",
    caption:
      `Activation potentials per layer on the training inputs (first repetition); share_taylor_error_gt_1e2 is the share of potentials where |g(u) − Taylor(u)| > ${ERROR_TOLERANCE}`,
    table: { rows },
  }]);
  const worst = rows.reduce((a, b) =>
    (b.share_taylor_error_gt_1e2 as number) > (a.share_taylor_error_gt_1e2 as number) ? b : a
  );
  return [{
    heading,
    text:
      `NN2Poly replaces every activation by its Taylor polynomial, which is accurate only near the centre; ` +
      `the densities show where each layer's potentials fall. The largest share of potentials outside the ` +
      `region where the Taylor error stays below ${ERROR_TOLERANCE} is ${
        ((worst.share_taylor_error_gt_1e2 as number) * 100).toFixed(1)
      }% (layer ${worst.layer}, ${worst.setting}).`,
    tables,
    figures: [figure],
  }];
}
