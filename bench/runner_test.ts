import assert from "node:assert/strict";
import { type CaseRun, executePlan, finiteFacts, planRuns, type ResolvedCase } from "./runner.ts";
import { defineSuite } from "./suite.ts";

Deno.test("plan: every case gets N samples and W warm-ups per side, in ABBA/BAAB blocks, seeded", () => {
  const plan = planRuns(3, { samples: 10, warmup: 1, paired: true, seed: 5 });
  assert.equal(plan.length, 3 * 2 * 11);
  for (let c = 0; c < 3; c++) {
    for (const side of ["head", "baseline"]) {
      const mine = plan.filter((s) => s.caseIndex === c && s.side === side);
      assert.equal(mine.filter((s) => s.warmup).length, 1);
      assert.equal(mine.filter((s) => !s.warmup).length, 10);
    }
  }
  assert.ok(plan.slice(0, 6).every((s) => s.warmup)); // warm-ups come first
  const measured = plan.filter((s) => !s.warmup);
  const blocks = new Set<string>();
  for (let i = 0; i < measured.length; i += 4) {
    const b = measured.slice(i, i + 4);
    assert.ok(b.every((s) => s.caseIndex === b[0].caseIndex));
    const pattern = b.map((s) => (s.side === "head" ? "B" : "A")).join("");
    assert.ok(pattern === "ABBA" || pattern === "BAAB", pattern);
    blocks.add(pattern);
  }
  assert.equal(blocks.size, 2); // the coin gives both orders
  assert.deepEqual(planRuns(3, { samples: 10, warmup: 1, paired: true, seed: 5 }), plan);
  assert.notDeepEqual(planRuns(3, { samples: 10, warmup: 1, paired: true, seed: 6 }), plan);
  const odd = planRuns(1, { samples: 3, warmup: 0, paired: true, seed: 1 });
  assert.equal(odd.filter((s) => s.side === "head").length, 3);
  const single = planRuns(2, { samples: 5, warmup: 2, paired: false, seed: 1 });
  assert.equal(single.length, 14);
  assert.ok(single.every((s) => s.side === "head"));
});

Deno.test("execute: samples per side, warm-ups apart, a failure stops that side, facts from HEAD", async () => {
  const suite = defineSuite({ name: "s", description: "test", cases: () => [] });
  const mk = (id: string): ResolvedCase => ({
    suite,
    version: "v",
    case: { id, script: "main.ts", args: [], inspect: (json) => ({ terms: Number(json.terms) }) },
  });
  const cases = [mk("s/ok"), mk("s/bad")];
  const calls: string[] = [];
  let t = 0;
  const run = (rc: ResolvedCase, side: string): Promise<CaseRun> => {
    calls.push(`${rc.case.id}:${side}`);
    t += 1;
    if (rc.case.id === "s/bad" && side === "baseline") {
      return Promise.resolve({ ok: false, wallSeconds: 0.1, error: "exit 2: nope" });
    }
    return Promise.resolve({
      ok: true,
      value: t,
      wallSeconds: t + 0.5,
      json: { terms: 7 },
      peakRssMiB: 10 * t,
    });
  };
  const steps = planRuns(2, { samples: 4, warmup: 1, paired: true, seed: 2 });
  const lines: string[] = [];
  const out = await executePlan(cases, steps, true, run, (l) => lines.push(l));
  assert.equal(out[0].head.samples.length, 4);
  assert.equal(out[0].baseline!.samples.length, 4);
  assert.equal(out[0].head.warmup.length, 1);
  assert.deepEqual(out[0].facts, { terms: 7 });
  assert.equal(out[1].baseline!.samples.length, 0);
  assert.equal(out[1].baseline!.error, "exit 2: nope");
  assert.equal(calls.filter((c) => c === "s/bad:baseline").length, 1); // not retried
  assert.equal(out[1].head.samples.length, 4);
  assert.equal(lines.length, calls.length);
  assert.ok(lines.some((l) => /s\/bad baseline \(warm-up\): FAILED exit 2: nope/.test(l)));
  // a stop request ends the loop
  let n = 0;
  const stopped = await executePlan(cases, steps, true, run, () => {}, () => ++n > 3);
  assert.equal(
    stopped[0].head.samples.length + stopped[1].head.samples.length + stopped[0].baseline!.samples.length,
    0,
  );
});

Deno.test("facts: non-finite numbers become null so the history line validates", () => {
  assert.deepEqual(finiteFacts({ a: NaN, b: Infinity, c: 1, d: "x", e: [1, 2] }), {
    a: null,
    b: null,
    c: 1,
    d: "x",
    e: [1, 2],
  });
});
