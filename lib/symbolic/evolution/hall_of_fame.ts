/**
 * The hall of fame (the best member per complexity over the whole search), its Pareto front, and
 * the choice of an interpretation on the front.
 *
 * Choice, two rules. "penalty" (the symbolic-gradient default): the entry minimising
 * log(loss + L0) + λ·complexity, L0 a loss floor below which a better fit is not evidence (the
 * network's own precision) and λ the price of a unit of complexity (./choice_rules.ts). "pysr-best"
 * (PySR's `model_selection="best"`): along the front, score_i = −Δlog(loss)/Δcomplexity against the
 * previous (simpler) entry (0 for the first); among entries with loss ≤ 1.5 × the front's lowest
 * loss, the highest score wins (the first on ties). Drops of the loss by ≥ 10× from one front entry
 * to the next are flagged: the paper reads the interpretation off such a drop (task B: 70×).
 *
 * @module
 */

import { flooredPenaltyRule } from "./choice_rules.ts";
import type { Member } from "./member.ts";

/** Best member per complexity. */
export class HallOfFame {
  readonly #best = new Map<number, Member>();

  /** Offers a member; kept when its loss is finite and strictly lower than the entry at its complexity. */
  offer(m: Member): boolean {
    if (!Number.isFinite(m.loss)) return false;
    const old = this.#best.get(m.complexity);
    if (old && !(m.loss < old.loss)) return false;
    this.#best.set(m.complexity, m);
    return true;
  }

  /** All entries by increasing complexity. */
  entries(): Member[] {
    return [...this.#best.values()].sort((a, b) => a.complexity - b.complexity);
  }

  /** The Pareto front: entries whose loss is below every simpler entry's, by increasing complexity. */
  front(): Member[] {
    return paretoFront(this.entries());
  }
}

/** Entries (any order) reduced to the Pareto front, by increasing complexity. */
export function paretoFront<T extends { complexity: number; loss: number }>(entries: T[]): T[] {
  const sorted = entries.filter((e) => Number.isFinite(e.loss)).sort((a, b) =>
    a.complexity - b.complexity || a.loss - b.loss
  );
  const out: T[] = [];
  for (const e of sorted) {
    if (out.length > 0 && out[out.length - 1].complexity === e.complexity) continue;
    // strictly better, beyond rounding: equivalent rewrites of one expression do not pile up
    if (out.length === 0 || e.loss < out[out.length - 1].loss * (1 - 1e-9)) out.push(e);
  }
  return out;
}

/** PySR's score of each front entry: −Δlog(loss)/Δcomplexity against the previous one (0 first). */
export function frontScores(front: readonly { complexity: number; loss: number }[]): number[] {
  return front.map((e, i) => {
    if (i === 0) return 0;
    const prev = front[i - 1];
    if (e.loss === 0) return prev.loss > 0 ? Infinity : 0;
    return -Math.log(e.loss / prev.loss) / (e.complexity - prev.complexity);
  });
}

/** The loss ratio of each front entry to the previous (simpler) one (1 for the first). */
export function frontDrops(front: readonly { loss: number }[]): number[] {
  return front.map((e, i) => (i === 0 ? 1 : front[i - 1].loss / e.loss));
}

/**
 * Index of PySR's "best" choice on a front (by increasing complexity): the highest score among
 * entries with loss ≤ factor × the lowest loss (factor 1.5).
 *
 * @example
 * ```ts
 * chooseBest([{ complexity: 3, loss: 0.1 }, { complexity: 11, loss: 1e-3 }, { complexity: 17, loss: 9e-4 }]); // 1
 * ```
 */
export function chooseBest(front: readonly { complexity: number; loss: number }[], factor = 1.5): number {
  if (front.length === 0) throw new Error("chooseBest: empty front");
  const scores = frontScores(front);
  const minLoss = Math.min(...front.map((e) => e.loss));
  let best = -1;
  for (let i = 0; i < front.length; i++) {
    if (!(front[i].loss <= factor * minLoss)) continue;
    if (best < 0 || scores[i] > scores[best]) best = i;
  }
  return best;
}

/** Settings of {@link chooseInterpretation}. */
export interface ChoiceOptions {
  /** The rule that chooses (default "pysr-best"). */
  rule?: ChoiceRuleName;
  /** λ of the "penalty" rule: log-loss paid per unit of complexity (default 0.1). */
  lambda?: number;
  /** L0 of the "penalty" rule: the loss floor (default 1e-3, in the gradient loss's units). */
  noiseFloor?: number;
  /** A drop of the loss by at least this factor from one entry to the next is flagged (default 10). */
  dropFactor?: number;
  /** PySR's window: candidates have loss ≤ window × the lowest (default 1.5). */
  window?: number;
  /** Losses below this count as equal to it (rounding noise of exact fits; default 0). */
  floor?: number;
}

/** The rules {@link chooseInterpretation} knows. */
export type ChoiceRuleName = "penalty" | "pysr-best";

/** The "penalty" rule's defaults, from the symgrad yardstick (README, "Symbolic gradients"). */
export const PENALTY_DEFAULTS = Object.freeze({ lambda: 0.1, noiseFloor: 1e-3 });

/** The choice on a front, with what led to it. */
export interface Choice {
  /** Index of the chosen entry. */
  best: number;
  /** PySR's "best" on the same front (equal to `best` under that rule). */
  pysrBest: number;
  /** Indices of entries that end a drop ≥ dropFactor. */
  flagged: number[];
  /**
   * The paper's reading: the most complex entry that ends a drop ≥ dropFactor (null when none);
   * reported beside the choice, not used for it.
   */
  lastDrop: number | null;
  /** The rule that chose. */
  rule: ChoiceRuleName;
}

/**
 * Chooses the interpretation on a front (by increasing complexity) by the rule asked (PySR's
 * "best" by default), and flags the drops of the loss by ≥ `dropFactor` (the paper reads its
 * interpretations off such drops: task B, 70×). Losses are floored (`floor`, rounding) before
 * comparing.
 *
 * @example
 * ```ts
 * chooseInterpretation([{ complexity: 3, loss: 0.1 }, { complexity: 12, loss: 4e-4 }, { complexity: 20, loss: 3e-4 }]);
 * // { best: 2, pysrBest: 2, flagged: [1], lastDrop: 1, rule: "pysr-best" }
 * ```
 */
export function chooseInterpretation(
  front: readonly { complexity: number; loss: number }[],
  options: ChoiceOptions = {},
): Choice {
  const floor = options.floor ?? 0;
  const curve = front.map((e) => ({ complexity: e.complexity, loss: Math.max(e.loss, floor) }));
  const drops = frontDrops(curve);
  const flagged = drops.flatMap((d, i) => (i > 0 && d >= (options.dropFactor ?? 10) ? [i] : []));
  const pysrBest = chooseBest(curve, options.window ?? 1.5);
  const rule = options.rule ?? "pysr-best";
  const best = rule === "penalty"
    ? flooredPenaltyRule(
      options.lambda ?? PENALTY_DEFAULTS.lambda,
      options.noiseFloor ?? PENALTY_DEFAULTS.noiseFloor,
    )(curve)
    : pysrBest;
  return {
    best,
    pysrBest,
    flagged,
    lastDrop: flagged.length > 0 ? flagged[flagged.length - 1] : null,
    rule,
  };
}
