/**
 * Elementwise subgraphs of imported models, read as activations. Exporters write some activations
 * as several nodes: SiLU as `Mul(x, Sigmoid(x))`, GELU as `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`
 * or its tanh approximation `0.5·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))`. Such a subgraph is a
 * function of one tensor x; it is kept here in a canonical form — a sum of terms `coef · Π atoms`
 * with atoms `x` or `g(inner)` (g a unary op, inner canonical too), like terms merged — so operand
 * order and association do not matter, and is then matched against the known activations.
 * Anything else is not recognised (the caller refuses the model naming the nodes).
 *
 * @example
 * ```ts
 * const x = canonX();
 * const silu = canonMul(x, canonFn("sigmoid", x));
 * recogniseActivations(silu); // [{ activation: "silu" }]
 * ```
 *
 * @module
 */

import type { ActivationName } from "../series/activations.ts";

/** A unary elementwise function an atom may apply: the activations plus `erf`. */
export type UnaryName = ActivationName | "erf";

/** A factor of a term: the variable x, or a unary function of a canonical form. */
export type Atom =
  | { readonly kind: "x"; readonly key: string }
  | {
    readonly kind: "fn";
    readonly name: UnaryName;
    readonly alpha?: number;
    readonly arg: Canon;
    readonly key: string;
  };

/** One term `coef · Π atoms` (atoms sorted by key; none for a constant). */
export interface Term {
  /** The term's coefficient. */
  readonly coef: number;
  /** Its factors, sorted by key. */
  readonly atoms: readonly Atom[];
}

/** A canonical form: terms sorted by their atoms' keys, like terms merged, zero terms dropped. */
export type Canon = readonly Term[];

/** An activation recognised in a subgraph, with its α for leaky_relu / elu. */
export interface RecognisedActivation {
  /** polylab's name. */
  readonly activation: ActivationName;
  /** α of leaky_relu / elu. */
  readonly alpha?: number;
}

/** An elementwise affine step u ↦ scale·u + shift (e.g. `x / 255`, or Softplus's β). */
export interface ScaleStep {
  /** Discriminant. */
  readonly kind: "scale";
  /** Factor (non-zero). */
  readonly scale: number;
  /** Offset. */
  readonly shift: number;
}

/** One step of an elementwise chain: an activation or an elementwise affine map. */
export type ElementwiseStep = RecognisedActivation | ScaleStep;

/** Largest number of terms a canonical form may reach before it is refused. */
export const MAX_CANON_TERMS = 256;

const X_ATOM: Atom = { kind: "x", key: "x" };

function termKey(t: Term): string {
  return t.atoms.map((a) => a.key).join("*");
}

/** A printable key of a canonical form (equal forms have equal keys). */
export function canonKey(c: Canon): string {
  return c.map((t) => `${t.coef}${t.atoms.length ? "*" + termKey(t) : ""}`).join("+") || "0";
}

function normalise(terms: Term[]): Canon {
  const merged = new Map<string, { coef: number; atoms: readonly Atom[] }>();
  for (const t of terms) {
    const k = termKey(t);
    const prev = merged.get(k);
    if (prev) prev.coef += t.coef;
    else merged.set(k, { coef: t.coef, atoms: t.atoms });
  }
  const out = [...merged.entries()].filter(([, t]) => t.coef !== 0).sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
  ).map(([, t]) => t);
  if (out.length > MAX_CANON_TERMS) throw new RangeError(`more than ${MAX_CANON_TERMS} terms`);
  return out;
}

/** The variable x. */
export function canonX(): Canon {
  return [{ coef: 1, atoms: [X_ATOM] }];
}

/** A constant. */
export function canonConst(value: number): Canon {
  return normalise([{ coef: value, atoms: [] }]);
}

/** g(arg) for a unary function g (α for leaky_relu / elu). */
export function canonFn(name: UnaryName, arg: Canon, alpha?: number): Canon {
  const key = `${name}${alpha === undefined ? "" : "@" + alpha}(${canonKey(arg)})`;
  const atom: Atom = alpha === undefined
    ? { kind: "fn", name, arg, key }
    : { kind: "fn", name, alpha, arg, key };
  return [{ coef: 1, atoms: [atom] }];
}

/** a + b. */
export function canonAdd(a: Canon, b: Canon): Canon {
  return normalise([...a, ...b]);
}

/** a · b (distributed). */
export function canonMul(a: Canon, b: Canon): Canon {
  const terms: Term[] = [];
  for (const s of a) {
    for (const t of b) {
      const atoms = [...s.atoms, ...t.atoms].sort((u, v) => (u.key < v.key ? -1 : u.key > v.key ? 1 : 0));
      terms.push({ coef: s.coef * t.coef, atoms });
    }
  }
  return normalise(terms);
}

/** a^n for a non-negative integer n. */
export function canonPow(a: Canon, n: number): Canon {
  let out = canonConst(1);
  for (let k = 0; k < n; k++) out = canonMul(out, a);
  return out;
}

/** The value of a constant form, or undefined when it depends on x. */
export function canonConstantValue(c: Canon): number | undefined {
  if (c.length === 0) return 0;
  return c.length === 1 && c[0].atoms.length === 0 ? c[0].coef : undefined;
}

const SIMPLE: readonly ActivationName[] = [
  "tanh",
  "sigmoid",
  "softplus",
  "sin",
  "cos",
  "exp",
  "relu",
  "leaky_relu",
  "elu",
  "silu",
  "gelu",
  "gelu_tanh",
];

function near(value: number, target: number, rel = 1e-6): boolean {
  return Math.abs(value - target) <= rel * Math.abs(target);
}

/** The single atom of a form `1 · atom`, or undefined. */
function soleAtom(c: Canon): Atom | undefined {
  return c.length === 1 && c[0].coef === 1 && c[0].atoms.length === 1 ? c[0].atoms[0] : undefined;
}

/** The steps that produce atom `a` from x (none for x itself), or null. */
function chainOf(a: Atom): ElementwiseStep[] | null {
  return a.kind === "x" ? [] : recogniseActivations([{ coef: 1, atoms: [a] }]);
}

/** Matches `coef·a` (one term, one atom) and returns the atom when coef matches. */
function scaled(c: Canon, coef: number): Atom | undefined {
  return c.length === 1 && c[0].atoms.length === 1 && near(c[0].coef, coef) ? c[0].atoms[0] : undefined;
}

/**
 * Reads a canonical form as a chain of steps applied to x (first applied first): `[]` for x itself,
 * `[tanh]` for tanh(x), `[sigmoid, tanh]` for tanh(sigmoid(x)), the multi-node forms of silu, gelu
 * (erf; the divisor may be float32 √2) and gelu_tanh, and elementwise affine maps a·u + b between
 * them (`x / 255`; Softplus with β is `softplus(β·x)/β`). Null when it is none of these.
 */
export function recogniseActivations(c: Canon): ElementwiseStep[] | null {
  const single = soleAtom(c);
  if (single?.kind === "x") return [];
  if (single?.kind === "fn" && (SIMPLE as readonly string[]).includes(single.name)) {
    const inner = recogniseActivations(single.arg);
    if (!inner) return null;
    const act = single.name as ActivationName;
    return [
      ...inner,
      single.alpha === undefined ? { activation: act } : { activation: act, alpha: single.alpha },
    ];
  }
  // silu: 1 · a · sigmoid(a)
  if (c.length === 1 && c[0].coef === 1 && c[0].atoms.length === 2) {
    const [u, v] = c[0].atoms;
    for (const [a, s] of [[u, v], [v, u]]) {
      if (s.kind === "fn" && s.name === "sigmoid" && soleAtom(s.arg)?.key === a.key) {
        const inner = chainOf(a);
        return inner && [...inner, { activation: "silu" }];
      }
    }
  }
  // gelu: 0.5·a + 0.5·a·erf(a/√2);  gelu_tanh: 0.5·a + 0.5·a·tanh(β(a + κa³))
  if (c.length === 2 && near(c[0].coef, 0.5, 0) && near(c[1].coef, 0.5, 0)) {
    const [lin, prod] = c[0].atoms.length === 1 ? [c[0], c[1]] : [c[1], c[0]];
    if (lin.atoms.length === 1 && prod.atoms.length === 2) {
      const a = lin.atoms[0];
      const g = prod.atoms.find((t) => t.key !== a.key) ?? prod.atoms[1];
      const other = prod.atoms[0] === g ? prod.atoms[1] : prod.atoms[0];
      if (other.key === a.key && g.kind === "fn") {
        if (g.name === "erf" && scaled(g.arg, Math.SQRT1_2)?.key === a.key) {
          const inner = chainOf(a);
          return inner && [...inner, { activation: "gelu" }];
        }
        if (g.name === "tanh" && isGeluTanhInner(g.arg, a)) {
          const inner = chainOf(a);
          return inner && [...inner, { activation: "gelu_tanh" }];
        }
      }
    }
  }
  // a · u + b with u one atom: an elementwise affine step after u's chain
  const varying = c.filter((t) => t.atoms.length > 0);
  const shift = c.find((t) => t.atoms.length === 0)?.coef ?? 0;
  if (varying.length === 1 && varying[0].atoms.length === 1 && (varying[0].coef !== 1 || shift !== 0)) {
    const inner = chainOf(varying[0].atoms[0]);
    return inner && [...inner, { kind: "scale", scale: varying[0].coef, shift }];
  }
  return null;
}

/** β·a + β·κ·a³ with β = √(2/π), κ = 0.044715 (float32 roundings accepted). */
function isGeluTanhInner(c: Canon, a: Atom): boolean {
  if (c.length !== 2) return false;
  const lin = c.find((t) => t.atoms.length === 1 && t.atoms[0].key === a.key);
  const cube = c.find((t) => t.atoms.length === 3 && t.atoms.every((u) => u.key === a.key));
  if (!lin || !cube) return false;
  const beta = Math.sqrt(2 / Math.PI);
  return near(lin.coef, beta) && near(cube.coef / lin.coef, 0.044715);
}
