/**
 * The symgrad analyses' parameter checks, run by the framework before it writes any file: each
 * analysis's strict schema, then the cross-field rules its routine relies on (formulas that parse,
 * ranges, search options, splits that leave the method enough points, names used once). Every
 * problem is a one-line UsageError naming `params.<path>` and the fix.
 *
 * @module
 */

import { parseParams } from "../../experiment/analysis_io.ts";
import { UsageError } from "../../errors.ts";
import {
  defaultSearchOptions,
  resolveSearchOptions,
  type SearchOptions,
} from "../../symbolic/evolution/options.ts";
import { parseExpression } from "../../symbolic/parse/parse.ts";
import { schema as classifiersSchema } from "./classifiers.ts";
import { schema as latentSchema } from "./latent.ts";
import { schema as regressionSchema } from "./regression.ts";

/** The first index of a value that appeared before, or −1. */
function firstRepeat(values: readonly string[]): number {
  return values.findIndex((v, i) => values.indexOf(v) !== i);
}

/** Checks symgrad-regression's params. */
export function validateSymgradRegressionParams(params: Record<string, unknown>): void {
  const p = parseParams(regressionSchema, params);
  const twice = firstRepeat(p.benchmarks.map((b) => b.name));
  if (twice >= 0) {
    throw new UsageError(
      `params.benchmarks[${twice}].name: "${p.benchmarks[twice].name}" is used twice; give each its own name`,
    );
  }
  p.benchmarks.forEach((b, i) => {
    if (!(b.range[0] < b.range[1])) {
      throw new UsageError(`params.benchmarks[${i}].range: expected [lo, hi] with lo < hi, got [${b.range}]`);
    }
    try {
      parseExpression(b.formula, b.inputs);
    } catch (e) {
      throw new UsageError(`params.benchmarks[${i}].formula: ${(e as Error).message.split("\n")[0]}`);
    }
  });
  const known = Object.keys(defaultSearchOptions());
  const unknown = Object.keys(p.search).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw new UsageError(`params.search.${unknown}: not a search option; known: ${known.join(", ")}`);
  }
  try {
    resolveSearchOptions(
      { seed: 0, binary: p.binary, unary: p.unary, ...p.search } as Partial<SearchOptions>,
    );
  } catch (e) {
    const message = (e as Error).message.split("\n")[0];
    const m = /^search option (\w+): (.*)$/.exec(message);
    throw new UsageError(m ? `params.search.${m[1]}: ${m[2]}` : `params.search: ${message}`);
  }
}

/** Checks symgrad-classifiers' params. */
export function validateSymgradClassifiersParams(params: Record<string, unknown>): void {
  const p = parseParams(classifiersSchema, params);
  const twice = firstRepeat(p.tasks);
  if (twice >= 0) {
    throw new UsageError(`params.tasks[${twice}]: "${p.tasks[twice]}" is listed twice; list it once`);
  }
  const train = Math.round(p.samples * p.trainFraction);
  if (train < 1 || train >= p.samples) {
    throw new UsageError(
      `params.trainFraction: ${p.trainFraction} of ${p.samples} samples leaves ${train} training and ` +
        `${p.samples - train} test rows; each needs at least one (move trainFraction or raise samples)`,
    );
  }
  const search = Math.round(p.searchFraction * p.maxPoints);
  if (search < 20 || p.maxPoints - search < 10) {
    throw new UsageError(
      `params.searchFraction: ${p.searchFraction} of at most ${p.maxPoints} unsure points gives ${search} search ` +
        `and ${p.maxPoints - search} held-out points, but the method needs at least 20 and 10; move ` +
        `searchFraction or raise maxPoints`,
    );
  }
}

/** Checks symgrad-latent's params. */
export function validateSymgradLatentParams(params: Record<string, unknown>): void {
  const p = parseParams(latentSchema, params);
  const twice = firstRepeat(p.systems);
  if (twice >= 0) {
    throw new UsageError(`params.systems[${twice}]: "${p.systems[twice]}" is listed twice; list it once`);
  }
}
