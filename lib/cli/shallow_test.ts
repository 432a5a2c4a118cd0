import assert from "node:assert/strict";
import { parseNetwork } from "../network/network.ts";
import { evaluateExtended, parseExtNetwork } from "../relu/extended.ts";
import { localAffine, plNetwork, preActivations } from "../relu/net.ts";
import { loadReluFixtures, type ReluFixture } from "../relu/testing.ts";
import { UsageError } from "./errors.ts";
import { polyCommand } from "./poly.ts";

interface CliRegion {
  pattern: number[];
  point: number[];
  A: number[][];
  c: number[];
}

async function writeTemp(obj: unknown, raw?: string): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(path, raw ?? JSON.stringify(obj));
  return path;
}

/** The contract's checks of one CLI output against a fixture (regions and exactness). */
function checkOutput(fx: ReluFixture, out: Record<string, unknown>, box?: [number, number]) {
  const net = plNetwork(parseNetwork(fx));
  const regions = out.regions as CliRegion[];
  const patterns = regions.map((r) => r.pattern.join(""));
  assert.equal(new Set(patterns).size, patterns.length, "duplicate patterns");
  if (box) assert.equal(regions.length, fx.region_count_box, `${fx.name}: box count`);
  else assert.deepEqual(patterns.sort(), fx.regions.map((r) => r.pattern.join("")).sort(), fx.name);
  for (const r of regions) {
    const { z } = preActivations(net, r.point);
    z.forEach((v, u) =>
      assert.ok(v !== 0 && (v > 0 ? 1 : 0) === r.pattern[u], `${fx.name}: point of ${r.pattern}`)
    );
    if (box) assert.ok(r.point.every((v) => v > box[0] && v < box[1]));
    const { A, c } = localAffine(net, r.pattern);
    r.A.forEach((row, k) =>
      row.forEach((v, q) => assert.ok(Math.abs(v - A[k * net.p + q]) <= 1e-9 * Math.max(1, Math.abs(v))))
    );
    r.c.forEach((v, k) => assert.ok(Math.abs(v - c[k]) <= 1e-9 * Math.max(1, Math.abs(v))));
  }
  // the shallow network, read back from its JSON text, at every kind of test point
  const sh = parseExtNetwork(JSON.parse(JSON.stringify(out.shallow)));
  assert.ok(sh.layers.length <= 4);
  const sets: [number[][], number[][]][] = [
    [fx.x, fx.nn_pred],
    [fx.x_boundary, fx.nn_pred_boundary],
    [fx.x_near, fx.nn_pred_near],
    [fx.x_far, fx.nn_pred_far],
    [regions.map((r) => r.point), regions.map((r) => Array.from(preActivations(net, r.point).y))],
  ];
  for (const [X0, Y0] of sets) {
    const keep = X0.map((x) => !box || x.every((v) => v >= box[0] && v <= box[1]));
    const X = X0.filter((_, i) => keep[i]);
    const Y = Y0.filter((_, i) => keep[i]);
    if (X.length === 0) continue;
    const got = evaluateExtended(sh, Float64Array.from(X.flat()), X.length);
    Y.forEach((row, i) =>
      row.forEach((y, k) => {
        const e = Math.abs(got[i * row.length + k] - y) / Math.max(1, Math.abs(y));
        assert.ok(e <= 1e-9, `${fx.name}: shallow wrong at ${X[i]} (${got[i * row.length + k]} vs ${y})`);
      })
    );
  }
}

Deno.test("poly shallow: the contract on every ../shared/fixtures/relu network, over ℝ^p and with --box=-1,1", async () => {
  const fixtures = loadReluFixtures();
  if (!fixtures) return; // loadReluFixtures said why
  for (const fx of fixtures) {
    const path = await writeTemp({ inputs: fx.inputs, layers: fx.layers });
    try {
      const out = await polyCommand(["shallow", path]);
      assert.ok(typeof out.seconds === "number" && out.seconds > 0);
      checkOutput(fx, out);
      checkOutput(fx, await polyCommand(["shallow", path, "--box=-1,1"]), [-1, 1]);
    } finally {
      await Deno.remove(path);
    }
  }
});

Deno.test("poly shallow: box from the file or as two arguments, and the flag wins", async () => {
  const net = {
    inputs: 1,
    layers: [
      { activation: "relu", weights: [[0, -1, 2], [1, 1, -1]] },
      { activation: "linear", weights: [[0], [1], [1], [1]] },
    ],
  };
  const path = await writeTemp({ ...net, box: [0.5, 3] });
  try {
    assert.equal((await polyCommand(["shallow", path])).region_count, 3);
    assert.equal((await polyCommand(["shallow", path, "--box", "-1,0.5"])).region_count, 2);
    assert.equal((await polyCommand(["shallow", path, "--box=-5,5"])).region_count, 4);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("poly shallow: bad input is a one-line UsageError naming the field", async () => {
  const good = {
    inputs: 2,
    layers: [
      { activation: "relu", weights: [[0, 1], [1, -1], [0.5, 2]] },
      { activation: "linear", weights: [[0], [1], [1]] },
    ],
  };
  const cases: [string, unknown, string[], RegExp][] = [
    [
      "tanh hidden",
      { ...good, layers: [{ ...good.layers[0], activation: "tanh" }, good.layers[1]] },
      [],
      /layers\[0\]\.activation/,
    ],
    [
      "relu output",
      { ...good, layers: [good.layers[0], { ...good.layers[1], activation: "relu" }] },
      [],
      /layers\[1\]\.activation/,
    ],
    [
      "inf weight",
      { ...good, layers: [{ ...good.layers[0], weights: [[0, 1], [1, "inf"], [0.5, 2]] }, good.layers[1]] },
      [],
      /layers\[0\]\.weights\[1\]\[1\]/,
    ],
    [
      "row count",
      { ...good, layers: [{ ...good.layers[0], weights: [[0, 1], [1, -1]] }, good.layers[1]] },
      [],
      /layers\[0\]\.weights: has 2 rows but must have 3/,
    ],
    ["box reversed", good, ["--box=1,-1"], /--box/],
    ["box one number", good, ["--box=1"], /--box/],
    ["box words", good, ["--box=a,b"], /--box/],
    ["box in file", { ...good, box: [0, "x"] }, [], /box/],
    [
      "region limit below the first layer's regions (refused before work)",
      good,
      ["--max-regions", "2"],
      /^--max-regions: 2 is below the 4 activation regions over ℝ\^2 that the first hidden layer alone creates; raise --max-regions above 4 or give --box$/,
    ],
    [
      "region limit in a box",
      good,
      ["--box=-1,1", "--max-regions", "1"],
      /^--max-regions: more than 1 activation regions meeting the box \(-1, 1\)\^2 \(reached at hidden unit 1 of 2\); raise the limit or shrink the box \(e\.g\./,
    ],
    ["layers flag", good, ["--layers", "4"], /--layers/],
  ];
  for (const [what, obj, flags, pattern] of cases) {
    const path = await writeTemp(obj);
    try {
      await assert.rejects(() => polyCommand(["shallow", path, ...flags]), (e: Error) => {
        assert.ok(e instanceof UsageError, `${what}: ${e}`);
        assert.match(e.message, pattern, what);
        assert.ok(!e.message.includes("\n"), `${what}: more than one line`);
        return true;
      });
    } finally {
      await Deno.remove(path);
    }
  }
  const broken = await writeTemp(undefined, '{"inputs": 2, "layers": [');
  await assert.rejects(() => polyCommand(["shallow", broken]), /not valid JSON/);
  await Deno.remove(broken);
  await assert.rejects(() => polyCommand(["shallow"]), /missing FILE\.json/);
});
