/**
 * One fresh-process run of a Taylor engine on HOPE's 2-D conv demo network (Linear(2,2048)–sin–
 * Conv2d(2→16, 2×2)–sin–AvgPool(2)–sin–Linear(3600,1), polylab's seeded weights) at x0 = (0, 0):
 * `deno run -A bench/drivers/conv_run.ts --order K --method exact|hope`. Prints `{seconds, peak_rss_mib,
 * terms}` with `seconds` the engine's own time.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { convDemo } from "../../lib/taylor/paper_networks.ts";
import { exactTaylorModules } from "../../lib/taylor/exact_modules.ts";
import { hopeTaylorModules } from "../../lib/taylor/hope.ts";
import { peakRss } from "./memory.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { order: { type: "string" }, method: { type: "string" } },
});
const order = Number(values.order ?? 8);
const { modules, inputs } = convDemo();
const x0 = new Float64Array(inputs);
const t0 = performance.now();
const terms = values.method === "hope"
  ? hopeTaylorModules(modules, inputs, x0, order).labels.length
  : exactTaylorModules(modules, inputs, x0, order).terms.count;
console.log(
  JSON.stringify({ seconds: (performance.now() - t0) / 1000, peak_rss_mib: await peakRss(), terms }),
);
