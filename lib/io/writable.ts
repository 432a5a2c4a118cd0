/**
 * Checks, without writing anything, that a folder can be created and written: the nearest existing
 * ancestor of the path must be a folder this process may write in (a file in the way, a read-only
 * file system or missing permissions are refused with a one-line {@link UsageError}).
 *
 * @module
 */

import { accessSync, constants } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../errors.ts";

/** Throws a {@link UsageError} (naming `field`, e.g. `--out`) when `target` cannot be created or written. */
export function checkWritable(target: string, field: string): void {
  let dir = resolve(target);
  while (true) {
    let info: Deno.FileInfo | null = null;
    try {
      info = Deno.statSync(dir);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) {
        throw new UsageError(`${field}: cannot inspect ${dir} (${(e as Error).message.split("\n")[0]})`);
      }
    }
    if (info) {
      if (!info.isDirectory) {
        throw new UsageError(`${field}: ${dir} is a file, not a folder; choose another ${field}`);
      }
      if (readOnlyMount(dir)) {
        throw new UsageError(
          `${field}: cannot write in ${dir} (read-only file system); choose a writable folder with ${field}`,
        );
      }
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch (e) {
        const code = (e as { code?: string }).code ?? "not writable";
        const why = code === "EROFS"
          ? "read-only file system"
          : code === "EACCES"
          ? "permission denied"
          : code;
        throw new UsageError(
          `${field}: cannot write in ${dir} (${why}); choose a writable folder with ${field}`,
        );
      }
      return;
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * Whether `dir` lies on a file system mounted read-only (Linux: the longest matching mount point in
 * /proc/self/mountinfo has the `ro` option). False where that cannot be told.
 */
export function readOnlyMount(dir: string): boolean {
  let info: string, real: string;
  try {
    info = Deno.readTextFileSync("/proc/self/mountinfo");
    real = Deno.realPathSync(dir);
  } catch {
    return false;
  }
  let best = "", ro = false;
  for (const line of info.split("\n")) {
    const f = line.split(" ");
    if (f.length < 6) continue;
    const mountPoint = f[4].replace(/\\040/g, " ");
    const inside = real === mountPoint ||
      real.startsWith(mountPoint.endsWith("/") ? mountPoint : `${mountPoint}/`);
    if (inside && mountPoint.length >= best.length) {
      best = mountPoint;
      ro = f[5].split(",").includes("ro");
    }
  }
  return ro;
}
