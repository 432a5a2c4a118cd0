import assert from "node:assert/strict";
import { forward, parseNetwork } from "../network/network.ts";
import { bruteForceRegions } from "./brute.ts";
import { localAffine, plNetwork, preActivations } from "./net.ts";
import { enumerateRegions, type Region, RegionLimitError } from "./regions.ts";
import { loadReluFixtures, mulberry32, randomDyadicNetwork } from "./testing.ts";

const key = (pattern: ArrayLike<number>) => Array.from(pattern).join("");

/** Every region's point is interior with its pattern, and A, c are the pattern's affine map. */
function assertRegionsSound(net: ReturnType<typeof plNetwork>, regions: Region[], box?: [number, number]) {
  for (const r of regions) {
    const { z, y } = preActivations(net, r.point);
    // a unit may be identically 0 on a region (bit 0): then it is 0 at p + 1 affinely independent points
    const near = Array.from({ length: net.p }, (_, k) => {
      const x = Float64Array.from(r.point);
      x[k] += r.slack / (2 * net.p); // stays inside: every scaled row changes by < slack / 2
      return preActivations(net, x).z;
    });
    for (let u = 0; u < net.H; u++) {
      const deadUnit = z[u] === 0 && near.every((zk) => zk[u] === 0);
      assert.ok(
        (z[u] !== 0 || deadUnit) && (z[u] > 0 ? 1 : 0) === r.pattern[u],
        `pattern ${key(r.pattern)}: unit ${u} at point`,
      );
    }
    if (box) assert.ok(r.point.every((v) => v > box[0] && v < box[1]), "point outside the open box");
    const ref = localAffine(net, r.pattern);
    assert.deepEqual(Array.from(r.A), Array.from(ref.A));
    assert.deepEqual(Array.from(r.c), Array.from(ref.c));
    for (let k = 0; k < net.outputs; k++) {
      let v = r.c[k];
      for (let q = 0; q < net.p; q++) v += r.A[k * net.p + q] * r.point[q];
      assert.ok(Math.abs(v - y[k]) <= 1e-12 * Math.max(1, Math.abs(y[k])));
    }
    // every inequality holds strictly at the point
    for (const { plane, sign } of r.inequalities) {
      let v = plane.h;
      for (let q = 0; q < net.p; q++) v += plane.g[q] * r.point[q];
      assert.ok(sign * v > 0);
    }
  }
}

Deno.test("regions: one hidden layer in 1-D has one region per distinct kink plus one", () => {
  // units x, x − 1, −x + 2 (kinks at 0, 1, 2): 4 intervals
  const net = plNetwork(parseNetwork({
    layers: [
      { activation: "relu", weights: [[0, -1, 2], [1, 1, -1]] },
      { activation: "linear", weights: [[0], [1], [1], [1]] },
    ],
  }));
  const set = enumerateRegions(net);
  assert.deepEqual(set.regions.map((r) => key(r.pattern)).sort(), ["001", "101", "111", "110"].sort());
  assertRegionsSound(net, set.regions);
  // the middle interval (0, 1) is bounded by the kinks at 0 and 1 only
  const mid = set.regions.find((r) => key(r.pattern) === "101")!;
  assert.deepEqual(mid.inequalities.map((i) => i.plane.unit).sort(), [0, 1]);
  assert.ok(mid.point[0] > 0 && mid.point[0] < 1);
  // in the box (−1, 0.5) only two remain
  assert.equal(enumerateRegions(net, { box: [-1, 0.5] }).regions.length, 2);
});

Deno.test("regions: refinement equals the 2^H brute force on 30 random dyadic networks (ℝ^p and box)", () => {
  const rng = mulberry32(2024);
  for (let trial = 0; trial < 30; trial++) {
    const p = 1 + (trial % 4);
    const depth = 1 + Math.floor(rng() * 3);
    const widths = Array.from({ length: depth }, () => 2 + Math.floor(rng() * (depth === 1 ? 7 : 3)));
    const net = plNetwork(
      randomDyadicNetwork(rng, p, widths, 1 + (trial % 2), trial % 5 === 4 ? "leaky_relu" : "relu"),
    );
    for (const box of [undefined, [-1, 1] as [number, number]]) {
      const set = enumerateRegions(net, { box });
      const oracle = bruteForceRegions(net, { box });
      assert.deepEqual(
        set.regions.map((r) => key(r.pattern)).sort(),
        oracle.map((r) => key(r.pattern)).sort(),
        `trial ${trial} (p=${p}, widths ${widths}, box ${box})`,
      );
      assertRegionsSound(net, set.regions, box);
    }
  }
});

Deno.test("regions: the limit stops the enumeration with a RegionLimitError", () => {
  const net = plNetwork(randomDyadicNetwork(mulberry32(5), 2, [8, 8], 1));
  assert.throws(() => enumerateRegions(net, { maxRegions: 10 }), RegionLimitError);
  assert.throws(() => bruteForceRegions(net, { maxPatterns: 1000 }), RegionLimitError);
});

Deno.test("regions: fixture parity (pattern sets over ℝ^p and the box counts of ../shared/fixtures/relu)", (t) => {
  const fixtures = loadReluFixtures();
  if (!fixtures) return; // loadReluFixtures said why
  for (const fx of fixtures) {
    const net = plNetwork(parseNetwork(fx));
    const set = enumerateRegions(net);
    assert.deepEqual(
      set.regions.map((r) => key(r.pattern)).sort(),
      fx.regions.map((r) => key(r.pattern)).sort(),
      fx.name,
    );
    assertRegionsSound(net, set.regions);
    const inBox = enumerateRegions(net, { box: fx.box_for_count });
    assert.equal(inBox.regions.length, fx.region_count_box, `${fx.name} (box)`);
    assertRegionsSound(net, inBox.regions, fx.box_for_count);
  }
  void t;
});

Deno.test("regions: leaky_relu uses the layer's alpha (local maps equal the network value's forward pass)", () => {
  const json = {
    layers: [
      { activation: "leaky_relu", alpha: 0.3, weights: [[0.5, -1], [1, 2], [-1, 1]] },
      { activation: "leaky_relu", weights: [[0.25], [1], [-2]] },
      { activation: "linear", weights: [[0], [1.5]] },
    ],
  };
  const network = parseNetwork(json);
  const net = plNetwork(network);
  assert.equal(net.hidden[0].slope, 0.3);
  assert.equal(net.hidden[1].slope, 0.01);
  const set = enumerateRegions(net);
  assertRegionsSound(net, set.regions);
  for (const r of set.regions) {
    const y = forward(network, r.point, 1)[0];
    let v = r.c[0];
    for (let q = 0; q < 2; q++) v += r.A[q] * r.point[q];
    assert.ok(Math.abs(v - y) < 1e-12);
  }
  assert.throws(
    () => plNetwork(parseNetwork({ layers: [{ activation: "elu", weights: [[0], [1]] }, json.layers[2]] })),
    /hidden layers must be "relu" or "leaky_relu".*elu is curved/,
  );
  assert.throws(
    () =>
      plNetwork(
        parseNetwork({
          layers: [{ activation: "relu", weights: [[0], [1]] }, { activation: "tanh", weights: [[0], [1]] }],
        }),
      ),
    /layers\[1\]\.activation: the output layer must be "linear"/,
  );
});
