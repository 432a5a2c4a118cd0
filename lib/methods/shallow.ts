/**
 * The `shallow` method (Villani & Schoots): the trained ReLU / leaky-ReLU network's activation
 * regions (over ℝ^p, or meeting a box) turned into the equivalent network with three hidden layers and
 * ±∞ weights (lib/relu/). Exact, so its error against the network is rounding; its size is the
 * shallow network's hidden units, and it fails with the region limit's message when a network has
 * too many regions.
 *
 * @module
 */

import { z } from "zod";
import type { ConfigShape, Method, MethodIssue } from "../experiment/method.ts";
import { registerMethod } from "../experiment/method_registry.ts";
import type { Experiment } from "../experiment/schema.ts";
import { evaluateExtended } from "../relu/extended.ts";
import { plNetwork } from "../relu/net.ts";
import { guaranteedRegions, serraBound } from "../relu/bounds.ts";
import { DEFAULT_MAX_REGIONS, enumerateRegions, RegionLimitError } from "../relu/regions.ts";
import { shallowNetwork } from "../relu/shallow.ts";

/** Schema of `methods.shallow`. */
export const shallowOptionsSchema = z.strictObject({
  /** Regions meeting the open box (lo, hi)^p only (exact on the closed box); default all of ℝ^p. */
  box: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, "expected [lo, hi] with lo < hi")
    .optional(),
  /** Stop (the cell fails) once more regions than this appear. */
  maxRegions: z.number().int().min(1).default(DEFAULT_MAX_REGIONS),
  /** 3 hidden layers (exact everywhere) or 2 (exact off region boundaries). */
  layers: z.union([z.literal(2), z.literal(3)]).default(3),
});

/** Resolved `methods.shallow`. */
export type ShallowOptions = z.infer<typeof shallowOptionsSchema>;

declare module "../experiment/method.ts" {
  interface MethodOptionsMap {
    shallow: { input: z.input<typeof shallowOptionsSchema>; output: ShallowOptions };
  }
}

/**
 * Plan-time checks: piecewise-linear hidden layers, and a region limit the network cannot stay under.
 * Without a box, the first hidden layer alone has {@link guaranteedRegions} regions over ℝ^p (weights
 * in general position, which training gives with probability 1), so a limit below that count would
 * fail every cell after training: refused here. Upper bounds (Serra et al.) are not used to refuse:
 * for deep networks they exceed the regions training produces by orders of magnitude (relu-shallow:
 * 9.8·10⁶ against 656–735 for 10–10–10–10 in the plane), so they would refuse networks that work.
 */
function check(options: ShallowOptions, _config: Experiment, shape: ConfigShape): MethodIssue[] {
  const bad = shape.activations.findIndex((a) => a !== "relu" && a !== "leaky_relu");
  if (bad >= 0) {
    return [{
      path: ["$", "model", "activation"],
      message: `the shallow method needs relu or leaky_relu hidden layers, got "${shape.activations[bad]}" ` +
        `(activation regions exist only for piecewise-linear units)`,
    }];
  }
  const certain = guaranteedRegions(shape.p, shape.hidden);
  if (!options.box && certain > options.maxRegions) {
    return [{
      path: ["maxRegions"],
      message:
        `${options.maxRegions} is below the ${certain.toPrecision(3)} activation regions over ℝ^${shape.p} ` +
        `that the first hidden layer (${
          shape.hidden[0]
        } units) alone creates, so every cell would fail after ` +
        `training; raise maxRegions above ${certain.toPrecision(3)} (upper bound for this architecture: ` +
        `${serraBound(shape.p, shape.hidden).toPrecision(3)}), give a box, or narrow the first layer`,
    }];
  }
  return [];
}

/** The `shallow` method. */
export const shallowMethod: Method<ShallowOptions> = {
  name: "shallow",
  label: "shallow (±∞)",
  description: "the exact 3-hidden-layer network with ±∞ weights built from the activation regions",
  sizeUnit: "units",
  options: shallowOptionsSchema,
  check,
  instances: (options, name) => [{ name, options }],
  build(input, options) {
    const pl = plNetwork(input.network);
    let set;
    try {
      set = enumerateRegions(pl, { box: options.box, maxRegions: options.maxRegions });
    } catch (e) {
      if (e instanceof RegionLimitError) throw new Error(`methods.shallow.maxRegions: ${e.message}`);
      throw e;
    }
    const sh = shallowNetwork(set, pl.outputs, { layers: options.layers });
    return {
      size: sh.size.widths.reduce((s, w) => s + w, 0),
      evaluate: (x, n) => evaluateExtended(sh.net, x, n),
    };
  },
};

registerMethod(shallowMethod, import.meta.url);
