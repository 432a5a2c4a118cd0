import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.ts";
import type { AnalysisContext } from "../../experiment/study.ts";
import { descrambleDeernet } from "./deernet.ts";
import { descrambleToy } from "./toy.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

/** Run folders made by {@link context}; each test removes its own (see {@link cleaned}). */
const made: string[] = [];

async function context(params: Record<string, unknown>): Promise<AnalysisContext> {
  const runDir = await Deno.makeTempDir({ prefix: "polylab-descramble-test-" });
  made.push(runDir);
  return analysisContext(runDir, params);
}

/** The test body, then its run folders removed. */
function cleaned(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body();
    } finally {
      for (const dir of made.splice(0)) Deno.removeSync(dir, { recursive: true });
    }
  };
}

const csv = (path: string) => Deno.readTextFileSync(path).trim().split("\n").map((l) => l.split(","));

Deno.test(
  "descramble analyses refuse unknown or impossible params before any work",
  cleaned(async () => {
    for (const routine of [descrambleDeernet, descrambleToy]) {
      await assert.rejects(
        async () => routine(await context({ bogus: 1 })),
        (e: Error) => e instanceof UsageError && /params.*bogus/.test(e.message),
      );
    }
    await assert.rejects(
      async () => descrambleToy(await context({ bandpass: { passLow: 9, passHigh: 4 } })),
      (e: Error) => e instanceof UsageError && /passLow ≤ passHigh/.test(e.message),
    );
  }),
);

Deno.test(
  "descramble-deernet (tiny): both taps reach η*, tables and figures written",
  cleaned(async () => {
    const ctx = await context({
      timePoints: 32,
      distancePoints: 24,
      hidden: 8,
      trainSamples: 300,
      testSamples: 20,
      tapSamples: 300,
      epochs: 2,
      lbfgsIterations: 50,
      examples: 2,
    });
    const out = await descrambleDeernet(ctx);
    assert.equal(out.sections?.length, 1);
    const rows = csv(join(ctx.runDir, "tables", "optimisers.csv"));
    const head = rows[0];
    const gap = head.indexOf("relative_gap");
    const method = head.indexOf("method");
    const optimize = rows.filter((r) => r[method].startsWith("optimize"));
    assert.equal(optimize.length, 2);
    for (const r of optimize) assert.ok(Number(r[gap]) <= 1e-6, `gap ${r[gap]}`);
    for (
      const f of ["weights_layer1.svg", "frequency_response.svg", "eta_trace.svg", "singular_vectors.svg"]
    ) {
      assert.ok(existsSync(join(ctx.runDir, "figures", f)), f);
    }
  }),
);

Deno.test(
  "descramble-toy (tiny): the descrambled signals return to their band",
  cleaned(async () => {
    const ctx = await context({
      scrambled: { k: 12, n: 200, band: 2, noise: 1e-3, lbfgsIterations: 50 },
      bandpass: {
        length: 16,
        passLow: 2,
        passHigh: 3,
        hidden: 6,
        trainSamples: 200,
        tapSamples: 100,
        epochs: 2,
      },
      examples: 1,
    });
    await descrambleToy(ctx);
    const band = csv(join(ctx.runDir, "tables", "scrambled_band.csv"));
    const share = (label: string) => Number(band.find((r) => r[0].includes(label))![1]);
    assert.ok(share("scrambled") > 0.3);
    assert.ok(share("descrambled") < 1e-4, `descrambled out-of-band share ${share("descrambled")}`);
  }),
);
