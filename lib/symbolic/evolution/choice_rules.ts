/**
 * Rules that choose one entry of a Pareto front (by increasing complexity, loss decreasing), as
 * candidates for the interpretation: PySR's, the paper's last large drop, the simplest entry
 * within a factor of the lowest loss, a penalty per unit of complexity on the log loss, knees.
 * The yardstick (tools/symgrad_yardstick/main.ts) tabulates how often each recovers a known concept.
 *
 * @module
 */

/** A front entry as the rules see it. */
export interface FrontPoint {
  /** Complexity. */
  complexity: number;
  /** Loss (> 0; callers floor exact zeros). */
  loss: number;
}

/** A rule: the index of the chosen entry of a non-empty front. */
export type ChoiceRule = (front: readonly FrontPoint[]) => number;

/** −Δlog(loss)/Δcomplexity of each entry against the previous one (0 for the first). */
function scores(front: readonly FrontPoint[]): number[] {
  return front.map((e, i) =>
    i === 0 ? 0 : -Math.log(e.loss / front[i - 1].loss) / (e.complexity - front[i - 1].complexity)
  );
}

/** PySR's "best": the highest score among entries with loss ≤ window × the lowest. */
export function pysrRule(window = 1.5): ChoiceRule {
  return (front) => {
    const s = scores(front);
    const min = Math.min(...front.map((e) => e.loss));
    let best = -1;
    for (let i = 0; i < front.length; i++) {
      if (front[i].loss <= window * min && (best < 0 || s[i] > s[best])) best = i;
    }
    return best;
  };
}

/** The entry that ends the last drop of the loss by ≥ factor (else the first entry). */
export function lastDropRule(factor = 10): ChoiceRule {
  return (front) => {
    let at = 0;
    for (let i = 1; i < front.length; i++) if (front[i - 1].loss / front[i].loss >= factor) at = i;
    return at;
  };
}

/** The simplest entry whose loss is ≤ factor × the lowest. */
export function simplestWithinRule(factor: number): ChoiceRule {
  return (front) => {
    const min = Math.min(...front.map((e) => e.loss));
    return front.findIndex((e) => e.loss <= factor * min);
  };
}

/** The simplest entry whose loss is ≤ the lowest + delta. */
export function simplestWithinAbsoluteRule(delta: number): ChoiceRule {
  return (front) => {
    const min = Math.min(...front.map((e) => e.loss));
    return front.findIndex((e) => e.loss <= min + delta);
  };
}

/**
 * The entry minimising log(loss) + λ·complexity: each unit of complexity must buy a relative
 * decrease of the loss by more than a factor e^λ (first entry on ties).
 */
export function penaltyRule(lambda: number): ChoiceRule {
  return (front) => {
    let best = 0;
    for (let i = 1; i < front.length; i++) {
      const v = Math.log(front[i].loss) + lambda * front[i].complexity;
      if (v < Math.log(front[best].loss) + lambda * front[best].complexity) best = i;
    }
    return best;
  };
}

/**
 * The entry minimising log(loss + floor) + λ·complexity: as {@link penaltyRule} for losses well
 * above `floor`, while differences of loss well below it (below the network's own precision) buy
 * nothing.
 */
export function flooredPenaltyRule(lambda: number, floor: number): ChoiceRule {
  return (front) => {
    const value = (e: FrontPoint) => Math.log(e.loss + floor) + lambda * e.complexity;
    let best = 0;
    for (let i = 1; i < front.length; i++) if (value(front[i]) < value(front[best])) best = i;
    return best;
  };
}

/**
 * The knee: the entry where the slope of log(loss) against complexity changes most, i.e. the
 * highest (mean slope from the first entry to it) − (mean slope from it to the last), slopes as
 * decreases of log(loss) per unit of complexity.
 */
export function kneeRule(): ChoiceRule {
  return (front) => {
    const n = front.length;
    if (n < 3) return n - 1;
    const first = front[0];
    const last = front[n - 1];
    let best = n - 1;
    let bestGap = -Infinity;
    for (let i = 1; i < n - 1; i++) {
      const e = front[i];
      const before = Math.log(first.loss / e.loss) / (e.complexity - first.complexity);
      const after = Math.log(e.loss / last.loss) / (last.complexity - e.complexity);
      if (before - after > bestGap) {
        bestGap = before - after;
        best = i;
      }
    }
    return best;
  };
}

/** The named rules the yardstick compares. */
export const CHOICE_RULES: Readonly<Record<string, ChoiceRule>> = Object.freeze({
  "pysr-1.5": pysrRule(1.5),
  "pysr-all": pysrRule(Infinity),
  "last-drop-10": lastDropRule(10),
  "last-drop-5": lastDropRule(5),
  "within-x2": simplestWithinRule(2),
  "within-x3": simplestWithinRule(3),
  "within-x5": simplestWithinRule(5),
  "within+5e-4": simplestWithinAbsoluteRule(5e-4),
  "within+1e-3": simplestWithinAbsoluteRule(1e-3),
  "within+2e-3": simplestWithinAbsoluteRule(2e-3),
  "within+4e-3": simplestWithinAbsoluteRule(4e-3),
  "penalty-0.1": penaltyRule(0.1),
  "penalty-0.15": penaltyRule(0.15),
  "penalty-0.2": penaltyRule(0.2),
  "penalty-0.3": penaltyRule(0.3),
  "penalty-0.4": penaltyRule(0.4),
  "knee": kneeRule(),
  ...Object.fromEntries(
    [3e-4, 1e-3, 3e-3].flatMap((floor) =>
      [0.05, 0.08, 0.1, 0.15, 0.2].map((l) => [`floored-${l}+${floor}`, flooredPenaltyRule(l, floor)])
    ),
  ),
});
