/**
 * Warm in-process numbers (`deno bench -A bench/`): nn2poly on the mid-size speed fixtures and the
 * exact Taylor engine on the sine MLP. The fresh-process numbers (cold JIT, what a user sees) come
 * from `deno task bench`.
 *
 * @module
 */

import { join } from "node:path";
import { parseNetwork } from "../lib/network/network.ts";
import { nn2poly } from "../lib/nn2poly/engine.ts";
import { exactTaylor } from "../lib/taylor/exact.ts";
import { ROOT_DIR } from "./harness.ts";
import { TAYLOR_BENCH_FIXTURE } from "./taylor_suite.ts";

const SHARED_DIR = join(ROOT_DIR, "..", "shared");
const NN2POLY_BENCH_DIR = join(SHARED_DIR, "fixtures", "nn2poly-bench");
const TAYLOR_BENCH_FILE = join(SHARED_DIR, TAYLOR_BENCH_FIXTURE);

/** Fixtures fast enough (< 0.5 s) to be repeated many times by Deno.bench. */
const MID_SIZE = ["boston-p13-3x100-q3", "covtype-p54-3x100-q2", "wide-p20-2x64-q4", "deep-p10-2x64-q6"];

for (const name of MID_SIZE) {
  const json = JSON.parse(Deno.readTextFileSync(join(NN2POLY_BENCH_DIR, `${name}.json`)));
  const net = parseNetwork(json);
  const options = {
    maxOrder: json.max_order,
    taylorOrders: json.taylor_orders,
    taylorCenter: json.taylor_center,
  };
  Deno.bench({
    name: `nn2poly ${name} (${json.n_terms} terms)`,
    group: "nn2poly",
    fn: () => void nn2poly(net, options),
  });
}

const sine = parseNetwork(JSON.parse(Deno.readTextFileSync(TAYLOR_BENCH_FILE)));
for (const K of [1, 4, 10]) {
  Deno.bench({
    name: `exactTaylor sine-1d-128x4 K=${K}`,
    group: "taylor",
    baseline: K === 1,
    fn: () => void exactTaylor(sine, [0], K),
  });
}
