/**
 * `deno task poly shallow FILE.json [--box=LO,HI] [--max-regions N] [--layers 3|2]`: the activation
 * regions of a deep ReLU network and its exact shallow network with ±∞ weights (Villani & Schoots),
 * as the contract of `../shared/fixtures/relu/CONTRACT.md` specifies.
 *
 * @module
 */

import { loadNetwork } from "../io/network_file.ts";
import { guaranteedRegions, serraBound } from "../relu/bounds.ts";
import { extNetworkToJson } from "../relu/extended.ts";
import { plNetwork, ReluNetworkError } from "../relu/net.ts";
import { DEFAULT_MAX_REGIONS, enumerateRegions, RegionLimitError } from "../relu/regions.ts";
import { shallowNetwork } from "../relu/shallow.ts";
import {
  joinNegativeValues,
  parseFlags,
  parseInteger,
  parseNumberList,
  peakRssMiB,
  UsageError,
} from "./errors.ts";

/** Help text of `poly shallow`. */
export const SHALLOW_HELP =
  `Usage: deno task poly shallow FILE.json [--box=LO,HI] [--max-regions N] [--layers 3|2]

FILE.json: a network in the fixtures' layout whose hidden layers are relu (or leaky_relu, with an
optional per-layer "alpha") and whose last layer is linear; an ONNX file or a tfjs model.json of such a
network is read too. An optional "box": [lo, hi] in the file, or
--box=LO,HI (which wins), restricts the work to the box (lo, hi)^p.
Prints {"regions": [{pattern, point, A, c}, ...], "shallow": {inputs, layers}, "seconds": S, ...}:
every full-dimensional activation region with an interior point and its local affine map A·x + c, and
the shallow network (3 hidden relu layers with "inf"/"-inf" weights) equal to the network everywhere
(on the closed box with --box). --layers 2 gives the two-hidden-layer variant, exact off region
boundaries only. --max-regions (default ${DEFAULT_MAX_REGIONS}) stops with exit code 2 once more regions appear.`;

/** Parses a box given as "LO,HI" or as a JSON pair; `where` names the field for the error. */
export function parseBox(value: unknown, where: string): [number, number] {
  const pair = typeof value === "string"
    ? (value.split(",").length === 2 ? parseNumberList(where, value) : [NaN])
    : value;
  if (
    !Array.isArray(pair) || pair.length !== 2 ||
    !pair.every((v) => typeof v === "number" && Number.isFinite(v)) ||
    !(pair[0] < pair[1])
  ) {
    throw new UsageError(
      `${where}: expected two finite numbers LO,HI with LO < HI (e.g. --box=-1,1), got ${
        JSON.stringify(value)
      }`,
    );
  }
  return [pair[0], pair[1]];
}

/** Runs `poly shallow`; returns the JSON object to print. */
export default function shallow(args: string[]): Promise<Record<string, unknown>> {
  const joined = joinNegativeValues(args, ["--box"]); // "--box -1,1"
  const { values, positionals } = parseFlags("poly shallow", joined, {
    box: { type: "string" },
    "max-regions": { type: "string" },
    layers: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return Promise.resolve({ help: SHALLOW_HELP });
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError("poly shallow: missing FILE.json; see --help");
  if (extra.length > 0) throw new UsageError(`poly shallow: unexpected argument "${extra[0]}"`);
  const maxRegions = values["max-regions"] === undefined
    ? DEFAULT_MAX_REGIONS
    : parseInteger("--max-regions", values["max-regions"], 1);
  const layers = values.layers === undefined ? 3 : Number(values.layers);
  if (layers !== 2 && layers !== 3) throw new UsageError(`--layers: expected 3 or 2, got "${values.layers}"`);
  // a polylab FILE.json (the contract), or an ONNX / tfjs model file like the other poly commands
  const { network, fields } = loadNetwork(file, "poly shallow");
  const box = values.box !== undefined
    ? parseBox(values.box, "--box")
    : fields.box !== undefined
    ? parseBox(fields.box, `${file}: box`)
    : undefined;
  let net;
  try {
    net = plNetwork(network);
  } catch (e) {
    if (e instanceof ReluNetworkError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const certain = guaranteedRegions(net.p, net.hidden.map((l) => l.units));
  if (!box && certain > maxRegions) {
    throw new UsageError(
      `--max-regions: ${maxRegions} is below the ${certain} activation regions over ℝ^${net.p} that the first ` +
        `hidden layer alone creates; raise --max-regions above ${certain} or give --box`,
    );
  }
  const t0 = performance.now();
  let set;
  try {
    set = enumerateRegions(net, { box, maxRegions });
  } catch (e) {
    if (e instanceof RegionLimitError) {
      const bound = serraBound(net.p, net.hidden.map((l) => l.units));
      throw new UsageError(
        `--max-regions: ${e.message} (e.g. --max-regions ${e.limit * 10}; at most ${
          bound.toPrecision(3)
        } for this architecture)`,
      );
    }
    throw e;
  }
  const sh = shallowNetwork(set, net.outputs, { layers });
  const seconds = (performance.now() - t0) / 1000;
  const { p } = net;
  return Promise.resolve({
    regions: set.regions.map((r) => ({
      pattern: Array.from(r.pattern),
      point: Array.from(r.point),
      A: Array.from({ length: net.outputs }, (_, k) => Array.from(r.A.subarray(k * p, (k + 1) * p))),
      c: Array.from(r.c),
    })),
    shallow: extNetworkToJson(sh.net),
    seconds,
    region_count: set.regions.length,
    box: box ?? null,
    hidden_units: net.H,
    shallow_widths: sh.size.widths,
    shallow_parameters: {
      dense: sh.size.denseParameters,
      nonzero: sh.size.nonzeroParameters,
      infinite: sh.size.infiniteParameters,
    },
    hyperplanes: sh.planes.length,
    lps: set.lps,
    seconds_per_region: seconds / Math.max(1, set.regions.length),
    peak_rss_mib: peakRssMiB(),
  });
}
