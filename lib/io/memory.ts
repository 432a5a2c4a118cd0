/**
 * Process memory readings for benchmarks and reports.
 *
 * @module
 */

/** Peak resident memory of this process in MiB (VmHWM on Linux), or undefined elsewhere. */
export function peakRssMiB(): number | undefined {
  try {
    const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}
