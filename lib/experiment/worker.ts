/**
 * Worker entry: runs jobs (groups of cells, see {@link ./pool.ts}) sent by the pool and posts
 * back their records. Each worker has its own tfjs backend (wasm is single-threaded, so one
 * worker per core).
 *
 * @module
 */

import { type CellRecord, runCellGroup } from "./cell.ts";
import type { Cell } from "./plan.ts";
import { importMethodModules } from "./method_registry.ts";

/** Messages from the pool: the cells of a job, and the modules that register methods (imported first). */
export type ToWorker = { type: "run"; cells: Cell[]; modules: string[] };
/** Messages to the pool. */
export type FromWorker =
  | { type: "done"; records: CellRecord[] }
  | { type: "error"; cellIds: string[]; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: FromWorker): void;
};

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const { cells, modules } = e.data;
  try {
    await importMethodModules(modules);
    scope.postMessage({ type: "done", records: await runCellGroup(cells) });
  } catch (err) {
    scope.postMessage({
      type: "error",
      cellIds: cells.map((c) => c.id),
      message: (err as Error).stack ?? String(err),
    });
  }
};
