/**
 * The own max-slack LP solver alone, on every LP one region enumeration solves:
 * `deno run -A bench/drivers/relu_lp.ts FILE.json` records the LPs of `enumerateRegions` on the network
 * and times solving them all again (one pass, after recording). Prints `{seconds, lps, us_per_lp,
 * peak_rss_mib}`.
 *
 * @module
 */

import { parseNetwork } from "../../lib/network/network.ts";
import { SlackLp } from "../../lib/relu/lp.ts";
import { plNetwork } from "../../lib/relu/net.ts";
import { enumerateRegions } from "../../lib/relu/regions.ts";
import { peakRss } from "./memory.ts";

const net = plNetwork(parseNetwork(JSON.parse(Deno.readTextFileSync(Deno.args[0]))));
const lps: { rows: Float64Array; m: number }[] = [];
enumerateRegions(net, { onLp: (rows, m) => lps.push({ rows: rows.slice(0, m * (net.p + 1)), m }) });
const lp = new SlackLp(net.p);
const t0 = performance.now();
for (const { rows, m } of lps) lp.solve(rows, m, 1);
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    seconds,
    lps: lps.length,
    us_per_lp: (seconds / lps.length) * 1e6,
    peak_rss_mib: await peakRss(),
  }),
);
