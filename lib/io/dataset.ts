/**
 * Reads a dataset CSV named in an experiment config (`data.dataset.path`, relative to the
 * project root), parses it and fingerprints it (SHA-256) for the manifest. Cached per process.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Dataset, datasetFromTable, type DatasetSpec } from "../data/dataset.ts";
import { parseCsv } from "./csv.ts";

/** Project root: relative dataset paths resolve against it, wherever the CLI is started. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A loaded dataset with its provenance. */
export interface LoadedDataset extends Dataset {
  /** Absolute path read. */
  readonly file: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
}

const cache = new Map<string, LoadedDataset>();

/** Absolute path of a config's dataset path. */
export function datasetFile(path: string): string {
  return isAbsolute(path) ? path : join(ROOT, path);
}

/**
 * Loads `spec.path` (throws a one-line error naming `data.dataset.path` when it cannot be read or
 * parsed, and the field at fault for a bad column).
 */
export function loadDataset(
  spec: DatasetSpec & { readonly path: string },
  task: "regression" | "classification",
): LoadedDataset {
  const file = datasetFile(spec.path);
  const key = JSON.stringify([file, spec.target, spec.columns ?? null, task]);
  const hit = cache.get(key);
  if (hit) return hit;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new Error(
      `data.dataset.path: cannot read ${file} (${reason}); give a CSV path relative to the project root`,
    );
  }
  let table;
  try {
    table = parseCsv(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`data.dataset.path: ${file} is not a valid CSV (${(e as Error).message})`);
  }
  const data = datasetFromTable(table, spec, task);
  const loaded = { ...data, file, sha256: createHash("sha256").update(bytes).digest("hex") };
  cache.set(key, loaded);
  return loaded;
}
