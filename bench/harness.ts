/**
 * Shared pieces of `deno task bench`: fresh-process runs, medians, Markdown tables.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { median } from "simple-statistics";

/** V8 flags of the CLI tasks (deno.json), so that fresh-process timings measure what users run. */
export const CLI_V8_FLAGS = ["--v8-flags=--no-wasm-dynamic-tiering"];

/** Project root (the folder holding main.ts). */
export const ROOT_DIR: string = fileURLToPath(new URL("../", import.meta.url));

/** Outcome of one fresh-process run that prints a JSON object on stdout. */
export type ProcessRun =
  | { ok: true; json: Record<string, unknown>; wallSeconds: number }
  | { ok: false; error: string; wallSeconds: number };

/** Where and how {@link runDenoJson} runs the child. */
export interface RunOptions {
  /** Working directory: the source tree measured (default: this project's root). */
  cwd?: string;
  /** Aborts the child (e.g. on Ctrl-C); the run then fails with "interrupted". */
  signal?: AbortSignal;
}

/**
 * Runs `deno <args>` in a fresh process (cwd = project root unless given) with the CLI tasks' V8
 * flags after `run`, and parses its stdout as JSON; see {@link runCommandJson}.
 */
export function runDenoJson(
  args: string[],
  timeoutSeconds: number,
  options: RunOptions = {},
): Promise<ProcessRun> {
  // the same runtime flags as the CLI tasks in deno.json (optimised wasm from the first call)
  const full = args[0] === "run" ? ["run", ...CLI_V8_FLAGS, ...args.slice(1)] : args;
  return runCommandJson(Deno.execPath(), full, timeoutSeconds, options);
}

/**
 * Runs `command <args>` in a fresh process (cwd = project root unless given) and parses its stdout
 * as one JSON object. Never throws: a non-zero exit, a timeout, an abort or unparsable output gives
 * `{ok: false, error}` with the child's last stderr line.
 */
export async function runCommandJson(
  command: string,
  args: string[],
  timeoutSeconds: number,
  options: RunOptions = {},
): Promise<ProcessRun> {
  const t0 = performance.now();
  const wall = () => (performance.now() - t0) / 1000;
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const abortReason = () => (options.signal?.aborted ? "interrupted" : `timeout after ${timeoutSeconds} s`);
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(command, {
      args,
      cwd: options.cwd ?? ROOT_DIR,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      env: { NO_COLOR: "1" },
      signal,
    }).output();
  } catch (e) {
    return { ok: false, error: signal.aborted ? abortReason() : String(e), wallSeconds: wall() };
  }
  const wallSeconds = wall();
  if (signal.aborted) return { ok: false, error: abortReason(), wallSeconds };
  if (!out.success) {
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) => l.trim() !== "");
    const msg = lines.find((l) => /^error: /.test(l)) ?? lines.at(-1) ?? "";
    return { ok: false, error: `exit ${out.code}: ${msg.slice(0, 200)}`, wallSeconds };
  }
  try {
    const json = JSON.parse(new TextDecoder().decode(out.stdout));
    if (typeof json !== "object" || json === null) throw new Error("not an object");
    return { ok: true, json, wallSeconds };
  } catch (e) {
    return { ok: false, error: `stdout is not a JSON object (${(e as Error).message})`, wallSeconds };
  }
}

/** Median and minimum of a non-empty list (NaN for an empty one). */
export function summarize(values: readonly number[]): { median: number; min: number } {
  if (values.length === 0) return { median: NaN, min: NaN };
  return { median: median([...values]), min: Math.min(...values) };
}

const NUMERIC = /^(?:[-+]?\d[\d.,]*(?:e[-+]?\d+)?×?|n\/a|—)$/;

/** A GitHub Markdown table; columns whose cells are all numbers (or n/a, —) are right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const right = headers.map((_, c) =>
    rows.some((r) => /\d/.test(r[c])) && rows.every((r) => NUMERIC.test(r[c]))
  );
  const line = (cells: readonly string[]) => `| ${cells.map((s) => s.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [
    line(headers),
    `|${right.map((r) => (r ? "---:" : ":---")).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

/** Seconds with 3 significant digits (e.g. 0.0123, 1.36, 24.1); "n/a" for non-finite values. */
export function fmtSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "n/a";
  return s >= 100 ? s.toFixed(0) : Number(s.toPrecision(3)).toString();
}
