/**
 * Anchors (`deno task bench --anchors`): reference implementations timed in the same run on the
 * same machine, beside the polylab cases doing the same work, so the history records how polylab
 * stands against them over time. Each anchor is optional: where its interpreter or package is
 * absent it is skipped with a line saying what is missing. polylab never depends on them.
 *
 * - PyTorch nested autograd (`bench/anchors/torch_taylor.py`, any `python3` with `torch`; set
 *   POLYLAB_PYTHON to choose one) beside the Taylor cases on the 1-input sine MLPs.
 * - The R package nn2poly (`bench/anchors/nn2poly.R`, `Rscript` with nn2poly and jsonlite) beside
 *   the nn2poly cases.
 *
 * @module
 */

import { join } from "node:path";
import { ROOT_DIR, runCommandJson } from "./harness.ts";
import type { AnchorRecord } from "./history.ts";
import type { CaseOutcome, ResolvedCase } from "./runner.ts";
import { medianOf } from "./stats.ts";
import { resolveArg, type SuiteContext } from "./suite.ts";

/** One reference implementation. */
export interface Anchor {
  /** Name in the report, e.g. "PyTorch nested autograd". */
  name: string;
  /** The interpreter and its version, or why the anchor cannot run here. */
  probe(): Promise<{ command: string; version: string } | { skip: string }>;
  /** Arguments for the anchor's process doing the work of a case (undefined: no counterpart). */
  argsFor(rc: ResolvedCase, ctx: SuiteContext): string[] | undefined;
}

async function output(command: string, args: string[]): Promise<string | undefined> {
  try {
    const o = await new Deno.Command(command, { args, stdout: "piped", stderr: "null", stdin: "null" })
      .output();
    return o.success ? new TextDecoder().decode(o.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

const TAYLOR_ID = /^(taylor\/sine-1d-128x4|paper\/sine-1d-1024x4)\/(exact|autodiff)\/k(\d+)$/;

/** PyTorch nested autograd on the 1-input sine MLPs. */
export const torchAnchor: Anchor = {
  name: "PyTorch nested autograd",
  async probe() {
    const candidates = [Deno.env.get("POLYLAB_PYTHON"), "python3", "/usr/bin/python3"].filter((
      c,
    ): c is string => !!c);
    for (const python of candidates) {
      const version = await output(python, ["-c", "import torch; print(torch.__version__)"]);
      if (version) return { command: python, version: `torch ${version}` };
    }
    return {
      skip: `no Python with PyTorch (tried ${candidates.join(", ")}; e.g. apt-get install python3-torch)`,
    };
  },
  argsFor(rc, ctx) {
    const m = rc.case.id.match(TAYLOR_ID);
    if (!m) return undefined;
    const file = rc.case.args.find((a) => a.endsWith(".json"));
    if (!file) return undefined;
    return [join(ROOT_DIR, "bench", "anchors", "torch_taylor.py"), resolveArg(file, ctx), "--order", m[3]];
  },
};

/** The R package nn2poly on the nn2poly speed fixtures. */
export const rAnchor: Anchor = {
  name: "R nn2poly",
  async probe() {
    const ok = await output("Rscript", [
      "-e",
      'cat(requireNamespace("nn2poly", quietly = TRUE) && requireNamespace("jsonlite", quietly = TRUE))',
    ]);
    if (ok === undefined) return { skip: "Rscript not found (R is not installed)" };
    if (ok !== "TRUE") return { skip: "R is installed but the packages nn2poly and jsonlite are not" };
    const version = await output("Rscript", ["-e", 'cat(as.character(packageVersion("nn2poly")))']);
    return { command: "Rscript", version: `nn2poly ${version ?? "?"}` };
  },
  argsFor(rc, ctx) {
    if (!rc.case.id.startsWith("nn2poly/")) return undefined;
    const file = rc.case.args.find((a) => a.endsWith(".json"));
    return file ? [join(ROOT_DIR, "bench", "anchors", "nn2poly.R"), resolveArg(file, ctx)] : undefined;
  },
};

/** The anchors `--anchors` tries, in report order. */
export const ANCHORS: readonly Anchor[] = [torchAnchor, rAnchor];

/**
 * Times every available anchor beside the cases of this run it has a counterpart for (as many
 * fresh processes as HEAD had samples, at least 3; identical anchor commands are run once and
 * shared). Absent anchors give one record with `skipped` and a log line.
 */
export async function runAnchors(
  cases: readonly ResolvedCase[],
  outcomes: readonly CaseOutcome[],
  ctx: SuiteContext,
  options: {
    log: (line: string) => void;
    signal?: AbortSignal;
    timeoutSeconds?: number;
    anchors?: readonly Anchor[];
  },
): Promise<AnchorRecord[]> {
  const records: AnchorRecord[] = [];
  for (const anchor of options.anchors ?? ANCHORS) {
    const targets = cases.flatMap((rc, i) => {
      const args = anchor.argsFor(rc, ctx);
      return args ? [{ rc, i, args }] : [];
    });
    if (targets.length === 0) continue;
    const probe = await anchor.probe();
    if ("skip" in probe) {
      options.log(`anchor ${anchor.name} skipped: ${probe.skip}`);
      records.push({ name: anchor.name, case_id: "*", samples: [], ratio: null, skipped: probe.skip });
      continue;
    }
    const cache = new Map<string, { samples: number[]; error?: string }>();
    for (const { rc, i, args } of targets) {
      const key = args.join(" ");
      let timed = cache.get(key);
      if (!timed) {
        timed = { samples: [] };
        const n = Math.max(3, outcomes[i].head.samples.length);
        for (let k = 0; k < n && !options.signal?.aborted; k++) {
          const run = await runCommandJson(probe.command, args, options.timeoutSeconds ?? 300, {
            signal: options.signal,
          });
          if (!run.ok || typeof run.json.seconds !== "number") {
            timed.error = run.ok ? "no seconds in the output" : run.error;
            break;
          }
          timed.samples.push(run.json.seconds);
        }
        cache.set(key, timed);
      }
      const polylab = medianOf(outcomes[i].head.samples);
      const ratio = timed.samples.length ? polylab / medianOf(timed.samples) : NaN;
      options.log(
        `anchor ${anchor.name} beside ${rc.case.id}: ` +
          (timed.samples.length
            ? `${medianOf(timed.samples).toPrecision(3)} s, polylab / anchor ${ratio.toPrecision(3)}`
            : `failed: ${timed.error}`),
      );
      records.push({
        name: anchor.name,
        case_id: rc.case.id,
        samples: timed.samples,
        ratio: Number.isFinite(ratio) ? ratio : null,
        version: probe.version,
        ...(timed.error ? { skipped: `failed: ${timed.error}` } : {}),
      });
    }
  }
  return records;
}
