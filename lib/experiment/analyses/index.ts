/**
 * The registry of analysis routines (`kind: "analysis"` experiments). Add an import and an entry
 * per new routine.
 *
 * @module
 */

import type { Analysis } from "./types.ts";
import { costAnalysis } from "./cost.ts";

/** Registered analyses by name. */
export const ANALYSES: Record<string, Analysis> = {
  /** Number of terms C(p+Q, Q) and measured NN2Poly engine time against p and Q. */
  cost: costAnalysis,
};
