/**
 * `deno task poly symgrad FILE.json [--seed N] [--seconds S] [--max-complexity C] [--workers W]`:
 * the CLI contract of `../shared/fixtures/symgrad/CONTRACT.md`. Reads a classifier (network layout
 * of the fixtures) and the points where it is unsure, takes the logit's input gradients in float64,
 * searches expressions whose normalised gradients match them, and returns
 * `{front: [{expression, complexity, loss}, …], best, seconds, …}`.
 *
 * Time: `--seconds S` bounds the whole process. The search stops at the first of: an evaluation
 * budget of {@link EVALUATIONS_PER_SECOND}·S (deterministic; about half of S on a quiet 2-core
 * machine), 40 iterations without improvement of the front after at least 20 (deterministic), or
 * the wall clock (S minus reserves for the final polish and for process start-up and exit; then
 * `stopped` is "time" and the result depends on the machine's speed).
 *
 * @module
 */

import { loadModel, requireNetwork } from "../io/network_file.ts";
import { type Network, NetworkError, outputUnits, parseNetwork } from "../network/network.ts";
import { CLASSIFIER_PATIENCE, EVALUATIONS_PER_SECOND, interpretClassifier } from "../symbolic/classifier.ts";
import { PENALTY_DEFAULTS } from "../symbolic/evolution/hall_of_fame.ts";
import { joinNegativeValues, parseFlags, parseInteger, readJsonFile, UsageError } from "./errors.ts";

/** Help text of `poly symgrad`. */
export const SYMGRAD_HELP =
  `Usage: deno task poly symgrad FILE.json [--seed N] [--seconds S] [--max-complexity C] [--evaluations E] [--points P] [--workers W]

Closed-form interpretation of a classifier by symbolic-regression gradients (Wetzel, arXiv 2401.04978).
FILE.json: {inputs, layers: [{activation, weights}], points: [[x1..xp], ...]} (the points where the
classifier is unsure); or an ONNX model / tfjs model.json with --points. Prints {"front":
[{"expression", "complexity", "loss"}, ...], "best": I, "seconds": S, ...}: the Pareto front of expressions g whose normalised gradients match the logit's
(loss = mean of (∇g/|∇g| - ∇f/|∇f|)^2 over points and components), and the choice on it: the
lowest log(weighted loss + 1e-3) + 0.1 x complexity.

  --seed N             random seed (default 0); the same seed and file give the same front
  --seconds S          time for the whole run, start-up included (default 120)
  --max-complexity C   largest complexity (default 30; constants count 3, sin/exp 5, other nodes 1)
  --evaluations E      deterministic budget of the search in evaluations on all points (default 7000 x S);
                       the clock still stops it at S
  --points FILE.json   the points (a JSON list of rows, or {"points": [...]}); required when the model is
                       an ONNX file or a tfjs model.json, replaces FILE.json's own points otherwise
  --workers W          worker threads (default 2; 0 runs in one thread; the result does not depend on it)
  --weighting sensitivity|uniform
                       the search weighs each point by the classifier's sensitivity to its logit,
                       sigma'(f) = sigma(f)(1 - sigma(f)), plus 1 % of its peak (default), or all points
                       alike; "loss" is always the unweighted loss, "weighted_loss" the search's`;

function fail(file: string, message: string): never {
  throw new UsageError(`${file}: ${message}`);
}

/** Validates the file's fields; returns the network, the points (row-major) and their count. */
export function readSymgradInput(file: string, json: unknown) {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    fail(file, 'expected a JSON object with "inputs", "layers" and "points"');
  }
  const obj = json as Record<string, unknown>;
  const p = obj.inputs;
  if (typeof p !== "number" || !Number.isInteger(p) || p < 1) {
    fail(file, `inputs: expected a positive integer (the number of variables p), got ${JSON.stringify(p)}`);
  }
  let net;
  try {
    net = parseNetwork(obj);
  } catch (e) {
    if (e instanceof NetworkError) fail(file, e.message);
    throw e;
  }
  if (outputUnits(net) !== 1) {
    fail(
      file,
      `layers[${net.layers.length - 1}].weights: the last layer has ${outputUnits(net)} units; ` +
        "expected 1 (the logit)",
    );
  }
  const { x, n } = parsePoints(file, obj.points, p);
  return { net, x, n, p };
}

/**
 * Validates a list of points (rows of p finite numbers) read from `file`; returns them row-major.
 * Errors name `points[i]` (or `points`) in `file`.
 */
export function parsePoints(file: string, points: unknown, p: number): { x: Float64Array; n: number } {
  if (!Array.isArray(points) || points.length === 0) {
    fail(file, "points: expected a non-empty list of points (rows of p numbers)");
  }
  const n = points.length;
  const x = new Float64Array(n * p);
  points.forEach((row: unknown, i: number) => {
    if (!Array.isArray(row) || row.length !== p) {
      fail(
        file,
        `points[${i}]: expected ${p} numbers (one per input), got ${
          Array.isArray(row) ? row.length : JSON.stringify(row)
        }`,
      );
    }
    row.forEach((v: unknown, k: number) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        fail(file, `points[${i}][${k}]: expected a finite number, got ${JSON.stringify(v)}`);
      }
      x[i * p + k] = v;
    });
  });
  return { x, n };
}

/** True when `file` names an ONNX model, a tfjs model folder or a tfjs `model.json` (not a polylab file). */
function isImportedModel(file: string, json: () => unknown): boolean {
  if (file.toLowerCase().endsWith(".onnx")) return true;
  try {
    if (Deno.statSync(file).isDirectory) return true;
  } catch {
    return false; // readJsonFile reports the unreadable file
  }
  const value = json();
  return typeof value === "object" && value !== null && "modelTopology" in value;
}

/**
 * The classifier and its points: from a polylab FILE.json (the contract's fields; `--points`
 * replaces its points), or from an ONNX / tfjs model with the points from `--points` (a JSON list
 * of rows, or an object with "points").
 */
export function readClassifier(
  file: string,
  pointsFile: string | undefined,
): { net: Network; x: Float64Array; n: number; p: number } {
  let cached: unknown;
  const json = () => (cached ??= readJsonFile(file));
  if (!isImportedModel(file, json)) {
    const obj = json();
    const withPoints =
      pointsFile !== undefined && typeof obj === "object" && obj !== null && !Array.isArray(obj)
        ? { ...obj, points: pointsOf(pointsFile) }
        : obj;
    return readSymgradInput(file, withPoints);
  }
  if (pointsFile === undefined) {
    throw new UsageError(
      `${file}: a model file holds no points; pass --points FILE.json (the points where the classifier is unsure)`,
    );
  }
  const net = requireNetwork(loadModel(file), "poly symgrad");
  if (outputUnits(net) !== 1) {
    fail(file, `the model has ${outputUnits(net)} outputs; expected 1 (the logit)`);
  }
  const { x, n } = parsePoints(pointsFile, pointsOf(pointsFile), net.inputs);
  return { net, x, n, p: net.inputs };
}

/** The points of a `--points` file: a JSON list of rows, or an object's "points". */
function pointsOf(pointsFile: string): unknown {
  const value = readJsonFile(pointsFile);
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null && "points" in value) {
    return (value as { points: unknown }).points;
  }
  throw new UsageError(
    `${pointsFile}: expected a JSON list of points (rows of p numbers) or an object with "points"`,
  );
}

/** Parses the flags, runs the interpretation, returns the JSON object to print. */
export default async function symgradCommand(args: string[]): Promise<Record<string, unknown>> {
  // "--seed -1" reaches the value check (instead of reading "-1" as a flag)
  const joined = joinNegativeValues(args, [
    "--seed",
    "--seconds",
    "--max-complexity",
    "--workers",
    "--evaluations",
  ]);
  const { values, positionals } = parseFlags("poly symgrad", joined, {
    seed: { type: "string" },
    seconds: { type: "string" },
    "max-complexity": { type: "string" },
    workers: { type: "string" },
    weighting: { type: "string" },
    evaluations: { type: "string" },
    points: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { help: SYMGRAD_HELP };
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError("poly symgrad: missing FILE.json; see --help");
  if (extra.length > 0) throw new UsageError(`poly symgrad: unexpected argument "${extra[0]}"; see --help`);
  const seed = values.seed !== undefined ? parseInteger("--seed", values.seed) : 0;
  const maxComplexity = values["max-complexity"] !== undefined
    ? parseInteger("--max-complexity", values["max-complexity"], 5)
    : 30;
  const workers = values.workers !== undefined ? parseInteger("--workers", values.workers) : 2;
  const weighting = values.weighting ?? "sensitivity";
  if (weighting !== "sensitivity" && weighting !== "uniform") {
    throw new UsageError(`--weighting: expected sensitivity or uniform, got "${weighting}"`);
  }
  let seconds = 120;
  if (values.seconds !== undefined) {
    seconds = Number(values.seconds);
    if (!Number.isFinite(seconds) || seconds < 5) {
      throw new UsageError(`--seconds: expected a number of seconds ≥ 5, got "${values.seconds}"`);
    }
  }
  const evaluations = values.evaluations !== undefined
    ? parseInteger("--evaluations", values.evaluations, 1000)
    : Math.round(EVALUATIONS_PER_SECOND * seconds);
  const { net, x, n } = readClassifier(file, values.points);
  // time: the whole process must end within `seconds` (performance.now() counts from start-up)
  const end = seconds * 1000 - 1500; // outside start-up of the runtime and exit
  const polishReserve = Math.max(1500, 0.05 * seconds * 1000);
  let result;
  try {
    result = await interpretClassifier(net, x, n, {
      weighting: weighting as "sensitivity" | "uniform",
      search: { seed, maxComplexity },
      budget: {
        maxEvaluations: evaluations,
        ...CLASSIFIER_PATIENCE,
        deadline: end - polishReserve,
      },
      workers,
      polishDeadline: end - 300,
    });
  } catch (e) {
    if (/^points\[\d+\]: the logit's gradient/.test((e as Error).message)) fail(file, (e as Error).message);
    throw e;
  }
  return {
    front: result.front.map((e) => ({
      expression: e.expression,
      complexity: e.complexity,
      loss: e.loss,
      weighted_loss: e.weightedLoss,
      latex: e.latex,
      score: e.score,
      drop: e.drop,
    })),
    best: result.best,
    seconds: result.seconds,
    hall_of_fame: result.hallOfFame.map((e) => ({
      expression: e.expression,
      complexity: e.complexity,
      loss: e.loss,
      weighted_loss: e.weightedLoss,
    })),
    flagged_drops: result.flagged,
    choice:
      `lowest log(weighted_loss + ${PENALTY_DEFAULTS.noiseFloor}) + ${PENALTY_DEFAULTS.lambda} x complexity`,
    pysr_best: result.pysrBest,
    last_drop: result.lastDrop,
    weighting,
    iterations: result.iterations,
    evaluations: Math.round(result.evaluations),
    stopped: result.stopped,
    seed,
    workers,
  };
}
