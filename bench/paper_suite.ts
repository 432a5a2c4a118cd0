/**
 * The Taylor engines on the HOPE paper's own architectures, in fresh processes: the 1–1024×4–1
 * sine MLP at x0 = 0 (exact vs nested autodiff, target: exact ≥ 10× faster at K ≥ 4) through the
 * CLI contract, and the 2-D conv network at order 8 (target: the exact engine finishes in seconds;
 * nested autograd ran out of 23 GB in the paper). Weights are polylab's seeded ones.
 *
 * @module
 */

import { join } from "node:path";
import { networkToJson } from "../lib/network/network.ts";
import { sineMlp } from "../lib/taylor/paper_networks.ts";
import { fmtSeconds, markdownTable, runDenoJson, summarize } from "./harness.ts";

/** One timed cell of the paper suite. */
export interface PaperBenchRow {
  network: string;
  order: number;
  exact_s?: number;
  other_method: string;
  other_s?: number;
  other_error?: string;
  ratio?: number;
  exact_peak_rss_mib?: number;
  other_peak_rss_mib?: number;
}

async function timed(args: string[], repeats: number, timeout: number) {
  const seconds: number[] = [];
  let rss = 0;
  let error: string | undefined;
  for (let r = 0; r < repeats; r++) {
    const run = await runDenoJson(args, timeout);
    if (!run.ok) {
      error = run.error;
      break;
    }
    seconds.push(Number(run.json.seconds));
    rss = Math.max(rss, Number(run.json.peak_rss_mib ?? 0));
  }
  return { median: seconds.length ? summarize(seconds).median : undefined, rss, error };
}

/** Runs the suite; `log` receives progress lines. */
export async function runPaperBench(
  repeats: number,
  timeout: number,
  log: (line: string) => void,
): Promise<PaperBenchRow[]> {
  const dir = await Deno.makeTempDir({ prefix: "polylab-bench-" });
  const file = join(dir, "sine-1d-1024x4.json");
  await Deno.writeTextFile(
    file,
    JSON.stringify({ ...networkToJson(sineMlp({ width: 1024, depth: 4 })), x0: [0] }),
  );
  const rows: PaperBenchRow[] = [];
  try {
    for (const order of [4, 6, 8]) {
      const cli = (
        method: string,
      ) => ["run", "-A", "main.ts", "poly", "taylor", file, "--order", String(order), "--method", method];
      const exact = await timed(cli("exact"), repeats, timeout);
      // autodiff at K = 8 takes ~10 s and ~3 GB: one run is enough
      const auto = await timed(cli("autodiff"), order >= 8 ? 1 : repeats, timeout);
      log(`paper sine MLP K=${order}: exact ${exact.median} s, autodiff ${auto.median ?? auto.error}`);
      rows.push({
        network: "sine MLP 1–1024×4–1",
        order,
        exact_s: exact.median,
        other_method: "autodiff",
        other_s: auto.median,
        other_error: auto.error,
        ratio: exact.median && auto.median ? auto.median / exact.median : undefined,
        exact_peak_rss_mib: exact.rss,
        other_peak_rss_mib: auto.rss,
      });
    }
    const conv = (method: string) => ["run", "-A", "bench/conv_run.ts", "--order", "8", "--method", method];
    const exact = await timed(conv("exact"), repeats, timeout);
    const hope = await timed(conv("hope"), repeats, timeout);
    log(`paper conv net K=8: exact ${exact.median} s, hope ${hope.median ?? hope.error}`);
    rows.push({
      network: "2-D conv net (Linear–sin–Conv2d–sin–AvgPool–sin–Linear)",
      order: 8,
      exact_s: exact.median,
      other_method: "hope",
      other_s: hope.median,
      other_error: hope.error,
      exact_peak_rss_mib: exact.rss,
      other_peak_rss_mib: hope.rss,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

/** The suite's Markdown section. */
export function paperMarkdown(rows: PaperBenchRow[], repeats: number): string {
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
    rows.map((r) => [
      r.network,
      String(r.order),
      r.exact_s === undefined ? "n/a" : fmtSeconds(r.exact_s),
      r.other_method,
      r.other_s === undefined ? `n/a (${r.other_error ?? "failed"})` : fmtSeconds(r.other_s),
      r.ratio === undefined ? "—" : `${r.ratio.toFixed(0)}×`,
      String(r.exact_peak_rss_mib ?? ""),
      String(r.other_peak_rss_mib ?? ""),
    ]),
  );
  const mlp = rows.filter((r) => r.other_method === "autodiff");
  const met = mlp.length > 0 && mlp.every((r) => (r.ratio ?? 0) >= 10);
  return `## Taylor engines on the HOPE paper's architectures (polylab's seeded weights)\n\n` +
    `Engine seconds, median of ${repeats} fresh processes (autodiff at K = 8: one run).\n\n${table}\n\n` +
    `Target (exact ≥ 10× faster than nested autodiff at K ≥ 4 on the 1-D sine MLP): ${
      met ? "met" : "NOT met"
    }.`;
}
