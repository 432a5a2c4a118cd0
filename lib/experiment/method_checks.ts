/**
 * Method-specific checks made before any work: can each configured method apply to the network the
 * config will train (activations), and will its expansion fit in memory? Every rule names the config
 * path and the fix, as a one-line {@link UsageError}.
 *
 * This is the one place where the framework knows what a method needs. When methods provide their
 * own option schema and validation through the method registry, each method's rules below move
 * into its registry entry (`validate(config, shape)`), and {@link checkMethodApplicability} becomes
 * a loop over the configured methods.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { DEFAULT_MAX_COEFFICIENTS, estimateSize, resolveTaylorOrders } from "../nn2poly/engine.ts";
import type { Network } from "../network/network.ts";
import { termCount } from "../poly/basis.ts";
import { isAnalytic } from "../series/activations.ts";
import type { ActivationName } from "../series/activations.ts";
import { nn2polyExpansions } from "./methods.ts";
import type { Experiment } from "./schema.ts";

/** The shape of the network a config trains, and the row counts its split leaves. */
export interface NetworkShape {
  /** Inputs p. */
  inputs: number;
  /** Outputs (1, or k classes). */
  outputs: number;
  /** Hidden widths. */
  hidden: number[];
  /** Hidden activations, one per hidden layer. */
  activations: ActivationName[];
  /** Training rows after the train/test split (before the validation hold-out). */
  trainRows: number;
  /** Rows the optimizer fits on (training rows less the validation hold-out). */
  fitRows: number;
  /** Test rows. */
  testRows: number;
}

/** What the checks found the expansions will need (for the work estimate). */
export interface MethodSizes {
  /** Terms of the largest NN2Poly expansion (0 without NN2Poly). */
  nn2polyTerms: number;
  /** Largest NN2Poly block, terms × units (0 without NN2Poly). */
  nn2polyBlock: number;
  /** Terms of the polynomial regression (0 without it). */
  regressionTerms: number;
}

/** A network value with the config's shape (weights unset: only the size estimates read it). */
function shapeNetwork(shape: NetworkShape): Network {
  const widths = [...shape.hidden, shape.outputs];
  let inputs = shape.inputs;
  const layers = widths.map((units, l) => {
    const layer = {
      activation: (l < shape.hidden.length ? shape.activations[l] : "linear") as ActivationName,
      weights: new Float64Array(0),
      inputs,
      units,
    };
    inputs = units;
    return layer;
  });
  return { inputs: shape.inputs, layers } as unknown as Network;
}

/**
 * Refuses, before any training, a method that cannot apply to the network the config trains
 * (NN2Poly on relu/leaky_relu/elu), a `taylorOrders` list of the wrong length, an expansion above the
 * engine's memory guard or the machine's memory, and a polynomial regression with more terms than
 * training rows. `prefix` locates a grid point (`grid point model.layers=3: `).
 */
export function checkMethodApplicability(
  config: Experiment,
  shape: NetworkShape,
  prefix: string,
  memoryBytes: number,
): MethodSizes {
  const sizes: MethodSizes = { nn2polyTerms: 0, nn2polyBlock: 0, regressionTerms: 0 };
  const fail = (path: string, message: string): never => {
    throw new UsageError(`${prefix}${path}: ${message}`);
  };
  const m = config.methods;
  if (m.nn2poly) {
    shape.activations.forEach((a, l) => {
      if (!isAnalytic(a)) {
        fail(
          "methods.nn2poly",
          `NN2Poly cannot apply to hidden layer ${l + 1}'s "${a}" activation (no Taylor expansion at its ` +
            `kink); use an analytic activation (tanh, sigmoid, softplus, silu, gelu…) or remove methods.nn2poly`,
        );
      }
    });
    const net = shapeNetwork(shape);
    const base = "methods.nn2poly";
    for (const e of nn2polyExpansions(config)) {
      const path = e.name === "nn2poly" ? base : `${base}.variants.${e.name.slice("nn2poly_".length)}`;
      if (Array.isArray(e.taylorOrders) && e.taylorOrders.length !== net.layers.length) {
        fail(
          `${path}.taylorOrders`,
          `${e.taylorOrders.length} orders for ${net.layers.length} layers (${shape.hidden.length} hidden + ` +
            `the output); give one per layer, or one number for all`,
        );
      }
      const orders = resolveTaylorOrders(net, e.taylorOrders);
      const maxOrders = [e.maxOrder, ...(e.name === "nn2poly" ? m.nn2poly.convergenceOrders ?? [] : [])];
      for (const q of maxOrders) {
        const size = estimateSize(net, q, orders);
        const field = q === e.maxOrder ? `${path}.maxOrder` : `${base}.convergenceOrders`;
        if (size.largestBlock > DEFAULT_MAX_COEFFICIENTS || size.productPairs > DEFAULT_MAX_COEFFICIENTS) {
          fail(
            field,
            `order ${q} expands to ${size.terms} terms in ${shape.inputs} inputs (largest block ` +
              `${size.largestBlock} coefficients, ${size.productPairs} product pairs), above the engine's ` +
              `limit of ${DEFAULT_MAX_COEFFICIENTS}; lower it or data.p`,
          );
        }
        // two blocks of the largest size plus the product table (4 bytes a pair), per worker
        const bytes = 2 * 8 * size.largestBlock + 8 * size.productPairs;
        if (bytes > memoryBytes) {
          fail(
            field,
            `order ${q} needs about ${gib(bytes)} of memory, more than ${gib(memoryBytes)}; lower it`,
          );
        }
        sizes.nn2polyTerms = Math.max(sizes.nn2polyTerms, size.terms);
        sizes.nn2polyBlock = Math.max(sizes.nn2polyBlock, size.largestBlock);
      }
    }
  }
  if (m.polyRegression) {
    const d = m.polyRegression.degree;
    const terms = termCount(shape.inputs, d);
    if (terms > shape.trainRows) {
      fail(
        "methods.polyRegression.degree",
        `degree ${d} in ${shape.inputs} inputs has ${terms} terms but the split leaves ${shape.trainRows} ` +
          `training rows; lower the degree or raise data.n`,
      );
    }
    const bytes = 8 * terms * (shape.trainRows + terms);
    if (bytes > memoryBytes) {
      fail("methods.polyRegression.degree", `degree ${d} needs about ${gib(bytes)} of memory; lower it`);
    }
    sizes.regressionTerms = terms;
  }
  return sizes;
}

/** Bytes as GiB with one decimal. */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
