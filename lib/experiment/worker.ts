/**
 * Worker entry: runs cells sent by the pool in {@link ./pool.ts} and posts back their records.
 * Each worker has its own tfjs backend (wasm is single-threaded, so one worker per core).
 *
 * @module
 */

import { runCell } from "./cell.ts";
import type { Cell } from "./plan.ts";

/** Messages from the pool. */
export type ToWorker = { type: "run"; cell: Cell };
/** Messages to the pool. */
export type FromWorker =
  | { type: "done"; record: Awaited<ReturnType<typeof runCell>> }
  | { type: "error"; cellId: string; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: FromWorker): void;
};

scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  const { cell } = e.data;
  try {
    scope.postMessage({ type: "done", record: await runCell(cell) });
  } catch (err) {
    scope.postMessage({ type: "error", cellId: cell.id, message: (err as Error).stack ?? String(err) });
  }
};
