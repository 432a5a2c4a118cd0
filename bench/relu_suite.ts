/**
 * The deep-ReLU → shallow suite: each network of `../shared/fixtures/relu-bench` through the CLI
 * contract (`main.ts poly shallow FILE`: region enumeration + the ±∞ shallow network), against the
 * fixture's `anchor_seconds` (a layer-wise Python enumeration with SciPy's HiGHS). Each case's first
 * run is checked (`inspect`): the region count equals the fixture's, every region point is interior
 * with its pattern, and the shallow network equals the network at the fixture's points.
 * Target: ≥ 10× faster than the anchor on every network, output correct. Also times the own LP solver
 * alone on every LP of the enumeration (`bench/drivers/relu_lp.ts`); the comparison with HiGHS is the
 * standalone `bench/relu_lp.ts`.
 *
 * @module
 */

import { join } from "node:path";
import { parseNetwork } from "../lib/network/network.ts";
import { evaluateExtended, parseExtNetwork } from "../lib/relu/extended.ts";
import { plNetwork, preActivations } from "../lib/relu/net.ts";
import { fmtSeconds, markdownTable } from "./harness.ts";
import { type BenchCase, type CaseSummary, defineSuite, type FactValue } from "./suite.ts";

/** Required ratio anchor seconds / polylab seconds. */
export const RELU_TARGET_SPEEDUP = 10;

/** What the suite reads from one fixture. */
export interface ReluBenchFixture {
  /** File name without .json. */
  name: string;
  /** Layer widths, e.g. "2-24-24-1". */
  shape: string;
  /** The fixture's region count. */
  regionCount: number;
  /** The Python anchor's median time. */
  anchorSeconds: number;
  /** The parsed JSON (network, x, nn_pred). */
  json: Record<string, unknown>;
}

/** Lists and parses the speed fixtures of `dir`, sorted by name. */
export async function loadReluBenchFixtures(dir: string): Promise<ReluBenchFixture[]> {
  const out: ReluBenchFixture[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const json = JSON.parse(await Deno.readTextFile(join(dir, e.name)));
    const layers = json.layers as { weights: number[][] }[];
    out.push({
      name: e.name.slice(0, -5),
      shape: [json.inputs, ...layers.map((l) => l.weights[0].length)].join("-"),
      regionCount: json.region_count,
      anchorSeconds: json.anchor_seconds,
      json,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Checks one `poly shallow` output against the fixture: regions found, region points that are not
 * interior points of their pattern, the shallow network's largest relative error at the fixture's x.
 */
export function inspectRelu(fx: ReluBenchFixture, out: Record<string, unknown>): Record<string, FactValue> {
  try {
    const net = plNetwork(parseNetwork(fx.json));
    const regions = out.regions as { pattern: number[]; point: number[] }[];
    let bad = 0;
    for (const r of regions) {
      const z = preActivations(net, r.point).z;
      if (!z.every((v, u) => v !== 0 && (v > 0 ? 1 : 0) === r.pattern[u])) bad++;
    }
    const sh = parseExtNetwork(out.shallow);
    const X = fx.json.x as number[][];
    const Y = fx.json.nn_pred as number[][];
    const got = evaluateExtended(sh, Float64Array.from(X.flat()), X.length);
    let worst = 0;
    Y.forEach((row, i) =>
      row.forEach((y, k) => {
        const e = Math.abs(got[i * row.length + k] - y) / Math.max(1, Math.abs(y));
        worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
      })
    );
    return {
      regions_found: regions.length,
      bad_points: bad,
      max_err: Number.isFinite(worst) ? worst : "not finite",
      lps: typeof out.lps === "object" && out.lps !== null
        ? Object.values(out.lps as Record<string, number>).reduce((s, v) => s + v, 0)
        : null,
    };
  } catch (e) {
    return { check_error: String((e as Error).message).slice(0, 120) };
  }
}

/** The suite (registered in bench/suites.ts). */
export const reluSuite = defineSuite({
  name: "relu",
  description:
    "Deep ReLU → shallow (`poly shallow`) on ../shared/fixtures/relu-bench, against anchor_seconds " +
    "(Python, SciPy's HiGHS); the own LP solver on the enumeration's LPs",
  async cases(ctx) {
    const dir = join(ctx.sharedDir, "fixtures", "relu-bench");
    let fixtures: ReluBenchFixture[];
    try {
      fixtures = await loadReluBenchFixtures(dir);
    } catch {
      return { skip: `${dir} is absent` };
    }
    const cases: BenchCase[] = fixtures.map((fx) => ({
      id: `relu/${fx.name}`,
      script: "main.ts",
      args: ["poly", "shallow", `@shared/fixtures/relu-bench/${fx.name}.json`],
      info: { shape: fx.shape, region_count: fx.regionCount, anchor_seconds: fx.anchorSeconds },
      inspect: (json) => inspectRelu(fx, json),
    }));
    if (fixtures.length > 0) {
      cases.push({
        id: `relu/lp/${fixtures[0].name}`,
        script: "bench/drivers/relu_lp.ts",
        args: [`@shared/fixtures/relu-bench/${fixtures[0].name}.json`],
        tags: ["quick"],
        inspect: (json) => ({ lps: Number(json.lps), us_per_lp: Number(json.us_per_lp) }),
      });
    }
    return cases;
  },
  section: reluMarkdown,
});

/** anchor / polylab median of one case (NaN when either is missing). */
export function speedupOverAnchor(c: CaseSummary): number {
  return Number(c.info?.anchor_seconds) / c.median;
}

/** PASS when ≥ 10× faster than the anchor and the first run's output was correct. */
export function reluTarget(c: CaseSummary): "PASS" | "FAIL" {
  const f = c.facts ?? {};
  const correct = f.regions_found === c.info?.region_count && f.bad_points === 0 &&
    typeof f.max_err === "number" &&
    f.max_err <= 1e-9;
  return !c.error && correct && speedupOverAnchor(c) >= RELU_TARGET_SPEEDUP ? "PASS" : "FAIL";
}

/** The Markdown section of the relu suite. */
export function reluMarkdown(cases: readonly CaseSummary[]): string {
  const nets = cases.filter((c) => !c.id.startsWith("relu/lp/"));
  const lp = cases.find((c) => c.id.startsWith("relu/lp/"));
  const table = markdownTable(
    [
      "network",
      "shape",
      "regions",
      "polylab median s",
      "s / region",
      "peak RSS MiB",
      "anchor s",
      "anchor / polylab",
      "max err at x",
      `≥ ${RELU_TARGET_SPEEDUP}×, correct`,
    ],
    nets.map((c) => {
      const f = c.facts ?? {};
      const speedup = speedupOverAnchor(c);
      const regions = Number(c.info?.region_count);
      return [
        c.id.slice("relu/".length),
        String(c.info?.shape ?? "n/a"),
        f.regions_found === undefined || f.regions_found === regions
          ? String(regions)
          : `${f.regions_found} (ref ${regions})`,
        c.samples.length === 0 ? `n/a (${c.error ?? "no samples"})` : fmtSeconds(c.median),
        Number.isFinite(c.median / regions) ? (c.median / regions).toExponential(2) : "n/a",
        c.peakRssMiB === undefined ? "n/a" : c.peakRssMiB.toFixed(0),
        fmtSeconds(Number(c.info?.anchor_seconds)),
        Number.isFinite(speedup) ? `${speedup.toFixed(1)}×` : "n/a",
        typeof f.max_err === "number"
          ? f.max_err.toExponential(1)
          : String(f.max_err ?? f.check_error ?? "n/a"),
        reluTarget(c),
      ];
    }),
  );
  const verdict = nets.length === 0
    ? "No relu-bench network in this run."
    : nets.every((c) => reluTarget(c) === "PASS")
    ? `Target met: ≥ ${RELU_TARGET_SPEEDUP}× faster than the anchor on all ${nets.length} networks, output checked.`
    : `Target NOT met on: ${nets.filter((c) => reluTarget(c) === "FAIL").map((c) => c.id).join(", ")}.`;
  const n = Math.max(0, ...nets.map((c) => c.samples.length));
  const lines = [
    "## relu: deep ReLU → shallow vs a Python/SciPy-HiGHS enumeration",
    "",
    `polylab: engine seconds of \`deno task poly shallow FILE\` (regions + shallow network), median of ${n} ` +
    "fresh processes (cold JIT included, start-up, parsing and JSON output excluded). Anchor: the fixture's " +
    "`anchor_seconds`, a layer-wise Python enumeration with SciPy's HiGHS (median of 3 on a shared 2-core machine).",
    "",
    table,
    "",
    verdict,
  ];
  if (lp && lp.samples.length > 0) {
    lines.push(
      "",
      `Own LP solver alone on the ${lp.facts?.lps ?? "?"} LPs of one enumeration: ${
        fmtSeconds(lp.median)
      } s ` +
        `(${Number(lp.facts?.us_per_lp).toFixed(2)} µs per LP, first run). HiGHS on the same LPs: ` +
        "`deno run -A bench/relu_lp.ts` (README, Dependencies and why).",
    );
  }
  return lines.join("\n");
}
