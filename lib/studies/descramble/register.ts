/**
 * The descrambler study (Amey, Keeley, Choudhury, Kuprov, PNAS 2021): its analyses, registered with
 * the framework.
 *
 * @module
 */

import { registerAnalysis } from "../../experiment/registry.ts";
import { descrambleDeernet, validateDeernetParams } from "./deernet.ts";
import { descrambleToy, validateToyParams } from "./toy.ts";

registerAnalysis(
  "descramble-deernet",
  "Descrambler groups on DEERNet: simulate DEER traces, train trace → distance distribution, descramble the hidden layer.",
  descrambleDeernet,
  validateDeernetParams,
);
registerAnalysis(
  "descramble-toy",
  "Descrambler groups with a known answer: scrambled smooth signals, and a network trained to band-pass filter.",
  descrambleToy,
  validateToyParams,
);
