/**
 * Where population iterations run: in the calling thread one after another, or on Deno Workers
 * that take the next waiting task as soon as they are free. Either way the outputs come back in
 * task order, so the search that consumes them is deterministic.
 *
 * @module
 */

import {
  evolvePopulation,
  type IterationContext,
  type IterationInput,
  type IterationOutput,
} from "../evolution/population.ts";
import type { SearchOptions } from "../evolution/options.ts";
import { buildContext } from "./context.ts";
import type { ObjectiveSpec } from "./objective_spec.ts";

/** A message to a worker. */
export type WorkerRequest =
  | { type: "init"; spec: ObjectiveSpec; options: SearchOptions }
  | { type: "task"; id: number; input: IterationInput };

/** A message from a worker. */
export type WorkerResponse =
  | { type: "ready" }
  | { type: "done"; id: number; output: IterationOutput }
  | { type: "error"; id: number; message: string };

/** Runs batches of population iterations. */
export interface Executor {
  /** Runs the tasks; outputs in task order. */
  run(inputs: IterationInput[]): Promise<IterationOutput[]>;
  /** Releases threads. */
  close(): void;
}

/** Runs tasks one after another in this thread. */
export class InProcessExecutor implements Executor {
  readonly #ctx: IterationContext;

  /** Builds the context once. */
  constructor(spec: ObjectiveSpec, options: SearchOptions) {
    this.#ctx = buildContext(spec, options);
  }

  /** Runs the tasks in order. */
  run(inputs: IterationInput[]): Promise<IterationOutput[]> {
    return Promise.resolve(inputs.map((input) => evolvePopulation(this.#ctx, input)));
  }

  /** Nothing to release. */
  close(): void {}
}

/** Runs tasks on `count` Deno Workers, each taking the next waiting task when free. */
export class WorkerExecutor implements Executor {
  readonly #workers: Worker[] = [];
  readonly #ready: Promise<void>;

  /** Starts the workers and hands them the objective and settings. */
  constructor(spec: ObjectiveSpec, options: SearchOptions, count: number) {
    const url = new URL("./worker.ts", import.meta.url).href;
    const readies: Promise<void>[] = [];
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url, { type: "module" });
      readies.push(
        new Promise((resolve, reject) => {
          worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
            if (e.data.type === "ready") resolve();
            else if (e.data.type === "error") reject(new Error(e.data.message));
          };
          worker.onerror = (e) => {
            e.preventDefault();
            reject(new Error(`search worker failed to start: ${e.message}`));
          };
        }),
      );
      worker.postMessage({ type: "init", spec, options } satisfies WorkerRequest);
      this.#workers.push(worker);
    }
    this.#ready = Promise.all(readies).then(() => {});
  }

  /** Runs the tasks, dynamically balanced over the workers. */
  async run(inputs: IterationInput[]): Promise<IterationOutput[]> {
    await this.#ready;
    const outputs: IterationOutput[] = new Array(inputs.length);
    let next = 0;
    await new Promise<void>((resolve, reject) => {
      let pending = inputs.length;
      if (pending === 0) return resolve();
      const feed = (worker: Worker) => {
        if (next >= inputs.length) return;
        const id = next++;
        worker.postMessage({ type: "task", id, input: inputs[id] } satisfies WorkerRequest);
      };
      for (const worker of this.#workers) {
        worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
          const msg = e.data;
          if (msg.type === "error") return reject(new Error(`search worker: ${msg.message}`));
          if (msg.type !== "done") return;
          outputs[msg.id] = msg.output;
          pending--;
          if (pending === 0) resolve();
          else feed(worker);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`search worker: ${e.message}`));
        };
        feed(worker);
      }
    });
    return outputs;
  }

  /** Terminates the workers. */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers.length = 0;
  }
}
