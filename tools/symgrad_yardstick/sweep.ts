/**
 * Sweeps the parameters of the penalty rules over saved yardstick outputs: for each (floor, λ) the
 * number of networks whose chosen entry recovers the concept, on the weighted or plain front of the
 * hall of fame. Prints a grid (rows floor, columns λ).
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { flooredPenaltyRule } from "../../lib/symbolic/evolution/choice_rules.ts";
import { judgeFront } from "./score.ts";

const [dir, out, kind = "weighted", only = ""] = Deno.args;
const keep = only ? new Set(only.split(",")) : null;
type Row = { complexity: number; w: number; u: number; pass: boolean };
const nets: { name: string; rows: Row[] }[] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  if (!existsSync(join(out, f))) continue;
  const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
  if (keep && !keep.has(String(fx.name).split("-").pop()!)) continue;
  const res = JSON.parse(readFileSync(join(out, f), "utf8"));
  const hof = res.hall_of_fame ?? res.front;
  const j = judgeFront(fx, { front: hof, best: -1 });
  nets.push({
    name: fx.name,
    rows: hof.map((e: { complexity: number; loss: number; weighted_loss?: number }, i: number) => ({
      complexity: e.complexity,
      w: Math.max(e.weighted_loss ?? e.loss, 1e-15),
      u: Math.max(e.loss, 1e-15),
      pass: j.pass[i],
    })),
  });
}
const loss = (r: Row) => (kind === "weighted" ? r.w : r.u);
const front = (rows: Row[]) => {
  const outRows: Row[] = [];
  for (const r of rows) {
    if (outRows.length === 0 || loss(r) < loss(outRows[outRows.length - 1]) * (1 - 1e-9)) outRows.push(r);
  }
  return outRows;
};
const lambdas = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
const floors = [0, 1e-4, 3e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3];
console.log(`${nets.length} networks, ${kind} front; rows: floor, columns: λ`);
console.log("floor   " + lambdas.map((l) => String(l).padStart(5)).join(""));
for (const floor of floors) {
  const cells = lambdas.map((l) => {
    const rule = flooredPenaltyRule(l, floor);
    let ok = 0;
    for (const n of nets) {
      const fr = front(n.rows);
      if (fr[rule(fr.map((r) => ({ complexity: r.complexity, loss: loss(r) })))].pass) ok++;
    }
    return String(ok).padStart(5);
  });
  console.log(floor.toExponential(0).padEnd(8) + cells.join(""));
}
const misses = (floor: number, l: number) =>
  nets.filter((n) => {
    const fr = front(n.rows);
    return !fr[flooredPenaltyRule(l, floor)(fr.map((r) => ({ complexity: r.complexity, loss: loss(r) })))]
      .pass;
  }).map((n) => n.name.replace("yardstick-", ""));
if (Deno.env.get("MISSES")) {
  const [f, l] = Deno.env.get("MISSES")!.split(",").map(Number);
  console.log(`misses at floor ${f}, λ ${l}: ${misses(f, l).join(" ")}`);
}
console.log(
  `hall of fame holds a passing entry: ${
    nets.filter((n) => n.rows.some((r) => r.pass)).length
  }/${nets.length}`,
);
