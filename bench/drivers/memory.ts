/**
 * Peak RSS for the drivers, read through the library when the measured tree has
 * `lib/io/memory.ts` (older baseline commits do not: then undefined, and the case still runs).
 *
 * @module
 */

/** Peak resident memory of this process in MiB, when the measured tree can read it. */
export async function peakRss(): Promise<number | undefined> {
  try {
    return (await import("../../lib/io/memory.ts")).peakRssMiB();
  } catch {
    return undefined;
  }
}
