/**
 * `deno task poly descramble FILE.json [--method optimize|closed-form|lbfgs] [--max-iterations N]`:
 * the descrambler of Amey et al. on the signals of a file (`{"signals": k rows of N numbers}`), as
 * `../shared/fixtures/descramble/CONTRACT.md` specifies. Prints
 * `{P, eta, eta_identity, seconds, method, k, n, iterations, stop, setup_seconds, method_seconds}`
 * (closed-form adds `eta_star`); `seconds` is the compute time after parsing (SSᵀ, normalisation and
 * the method).
 *
 * @module
 */

import { closedFormDescramble } from "../descramble/closed_form.ts";
import { identity } from "../descramble/dense.ts";
import { paperLbfgsDescramble } from "../descramble/paper_lbfgs.ts";
import { DescrambleError, eta, problemFromSignals } from "../descramble/problem.ts";
import { trustRegionDescramble } from "../descramble/trust_region.ts";
import { parseFlags, parseInteger, readJsonFile, UsageError } from "./errors.ts";

/** The methods of `poly descramble`. */
export const DESCRAMBLE_METHODS = ["optimize", "closed-form", "lbfgs"] as const;

/** Help text of `poly descramble`. */
export const DESCRAMBLE_HELP = `Usage:
  deno task poly descramble FILE.json [--method optimize|closed-form|lbfgs] [--max-iterations N]

FILE.json holds {"signals": ROWS}: k ≥ 2 rows (one per neuron of the wiretapped layer) of N ≥ 1 numbers.
Minimises η(P) = tr(DTD·P·SST·Pᵀ) over rotations P (Amey et al., PNAS 2021):
  optimize     trust-region Newton in a Cayley chart re-centred at the current P, from P = I (default)
  closed-form  P = U Vᵀ from the eigenvectors of DTD and SST (the Brockett optimum)
  lbfgs        the paper's optimiser: fixed Cayley chart from P = I, L-BFGS (default 20,000 iterations)
Prints {"P": [[...]], "eta": η(P), "eta_identity": η(I), "seconds": S, ...} on stdout.
Bad input: one-line error on stderr, exit code 2.`;

/**
 * Checks `signals` and returns its rows; every problem is a one-line {@link UsageError} that names
 * the field and says what is expected.
 */
export function parseSignals(json: unknown, file: string): number[][] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UsageError(`${file}: expected a JSON object with "signals" (k rows of N numbers)`);
  }
  const signals = (json as Record<string, unknown>).signals;
  if (signals === undefined) throw new UsageError(`${file}: "signals" is missing; give k rows of N numbers`);
  if (!Array.isArray(signals) || !signals.every((r) => Array.isArray(r))) {
    throw new UsageError(`${file}: "signals" must be a list of rows (lists of numbers)`);
  }
  const rows = signals as unknown[][];
  if (rows.length < 2) {
    throw new UsageError(`${file}: "signals" has ${rows.length} row(s); descrambling needs k ≥ 2 rows`);
  }
  const n = rows[0].length;
  if (n < 1) throw new UsageError(`${file}: signals[0] is empty; every row needs N ≥ 1 numbers`);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length !== n) {
      throw new UsageError(
        `${file}: signals[${i}] has ${row.length} numbers but signals[0] has ${n} (ragged rows)`,
      );
    }
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new UsageError(
          `${file}: signals[${i}][${j}] must be a finite number, got ${JSON.stringify(v)}`,
        );
      }
    }
  }
  return rows as number[][];
}

/** Runs `poly descramble` with its arguments (after the word `descramble`); returns the JSON to print. */
export default function descrambleCommand(args: string[]): Promise<Record<string, unknown>> {
  const { values, positionals } = parseFlags("poly descramble", args, {
    method: { type: "string" },
    "max-iterations": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return Promise.resolve({ help: DESCRAMBLE_HELP });
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError("poly descramble: missing FILE.json; see --help");
  if (extra.length > 0) throw new UsageError(`poly descramble: unexpected argument "${extra[0]}"`);
  const method = values.method ?? "optimize";
  if (!(DESCRAMBLE_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--method: expected one of ${DESCRAMBLE_METHODS.join(", ")}, got "${method}"`);
  }
  const maxIterations = values["max-iterations"] !== undefined
    ? parseInteger("--max-iterations", values["max-iterations"], 1)
    : undefined;
  if (maxIterations !== undefined && method === "closed-form") {
    throw new UsageError("--max-iterations: closed-form has no iterations; use it with optimize or lbfgs");
  }
  const rows = parseSignals(readJsonFile(file), file);
  const t0 = performance.now();
  let problem;
  try {
    problem = problemFromSignals(rows);
  } catch (e) {
    if (e instanceof DescrambleError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const k = problem.k;
  const etaIdentity = eta(problem, identity(k));
  const t1 = performance.now();
  const out: Record<string, unknown> = {};
  let P: Float64Array;
  let value: number;
  if (method === "closed-form") {
    const r = closedFormDescramble(problem);
    P = r.P;
    value = r.eta;
    out.eta_star = r.etaStar;
  } else {
    const r = method === "optimize"
      ? trustRegionDescramble(problem, { maxIterations })
      : paperLbfgsDescramble(problem, { maxIterations });
    P = r.P;
    value = r.eta;
    out.iterations = r.iterations;
    out.evaluations = r.evaluations;
    if (method === "optimize") out.hessian_products = r.hessianProducts;
    out.stop = r.stop;
  }
  const t2 = performance.now();
  const rowsOut: number[][] = [];
  for (let i = 0; i < k; i++) rowsOut.push(Array.from(P.subarray(i * k, (i + 1) * k)));
  return Promise.resolve({
    P: rowsOut,
    eta: value,
    eta_identity: etaIdentity,
    seconds: (t2 - t0) / 1000,
    method,
    k,
    n: rows[0].length,
    ...out,
    setup_seconds: (t1 - t0) / 1000,
    method_seconds: (t2 - t1) / 1000,
  });
}
