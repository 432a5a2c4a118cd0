/**
 * Runs cells in parallel: in-process for one worker, else a pool of module workers (one per
 * core by default), handing out cells in plan order as workers become free.
 *
 * @module
 */

import { type CellRecord, runCell } from "./cell.ts";
import type { Cell } from "./plan.ts";
import type { FromWorker, ToWorker } from "./worker.ts";

/**
 * Runs `cells` with `workers` parallel workers, calling `onDone` as each record arrives (in
 * completion order). Rejects on an unexpected error (not a training failure, which is a record).
 */
export async function runCells(
  cells: readonly Cell[],
  workers: number,
  onDone: (record: CellRecord) => Promise<void>,
  onStart?: (cell: Cell) => void,
): Promise<void> {
  if (cells.length === 0) return;
  if (workers <= 1) {
    for (const cell of cells) {
      onStart?.(cell);
      await onDone(await runCell(cell));
    }
    return;
  }
  const queue = [...cells];
  const pool = Array.from(
    { length: Math.min(workers, cells.length) },
    () => new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" }),
  );
  try {
    await Promise.all(pool.map((worker) =>
      new Promise<void>((resolve, reject) => {
        const next = () => {
          const cell = queue.shift();
          if (!cell) return resolve();
          onStart?.(cell);
          worker.postMessage({ type: "run", cell } satisfies ToWorker);
        };
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          const msg = e.data;
          if (msg.type === "error") return reject(new Error(`cell ${msg.cellId}: ${msg.message}`));
          onDone(msg.record).then(next, reject);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`worker crashed: ${e.message}`));
        };
        next();
      })
    ));
  } finally {
    for (const w of pool) w.terminate();
  }
}
