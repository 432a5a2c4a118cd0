/**
 * The registry of bench suites: `deno task bench` runs these, in this order. To add a suite, write
 * `bench/<name>_suite.ts` exporting a {@link BenchSuite} (see bench/suite.ts and the README's "How to
 * add a bench suite") and add one line below.
 *
 * @module
 */

import type { BenchSuite } from "./suite.ts";
import { nn2polySuite } from "./nn2poly_suite.ts";
import { taylorSuite } from "./taylor_suite.ts";
import { paperSuite } from "./paper_suite.ts";
import { trainingSuite } from "./train_suite.ts";
import { symgradSuite } from "./symgrad_suite.ts";
import { reluSuite } from "./relu_suite.ts";
import { descrambleSuite } from "./descramble_suite.ts";

/** Every suite, in run and report order. */
export const SUITES: readonly BenchSuite[] = [
  nn2polySuite,
  taylorSuite,
  paperSuite,
  trainingSuite,
  symgradSuite,
  reluSuite,
  descrambleSuite,
  // new suites: one line each, e.g. reluSuite, symgradSuite, descrambleSuite
];
