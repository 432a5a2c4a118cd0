/**
 * Training for polylab (tfjs): backend selection, seeded model construction, a deterministic
 * training loop with nn2poly's weight constraint, stacked training of many small networks at once,
 * and conversion to the float64 Network value.
 *
 * @module
 */

export * from "./backend.ts";
export * from "./model.ts";
export * from "./train.ts";
export * from "./convert.ts";
export * from "./fit.ts";
export * from "./stack.ts";
