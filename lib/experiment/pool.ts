/**
 * Runs cells in parallel: in-process for one worker, else a pool of module workers (one per
 * core by default), handing out jobs in plan order as workers become free. A job is one cell,
 * or with `train.stack` = S > 1 up to S repetitions of one grid point (repetitions
 * `[k·S, (k+1)·S)`), trained together.
 *
 * @module
 */

import { type CellRecord, runCellGroup } from "./cell.ts";
import type { Cell } from "./plan.ts";
import type { FromWorker, ToWorker } from "./worker.ts";
import { methodModules } from "./method_registry.ts";

/**
 * Groups cells into jobs: consecutive cells of the same grid point whose repetitions fall in the
 * same block of `train.stack` repetitions (fixed blocks, so a resumed run forms the same groups
 * minus the finished cells). Order is preserved.
 */
export function groupCells(cells: readonly Cell[]): Cell[][] {
  const jobs: Cell[][] = [];
  let key = "";
  for (const cell of cells) {
    const stack = cell.config.train.stack ?? 1;
    const k = `${cell.gridIndex}:${Math.floor(cell.repetition / stack)}`;
    if (stack > 1 && k === key) jobs[jobs.length - 1].push(cell);
    else jobs.push([cell]);
    key = k;
  }
  return jobs;
}

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
  const jobs = groupCells(cells);
  if (jobs.length === 0) return;
  const finish = async (records: CellRecord[]) => {
    for (const record of records) await onDone(record);
  };
  if (workers <= 1) {
    for (const job of jobs) {
      for (const cell of job) onStart?.(cell);
      await finish(await runCellGroup(job));
    }
    return;
  }
  const modules = methodModules(); // workers import them first: their registry starts empty
  const pool = Array.from(
    { length: Math.min(workers, jobs.length) },
    () => new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" }),
  );
  try {
    await Promise.all(pool.map((worker) =>
      new Promise<void>((resolve, reject) => {
        const next = () => {
          const job = jobs.shift();
          if (!job) return resolve();
          for (const cell of job) onStart?.(cell);
          worker.postMessage({ type: "run", cells: job, modules } satisfies ToWorker);
        };
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          const msg = e.data;
          if (msg.type === "error") {
            return reject(new Error(`cells ${msg.cellIds.join(", ")}: ${msg.message}`));
          }
          finish(msg.records).then(next, reject);
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
