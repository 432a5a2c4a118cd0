/**
 * The baseline HOPE is compared with: every mixed partial up to order K by repeatedly nesting
 * `tf.grad` in tfjs (float32), divided by α!.
 *
 * For each sorted multi-index π of degree d < K, one gradient of the d-times differentiated scalar
 * g_π gives all partials π + [j] (j ≥ last index of π), so only sorted multi-indices are ever
 * differentiated. Each g_π re-runs its whole nest of gradients, which is what makes this baseline
 * grow steeply with the order.
 *
 * tfjs computes the gradients of `exp`, `tanh`, `sigmoid` (and everything built on them) from the
 * *saved output* of the forward op; that saved copy is not on the tape, so the second gradient
 * silently drops those paths (or throws "Cannot compute gradient"). Every such activation is
 * therefore wrapped in a `tf.customGrad` whose gradient is expressed through the *saved input* with
 * the same wrapped ops, which keeps derivatives of every order exact (up to float32).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { Network } from "../network/network.ts";
import { activationAlpha, type ActivationName } from "../series/activations.ts";
import { binomial, multiFactorial, type TaylorResult } from "./hope.ts";

/** Which tfjs backend to use; `auto` tries wasm and falls back to cpu. */
export type AutodiffBackend = "auto" | "wasm" | "cpu";

/** Options of {@link autodiffTaylor}. */
export interface AutodiffOptions {
  /** Backend (default `auto`). */
  readonly backend?: AutodiffBackend;
  /**
   * Time budget in seconds (default Infinity): a degree is skipped (and all higher ones) when the
   * budget is spent or the projected time of the next degree would exceed it.
   */
  readonly maxSeconds?: number;
}

/** Result of {@link autodiffTaylor}: coefficients (NaN for skipped degrees), time and notes. */
export interface AutodiffResult extends TaylorResult {
  /** Wall time of the differentiation in seconds (backend start-up excluded). */
  readonly seconds: number;
  /** The tfjs backend that ran. */
  readonly backend: string;
  /** Highest degree whose coefficients were all computed. */
  readonly completedOrder: number;
  /** Human-readable notes (backend fallback, skipped degrees). */
  readonly notes: string[];
}

let ready: { backend: string; notes: string[] } | undefined;

/**
 * Selects and initialises the tfjs backend once per process. `auto` prefers wasm (files from
 * `node_modules/@tensorflow/tfjs-backend-wasm/dist/`) and falls back to cpu with a note.
 */
export async function initAutodiffBackend(
  prefer: AutodiffBackend = "auto",
): Promise<{ backend: string; notes: string[] }> {
  if (prefer !== "auto" && prefer !== "wasm" && prefer !== "cpu") {
    throw new Error(`backend: expected "auto", "wasm" or "cpu", got ${JSON.stringify(prefer)}`);
  }
  if (ready && (prefer === "auto" || ready.backend === prefer)) return ready;
  const notes: string[] = [];
  if (prefer !== "cpu") {
    const dir = new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url);
    try {
      await Deno.stat(new URL("tfjs-backend-wasm.wasm", dir));
      setWasmPaths(decodeURIComponent(dir.pathname));
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        ready = { backend: "wasm", notes };
        return ready;
      }
      notes.push("wasm backend did not initialise; using cpu");
    } catch (err) {
      notes.push(`wasm backend unavailable (${(err as Error).message}); using cpu`);
    }
    if (prefer === "wasm") throw new Error(`backend: wasm requested but ${notes.join("; ")}`);
  }
  await tf.setBackend("cpu");
  await tf.ready();
  ready = { backend: "cpu", notes };
  return ready;
}

/** A unary tfjs function. */
export type Fn = (x: tf.Tensor) => tf.Tensor;

/** An op whose gradient is `dy · deriv(input)`, differentiable again to any order. */
function smooth(value: Fn, deriv: Fn): Fn {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([x]);
    return { value: value(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, deriv(saved[0])) };
  });
  return (x) => op(x) as tf.Tensor;
}

const expD: Fn = smooth((x) => tf.exp(x), (x) => expD(x));
const tanhD: Fn = smooth((x) => tf.tanh(x), (x) => tf.sub(1, tf.square(tanhD(x))));
const sigmoidD: Fn = smooth((x) => tf.sigmoid(x), (x) => {
  const s = sigmoidD(x);
  return tf.mul(s, tf.sub(1, s));
});
const softplusD: Fn = smooth((x) => tf.softplus(x), (x) => sigmoidD(x));
const erfD: Fn = smooth((x) => tf.erf(x), (x) => tf.mul(2 / Math.sqrt(Math.PI), expD(tf.neg(tf.square(x)))));

/**
 * The activation as a tfjs function whose derivatives of every order are exact (`alpha`: the
 * layer's α for leaky_relu / elu).
 */
export function tfActivation(name: ActivationName, alpha?: number): Fn {
  switch (name) {
    case "linear":
      return (x) => x;
    case "tanh":
      return tanhD;
    case "sigmoid":
      return sigmoidD;
    case "softplus":
      return softplusD;
    case "sin":
      return (x) => tf.sin(x);
    case "cos":
      return (x) => tf.cos(x);
    case "exp":
      return expD;
    case "silu":
      return (x) => tf.mul(x, sigmoidD(x));
    case "gelu":
      return (x) => tf.mul(tf.mul(0.5, x), tf.add(1, erfD(tf.mul(Math.SQRT1_2, x))));
    case "gelu_tanh": {
      const c = Math.sqrt(2 / Math.PI);
      return (x) =>
        tf.mul(tf.mul(0.5, x), tf.add(1, tanhD(tf.mul(c, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
    }
    case "relu":
      return (x) => tf.relu(x);
    case "leaky_relu":
      // relu(x) − α·relu(−x): tf.leakyRelu's gradient uses `greater`, which has no gradient itself.
      return (x) => tf.sub(tf.relu(x), tf.mul(activationAlpha(name, alpha), tf.relu(tf.neg(x))));
    case "elu":
      // relu(x) + α·(exp(−relu(−x)) − 1)
      return (x) =>
        tf.add(tf.relu(x), tf.mul(activationAlpha(name, alpha), tf.sub(expD(tf.neg(tf.relu(tf.neg(x)))), 1)));
    default:
      throw new Error(`activation: no tfjs form for "${name as string}"`);
  }
}

/**
 * Taylor coefficients up to total degree `order` at `x0` by nested `tf.grad` (float32), one output
 * unit at a time; labels in graded-lex order like {@link hopeTaylor}.
 *
 * @example
 * ```ts
 * const r = await autodiffTaylor(net, [0.1, 0.2], 3, { maxSeconds: 10 });
 * console.log(r.seconds, r.completedOrder);
 * ```
 */
export async function autodiffTaylor(
  net: Network,
  x0In: Float64Array | readonly number[],
  order: number,
  options: AutodiffOptions = {},
): Promise<AutodiffResult> {
  if (!net || !Array.isArray(net.layers) || net.layers.length === 0) {
    throw new Error("net.layers: expected a network with at least one layer (use parseNetwork)");
  }
  const p = net.inputs;
  if (!x0In || x0In.length !== p) {
    throw new Error(`x0: has ${x0In?.length} entries but the network has ${p} inputs; give one per input`);
  }
  const x0 = Float64Array.from(x0In);
  x0.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`x0[${i}]: expected a finite number, got ${v}`);
  });
  if (!Number.isInteger(order) || order < 0) {
    throw new Error(`order: expected a non-negative integer such as 3, got ${order}`);
  }
  const maxSeconds = options.maxSeconds ?? Infinity;
  if (!(maxSeconds > 0)) throw new Error(`maxSeconds: expected a positive number, got ${maxSeconds}`);
  const { backend, notes: initNotes } = await initAutodiffBackend(options.backend ?? "auto");
  const notes = [...initNotes];

  const nOut = net.layers[net.layers.length - 1].units;
  const nTerms = binomial(p + order, order);
  const labels: number[][] = [];
  const coefficients = Array.from({ length: nOut }, () => new Float64Array(nTerms).fill(NaN));

  // Labels per degree in graded-lex order, and the slot of each.
  const byDegree: number[][][] = [[[]]];
  for (let d = 1; d <= order; d++) {
    const level: number[][] = [];
    for (const l of byDegree[d - 1]) {
      for (let j = l.length ? l[l.length - 1] : 0; j < p; j++) level.push([...l, j]);
    }
    byDegree.push(level);
  }
  const slot = new Map<string, number>();
  for (const level of byDegree) {
    for (const l of level) {
      slot.set(l.join(","), labels.length);
      labels.push(l.map((v) => v + 1));
    }
  }

  const start = performance.now();
  const params = net.layers.map((l) => ({
    bias: tf.tensor2d(Float32Array.from(l.weights.subarray(0, l.units)), [1, l.units]),
    w: tf.tensor2d(Float32Array.from(l.weights.subarray(l.units)), [l.inputs, l.units]),
    act: tfActivation(l.activation, l.alpha),
  }));
  const xT = tf.tensor1d(Float32Array.from(x0));
  let completedOrder = 0;
  try {
    for (let o = 0; o < nOut; o++) {
      const y: Fn = (x) => {
        let a = tf.reshape(x, [1, p]);
        for (const { bias, w, act } of params) a = act(tf.add(tf.matMul(a, w), bias));
        return tf.sum(tf.slice(a, [0, o], [1, 1]));
      };
      const fns = new Map<string, Fn>([["", y]]);
      coefficients[o][0] = tf.tidy(() => y(xT).dataSync()[0]);
      let lastDegreeSeconds = 0;
      let reached = 0;
      for (let d = 0; d < order; d++) {
        const elapsed = (performance.now() - start) / 1000;
        const projected = lastDegreeSeconds * 2.5 *
          (byDegree[d].length / Math.max(1, byDegree[d - 1]?.length ?? 1));
        if (elapsed > maxSeconds || elapsed + projected > maxSeconds) {
          notes.push(
            `output ${o + 1}: degrees ${d + 1}..${order} skipped (${
              elapsed.toFixed(2)
            } s spent, next degree ` +
              `projected ${projected.toFixed(2)} s, budget ${maxSeconds} s)`,
          );
          break;
        }
        const t0 = performance.now();
        for (const l of byDegree[d]) {
          const g = fns.get(l.join(","))!;
          const grad = tf.grad(g);
          const values = tf.tidy(() => grad(xT).dataSync());
          const first = l.length ? l[l.length - 1] : 0;
          for (let j = first; j < p; j++) {
            const child = [...l, j];
            const key = child.join(",");
            coefficients[o][slot.get(key)!] = values[j] / multiFactorial(child);
            if (d + 1 < order) {
              // Keep x connected (0·Σx) so that a partial that is identically zero differentiates to 0.
              fns.set(key, (x) => tf.add(tf.sum(tf.slice(grad(x), [j], [1])), tf.mul(0, tf.sum(x))));
            }
          }
        }
        lastDegreeSeconds = (performance.now() - t0) / 1000;
        reached = d + 1;
      }
      completedOrder = o === 0 ? reached : Math.min(completedOrder, reached);
    }
  } finally {
    tf.dispose(params.flatMap((q) => [q.bias, q.w]));
    xT.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  return { labels, coefficients, seconds, backend, completedOrder, notes };
}
