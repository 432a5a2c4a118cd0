/**
 * Worker entry: runs jobs (groups of cells, see {@link ./pool.ts}) sent by the pool and posts
 * back their records. Each worker has its own tfjs backend (wasm is single-threaded, so one
 * worker per core).
 *
 * @module
 */

import { type CellRecord, runCellGroup } from "./cell.ts";
import type { Cell } from "./plan.ts";

/** Messages from the pool. */
export type ToWorker = { type: "run"; cells: Cell[] };
/** Messages to the pool. */
export type FromWorker =
  | { type: "done"; records: CellRecord[] }
  | { type: "error"; cellIds: string[]; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: FromWorker): void;
};

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const { cells } = e.data;
  try {
    scope.postMessage({ type: "done", records: await runCellGroup(cells) });
  } catch (err) {
    scope.postMessage({
      type: "error",
      cellIds: cells.map((c) => c.id),
      message: (err as Error).stack ?? String(err),
    });
  }
};
