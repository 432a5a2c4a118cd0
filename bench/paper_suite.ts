/**
 * The paper suite: the Taylor engines on the HOPE paper's own architectures (polylab's seeded
 * weights), in fresh processes: the 1–1024×4–1 sine MLP at x0 = 0 (exact vs nested autodiff,
 * target: exact ≥ 10× faster at K ≥ 4) through the CLI contract `poly taylor`, and the 2-D conv
 * network at order 8 (exact vs HOPE; target: the exact engine finishes in seconds, nested autograd
 * ran out of 23 GB in the paper) through `bench/drivers/conv_run.ts`.
 *
 * @module
 */

import { join } from "node:path";
import { networkToJson } from "../lib/network/network.ts";
import { sineMlp } from "../lib/taylor/paper_networks.ts";
import { writeFileAtomic } from "../lib/io/atomic.ts";
import { fmtSeconds, markdownTable } from "./harness.ts";
import { type BenchCase, type CaseSummary, defineSuite } from "./suite.ts";

/** Orders of the sine MLP cases. */
export const PAPER_SINE_ORDERS = [4, 6, 8] as const;

const SINE = "sine MLP 1–1024×4–1";
const CONV = "2-D conv net (Linear–sin–Conv2d–sin–AvgPool–sin–Linear)";

/** The suite (registered in bench/suites.ts). */
export const paperSuite = defineSuite({
  name: "paper",
  description: "Taylor engines on the HOPE paper's 1–1024×4–1 sine MLP (exact vs autodiff) and 2-D conv net",
  async cases(ctx) {
    await writeFileAtomic(
      join(ctx.workDir, "sine-1d-1024x4.json"),
      JSON.stringify({ ...networkToJson(sineMlp({ width: 1024, depth: 4 })), x0: [0] }),
      { fsync: false },
    );
    const cases: BenchCase[] = [];
    for (const method of ["exact", "autodiff"]) {
      for (const order of PAPER_SINE_ORDERS) {
        cases.push({
          id: `paper/sine-1d-1024x4/${method}/k${order}`,
          script: "main.ts",
          args: ["poly", "taylor", "@work/sine-1d-1024x4.json", "--order", String(order), "--method", method],
          info: { network: SINE, method, order },
        });
      }
    }
    for (const method of ["exact", "hope"]) {
      cases.push({
        id: `paper/conv2d/${method}/k8`,
        script: "bench/drivers/conv_run.ts",
        args: ["--order", "8", "--method", method],
        info: { network: CONV, method, order: 8 },
      });
    }
    return cases;
  },
  section: paperMarkdown,
});

/** The suite's Markdown section: exact against the other engine per network and order. */
export function paperMarkdown(cases: readonly CaseSummary[]): string {
  const key = (c: CaseSummary) => `${c.info?.network}|${c.info?.order}`;
  const groups = [...new Set(cases.map(key))];
  const secs = (c?: CaseSummary) =>
    !c ? "n/a" : c.samples.length === 0 ? `n/a (${c.error ?? "failed"})` : fmtSeconds(c.median);
  const mib = (c?: CaseSummary) => (c?.peakRssMiB === undefined ? "n/a" : c.peakRssMiB.toFixed(0));
  const rows = groups.map((g) => {
    const mine = cases.filter((c) => key(c) === g);
    const exact = mine.find((c) => c.info?.method === "exact");
    const other = mine.find((c) => c.info?.method !== "exact");
    const ratio = exact && other && exact.samples.length && other.samples.length
      ? other.median / exact.median
      : undefined;
    return {
      network: String(mine[0].info?.network),
      order: Number(mine[0].info?.order),
      method: String(other?.info?.method ?? "n/a"),
      ratio,
      cells: [
        String(mine[0].info?.network),
        String(mine[0].info?.order),
        secs(exact),
        String(other?.info?.method ?? "n/a"),
        secs(other),
        ratio === undefined ? "—" : `${ratio.toFixed(ratio < 10 ? 1 : 0)}×`,
        mib(exact),
        mib(other),
      ],
    };
  });
  const table = markdownTable(
    [
      "network",
      "K",
      "exact s",
      "other engine",
      "other s",
      "other / exact",
      "exact peak RSS MiB",
      "other peak RSS MiB",
    ],
    rows.map((r) => r.cells),
  );
  const mlp = rows.filter((r) => r.network === SINE && r.method === "autodiff");
  const verdict = mlp.length === 0 || mlp.every((r) => r.ratio === undefined)
    ? "not checked (no autodiff time in this run)"
    : mlp.every((r) => (r.ratio ?? 0) >= 10)
    ? "met"
    : "NOT met";
  const n = Math.max(0, ...cases.map((c) => c.samples.length));
  return `## Taylor engines on the HOPE paper's architectures (polylab's seeded weights)\n\n` +
    `Engine seconds, median of ${n} fresh processes.\n\n${table}\n\n` +
    `Target (exact ≥ 10× faster than nested autodiff at K ≥ 4 on the 1-D sine MLP): ${verdict}.`;
}
