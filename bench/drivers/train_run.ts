/**
 * One fresh-process training run for the "training" benchmark:
 * `deno run -A bench/drivers/train_run.ts --shape NAME --networks R --epochs E --mode single|stack`.
 *
 * Builds R seeded networks of a named shape, each with its own simulated data (inputs U(−1, 1),
 * a smooth target plus noise sd 0.05), and trains them on the tfjs wasm backend either as one
 * stack (lib/train/stack.ts `fitNetworkStack`) or one after the other (`fitNetwork`, each model
 * disposed). Prints `{seconds, networks, seconds_per_network, peak_rss_mib, failed, backend}` on
 * stdout, with `seconds` the training wall time only (backend start-up and data building
 * excluded). Shapes:
 *
 * - `sim3-10`: p = 3, one softplus layer of 10, 150 rows, batch 16, Adam 1e-2, no constraint.
 * - `sim1-50x3`: p = 5, three tanh layers of 50, 375 rows, batch 100, Adam 1e-3, L1 constraint,
 *   validation split 0.2 (as sim1).
 *
 * Bad flags: a one-line error on stderr and exit code 2.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Rng } from "../../lib/data/random.ts";
import { initBackend } from "../../lib/train/backend.ts";
import { fitNetwork } from "../../lib/train/fit.ts";
import type { ModelSpec } from "../../lib/train/model.ts";
import { fitNetworkStack, type StackMember, type StackOptions } from "../../lib/train/stack.ts";
import { peakRss } from "./memory.ts";

/** A benchmark network shape: architecture, rows and training options. */
export interface TrainShape {
  /** Architecture without the seed. */
  readonly spec: Omit<ModelSpec, "seed">;
  /** Rows of each network's data. */
  readonly rows: number;
  /** Training options (epochs come from the command line). */
  readonly options: Omit<StackOptions, "epochs">;
}

/** The named shapes (those of sim3 with 10 units and of sim1 with three layers of 50). */
export const TRAIN_SHAPES: Readonly<Record<string, TrainShape>> = {
  "sim3-10": {
    spec: { inputs: 3, hidden: [10], activation: "softplus", outputUnits: 1 },
    rows: 150,
    options: { optimizer: "adam", learningRate: 1e-2, batchSize: 16 },
  },
  "sim1-50x3": {
    spec: { inputs: 5, hidden: [50, 50, 50], activation: "tanh", outputUnits: 1 },
    rows: 375,
    options: {
      optimizer: "adam",
      learningRate: 1e-3,
      batchSize: 100,
      constraint: "l1",
      validationSplit: 0.2,
    },
  },
};

/** Member r of a shape: seeded weights, its own simulated data and shuffling seed. */
export function trainMember(shape: TrainShape, r: number): StackMember {
  const p = shape.spec.inputs;
  const n = shape.rows;
  const rng = new Rng(9000 + r);
  const x = new Float64Array(n * p).map(() => rng.uniform(-1, 1));
  const y = new Float64Array(n).map((_, s) => {
    const row = x.subarray(s * p, (s + 1) * p);
    return Math.sin(2 * row[0]) - row[0] * row[1] + 0.5 * row[2] * row[2] + 0.05 * rng.normal();
  });
  return { spec: { ...shape.spec, seed: 1000 + r }, data: { x, y }, shuffleSeed: 77 + r };
}

function fail(message: string): never {
  console.error(`train_run: ${message}`);
  Deno.exit(2);
}

function positiveInteger(flag: string, value: string | undefined): number {
  if (value === undefined) fail(`missing --${flag}`);
  const v = Number(value);
  if (!Number.isSafeInteger(v) || v < 1) fail(`--${flag}: expected an integer >= 1, got "${value}"`);
  return v;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      allowPositionals: false,
      options: {
        shape: { type: "string" },
        networks: { type: "string" },
        epochs: { type: "string" },
        mode: { type: "string" },
      },
    }));
  } catch (e) {
    fail((e as Error).message.split("\n")[0]);
  }
  const name = values.shape ?? fail("missing --shape");
  if (!Object.hasOwn(TRAIN_SHAPES, name)) {
    fail(`--shape: unknown "${name}"; use ${Object.keys(TRAIN_SHAPES).join(" or ")}`);
  }
  const shape = TRAIN_SHAPES[name];
  const networks = positiveInteger("networks", values.networks);
  const epochs = positiveInteger("epochs", values.epochs);
  const mode = values.mode ?? fail("missing --mode");
  if (mode !== "single" && mode !== "stack") fail(`--mode: expected single or stack, got "${mode}"`);

  const backend = await initBackend("wasm");
  const members = Array.from({ length: networks }, (_, r) => trainMember(shape, r));
  const options: StackOptions = { ...shape.options, epochs };

  let failed = 0;
  const t0 = performance.now();
  if (mode === "stack") {
    const fits = await fitNetworkStack(members, options);
    failed = fits.filter((f) => f.training.status !== "ok").length;
  } else {
    for (const m of members) {
      const fit = await fitNetwork(m.spec, m.data, { ...options, shuffleSeed: m.shuffleSeed });
      fit.model.dispose();
      if (fit.training.status !== "ok") failed++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = (await peakRss()) ?? Math.round(Deno.memoryUsage().rss / 2 ** 20 * 10) / 10;
  console.log(JSON.stringify({
    seconds,
    networks,
    seconds_per_network: seconds / networks,
    peak_rss_mib: peak,
    failed,
    backend: backend.name,
  }));
}

if (import.meta.main) await main();
