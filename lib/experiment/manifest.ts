/**
 * The run manifest: what is needed to repeat a run exactly (config hash, seeds, git commit and
 * dirty flag, argv) and the environment it ran in (Deno/V8/TypeScript/tfjs versions, backend and
 * SIMD, OS/CPU), with start/end, status and time per stage.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Git commit of the working tree and whether it has uncommitted changes to tracked files outside
 * `results/` (a reproduction rewrites committed results before it finishes; those do not make the
 * code that produced them dirty).
 */
export async function gitState(cwd: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  const run = async (args: string[]) => {
    try {
      const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" }).output();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
    } catch {
      return null;
    }
  };
  const commit = await run(["rev-parse", "HEAD"]);
  const status = await run([
    "status",
    "--porcelain",
    "--untracked-files=no",
    "--",
    ":(top)",
    ":(top,exclude)results",
  ]);
  return { commit, dirty: status === null ? null : status.length > 0 };
}

/** CPU model, core count, OS and memory of this machine. */
export function machineInfo(): Record<string, unknown> {
  let cpu: string | null = null;
  try {
    cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.+)/)?.[1]?.trim() ?? null;
  } catch {
    // not Linux
  }
  return {
    os: Deno.build.os,
    arch: Deno.build.arch,
    osRelease: Deno.osRelease(),
    cpu,
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
  };
}

/** Versions of the toolchain and libraries. */
export function versions(): Record<string, string> {
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    tfjs: tf.version.tfjs,
  };
}
