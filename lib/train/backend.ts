/**
 * tfjs backend selection: the WebAssembly backend (SIMD when the runtime supports it) by default,
 * the pure-JS `cpu` backend on request, and a fallback to `cpu` with one warning on stderr if
 * wasm cannot start.
 *
 * The wasm binaries are read from the installed npm package: the package's Node build resolves
 * `tfjs-backend-wasm[-simd].wasm` next to its own `dist/` file and reads it with `fs`, which works
 * under Deno's npm compatibility with `nodeModulesDir`. A different directory can be given with
 * `wasmDirectory` (passed to `setWasmPaths`).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

/** Backends polylab trains on. */
export type BackendName = "wasm" | "cpu";

/** What actually runs, for the run manifest. */
export interface BackendInfo {
  /** Backend that was asked for. */
  readonly requested: BackendName;
  /** Backend that is active (`tf.getBackend()`). */
  readonly name: BackendName;
  /** Whether the wasm backend uses its SIMD binary (false on cpu). */
  readonly simd: boolean;
  /** Whether the wasm backend uses threads (false on cpu). */
  readonly threads: boolean;
  /** `tf.version.tfjs`. */
  readonly tfjsVersion: string;
  /** True when wasm was requested but cpu is running. */
  readonly fellBack: boolean;
  /** Why wasm could not start, when it fell back. */
  readonly fallbackReason?: string;
}

/** Options of {@link initBackend}. */
export interface BackendOptions {
  /** Directory (or URL prefix ending in `/`) holding the `.wasm` files; default: the npm package. */
  readonly wasmDirectory?: string;
  /** Suppress the stderr warning on fallback (the info still records it). */
  readonly quiet?: boolean;
}

let current: BackendInfo | null = null;
let warned = false;
let wasmPathsSet = false;

/**
 * Activates a tfjs backend (default `"wasm"`) and reports what runs. Idempotent: asking again for
 * the active backend returns the cached info. Never throws for a wasm failure; it falls back to
 * cpu and warns once on stderr.
 */
export async function initBackend(
  requested: BackendName = "wasm",
  options: BackendOptions = {},
): Promise<BackendInfo> {
  if (requested !== "wasm" && requested !== "cpu") {
    throw new Error(`backend: unknown "${String(requested)}"; use "wasm" or "cpu"`);
  }
  if (current && current.requested === requested && tf.getBackend() === current.name) return current;
  const tfjsVersion = tf.version.tfjs;
  if (requested === "wasm") {
    try {
      if (options.wasmDirectory !== undefined && !wasmPathsSet) {
        const dir = options.wasmDirectory.endsWith("/") ? options.wasmDirectory : `${options.wasmDirectory}/`;
        setWasmPaths(dir);
        wasmPathsSet = true;
      }
      const { ok, messages } = await withConsoleCaptured(async () => {
        const ok = await tf.setBackend("wasm");
        await tf.ready();
        return ok;
      });
      if (!ok || tf.getBackend() !== "wasm") {
        const detail = messages.find((m) => /ENOENT|no such file|failed/i.test(m)) ?? messages[0];
        throw new Error(detail ? detail.split("\n")[0] : `tf.setBackend("wasm") returned ${ok}`);
      }
      const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      const threads = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
      current = { requested, name: "wasm", simd, threads, tfjsVersion, fellBack: false };
      return current;
    } catch (error) {
      const reason = error instanceof Error
        ? error.message
        : String((error as { message?: string })?.message ?? error);
      await tf.setBackend("cpu");
      await tf.ready();
      silenceNodeBanner();
      if (!warned && !options.quiet) {
        console.error(
          `polylab: the tfjs wasm backend failed to start (${reason}); training on the cpu backend instead`,
        );
        warned = true;
      }
      current = {
        requested,
        name: "cpu",
        simd: false,
        threads: false,
        tfjsVersion,
        fellBack: true,
        fallbackReason: reason,
      };
      return current;
    }
  }
  const ok = await tf.setBackend("cpu");
  await tf.ready();
  if (!ok) throw new Error("backend: tfjs could not start the cpu backend");
  silenceNodeBanner();
  current = { requested, name: "cpu", simd: false, threads: false, tfjsVersion, fellBack: false };
  return current;
}

/**
 * Runs `action` while console.log/warn/error are captured instead of printed, so that the many
 * lines emscripten and tfjs print for a failing wasm start become one clear warning.
 */
async function withConsoleCaptured<T>(action: () => Promise<T>): Promise<{ ok: T; messages: string[] }> {
  const messages: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const capture = (...args: unknown[]) => {
    messages.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
  };
  console.log = console.warn = console.error = capture;
  try {
    return { ok: await action(), messages };
  } finally {
    Object.assign(console, saved);
  }
}

/**
 * The cpu backend prints a "install tfjs-node" banner on first use under Node compatibility;
 * polylab chose its backend deliberately, so mark the banner as already shown.
 */
function silenceNodeBanner(): void {
  const cpu = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof cpu.firstUse === "boolean") cpu.firstUse = false;
}

/** The info of the last {@link initBackend} call, or null if none. */
export function backendInfo(): BackendInfo | null {
  return current;
}
