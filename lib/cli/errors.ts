/**
 * Command-line helpers: flag parsing into one-line {@link UsageError}s (the error types themselves
 * live in `lib/errors.ts`, owned by the library; this room only formats them).
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
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

/** Parses an integer flag in [min, max] (written in digits: "1e3" and "0x10" are refused). */
export function parseInteger(flag: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min} … ${max}`;
    throw new UsageError(`${flag}: expected an integer ${range}, got "${value}"`);
  }
  return n;
}

/**
 * Lets value flags take values that start with "-" (`--seed -1`, `--x0 -0.2,0.1`), which
 * `node:util` parseArgs would read as an option: joins them as `--flag=value`, so the flag's own
 * check reports the value instead of "argument is ambiguous".
 */
export function joinNegativeValues(args: readonly string[], flags: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (flags.includes(args[i]) && /^-[^-]/.test(args[i + 1] ?? "")) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

/**
 * `node:util` parseArgs over `args` with positionals allowed; its errors become a one-line
 * UsageError that names `command` and points to --help.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split("\n")[0]}; see --help`);
  }
}
