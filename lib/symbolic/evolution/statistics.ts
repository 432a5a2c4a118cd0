/**
 * Running frequencies of complexities across all populations (SymbolicRegression.jl's adaptive
 * parsimony): complexities that are common are penalised in tournaments and mutations towards
 * them are accepted less often, which spreads the search over the whole size range.
 *
 * @module
 */

/** Frequencies over complexities 1..maxComplexity, windowed. */
export class ComplexityFrequencies {
  /** Raw counts (index = complexity). */
  readonly counts: Float64Array;
  /** Window: when the counts sum beyond it they are scaled down (old history fades). */
  readonly window: number;

  /** Starts with count 1 at every complexity. */
  constructor(maxComplexity: number, window = 100_000) {
    this.counts = new Float64Array(maxComplexity + 1).fill(1);
    this.counts[0] = 0;
    this.window = window;
  }

  /** Counts one member of complexity `size` (ignored beyond the range). */
  add(size: number): void {
    if (size >= 1 && size < this.counts.length) this.counts[size] += 1;
  }

  /** Scales the counts down to the window. */
  moveWindow(): void {
    let total = 0;
    for (let i = 1; i < this.counts.length; i++) total += this.counts[i];
    if (total <= this.window) return;
    const f = this.window / total;
    for (let i = 1; i < this.counts.length; i++) this.counts[i] *= f;
  }

  /** Normalised frequencies (sum 1), index = complexity. */
  normalized(): Float64Array {
    let total = 0;
    for (let i = 1; i < this.counts.length; i++) total += this.counts[i];
    return this.counts.map((c, i) => (i === 0 ? 0 : c / total));
  }
}

/** Frequency of complexity `size` in normalised frequencies (1e-6 outside the range, as SymbolicRegression.jl). */
export function frequencyOf(freq: Float64Array, size: number): number {
  return size >= 1 && size < freq.length ? freq[size] : 1e-6;
}
