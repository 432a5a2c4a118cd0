/**
 * Command-line helpers: flag parsing into one-line {@link UsageError}s (the error types themselves
 * live in `lib/errors.ts`, owned by the library; this room only formats them).
 *
 * @module
 */

import { UsageError } from "../errors.ts";

export { EXIT_USAGE, UsageError } from "../errors.ts";
export { peakRssMiB } from "../io/memory.ts";

/** Reads and parses a JSON file, turning I/O and syntax errors into one-line usage errors. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read the file (${(e as Error).message.split("\n")[0]})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
}

/** Parses a comma-separated list of finite numbers for a flag, e.g. `--x0 0.1,-0.2`. */
export function parseNumberList(flag: string, value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((s) => s === "") || nums.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`${flag}: expected comma-separated numbers such as 0.1,-0.2, got "${value}"`);
  }
  return nums;
}

/** Parses a non-negative integer flag. */
export function parseInteger(flag: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag}: expected an integer ≥ ${min}, got "${value}"`);
  }
  return n;
}
