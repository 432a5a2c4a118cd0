import assert from "node:assert/strict";
import { Rng } from "../lib/data/random.ts";
import type { CaseRecord, RunRecord } from "./history.ts";
import { caseSeries, detectStep, trendFlags, trendSpec } from "./trends.ts";
import { renderSvg } from "../lib/report/figures.ts";

/** n values 1 × (1 + uniform noise in ±a), from a seeded generator. */
const flat = (rng: Rng, n: number, a: number) => Array.from({ length: n }, () => 1 + rng.uniform(-a, a));

Deno.test("detector, no change: bounded noise below the factor never fires (expected count 0)", () => {
  // uniform ±2 %: the level is ≤ 1.02 and every rolling max ≥ 0.98, and 1.02/0.98 = 1.0408 < 1.05
  let fired = 0;
  for (let seed = 0; seed < 500; seed++) if (detectStep(flat(new Rng(seed), 40, 0.02))) fired++;
  assert.equal(fired, 0);
});

Deno.test("detector, no change: with f = 1 one check fires with probability 1/C(6,3) = 1/20", () => {
  // 6 iid runs, w = 3: fires iff the last 3 are the 3 largest, 1 ordering in 20 (any continuous noise)
  const seeds = 4000;
  let fired = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const rng = new Rng(seed);
    const v = Array.from({ length: 6 }, () => Math.exp(0.3 * rng.normal()));
    if (detectStep(v, { window: 3, factor: 1 })) fired++;
  }
  const expected = seeds / 20;
  const sd = Math.sqrt(seeds * 0.05 * 0.95); // binomial
  assert.ok(Math.abs(fired - expected) < 4 * sd, `fired ${fired}, expected ${expected} ± ${sd.toFixed(1)}`);
});

Deno.test("detector: a +20 % step at run s is flagged when its third run is in, starting at s", () => {
  for (let seed = 0; seed < 50; seed++) {
    const rng = new Rng(seed);
    const s = 6 + (seed % 10);
    const v = flat(rng, 30, 0.02).map((x, i) => (i >= s ? 1.2 * x : x));
    const flag = detectStep(v);
    assert.ok(flag, `seed ${seed}`);
    assert.equal(flag.start, s);
    assert.equal(flag.index, s + 2);
  }
});

Deno.test("detector: a single 2× spike is not confirmed; an improvement passes", () => {
  for (let seed = 0; seed < 50; seed++) {
    const rng = new Rng(seed);
    const v = flat(rng, 30, 0.02);
    v[10 + (seed % 15)] *= 2;
    assert.equal(detectStep(v), null, `spike, seed ${seed}`);
    const better = flat(new Rng(seed), 30, 0.02).map((x, i) => (i >= 12 ? 0.8 * x : x));
    assert.equal(detectStep(better), null, `improvement, seed ${seed}`);
  }
});

Deno.test("detector: a slow drift of +1 % per run is caught before it reaches +12 %", () => {
  for (let seed = 0; seed < 50; seed++) {
    const rng = new Rng(seed);
    const v = flat(rng, 40, 0.005).map((x, i) => x * 1.01 ** i);
    const flag = detectStep(v);
    assert.ok(flag, `seed ${seed}`);
    assert.ok(1.01 ** flag.index < 1.12, `flagged late at run ${flag.index}`);
    // each step of 1 % stays far below the factor: a run-to-run comparison would never see it
    assert.ok(v.slice(1).every((x, i) => x / v[i] < 1.05));
  }
});

function run(i: number, fingerprint: string, median: number, extra: Partial<CaseRecord> = {}): RunRecord {
  return {
    schema: 1,
    time: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    finished: new Date(Date.UTC(2026, 0, 1 + i, 1)).toISOString(),
    trigger: "schedule",
    commit: `c${i}`,
    dirty: false,
    baseline_ref: null,
    baseline_commit: null,
    baseline_mode: null,
    machine: { fingerprint, cpu: "cpu", cores: 2, memory_gib: 24, os: "linux", arch: "x86_64" },
    runtime: { deno: "2.9.6", v8: "15", typescript: "6" },
    lockfile_sha256: null,
    load_average: { start: [0.1, 0.1, 0.1], end: null },
    settings: { samples: 3, warmup: 1, seed: 1, timeout_seconds: 300, only: null, anchors: false },
    cases: [{
      id: "s/a",
      suite: "s",
      version: "v1",
      metric: "seconds",
      head: { samples: [median * 0.99, median, median * 1.01], wall_seconds: [], warmup: [] },
      ...extra,
    }],
    skipped: [],
    anchors: [],
  };
}

Deno.test("trends: a machine switch with a 30 % shift starts a new segment and is not flagged", () => {
  const rng = new Rng(5);
  const runs = [
    ...flat(rng, 10, 0.02).map((v, i) => run(i, "machineA", v)),
    ...flat(rng, 10, 0.02).map((v, i) => run(10 + i, "machineB", 1.3 * v)),
  ];
  const points = caseSeries(runs, "s/a");
  assert.deepEqual([...new Set(points.map((p) => p.segment))], [1, 2]);
  assert.equal(points[10].segment, 2);
  assert.deepEqual(trendFlags("s/a", points), []);
  // the same values as one segment would be flagged: the split is what keeps it quiet
  assert.ok(detectStep(points.map((p) => p.median!)));
  // a runtime or case-version change also splits
  const bumped = runs.map((r, i) => (i === 15 ? { ...r, runtime: { ...r.runtime, deno: "3.0.0" } } : r));
  assert.equal(caseSeries(bumped, "s/a")[15].segment, 3);
});

Deno.test("trends: a step within a machine's segment is flagged with history run numbers", () => {
  const rng = new Rng(9);
  const runs = flat(rng, 16, 0.02).map((v, i) => run(i, "m", i >= 9 ? 1.2 * v : v));
  const flags = trendFlags("s/a", caseSeries(runs, "s/a"));
  assert.equal(flags.length, 1);
  assert.deepEqual([flags[0].series, flags[0].startRun, flags[0].confirmedRun], ["time", 10, 12]);
});

Deno.test("trends: the ratio series is segmented by baseline commit and rendered with both panels", async () => {
  const runs = [0, 1, 2].map((i) => {
    const r = run(i, "m", 1, {
      comparison: {
        ratio: 1.02,
        ci_low: 0.95,
        ci_high: 1.1,
        p: 0.5,
        p_holm: 1,
        test: "exact",
        threshold: 0.1,
        mark: "not significant",
      },
    });
    return { ...r, baseline_commit: i < 2 ? "b1" : "b2" };
  });
  const points = caseSeries(runs, "s/a");
  assert.deepEqual(points.map((p) => p.ratioSegment), [1, 1, 2]);
  const svg = await renderSvg(trendSpec("s/a", points, 0.1));
  assert.match(svg, /median\(HEAD\) \/ median\(baseline\)/);
  assert.match(svg, /HEAD median seconds/);
});
