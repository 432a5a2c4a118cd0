import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.ts";
import { fmt } from "../../experiment/analysis_io.ts";
import { hopeConvergence } from "./convergence.ts";
import { hopeDiscovery } from "./discovery.ts";
import { hopeExpansion } from "./expansion.ts";
import { hopeFeatures } from "./features.ts";
import { hopeSpeed } from "./speed.ts";
import type { AnalysisContext } from "../../experiment/study.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

async function context(params: Record<string, unknown>): Promise<AnalysisContext> {
  return analysisContext(await Deno.makeTempDir({ prefix: "polylab-hope-test-" }), params, 42);
}

const csvRows = (path: string) =>
  Deno.readTextFileSync(path).trim().split("\n").slice(1).map((l) => l.split(","));

Deno.test("fmt: significant digits, exponents for very large/small values, n/a", () => {
  assert.equal(fmt(0.123456), "0.123");
  assert.equal(fmt(1.4e10, 2), "1.4e10");
  assert.equal(fmt(2.5e-7), "2.5e-7");
  assert.equal(fmt(NaN), "n/a");
});

Deno.test("analyses refuse unknown params with a UsageError naming the field", async () => {
  for (const routine of [hopeExpansion, hopeConvergence, hopeDiscovery, hopeFeatures, hopeSpeed]) {
    const ctx = await context({ bogus: 1 });
    await assert.rejects(
      () => routine(ctx),
      (e: Error) => e instanceof UsageError && /params.*bogus/.test(e.message),
    );
    await Deno.remove(ctx.runDir, { recursive: true });
  }
});

Deno.test("hope-expansion (small nets): exact is at least as accurate as HOPE near x0, files written", async () => {
  const ctx = await context({
    mlp: { width: 16, depth: 3, order: 6, plotPoints: 21, r2Points: 10, nearPoints: 9 },
    conv: { order: 3, grid: 5, nearGrid: 3 },
  });
  const out = await hopeExpansion(ctx);
  for (const f of ["tables/expansion_r2.csv", "tables/expansion_r2.md", "figures/mlp_expansion.svg"]) {
    assert.ok(existsSync(join(ctx.runDir, f)), f);
  }
  const r2 = out.tables!.find((t) => t.csvPath === "tables/expansion_r2.csv")!.table.rows;
  const near = r2.filter((r) => String(r.region).includes("0.5"));
  assert.equal(near.length, 2);
  for (const r of near) {
    assert.ok((r.max_abs_residual_exact as number) <= (r.max_abs_residual_hope as number) + 1e-15);
  }
  await Deno.remove(ctx.runDir, { recursive: true });
});

Deno.test("hope-convergence (narrow nets): HOPE = exact at n = 1, errors fall with K for small w0 at r = 0.1", async () => {
  const ctx = await context({ width: 16, w0: [0.5, 10], order: 5, radii: [0.1], points: 9 });
  await hopeConvergence(ctx);
  const rows = csvRows(join(ctx.runDir, "tables", "table2_ratios.csv"));
  const n1 = rows.filter((r) => r[1] === "1");
  assert.equal(n1.length, 2);
  for (const r of n1) assert.equal(Number(r[6]), 1); // hope_over_exact
  const conv = csvRows(join(ctx.runDir, "tables", "convergence.csv"))
    .filter((r) => r[0] === "0.5" && r[3] === "exact Taylor");
  assert.ok(Number(conv[conv.length - 1][4]) < Number(conv[0][4]));
  await Deno.remove(ctx.runDir, { recursive: true });
});

Deno.test("hope-discovery and hope-features run end to end on tiny settings", async () => {
  const ctx = await context({
    targets: [{ name: "t", formula: "0.5*x1^2 + 0.5*x2", inputs: 2, points: [[0, 0], [0.5, -0.5]] }],
    samples: 80,
    width: 8,
    depth: 2,
    epochs: 2,
    batchSize: 40,
  });
  const out = await hopeDiscovery(ctx);
  const summary = out.tables!.find((t) => t.csvPath === "tables/discovery_summary.csv")!.table.rows;
  assert.equal(summary.length, 2);
  assert.ok(summary.every((r) => Number.isFinite(r.max_coef_error_exact)));
  await Deno.remove(ctx.runDir, { recursive: true });

  const f = await context({
    side: 3,
    formula: "x1 + x5^2",
    samples: 80,
    width: 6,
    epochs: 2,
    images: 3,
    order: 2,
  });
  const fo = await hopeFeatures(f);
  const corr = fo.sections![0].tables![0].table.rows;
  // the exact unmixed Taylor sum of order K is a truncation of the perturbation: same ranking up to rounding
  assert.ok((corr[0].spearman_vs_perturbation as number) > 0.5);
  assert.ok(existsSync(join(f.runDir, "figures", "feature_maps.svg")));
  await Deno.remove(f.runDir, { recursive: true });
});

Deno.test("hope-speed: fresh-process timings with peak RSS, HOPE agrees with exact at K = 1", async () => {
  const ctx = await context({
    width: 8,
    orders: [1, 2],
    methods: ["exact", "hope"],
    dims: { inputs: [2], order: 2 },
    inference: { order: 2, points: 100, networkPoints: 10 },
  });
  await hopeSpeed(ctx);
  const rows = csvRows(join(ctx.runDir, "tables", "speed_orders.csv"));
  assert.equal(rows.length, 4);
  for (const r of rows) {
    assert.equal(r[8], "ok");
    assert.ok(Number(r[4]) >= 0 && Number(r[6]) > 0); // seconds, peak RSS
  }
  const k1hope = rows.find((r) => r[1] === "hope" && r[3] === "1")!;
  assert.ok(Number(k1hope[7]) < 1e-12);
  await Deno.remove(ctx.runDir, { recursive: true });
});
