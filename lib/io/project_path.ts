/**
 * Paths named in experiment configs (a dataset, a network file) are relative to the project root,
 * so a config means the same file wherever the CLI is started.
 *
 * @example
 * ```ts
 * loadModel(projectPath("../shared/fixtures/models/onnx-nn2poly-tanh.onnx"));
 * loadProjectModel("nets/mine.onnx", "params.network"); // errors start with "params.network: "
 * ```
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../errors.ts";
import { type LoadedModel, loadModel } from "./network_file.ts";

/** The project root (the folder holding main.ts). */
export const PROJECT_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** `path` as given when absolute, else resolved against {@link PROJECT_ROOT}. */
export function projectPath(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}

/**
 * Loads the network file a config names at `field` (any format {@link loadModel} reads, relative to the
 * project root); a problem is a one-line UsageError starting with `field`.
 */
export function loadProjectModel(path: string, field: string): LoadedModel {
  try {
    return loadModel(projectPath(path));
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${field}: ${e.message}`);
    throw e;
  }
}
