/**
 * `deno task poly nn2poly|taylor MODEL [options]`: the CLI contract of the shared fixtures. MODEL is
 * a polylab JSON file, an ONNX file or a tfjs model.json (lib/io/network_file.ts).
 * Prints one JSON object `{labels, coefficients, seconds, …}` on stdout.
 *
 * @module
 */

import { type LoadedModel, loadModel, requireNetwork } from "../io/network_file.ts";
import { nn2poly, Nn2polyError } from "../nn2poly/engine.ts";
import { WasmBlocks } from "../poly/wasm.ts";
import {
  joinNegativeValues,
  parseFlags,
  parseInteger,
  parseNumberList,
  peakRssMiB,
  UsageError,
} from "./errors.ts";

/** Help text of the `poly` command. */
export const POLY_HELP = `Usage:
  deno task poly nn2poly MODEL [--max-order Q] [--taylor-orders 8|8,8,1] [--taylor-center A|local]
                               [--max-coefficients N]   (memory guard, default 40000000)
  deno task poly taylor  MODEL [--order K] [--x0 0.1,-0.2] [--method exact|hope|autodiff] [--yes]
                               (--yes: start an autodiff run estimated above 1 h)
  deno task poly export  MODEL   (prints the model as polylab JSON)
  deno task poly symgrad FILE.json [--seed N] [--seconds S] [--max-complexity C]   (see poly symgrad --help)
  deno task poly shallow FILE.json [--box=LO,HI] [--max-regions N] [--layers 3|2]   (ReLU → shallow, see poly shallow --help)
  deno task poly descramble FILE.json [--method optimize|closed-form|lbfgs]   (see poly descramble --help)

MODEL is a polylab FILE.json ({inputs, layers: [{activation, weights}]}), an ONNX file (*.onnx, e.g.
from torch.onnx.export) or a TensorFlow.js layers model (DIR/model.json).
Options default to the values stored in a FILE.json (max_order, taylor_orders, taylor_center; order, x0);
model files store none, so pass them. Options take "--name value" or "--name=value".
Prints {"labels": [...], "coefficients": [[...], ...], "seconds": S, "peak_rss_mib": M} on stdout;
seconds is the engine's own compute time. Bad input: one-line error on stderr, exit code 2.`;

/** Taylor-engine runner, installed by lib/cli/taylor.ts so this module stays independent of it. */
export type TaylorRunner = (
  model: LoadedModel | Record<string, unknown>,
  flags: { order?: string; x0?: string; method?: string; yes?: boolean },
) => Promise<Record<string, unknown>>;

/** A `poly` subcommand in its own module: parses its own flags and returns the JSON object to print. */
export type PolySubcommand = (args: string[]) => Promise<Record<string, unknown>>;

/**
 * Subcommands beyond `nn2poly` and `taylor`, each loaded on demand from its own module (one entry
 * per method; the module's default export is a {@link PolySubcommand}).
 */
export const POLY_SUBCOMMANDS: Record<string, () => Promise<{ default: PolySubcommand }>> = {
  descramble: () => import("./descramble.ts"),
  export: () => import("./export.ts"),
  symgrad: () => import("./symgrad.ts"),
  shallow: () => import("./shallow.ts"),
};

/** Runs the `poly` command; returns the JSON object to print. */
export async function polyCommand(args: string[], taylor?: TaylorRunner): Promise<Record<string, unknown>> {
  const sub = POLY_SUBCOMMANDS[args[0]];
  if (sub) return await (await sub()).default(args.slice(1));
  const kernels = WasmBlocks.preload(); // compile the SIMD kernels while the file is read (start-up)
  // let value flags take negative numbers: "--x0 -0.2,0.1" → "--x0=-0.2,0.1"
  const valueFlags = [
    "--x0",
    "--taylor-center",
    "--taylor-orders",
    "--max-order",
    "--order",
    "--max-coefficients",
  ];
  const joined = joinNegativeValues(args, valueFlags);
  const { values, positionals } = parseFlags("poly", joined, {
    "max-order": { type: "string" },
    "taylor-orders": { type: "string" },
    "taylor-center": { type: "string" },
    "max-coefficients": { type: "string" },
    order: { type: "string" },
    x0: { type: "string" },
    method: { type: "string" },
    yes: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { help: POLY_HELP };
  const [kind, file, ...extra] = positionals;
  if (kind !== "nn2poly" && kind !== "taylor") {
    throw new UsageError(
      `poly: first argument must be one of ${
        ["nn2poly", "taylor", ...Object.keys(POLY_SUBCOMMANDS)].join(", ")
      }, ` +
        `got ${kind ?? "nothing"}; see --help`,
    );
  }
  if (!file) throw new UsageError(`poly ${kind}: missing MODEL (a FILE.json, *.onnx or model.json)`);
  if (extra.length > 0) throw new UsageError(`poly ${kind}: unexpected argument "${extra[0]}"`);
  const model = loadModel(file);
  await kernels;
  if (kind === "taylor") {
    if (!taylor) throw new UsageError("poly taylor: the Taylor engines are not available in this build");
    for (const f of ["max-order", "taylor-orders", "taylor-center", "max-coefficients"] as const) {
      if (values[f] !== undefined) {
        throw new UsageError(`poly taylor: --${f} is an nn2poly option; use --order/--x0`);
      }
    }
    return await taylor(model, values);
  }
  for (const f of ["order", "x0", "method", "yes"] as const) {
    if (values[f] !== undefined) throw new UsageError(`poly nn2poly: --${f} is a taylor option; see --help`);
  }
  return runNn2poly(file, model, values);
}

function runNn2poly(
  file: string,
  model: LoadedModel,
  flags: {
    "max-order"?: string;
    "taylor-orders"?: string;
    "taylor-center"?: string;
    "max-coefficients"?: string;
  },
): Record<string, unknown> {
  const obj = model.fields;
  const maxOrder = flags["max-order"] !== undefined
    ? parseInteger("--max-order", flags["max-order"])
    : obj.max_order;
  if (typeof maxOrder !== "number" || !Number.isInteger(maxOrder) || maxOrder < 0) {
    throw new UsageError(`${file}: no max_order in the file; pass --max-order Q (a non-negative integer)`);
  }
  let orders: number | number[] | undefined;
  if (flags["taylor-orders"] !== undefined) {
    const list = parseNumberList("--taylor-orders", flags["taylor-orders"]);
    orders = list.length === 1 ? list[0] : list;
  } else if (obj.taylor_orders !== undefined) {
    const t = obj.taylor_orders;
    if (!(typeof t === "number" || (Array.isArray(t) && t.every((v) => typeof v === "number")))) {
      throw new UsageError(`${file}: taylor_orders must be a number or a list of numbers`);
    }
    orders = t as number | number[];
  } else if (model.format !== "polylab") {
    throw new UsageError(`${file}: a model file stores no taylor_orders; pass --taylor-orders 8 or 8,8,1`);
  }
  let center: number | "local" | undefined;
  if (flags["taylor-center"] !== undefined) {
    center = flags["taylor-center"] === "local"
      ? "local"
      : parseNumberList("--taylor-center", flags["taylor-center"])[0];
  } else if (obj.taylor_center !== undefined) {
    if (typeof obj.taylor_center !== "number") {
      throw new UsageError(`${file}: taylor_center must be a number`);
    }
    center = obj.taylor_center;
  }
  const net = requireNetwork(model, "poly nn2poly");
  const t0 = performance.now();
  let result;
  try {
    const maxCoefficients = flags["max-coefficients"] !== undefined
      ? parseInteger("--max-coefficients", flags["max-coefficients"], 1)
      : undefined;
    result = nn2poly(net, { maxOrder, taylorOrders: orders, taylorCenter: center, maxCoefficients });
  } catch (e) {
    if (e instanceof Nn2polyError) {
      const hint = /^expansion too large/.test(e.message) ? " (--max-coefficients N raises the limit)" : "";
      throw new UsageError(`${file}: ${e.message}${hint}`);
    }
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    labels: result.terms.labels("nn2poly"),
    coefficients: result.polynomials.map((f) => Array.from(f.coefficients)),
    seconds,
    terms: result.terms.count,
    max_order: maxOrder,
    taylor_orders: result.taylorOrders,
    peak_rss_mib: peakRssMiB(),
  };
}
