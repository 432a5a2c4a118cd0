/**
 * Loader for the shared Taylor fixtures (`../shared/fixtures/taylor/*.json`, see its README) and the
 * HOPE paper's reference values, plus label helpers used to compare polynomials term by term.
 *
 * @module
 */

import { type Network, parseNetwork } from "../network/network.ts";

/** The shared fixtures folder of Taylor expansions, relative to this file. */
export const TAYLOR_FIXTURE_DIR: URL = new URL("../../../shared/fixtures/taylor/", import.meta.url);

/** The HOPE paper reference values, relative to this file. */
export const HOPE_REFERENCE_FILE: URL = new URL(
  "../../../shared/reference/hope-paper/reference_values.json",
  import.meta.url,
);

/** One parsed Taylor fixture. */
export interface TaylorFixture {
  /** File stem, e.g. `taylor-101-001`. */
  readonly name: string;
  /** The network. */
  readonly net: Network;
  /** Expansion point. */
  readonly x0: Float64Array;
  /** Highest total degree K. */
  readonly order: number;
  /** Monomials as sorted 1-based indices; `[]` is the constant. */
  readonly labels: number[][];
  /** Exact coefficients, one array per output unit. */
  readonly coefficients: Float64Array[];
  /** What HOPE's rule gives, one array per output unit (absent in bench fixtures). */
  readonly hopeCoefficients?: Float64Array[];
  /** Seconds the reference implementation took. */
  readonly referenceSeconds?: number;
}

/** Key of a label for maps: indices sorted and joined, `""` for the constant. */
export function labelKey(label: readonly number[]): string {
  return [...label].sort((a, b) => a - b).join(",");
}

/** Parses a fixture's JSON text; throws an Error naming the malformed field. */
export function parseTaylorFixture(json: unknown, name = "fixture"): TaylorFixture {
  if (typeof json !== "object" || json === null) throw new Error(`${name}: expected a JSON object`);
  const o = json as Record<string, unknown>;
  const net = parseNetwork(o);
  const x0 = numberList(o.x0, `${name}.x0`);
  if (x0.length !== net.inputs) throw new Error(`${name}.x0: needs ${net.inputs} entries, one per input`);
  const order = o.order;
  if (typeof order !== "number" || !Number.isInteger(order) || order < 0) {
    throw new Error(`${name}.order: expected a non-negative integer`);
  }
  if (!Array.isArray(o.labels)) throw new Error(`${name}.labels: expected a list of index lists`);
  const labels = o.labels.map((l, i) => Array.from(numberList(l, `${name}.labels[${i}]`)));
  const perOutput = (v: unknown, field: string): Float64Array[] => {
    if (!Array.isArray(v)) throw new Error(`${name}.${field}: expected one list per output unit`);
    return v.map((c, i) => {
      const a = numberList(c, `${name}.${field}[${i}]`);
      if (a.length !== labels.length) {
        throw new Error(`${name}.${field}[${i}]: has ${a.length} values for ${labels.length} labels`);
      }
      return a;
    });
  };
  return {
    name,
    net,
    x0,
    order,
    labels,
    coefficients: perOutput(o.coefficients, "coefficients"),
    hopeCoefficients: o.hope_coefficients === undefined
      ? undefined
      : perOutput(o.hope_coefficients, "hope_coefficients"),
    referenceSeconds: typeof o.reference_seconds === "number" ? o.reference_seconds : undefined,
  };
}

/**
 * Reads every `*.json` fixture of a folder, sorted by name; returns `null` when the folder is absent.
 */
export async function loadTaylorFixtures(dir: URL = TAYLOR_FIXTURE_DIR): Promise<TaylorFixture[] | null> {
  let names: string[];
  try {
    names = [];
    for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  names.sort();
  const out: TaylorFixture[] = [];
  for (const n of names) {
    const text = await Deno.readTextFile(new URL(n, dir));
    out.push(parseTaylorFixture(JSON.parse(text), n.replace(/\.json$/, "")));
  }
  return out;
}

/** One HOPE paper reference case (T1–T4) converted to a network. */
export interface HopeReferenceCase {
  /** Case key, e.g. `T2_1d_2hidden_tanh`. */
  readonly name: string;
  /** The network (PyTorch `W` (out × in) and `b` converted to the bias-first layout). */
  readonly net: Network;
  /** Expansion point. */
  readonly x0: Float64Array;
  /** Highest order. */
  readonly order: number;
  /** Network value at x0. */
  readonly y0: number;
  /** HOPE derivative arrays by order k: all p^k ordered index tuples, row-major. */
  readonly hope: Map<number, Float64Array>;
  /** Exact derivative arrays by order k. */
  readonly exact: Map<number, Float64Array>;
}

/** Loads the T* cases of `reference_values.json`; `null` when the file is absent. */
export async function loadHopeReference(
  file: URL = HOPE_REFERENCE_FILE,
): Promise<HopeReferenceCase[] | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  const all = JSON.parse(text) as Record<string, Record<string, unknown>>;
  return Object.keys(all).filter((k) => /^T\d/.test(k)).map((name) => {
    const c = all[name];
    const layers = (c.layers as { W: number[][]; b: number[]; act: string }[]).map((l) => {
      const rows: number[][] = [l.b.slice()];
      const inputs = l.W[0].length;
      for (let i = 0; i < inputs; i++) rows.push(l.W.map((r) => r[i]));
      return { activation: l.act === "identity" ? "linear" : l.act, weights: rows };
    });
    const toMap = (o: Record<string, number[]>) =>
      new Map(Object.entries(o).map(([k, v]) => [Number(k), Float64Array.from(v)]));
    return {
      name,
      net: parseNetwork({ layers }),
      x0: numberList(c.x0, `${name}.x0`),
      order: c.order as number,
      y0: c.y0 as number,
      hope: toMap(c.hope as Record<string, number[]>),
      exact: toMap(c.exact as Record<string, number[]>),
    };
  });
}

function numberList(v: unknown, field: string): Float64Array {
  if (!Array.isArray(v)) throw new Error(`${field}: expected a list of numbers`);
  const a = new Float64Array(v.length);
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new Error(`${field}[${i}]: expected a finite number, got ${JSON.stringify(x)}`);
    }
    a[i] = x;
  });
  return a;
}
