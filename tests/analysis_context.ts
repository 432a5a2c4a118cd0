/**
 * The context an analysis routine gets, for study tests: SVG figures, the default protocol, no
 * progress output.
 *
 * @module
 */

import type { AnalysisContext } from "../lib/experiment/study.ts";

/** An analysis context writing into `runDir` with these params and seed. */
export function analysisContext(runDir: string, params: Record<string, unknown>, seed = 3): AnalysisContext {
  return { runDir, seed, params, formats: ["svg"], full: false, progress: () => {} };
}
