/**
 * Worker entry of a parallel search: receives the objective and settings once, then population
 * iterations to run; answers each with its output. Holds no state between tasks besides the
 * context, so which worker runs which population never changes a result.
 *
 * @module
 */

import { evolvePopulation, type IterationContext, type IterationInput } from "../evolution/population.ts";
import { buildContext } from "./context.ts";
import type { WorkerRequest, WorkerResponse } from "./executor.ts";

let ctx: IterationContext | null = null;

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(m: WorkerResponse): void;
};

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  try {
    if (msg.type === "init") {
      ctx = buildContext(msg.spec, msg.options);
      scope.postMessage({ type: "ready" } satisfies WorkerResponse);
      return;
    }
    if (!ctx) throw new Error("worker: task before init");
    const output = evolvePopulation(ctx, msg.input as IterationInput);
    scope.postMessage({ type: "done", id: msg.id, output } satisfies WorkerResponse);
  } catch (e) {
    scope.postMessage(
      {
        type: "error",
        id: "id" in msg ? msg.id : -1,
        message: (e as Error).stack ?? String(e),
      } satisfies WorkerResponse,
    );
  }
};
