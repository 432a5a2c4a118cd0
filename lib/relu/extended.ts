/**
 * Networks with extended-real weights (±∞), their evaluation and their JSON form.
 *
 * Semantics (the contract's): 0·(±∞) = 0; finite + (±∞) = ±∞; ReLU(+∞) = +∞, ReLU(−∞) = 0; a sum that
 * holds both +∞ and −∞ is undefined and raises an {@link ExtendedRealError} (never NaN). Weights are
 * stored sparsely by input row (row 0 is the bias), so layers with thousands of units stay small.
 *
 * JSON: the fixtures' layout, `{inputs, layers: [{activation, weights}]}`, where an entry of the dense
 * `weights` rows is a number or `"inf"` / `"-inf"`, or `weights` is sparse:
 * `{rows, cols, entries: [[i, j, v], …]}` (0-based, row 0 the bias, absent entries 0, no repeats).
 *
 * @module
 */

/** A sum held both +∞ and −∞, or a finite sum overflowed. */
export class ExtendedRealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExtendedRealError";
  }
}

/** A malformed extended-real network in JSON; `field` names the offending field. */
export class ExtNetworkError extends Error {
  /** The offending field, e.g. `layers[2].weights.entries[7]`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "ExtNetworkError";
    this.field = field;
  }
}

/** One dense layer with extended-real weights, stored as CSR over its `inputs + 1` rows. */
export interface ExtLayer {
  /** `relu` for hidden layers, `linear` for the output. */
  readonly activation: "relu" | "linear";
  /** Units of the previous layer. */
  readonly inputs: number;
  /** Units of this layer. */
  readonly units: number;
  /** Row r's entries are `cols/vals[rowPtr[r] .. rowPtr[r + 1])` (length inputs + 2). */
  readonly rowPtr: Int32Array;
  /** Column (unit) of each entry. */
  readonly cols: Int32Array;
  /** Value of each entry: finite, +Infinity or −Infinity (never 0 or NaN). */
  readonly vals: Float64Array;
}

/** A feed-forward network with extended-real weights. */
export interface ExtNetwork {
  /** Inputs p. */
  readonly inputs: number;
  /** Layers from input to output. */
  readonly layers: readonly ExtLayer[];
}

/** Collects the entries of one layer, then freezes them into CSR form. */
export class ExtLayerBuilder {
  private readonly rows: { col: number[]; val: number[] }[];
  /**
   * @param activation `relu` or `linear`
   * @param inputs units of the previous layer
   * @param units units of this layer
   */
  constructor(readonly activation: "relu" | "linear", readonly inputs: number, readonly units: number) {
    this.rows = Array.from({ length: inputs + 1 }, () => ({ col: [], val: [] }));
  }
  /** Sets entry (row, col) to v (row 0 = bias); zeros are skipped. Each entry may be set once. */
  set(row: number, col: number, v: number): void {
    if (v === 0) return;
    this.rows[row].col.push(col);
    this.rows[row].val.push(v);
  }
  /** The layer, entries of each row sorted by column. */
  build(): ExtLayer {
    const rowPtr = new Int32Array(this.inputs + 2);
    let nnz = 0;
    this.rows.forEach((r, i) => {
      nnz += r.col.length;
      rowPtr[i + 1] = nnz;
    });
    const cols = new Int32Array(nnz);
    const vals = new Float64Array(nnz);
    this.rows.forEach((r, i) => {
      const order = r.col.map((_, k) => k).sort((a, b) => r.col[a] - r.col[b]);
      order.forEach((k, q) => {
        cols[rowPtr[i] + q] = r.col[k];
        vals[rowPtr[i] + q] = r.val[k];
      });
    });
    return { activation: this.activation, inputs: this.inputs, units: this.units, rowPtr, cols, vals };
  }
}

/**
 * Evaluates an extended-real network at a batch of finite or infinite inputs (`x` row-major n × p)
 * in the semantics above; returns row-major n × outputs. Throws {@link ExtendedRealError} naming the
 * layer, unit and point where +∞ and −∞ meet.
 *
 * @example
 * ```ts
 * // ReLU(1 − ∞·ReLU(−x)): 1 for x ≥ 0, 0 for x < 0 (an exact step)
 * const y = evaluateExtended(step, new Float64Array([-1, 0, 2]), 3); // [0, 1, 1]
 * ```
 */
export function evaluateExtended(net: ExtNetwork, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * net.layers[net.layers.length - 1].units);
  const width = Math.max(net.inputs, ...net.layers.map((l) => l.units));
  let a = new Float64Array(width);
  let z = new Float64Array(width);
  const pos = new Int32Array(width);
  const neg = new Int32Array(width);
  const p = net.inputs;
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < p; k++) a[k] = x[s * p + k];
    for (let l = 0; l < net.layers.length; l++) {
      const { units, inputs, rowPtr, cols, vals, activation } = net.layers[l];
      z.fill(0, 0, units);
      pos.fill(0, 0, units);
      neg.fill(0, 0, units);
      for (let r = 0; r <= inputs; r++) {
        const v = r === 0 ? 1 : a[r - 1];
        if (v === 0) continue; // 0·w = 0, also for w = ±∞
        const vInf = v === Infinity || v === -Infinity;
        for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
          const w = vals[e];
          const j = cols[e];
          if (!vInf && w !== Infinity && w !== -Infinity) z[j] += v * w;
          else if ((v > 0) === (w > 0)) pos[j]++;
          else neg[j]++;
        }
      }
      for (let j = 0; j < units; j++) {
        let v: number;
        if (pos[j] > 0 && neg[j] > 0) {
          throw new ExtendedRealError(
            `+∞ and −∞ in one sum (layer ${l + 1}, unit ${j + 1}, point ${s + 1}): undefined`,
          );
        } else if (pos[j] > 0) v = Infinity;
        else if (neg[j] > 0) v = -Infinity;
        else {
          v = z[j];
          if (!Number.isFinite(v)) {
            throw new ExtendedRealError(
              `finite sum overflowed (layer ${l + 1}, unit ${j + 1}, point ${s + 1})`,
            );
          }
        }
        z[j] = activation === "relu" ? (v > 0 ? v : 0) : v;
      }
      const t = a;
      a = z;
      z = t;
    }
    const K = net.layers[net.layers.length - 1].units;
    for (let k = 0; k < K; k++) out[s * K + k] = a[k];
  }
  return out;
}

/** Size of an extended-real network. */
export interface ExtSize {
  /** Units of each hidden layer. */
  widths: number[];
  /** Σ (inputs + 1) × units: the parameters of the dense layout. */
  denseParameters: number;
  /** Non-zero weights and biases. */
  nonzeroParameters: number;
  /** Entries equal to ±∞. */
  infiniteParameters: number;
}

/** Widths and parameter counts of an extended-real network. */
export function extSize(net: ExtNetwork): ExtSize {
  return {
    widths: net.layers.slice(0, -1).map((l) => l.units),
    denseParameters: net.layers.reduce((s, l) => s + (l.inputs + 1) * l.units, 0),
    nonzeroParameters: net.layers.reduce((s, l) => s + l.vals.length, 0),
    infiniteParameters: net.layers.reduce((s, l) => s + l.vals.filter((v) => !Number.isFinite(v)).length, 0),
  };
}

/** A JSON entry: a number, or "inf" / "-inf". */
export type ExtEntry = number | "inf" | "-inf";

/** JSON form of one layer's weights: dense rows or the sparse triplet form. */
export type ExtWeightsJson = ExtEntry[][] | {
  rows: number;
  cols: number;
  entries: [number, number, ExtEntry][];
};

/** JSON form of an extended-real network. */
export interface ExtNetworkJson {
  /** Inputs p. */
  inputs: number;
  /** Layers. */
  layers: { activation: "relu" | "linear"; weights: ExtWeightsJson }[];
}

const toEntry = (v: number): ExtEntry => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : v);

/**
 * The JSON form. A layer is written sparsely when it has more than `sparseAbove` cells (default
 * 4096) and at most a quarter of them are non-zero; otherwise as dense rows.
 */
export function extNetworkToJson(net: ExtNetwork, options: { sparseAbove?: number } = {}): ExtNetworkJson {
  const sparseAbove = options.sparseAbove ?? 4096;
  return {
    inputs: net.inputs,
    layers: net.layers.map((l) => {
      const R = l.inputs + 1;
      const cells = R * l.units;
      if (cells > sparseAbove && l.vals.length * 4 <= cells) {
        const entries: [number, number, ExtEntry][] = [];
        for (let r = 0; r < R; r++) {
          for (let e = l.rowPtr[r]; e < l.rowPtr[r + 1]; e++) {
            entries.push([r, l.cols[e], toEntry(l.vals[e])]);
          }
        }
        return { activation: l.activation, weights: { rows: R, cols: l.units, entries } };
      }
      const rows: ExtEntry[][] = [];
      for (let r = 0; r < R; r++) {
        const row: ExtEntry[] = new Array(l.units).fill(0);
        for (let e = l.rowPtr[r]; e < l.rowPtr[r + 1]; e++) row[l.cols[e]] = toEntry(l.vals[e]);
        rows.push(row);
      }
      return { activation: l.activation, weights: rows };
    }),
  };
}

function parseEntry(v: unknown, field: string): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  throw new ExtNetworkError(field, `expected a finite number or "inf"/"-inf", got ${JSON.stringify(v)}`);
}

/**
 * Parses the JSON form (dense or sparse layers, "inf"/"-inf" entries), checking shapes, that
 * hidden layers are `relu` and the last `linear`. Throws {@link ExtNetworkError} naming the field.
 */
export function parseExtNetwork(json: unknown): ExtNetwork {
  if (typeof json !== "object" || json === null) {
    throw new ExtNetworkError("network", "expected a JSON object");
  }
  const obj = json as Record<string, unknown>;
  const p = obj.inputs;
  if (typeof p !== "number" || !Number.isInteger(p) || p < 1) {
    throw new ExtNetworkError("inputs", "expected a positive integer");
  }
  if (!Array.isArray(obj.layers) || obj.layers.length === 0) {
    throw new ExtNetworkError("layers", "expected a non-empty list of {activation, weights}");
  }
  let prev = p;
  const L = obj.layers.length;
  const layers = obj.layers.map((raw: unknown, l: number) => {
    const at = `layers[${l}]`;
    if (typeof raw !== "object" || raw === null) {
      throw new ExtNetworkError(at, "expected {activation, weights}");
    }
    const { activation, weights } = raw as Record<string, unknown>;
    const want = l === L - 1 ? "linear" : "relu";
    if (activation !== want) {
      throw new ExtNetworkError(`${at}.activation`, `expected "${want}", got ${JSON.stringify(activation)}`);
    }
    const R = prev + 1;
    let b: ExtLayerBuilder;
    if (Array.isArray(weights)) {
      if (weights.length !== R) {
        throw new ExtNetworkError(
          `${at}.weights`,
          `expected ${R} rows (previous layer's ${prev} units + bias row)`,
        );
      }
      const C = Array.isArray(weights[0]) ? weights[0].length : 0;
      if (C < 1) throw new ExtNetworkError(`${at}.weights`, "rows must be non-empty lists");
      b = new ExtLayerBuilder(want, prev, C);
      weights.forEach((row: unknown, r: number) => {
        if (!Array.isArray(row) || row.length !== C) {
          throw new ExtNetworkError(`${at}.weights[${r}]`, `expected ${C} entries like row 0`);
        }
        row.forEach((v, c) => b.set(r, c, parseEntry(v, `${at}.weights[${r}][${c}]`)));
      });
    } else if (typeof weights === "object" && weights !== null) {
      const { rows, cols, entries } = weights as Record<string, unknown>;
      if (rows !== R) {
        throw new ExtNetworkError(`${at}.weights.rows`, `expected ${R}, got ${JSON.stringify(rows)}`);
      }
      if (typeof cols !== "number" || !Number.isInteger(cols) || cols < 1) {
        throw new ExtNetworkError(`${at}.weights.cols`, "expected a positive integer");
      }
      if (!Array.isArray(entries)) {
        throw new ExtNetworkError(`${at}.weights.entries`, "expected a list of [i, j, v]");
      }
      b = new ExtLayerBuilder(want, prev, cols);
      const seen = new Set<number>();
      entries.forEach((e: unknown, q: number) => {
        const f = `${at}.weights.entries[${q}]`;
        if (!Array.isArray(e) || e.length !== 3 || !Number.isInteger(e[0]) || !Number.isInteger(e[1])) {
          throw new ExtNetworkError(f, "expected [row, col, value] with integer row and col");
        }
        const [i, j] = e as [number, number];
        if (i < 0 || i >= R || j < 0 || j >= cols) {
          throw new ExtNetworkError(f, `index [${i}, ${j}] out of range`);
        }
        if (seen.has(i * cols + j)) throw new ExtNetworkError(f, `entry [${i}, ${j}] repeated`);
        seen.add(i * cols + j);
        b.set(i, j, parseEntry(e[2], f));
      });
    } else {
      throw new ExtNetworkError(`${at}.weights`, "expected dense rows or {rows, cols, entries}");
    }
    prev = b.units;
    return b.build();
  });
  return { inputs: p, layers };
}
