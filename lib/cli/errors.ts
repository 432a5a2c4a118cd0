/**
 * User-facing errors: one line naming the field and the fix, exit code 2.
 *
 * @module
 */

/** A bad input (flag, file, config): printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit code for bad input. */
export const EXIT_USAGE = 2;

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

/** Peak resident memory of this process in MiB (VmHWM on Linux), or undefined elsewhere. */
export function peakRssMiB(): number | undefined {
  try {
    const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}
