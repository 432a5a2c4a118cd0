/**
 * Scores saved symgrad CLI outputs against the yardstick's concepts: every front entry is judged
 * the way ../shared/tools/check-symgrad judges the chosen one (gradient loss against the truth on
 * the held-out points ≤ max(3 × the truth's own, 2e-3), Spearman ρ ≥ 0.98), then every choice rule
 * of lib/symbolic/evolution/choice_rules.ts is applied to the front (on the search's weighted loss
 * and on the contract's unweighted loss) and its recoveries are counted.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inputGradients, parseNetwork } from "../../lib/network/network.ts";
import { CHOICE_RULES } from "../../lib/symbolic/evolution/choice_rules.ts";
import { sensitivityWeights } from "../../lib/symbolic/interpret.ts";
import { GradientLoss } from "../../lib/symbolic/loss/gradient_loss.ts";
import { CrossValidator, medianFolds } from "./cross_validation.ts";
import { accepted, compareToReference } from "../../lib/symbolic/judge.ts";
import { parseExpression } from "../../lib/symbolic/parse/parse.ts";
import { fromSympy } from "../../lib/symbolic/parse/sympy.ts";

interface Entry {
  expression: string;
  complexity: number;
  loss: number;
  weighted_loss?: number;
}

/** Pass/fail of every front entry of one output, and the CLI's own choice. */
export interface JudgedFront {
  concept: string;
  seed: string;
  front: Entry[];
  pass: boolean[];
  best: number;
  wall: number;
}

/** Judges every entry of a saved CLI output against the fixture's truth on its held-out points. */
export function judgeFront(
  fx: Record<string, unknown>,
  out: { front: Entry[]; best: number; wall?: number },
) {
  const p = fx.inputs as number;
  const testRows = fx.test_points as number[][];
  const test = Float64Array.from(testRows.flat());
  const truth = parseExpression(
    fromSympy(String(fx.truth)),
    p,
  );
  const pass = out.front.map((e) => {
    const a = compareToReference(parseExpression(e.expression, p), truth, test, testRows.length, p);
    return accepted(a, fx.truth_loss_test as number);
  });
  const [, seed, concept] = String(fx.name).match(/-(\d+)-([^-]+)$/) ?? ["", "?", String(fx.name)];
  return { concept, seed, front: out.front, pass, best: out.best, wall: out.wall ?? NaN };
}

/** A front variant of one output: its entries' complexities and losses, and their verdicts. */
interface Variant {
  points: { complexity: number; loss: number }[];
  pass: boolean[];
}

/** Pareto front (complexity up, loss strictly down) of entries by a loss accessor. */
function pareto<T extends { complexity: number }>(rows: T[], loss: (r: T) => number): T[] {
  const out: T[] = [];
  for (const r of [...rows].sort((a, b) => a.complexity - b.complexity)) {
    if (!Number.isFinite(loss(r))) continue;
    if (out.length === 0 || loss(r) < loss(out[out.length - 1]) * (1 - 1e-9)) out.push(r);
  }
  return out;
}

/** The front variants of one output (CLI front on both losses; hall-of-fame fronts; cross-validated). */
function variants(fx: Record<string, unknown>, res: Record<string, unknown>): Record<string, Variant> {
  const front = res.front as Entry[];
  const hof = (res.hall_of_fame as Entry[] | undefined) ?? front;
  const judged = judgeFront(fx, { front: hof, best: -1 });
  const p = fx.inputs as number;
  const n = (fx.points as number[][]).length;
  const x = Float64Array.from((fx.points as number[][]).flat());
  const net = parseNetwork(fx);
  const { gradient, value } = inputGradients(net, x, n);
  const cvOf = (weights?: Float64Array) => {
    const objective = new GradientLoss(x, gradient, n, p, weights);
    const cv = new CrossValidator(objective, medianFolds(x, n, p));
    return hof.map((e) => cv.loss(parseExpression(e.expression, p)));
  };
  const cvW = cvOf(sensitivityWeights(value));
  const cvU = cvOf();
  const rows = hof.map((e, i) => ({
    complexity: e.complexity,
    w: Math.max(e.weighted_loss ?? e.loss, 1e-15),
    u: Math.max(e.loss, 1e-15),
    cvW: Math.max(cvW[i], 1e-15),
    cvU: Math.max(cvU[i], 1e-15),
    pass: judged.pass[i],
    expression: e.expression,
  }));
  type Row = (typeof rows)[number];
  const make = (list: Row[], loss: (r: Row) => number): Variant => ({
    points: list.map((r) => ({ complexity: r.complexity, loss: loss(r) })),
    pass: list.map((r) => r.pass),
  });
  const onCli = new Set(front.map((e) => e.expression));
  const cli = rows.filter((r) => onCli.has(r.expression));
  return {
    "cli front, weighted": make(cli, (r) => r.w),
    "cli front, plain": make(cli, (r) => r.u),
    "weighted front": make(pareto(rows, (r) => r.w), (r) => r.w),
    "plain front": make(pareto(rows, (r) => r.u), (r) => r.u),
    "cv weighted front": make(pareto(rows, (r) => r.cvW), (r) => r.cvW),
    "cv plain front": make(pareto(rows, (r) => r.cvU), (r) => r.cvU),
  };
}

/** Recovery table (markdown) of every rule over the outputs in each folder of `outs`. */
export function scoreYardstick(dir: string, outs: string[], files: string[]): string {
  const lines: string[] = [];
  for (const out of outs) {
    const items: { concept: string; variants: Record<string, Variant>; cliPass: boolean; any: boolean }[] =
      [];
    for (const f of files) {
      if (!existsSync(join(out, f))) continue;
      const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
      const res = JSON.parse(readFileSync(join(out, f), "utf8"));
      const j = judgeFront(fx, res);
      const v = variants(fx, res);
      items.push({
        concept: j.concept,
        variants: v,
        cliPass: j.pass[j.best],
        any: Object.values(v).some((x) => x.pass.some(Boolean)),
      });
    }
    if (items.length === 0) continue;
    const concepts = [...new Set(items.map((j) => j.concept))];
    const row = (label: string, pick: (j: (typeof items)[number]) => boolean) => {
      let total = 0;
      const cells = concepts.map((c) => {
        const js = items.filter((j) => j.concept === c);
        total += js.filter(pick).length;
        return js.map((j) => (pick(j) ? "✓" : "·")).join("");
      });
      return { text: `| ${label} | ${cells.join(" | ")} | ${total}/${items.length} |`, total };
    };
    lines.push(`### ${out}`, "");
    lines.push(`| rule | ${concepts.join(" | ")} | recovered |`);
    lines.push(`| --- | ${concepts.map(() => ":-:").join(" | ")} | --: |`);
    lines.push(row("hall of fame holds a passing entry", (j) => j.any).text);
    lines.push(row("CLI's choice", (j) => j.cliPass).text);
    const ranked: { text: string; total: number }[] = [];
    for (const vname of Object.keys(items[0].variants)) {
      for (const [name, rule] of Object.entries(CHOICE_RULES)) {
        ranked.push(row(`${name} on ${vname}`, (j) => {
          const v = j.variants[vname];
          return v.points.length > 0 && v.pass[rule(v.points)];
        }));
      }
    }
    ranked.sort((a, b) => b.total - a.total);
    for (const r of ranked) lines.push(r.text);
    lines.push("");
  }
  return lines.join("\n");
}

/** Every hall-of-fame entry of every output with its verdict (for reading fronts by eye). */
export function showFronts(dir: string, out: string, files: string[]): string {
  const lines: string[] = [];
  for (const f of files) {
    if (!existsSync(join(out, f))) continue;
    const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
    const res = JSON.parse(readFileSync(join(out, f), "utf8"));
    const all: Entry[] = res.hall_of_fame ?? res.front;
    const j = judgeFront(fx, { front: all, best: -1 });
    const onFront = new Set(res.front.map((e: Entry) => e.expression));
    const chosen = res.front[res.best].expression;
    lines.push(
      `${fx.name}: truth ${fx.truth}, truth_loss ${fx.truth_loss.toExponential(2)}, ρ(net) ${
        fx.net_spearman_test.toFixed(3)
      }`,
    );
    all.forEach((e, i) => {
      const mark = e.expression === chosen ? "*" : onFront.has(e.expression) ? "F" : " ";
      lines.push(
        `  ${mark} c${e.complexity} L ${e.loss.toExponential(2)} W ${
          (e.weighted_loss ?? e.loss).toExponential(2)
        } ${j.pass[i] ? "PASS" : "    "} ${e.expression}`,
      );
    });
  }
  return lines.join("\n");
}

/**
 * Recoveries per rule (rows) and output folder (columns) on the networks every folder has, each
 * rule applied to the Pareto front of the search's (weighted) loss over the hall of fame; then per
 * concept for the last folder under the engine's rule.
 */
export function summarize(dir: string, outs: string[], files: string[], rules: string[]): string {
  const common = files.filter((f) => outs.every((o) => existsSync(join(o, f))));
  const fronts = outs.map((out) =>
    common.map((f) => {
      const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
      const res = JSON.parse(readFileSync(join(out, f), "utf8"));
      const hof: Entry[] = res.hall_of_fame ?? res.front;
      const j = judgeFront(fx, { front: hof, best: -1 });
      const rows = hof.map((e, i) => ({
        complexity: e.complexity,
        loss: Math.max(e.weighted_loss ?? e.loss, 1e-15),
        pass: j.pass[i],
      }));
      const front = pareto(rows, (r) => r.loss);
      const cli = judgeFront(fx, res);
      return { concept: j.concept, front, any: rows.some((r) => r.pass), cli: cli.pass[cli.best] };
    })
  );
  const lines = [
    `${common.length} networks`,
    "",
    `| rule | ${outs.map((o) => o.split("/").pop()).join(" | ")} |`,
    `| --- | ${outs.map(() => "--:").join(" | ")} |`,
  ];
  const count = (pick: (x: (typeof fronts)[number][number]) => boolean) =>
    fronts.map((list) => `${list.filter(pick).length}/${list.length}`).join(" | ");
  lines.push(`| hall of fame holds a passing entry | ${count((x) => x.any)} |`);
  lines.push(`| the CLI's own choice | ${count((x) => x.cli)} |`);
  for (const name of rules) {
    const rule = CHOICE_RULES[name];
    if (!rule) throw new Error(`no rule ${name}`);
    lines.push(`| ${name} | ${count((x) => x.front[rule(x.front)].pass)} |`);
  }
  return lines.join("\n");
}
