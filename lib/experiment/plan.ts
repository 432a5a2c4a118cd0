/**
 * From an experiment module's config to a validated plan of cells: `--full` overrides, `--set`
 * overrides, grid expansion (cartesian, in declaration order) and per-cell derived seeds.
 * Every cell config is validated before any work starts.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { deriveSeed } from "../data/random.ts";
import { UsageError } from "../errors.ts";
import { type Experiment, type ExperimentInput, experimentSchema, formatIssue } from "./schema.ts";
import { comparisonNamed, extraNamed, registeredNames } from "./registry.ts";
import { loadDataset } from "../io/dataset.ts";
import { checkMethods } from "./method_registry.ts";

/** One unit of work: a grid point and a repetition. */
export interface Cell {
  /** Position in the plan (0-based). */
  index: number;
  /** Stable id, e.g. `g03-r01`. */
  id: string;
  /** Grid point index. */
  gridIndex: number;
  /** Repetition index. */
  repetition: number;
  /** The grid values of this cell, by path. */
  params: Record<string, unknown>;
  /** The full config of this cell (grid values applied). */
  config: Experiment;
  /** Derived seeds of each random stream. */
  seeds: { data: number; split: number; init: number; shuffle: number };
}

/** A resolved experiment with its cells. */
export interface Plan {
  /** The resolved config (grid not applied). */
  config: Experiment;
  /** Grid paths in order. */
  gridPaths: string[];
  /** All cells, grid-major then repetition. */
  cells: Cell[];
}

/** Deep copy of plain JSON-like data. */
function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Sets `obj[path]` for a dotted path (`train.epochs`, `model.hidden.0`), creating objects. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  if (keys.some((k) => k === "")) throw new UsageError(`--set ${path}: empty segment in the path`);
  let node: Record<string, unknown> = obj;
  keys.slice(0, -1).forEach((k, i) => {
    const next = node[k];
    if (next === undefined) node[k] = {};
    else if (typeof next !== "object" || next === null) {
      throw new UsageError(
        `${keys.slice(0, i + 1).join(".")}: is a ${typeof next}, cannot set ${path} inside it`,
      );
    }
    node = node[k] as Record<string, unknown>;
  });
  node[keys[keys.length - 1]] = value;
}

/** Deep-merges plain objects (arrays and scalars replace). */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = clone(base);
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object" && !Array.isArray(b)) {
      out[k] = deepMerge(b as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      out[k] = clone(v);
    }
  }
  return out;
}

/** Parses `path=value` of `--set`; the value is JSON when it parses, else a string. */
export function parseSet(expr: string): [string, unknown] {
  const eq = expr.indexOf("=");
  if (eq <= 0) throw new UsageError(`--set ${expr}: expected path=value, e.g. --set train.epochs=100`);
  const path = expr.slice(0, eq).trim();
  const raw = expr.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a bare string such as tanh
  }
  return [path, value];
}

/** Options that shape the plan. */
export interface PlanOptions {
  /** Apply the config's `full` overrides (the paper protocol). */
  full?: boolean;
  /** `--set` expressions in order. */
  sets?: string[];
  /** Master seed override. */
  seed?: number;
}

/** Validates a config object, turning the first problem into a one-line {@link UsageError}. */
export function validateExperiment(raw: unknown, where = ""): Experiment {
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${where}${formatIssue(parsed.error)}`);
  return parsed.data;
}

/** Most cells one run plans (a plan is held in memory, with four derived seeds per cell). */
export const MAX_CELLS = 1_000_000;

/** Resolves the config and expands the grid into validated cells. */
export function planExperiment(input: ExperimentInput, options: PlanOptions = {}): Plan {
  let raw = clone(input) as Record<string, unknown>;
  if (options.full) {
    if (!raw.full) throw new UsageError(`--full: experiment "${raw.name}" defines no full protocol`);
    raw = deepMerge(raw, raw.full as Record<string, unknown>);
  }
  for (const expr of options.sets ?? []) {
    const [path, value] = parseSet(expr);
    setPath(raw, path, value);
  }
  if (options.seed !== undefined) raw.seed = options.seed;
  const config = validateExperiment(raw);
  const unknown = config.outputs.extras.find((name) => !extraNamed(name));
  if (unknown !== undefined) {
    throw new UsageError(
      `outputs.extras: unknown "${unknown}"; known: ${registeredNames().extras.join(", ") || "none"}`,
    );
  }
  if (config.outputs.paper !== undefined && !comparisonNamed(config.outputs.paper)) {
    throw new UsageError(
      `outputs.paper: unknown "${config.outputs.paper}"; known: ${
        registeredNames().comparisons.join(", ") || "none"
      }`,
    );
  }
  const gridPaths = Object.keys(config.grid);
  for (const path of gridPaths) {
    if (path.startsWith("grid") || path === "repetitions" || path === "seed" || path.startsWith("full")) {
      throw new UsageError(`grid.${path}: cannot sweep over ${path}; sweep data/model/train/methods paths`);
    }
  }
  const pointCount = gridPaths.reduce((n, path) => n * config.grid[path].length, 1);
  if (pointCount * config.repetitions > MAX_CELLS) {
    throw new UsageError(
      `repetitions: ${pointCount} grid points × ${config.repetitions} repetitions = ` +
        `${pointCount * config.repetitions} cells, above polylab's limit of ${MAX_CELLS} per run; ` +
        `lower repetitions or split the grid into several experiments`,
    );
  }
  const points: Record<string, unknown>[] = [{}];
  for (const path of gridPaths) {
    const next: Record<string, unknown>[] = [];
    for (const point of points) for (const v of config.grid[path]) next.push({ ...point, [path]: v });
    points.splice(0, points.length, ...next);
  }
  const cells: Cell[] = [];
  points.forEach((params, g) => {
    const cellRaw = clone(raw);
    for (const [path, v] of Object.entries(params)) {
      if (!hasPath(raw, path) && !schemaAllows(raw, path, v)) {
        throw new UsageError(`grid.${path}: no such config field; use a path such as model.layers`);
      }
      setPath(cellRaw, path, v);
    }
    const prefix = gridPaths.length ? `grid point ${describe(params)}: ` : "";
    const cellConfig = validateExperiment(cellRaw, prefix);
    checkDataset(cellConfig, prefix);
    checkMethods(cellConfig, prefix); // each method's cross-field checks (activations, sizes), before any work
    const key = gridKey(params);
    for (let r = 0; r < config.repetitions; r++) {
      cells.push({
        index: cells.length,
        id: `g${String(g).padStart(3, "0")}-r${String(r).padStart(2, "0")}`,
        gridIndex: g,
        repetition: r,
        params,
        config: cellConfig,
        seeds: {
          // data and split depend on the repetition only: every architecture sees the same data sets
          data: deriveSeed(config.seed, "data", r),
          split: deriveSeed(config.seed, "split", r),
          init: deriveSeed(config.seed, "init", key, r),
          shuffle: deriveSeed(config.seed, "shuffle", key, r),
        },
      });
    }
  });
  return { config, gridPaths, cells };
}

/**
 * For real data (`data.dataset`): reads the file now, so that a missing file, a bad column, or a
 * `p`/`n`/`classes` that does not match the file stops the run before any work (one-line error).
 */
function checkDataset(config: Experiment, prefix: string): void {
  const spec = config.data.dataset;
  if (!spec) return;
  let data;
  try {
    data = loadDataset(spec, config.data.task);
  } catch (e) {
    throw new UsageError(prefix + (e as Error).message);
  }
  const p = data.columns.length;
  if (config.data.p !== p) {
    throw new UsageError(
      `${prefix}data.p: the dataset has ${p} predictor columns (${data.columns.join(", ")}); set p: ${p}`,
    );
  }
  if (config.data.n !== data.n) {
    throw new UsageError(`${prefix}data.n: the dataset has ${data.n} rows; set n: ${data.n}`);
  }
  const k = data.classes?.length;
  if (k !== undefined && config.data.classes !== undefined && config.data.classes !== k) {
    throw new UsageError(
      `${prefix}data.classes: the target "${spec.target}" has ${k} classes (${
        data.classes!.join(", ")
      }); set classes: ${k}`,
    );
  }
}

function hasPath(obj: Record<string, unknown>, path: string): boolean {
  let node: unknown = obj;
  for (const k of path.split(".")) {
    if (typeof node !== "object" || node === null || !(k in node)) return false;
    node = (node as Record<string, unknown>)[k];
  }
  return true;
}

/** A path absent from the raw config may still be a valid optional/defaulted field. */
function schemaAllows(raw: Record<string, unknown>, path: string, value: unknown): boolean {
  const probe = clone(raw);
  setPath(probe, path, value);
  const r = experimentSchema.safeParse(probe);
  return r.success || !r.error.issues.some((i) => i.code === "unrecognized_keys");
}

/** Canonical key of a grid point (for seeds): stable across runs and key order. */
export function gridKey(params: Record<string, unknown>): string {
  return Object.keys(params).sort().map((k) => `${k}=${JSON.stringify(params[k])}`).join(";");
}

/** Short human form of a grid point, e.g. `model.layers=3 model.width=50`. */
export function describe(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([k, v]) =>
    `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
  );
  return parts.length ? parts.join(" ") : "(single cell)";
}

/** A short hash of the resolved config, for run ids and the manifest. */
export function configHash(config: Experiment): string {
  return createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 10);
}

/**
 * The leaf paths where two resolved configs differ, as `path (a → b)`, in key order; for the
 * one-line refusal of a `--resume` or a merge into a folder made by another config.
 */
export function configDifferences(before: unknown, after: unknown, path = ""): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => configDifferences(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const show = (v: unknown) => {
    const text = v === undefined ? "unset" : JSON.stringify(v);
    return text.length > 40 ? `${text.slice(0, 37)}…` : text;
  };
  return [`${path || "(config)"} (${show(before)} → ${show(after)})`];
}
