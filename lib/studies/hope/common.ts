/**
 * Shared plumbing of the HOPE analyses (hope-expansion, -convergence, -discovery, -features,
 * -speed): the paper's reference values. (Parameter parsing, table and figure writers and the
 * timer every analysis uses are lib/experiment/analysis_io.ts.)
 *
 * @module
 */

import { HOPE_REFERENCE_FILE } from "../../taylor/fixtures.ts";

/** The HOPE paper's reference values (reference_values.json) as raw JSON, or null when absent. */
export async function loadReferenceValues(): Promise<Record<string, Record<string, unknown>> | null> {
  try {
    return JSON.parse(await Deno.readTextFile(HOPE_REFERENCE_FILE));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}
