/**
 * `deno task poly export MODEL`: prints a model (polylab FILE.json, ONNX file or tfjs model.json) as
 * polylab JSON `{inputs, layers: [{activation, alpha?, weights}]}` — itself a valid FILE.json. One
 * layer per dense op in graph order; weights are the file's float32 values promoted exactly.
 * Graphs that are not a chain of dense layers (conv, pool, residual) are refused with the reason.
 *
 * @module
 */

import { loadNetwork } from "../io/network_file.ts";
import { networkToJson } from "../network/network.ts";
import { UsageError } from "./errors.ts";
import type { PolySubcommand } from "./poly.ts";

/** Help text of `poly export`. */
export const EXPORT_HELP = `Usage: deno task poly export MODEL

Prints MODEL (a polylab FILE.json, an ONNX file *.onnx or a tfjs DIR/model.json) as polylab JSON
{"inputs": p, "layers": [{"activation": NAME, ["alpha": A,] "weights": ROWS}]} (row 0 = bias).`;

/** Runs `poly export`; returns the JSON object to print. */
const exportCommand: PolySubcommand = (args: string[]) => {
  if (args.includes("--help") || args.includes("-h")) return Promise.resolve({ help: EXPORT_HELP });
  const unknown = args.find((a) => a.startsWith("-"));
  if (unknown) throw new UsageError(`poly export: unknown option ${unknown}; see --help`);
  if (args.length !== 1) {
    throw new UsageError(
      args.length === 0
        ? "poly export: missing MODEL (a FILE.json, *.onnx or model.json)"
        : `poly export: unexpected argument "${args[1]}"`,
    );
  }
  const { network } = loadNetwork(args[0], "poly export");
  return Promise.resolve(networkToJson(network));
};

export default exportCommand;
