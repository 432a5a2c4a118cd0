/**
 * The one loader for every place that accepts a network file: a polylab JSON file (the fixtures'
 * layout `{inputs, layers}`, possibly with options such as `max_order` or `x0`), an ONNX file
 * (`*.onnx`) or a TensorFlow.js layers model (`model.json`, or the folder holding it). Every problem
 * is a one-line {@link UsageError} naming the file and the field, node or layer.
 *
 * @example
 * ```ts
 * const model = loadModel("net.onnx");          // any of the three formats
 * const net = requireNetwork(model, "nn2poly"); // a dense chain, or a UsageError saying why not
 * exactTaylorModules(model.modules, model.inputs, x0, 4); // conv / pool / residual graphs too
 * ```
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { type Network, NetworkError, parseNetwork } from "../network/network.ts";
import { networkModules } from "../taylor/hope.ts";
import type { HopeModule } from "../taylor/modules.ts";
import type { ImportedModel } from "./imported.ts";
import { readOnnxModel } from "./onnx.ts";
import { readTfjsModel, tfjsToModel } from "./tfjs_model.ts";
import { dirname, join } from "node:path";

/** The formats a network file may have. */
export type ModelFormat = "polylab" | "onnx" | "tfjs";

/** A network file, loaded. */
export interface LoadedModel {
  /** The path it was read from. */
  readonly path: string;
  /** Its format. */
  readonly format: ModelFormat;
  /** The other fields of a polylab JSON file (options: max_order, taylor_orders, order, x0, …); {} otherwise. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Number of inputs p. */
  readonly inputs: number;
  /** Number of outputs. */
  readonly outputs: number;
  /** The graph as modules (what the Taylor engines take; dense networks too). */
  readonly modules: readonly HopeModule[];
  /** The dense network, when the model is a chain of dense layers. */
  readonly network?: Network;
  /** Why the model is not a dense network, when it is not. */
  readonly notDense?: string;
}

/** Loads a network file in any supported format (see the module doc). */
export function loadModel(path: string): LoadedModel {
  if (path.toLowerCase().endsWith(".onnx")) return fromImported(path, readOnnxModel(path));
  let isDir = false;
  try {
    isDir = Deno.statSync(path).isDirectory;
  } catch (e) {
    throw new UsageError(`${path}: cannot read the file (${(e as Error).message.split("\n")[0]})`);
  }
  if (isDir) return fromImported(path, readTfjsModel(path));
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read the file (${(e as Error).message.split("\n")[0]})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${path}: not valid JSON (${(e as Error).message.split("\n")[0]}); expected a polylab network ` +
        "(.json), an ONNX model (.onnx) or a tfjs model.json",
    );
  }
  if (typeof json === "object" && json !== null && "modelTopology" in json) {
    return fromImported(path, tfjsToModel(json, (p) => Deno.readFileSync(join(dirname(path), p)), path));
  }
  return modelFromJson(json, path);
}

/** A polylab JSON value (`{inputs?, layers, …options}`) as a {@link LoadedModel}. */
export function modelFromJson(json: unknown, path = "FILE.json"): LoadedModel {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UsageError(`${path}: expected a JSON object with "layers"`);
  }
  let network: Network;
  try {
    network = parseNetwork(json);
  } catch (e) {
    if (e instanceof NetworkError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
  const last = network.layers[network.layers.length - 1];
  return {
    path,
    format: "polylab",
    fields: json as Record<string, unknown>,
    inputs: network.inputs,
    outputs: last.units,
    modules: networkModules(network),
    network,
  };
}

function fromImported(path: string, m: ImportedModel): LoadedModel {
  return {
    path,
    format: m.format,
    fields: {},
    inputs: m.inputs,
    outputs: m.outputs,
    modules: m.modules,
    ...(m.network ? { network: m.network } : { notDense: m.notDense }),
  };
}

/**
 * The model's dense network, or a one-line UsageError saying why there is none and that `purpose`
 * (e.g. `poly nn2poly`) needs one.
 */
export function requireNetwork(model: LoadedModel, purpose: string): Network {
  if (model.network) return model.network;
  throw new UsageError(
    `${model.path}: ${purpose} needs a chain of dense layers with elementwise activations, but ${model.notDense}; ` +
      "`poly taylor` (exact or hope) takes conv, pool and residual graphs",
  );
}

/** Loads a file that must hold a dense network (any format); options of a polylab file in `fields`. */
export function loadNetwork(
  path: string,
  purpose: string,
): { network: Network; fields: Readonly<Record<string, unknown>> } {
  const model = loadModel(path);
  return { network: requireNetwork(model, purpose), fields: model.fields };
}
