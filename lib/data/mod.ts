/**
 * Data simulation for polylab: seeded randomness, ground-truth polynomials, formulas, input
 * distributions, train/test splits and min–max scaling. Pure TypeScript, no tfjs.
 *
 * @module
 */

export * from "./random.ts";
export * from "./polynomial.ts";
export * from "./formula.ts";
export * from "./simulate.ts";
export * from "./split.ts";
export * from "./scale.ts";
