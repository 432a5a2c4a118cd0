/**
 * The registry of analysis routines (`kind: "analysis"` experiments). Add an import and an entry
 * per new routine.
 *
 * @module
 */

import type { Analysis } from "./types.ts";

/** Registered analyses by name. */
export const ANALYSES: Record<string, Analysis> = {};
