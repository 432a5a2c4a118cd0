/**
 * Shared pieces of `deno task bench`: fresh-process runs, medians, machine info, Markdown tables.
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

/**
 * Runs `deno <args>` in a fresh process (cwd = project root) and parses its stdout as JSON.
 * Never throws: a non-zero exit, a timeout or unparsable output gives `{ok: false, error}` with
 * the child's last stderr line.
 */
export async function runDenoJson(args: string[], timeoutSeconds: number): Promise<ProcessRun> {
  const t0 = performance.now();
  const wall = () => (performance.now() - t0) / 1000;
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  const timedOut = `timeout after ${timeoutSeconds} s`;
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(Deno.execPath(), {
      // the same runtime flags as the CLI tasks in deno.json (optimised wasm from the first call)
      args: args[0] === "run" ? ["run", ...CLI_V8_FLAGS, ...args.slice(1)] : args,
      cwd: ROOT_DIR,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      env: { NO_COLOR: "1" },
      signal,
    }).output();
  } catch (e) {
    return { ok: false, error: signal.aborted ? timedOut : String(e), wallSeconds: wall() };
  }
  const wallSeconds = wall();
  if (signal.aborted) return { ok: false, error: timedOut, wallSeconds };
  if (!out.success) {
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) => l.trim() !== "");
    const msg = lines.find((l) => /^error: /.test(l)) ?? lines.at(-1) ?? "";
    return {
      ok: false,
      error: `exit ${out.code}: ${msg.slice(0, 200)}`,
      wallSeconds,
    };
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

/** What the README quotes about the machine a benchmark ran on. */
export interface MachineInfo {
  /** CPU model name from /proc/cpuinfo (or "unknown"). */
  cpu: string;
  /** Logical cores (navigator.hardwareConcurrency). */
  cores: number;
  /** Total memory in GiB, when known. */
  memory_gib?: number;
  /** OS and architecture, e.g. "linux x86_64". */
  os: string;
  /** Deno version. */
  deno: string;
  /** V8 version. */
  v8: string;
  /** TypeScript version. */
  typescript: string;
  /** 1/5/15-minute load averages when the run started (high values mean noisy timings). */
  load_average?: number[];
  /** ISO date-time of the run. */
  date: string;
}

/** Collects {@link MachineInfo} for the current process. */
export function machineInfo(now = new Date()): MachineInfo {
  let cpu = "unknown";
  try {
    cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpu;
  } catch { /* not Linux */ }
  let memory_gib: number | undefined, load_average: number[] | undefined;
  try {
    memory_gib = Math.round(Deno.systemMemoryInfo().total / 2 ** 30 * 10) / 10;
    load_average = Deno.loadavg().map((v) => Math.round(v * 100) / 100);
  } catch { /* not permitted */ }
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    memory_gib,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    load_average,
    date: now.toISOString(),
  };
}

/** One Markdown line describing the machine. */
export function machineLine(m: MachineInfo): string {
  const mem = m.memory_gib !== undefined ? `, ${m.memory_gib} GiB RAM` : "";
  const load = m.load_average ? `, load ${m.load_average.join("/")}` : "";
  return `Machine: ${m.cpu}, ${m.cores} cores${mem}, ${m.os}; Deno ${m.deno} (V8 ${m.v8}); ${m.date}${load}.`;
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
