/**
 * The `scaled-truth` extra (sim3): every polynomial a cell produced (polynomial regression fitted
 * to the data, NN2Poly of the network) compared coefficient by coefficient with the ground truth.
 * The methods work in the scaled space (inputs and response min–max scaled with the training
 * split's min/max), so the true polynomial is first rewritten in the scaled variables: with
 * x = α + β·x_s per column and y_s = γ + δ·y, f_s(x_s) = γ + δ·f(α + β·x_s), expanded exactly.
 * The scalers are recovered by re-simulating the cell's data from its seeds.
 *
 * @module
 */

import { join } from "node:path";
import type { MinMaxScaler } from "../../data/scale.ts";
import { writeFileAtomic } from "../../io/atomic.ts";
import { scatterSpec } from "../../report/figures.ts";
import type { ReportSection } from "../../report/report.ts";
import { summarize } from "../../report/stats.ts";
import { type CellValue, toCsv } from "../../report/tables.ts";
import { type CellRecord, prepareData } from "../../experiment/cell.ts";
import { methodLabel } from "../../experiment/methods.ts";
import { gridLabel, monomialText, okGroups, saveFigure, saveTables } from "./common.ts";
import type { ExtraContext } from "../../experiment/study.ts";

/** A sparse polynomial: nn2poly label (`"1,1,3"`, `"0"` for the intercept) → coefficient. */
export type SparsePolynomial = Map<string, number>;

const key = (exponents: readonly number[]): string => {
  const label: number[] = [];
  exponents.forEach((e, j) => {
    for (let k = 0; k < e; k++) label.push(j + 1);
  });
  return label.length ? label.join(",") : "0";
};

/** Affine map x = a + b·x_s of a scaler's column (the inverse of min–max scaling). */
function inverseAffine(s: MinMaxScaler | null, j: number): [number, number] {
  if (!s) return [0, 1];
  const width = s.max[j] - s.min[j];
  if (width > 0) {
    const b = width / (s.hi - s.lo);
    return [s.min[j] - s.lo * b, b];
  }
  return [s.min[j] - (s.lo + s.hi) / 2, 1];
}

/**
 * The true polynomial (nn2poly labels on the unscaled data) rewritten in the scaled inputs and
 * response: f_s(x_s) = γ + δ·f(α + β·x_s). Exact (a finite expansion).
 */
export function scaleTruth(
  truth: { labels: readonly (readonly number[])[]; values: readonly number[] },
  p: number,
  scalerX: MinMaxScaler | null,
  scalerY: MinMaxScaler | null,
): SparsePolynomial {
  const affine = Array.from({ length: p }, (_, j) => inverseAffine(scalerX, j));
  // y_s = γ + δ·y is the forward min–max map
  let gamma = 0, delta = 1;
  if (scalerY) {
    const [a, b] = inverseAffine(scalerY, 0);
    delta = 1 / b;
    gamma = -a / b;
  }
  const out = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  truth.labels.forEach((label, t) => {
    // product over the label's variables of (a_j + b_j·x_j), as exponent vectors
    let terms = new Map<string, { e: number[]; c: number }>([["", { e: new Array(p).fill(0), c: 1 }]]);
    if (!(label.length === 1 && label[0] === 0)) {
      for (const v of label) {
        const [a, b] = affine[v - 1];
        const next = new Map<string, { e: number[]; c: number }>();
        for (const { e, c } of terms.values()) {
          for (const [inc, coef] of [[0, a], [1, b]] as const) {
            if (coef === 0) continue;
            const e2 = e.slice();
            e2[v - 1] += inc;
            const k = e2.join(",");
            const prev = next.get(k);
            if (prev) prev.c += c * coef;
            else next.set(k, { e: e2, c: c * coef });
          }
        }
        terms = next;
      }
    }
    for (const { e, c } of terms.values()) add(out, key(e), delta * truth.values[t] * c);
  });
  add(out, "0", gamma);
  return out;
}

/** Degree of a label key (`"0"` → 0, `"1,1,3"` → 3). */
const degreeOf = (k: string) => (k === "0" ? 0 : k.split(",").length);

/** Coefficient errors of one method's polynomial against the scaled truth. */
export function coefficientErrors(
  truth: SparsePolynomial,
  method: { labels: number[][]; values: number[] },
  maxTruthDegree: number,
): { rmsError: number; relError: number; rmsHigher: number } {
  const coef = new Map(method.labels.map((l, t) => [l.join(","), method.values[t]]));
  let se = 0, st = 0, count = 0, sh = 0, countHigher = 0;
  const keys = new Set([...truth.keys(), ...[...coef.keys()].filter((k) => degreeOf(k) <= maxTruthDegree)]);
  for (const k of keys) {
    const t = truth.get(k) ?? 0;
    se += ((coef.get(k) ?? 0) - t) ** 2;
    st += t * t;
    count++;
  }
  for (const [k, v] of coef) {
    if (degreeOf(k) > maxTruthDegree) {
      sh += v * v;
      countHigher++;
    }
  }
  return {
    rmsError: Math.sqrt(se / count),
    relError: Math.sqrt(se / (st || 1)),
    rmsHigher: countHigher ? Math.sqrt(sh / countHigher) : 0,
  };
}

/** The scaled-truth extra: tables `scaled_coefficients_summary`, `_example`, CSV `scaled_coefficients`. */
export async function scaledTruthExtra(ctx: ExtraContext): Promise<ReportSection[]> {
  const heading = "Coefficients against the true polynomial (scaled space)";
  const groups = okGroups(ctx.records).map((g) => g.filter((r) => r.coefficients && r.truth));
  if (groups.every((g) => g.length === 0)) {
    return [{ heading, text: 'No coefficients in the records (add "coefficients" to outputs.tables).' }];
  }
  const long: Record<string, CellValue>[] = [];
  const summary: Record<string, CellValue>[] = [];
  const scatter: Record<string, unknown>[] = [];
  let example: Record<string, CellValue>[] = [];
  let exampleLabel = "";
  for (const group of groups) {
    if (group.length === 0) continue;
    const label = gridLabel(ctx, group[0]);
    const methods = Object.keys(group[0].coefficients!);
    const errs = new Map<string, ReturnType<typeof coefficientErrors>[]>(methods.map((m) => [m, []]));
    for (const r of group) {
      const truth = scaledTruthOf(ctx, r);
      const maxDegree = Math.max(...r.truth![0].labels.map((l) => (l[0] === 0 ? 0 : l.length)));
      const coef = (m: string, k: string) => {
        const c = r.coefficients![m];
        const t = c.labels.findIndex((l) => l.join(",") === k);
        return t < 0 ? 0 : c.values[0][t];
      };
      const keys = [...truth.keys()].filter((k) => degreeOf(k) <= maxDegree);
      for (const m of methods) {
        const c = r.coefficients![m];
        errs.get(m)!.push(coefficientErrors(truth, { labels: c.labels, values: c.values[0] }, maxDegree));
      }
      for (const k of keys) {
        const row: Record<string, CellValue> = { grid: label, repetition: r.repetition, term: k };
        row.truth_scaled = truth.get(k)!;
        for (const m of methods) row[m] = coef(m, k);
        long.push(row);
        if (r === group[0]) {
          for (const m of methods) {
            scatter.push({ truth: truth.get(k)!, estimate: coef(m, k), method: methodLabel(m) });
          }
        }
      }
      if (example.length === 0) {
        exampleLabel = label;
        example = long.map((row) => ({
          ...row,
          term: monomialText(String(row.term).split(",").map(Number)),
        }));
        example.forEach((row) => {
          delete row.grid;
          delete row.repetition;
        });
      }
    }
    for (const m of methods) {
      const e = errs.get(m)!;
      summary.push({
        grid: label,
        method: m,
        n: e.length,
        rel_coef_error_median: summarize(e.map((x) => x.relError)).median,
        rms_coef_error_median: summarize(e.map((x) => x.rmsError)).median,
        rms_higher_order_median: summarize(e.map((x) => x.rmsHigher)).median,
        mse_test_y_median: summarize(group.map((r) => r.metrics[`mse_${m}_y`])).median,
        mse_nn_median: summarize(group.map((r) => r.metrics[`mse_nn_${m}`])).median,
      });
    }
  }
  await writeFileAtomic(join(ctx.runDir, "tables", "scaled_coefficients.csv"), toCsv({ rows: long }));
  const tables = await saveTables(ctx, [
    {
      name: "scaled_coefficients_summary",
      caption:
        "Coefficients vs the true polynomial in the scaled space, median over repetitions: relative error ‖ĉ − c‖/‖c‖ and RMS error over the terms of degree ≤ the truth's, RMS of the higher-order coefficients (true value 0), test MSE against Y and against the network",
      table: { rows: summary },
    },
    {
      name: "scaled_coefficients_example",
      caption:
        `Example (${exampleLabel}, first repetition): the true polynomial in the scaled space beside each method's coefficients`,
      table: { rows: example },
    },
  ]);
  const figure = await saveFigure(
    ctx,
    "scaled_coefficients",
    "Estimated against true coefficients in the scaled space (first repetition of each grid point), with the y = x line",
    scatterSpec({
      data: scatter,
      x: "truth",
      y: "estimate",
      xTitle: "true coefficient (scaled space)",
      yTitle: "estimated coefficient",
      facet: "method",
      facetColumns: 4,
      width: 200,
      height: 200,
    }),
  );
  const best = (m: string) =>
    summarize(summary.filter((r) => r.method === m).map((r) => r.rel_coef_error_median as number)).median;
  const methods = [...new Set(summary.map((r) => String(r.method)))];
  return [{
    heading,
    text: "The ground truth is rewritten exactly in the scaled variables (x = α + β·x_s per column, " +
      "y_s = γ + δ·y, with the training split's min/max), and each method's coefficients of degree ≤ the " +
      "truth's degree are compared with it; higher-order NN2Poly coefficients have true value 0. Median " +
      "relative coefficient error over all grid points: " +
      methods.map((m) => `${methodLabel(m)} ${best(m).toExponential(2)}`).join(", ") +
      ". Every coefficient of every repetition is in tables/scaled_coefficients.csv.",
    tables,
    figures: [figure],
  }];
}

function scaledTruthOf(ctx: ExtraContext, r: CellRecord): SparsePolynomial {
  const cell = ctx.plan.cells[r.index];
  const data = prepareData(cell.config, r.seeds);
  return scaleTruth(data.truth[0], data.p, data.scalerX, data.scalerY);
}
