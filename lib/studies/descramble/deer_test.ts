import assert from "node:assert/strict";
import { Rng } from "../../data/random.ts";
import { deerGrid, type DeerSpec, dipolarKernel, simulateDeer } from "./deer.ts";

/** ∫₀¹ cos((3z² − 1)·a) dz by composite Simpson with many points. */
function kernelQuadrature(a: number, n = 200000): number {
  const h = 1 / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const z = i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * Math.cos((3 * z * z - 1) * a);
  }
  return s * h / 3;
}

Deno.test("dipolar kernel (Fresnel closed form) equals the orientation integral done by quadrature", () => {
  for (const r of [1.5, 2.5, 4, 8]) {
    for (const t of [0.01, 0.1, 0.5, 1.3, 3, 6]) {
      const omega = 2 * Math.PI * 52.04 / r ** 3;
      const k = dipolarKernel(t, r);
      assert.ok(Math.abs(k - kernelQuadrature(omega * t)) < 1e-9, `K(${t}, ${r}) = ${k}`);
    }
  }
  assert.equal(dipolarKernel(0, 3), 1);
  assert.equal(dipolarKernel(-0.7, 3), dipolarKernel(0.7, 3));
});

Deno.test("DEER simulation: trace starts near 1, form factor decays from 1, distribution peaks at 1 inside the range", () => {
  const spec: DeerSpec = {
    timePoints: 64,
    maxTime: 3,
    distancePoints: 50,
    distanceRange: [1.5, 8],
    maxPeaks: 3,
    widthRange: [0.05, 0.4],
    depthRange: [0.2, 0.5],
    decayRange: [0, 0.2],
    dimensionRange: [2, 3.5],
    noiseRange: [0, 0],
  };
  const grid = deerGrid(spec);
  const rng = new Rng(5);
  for (let e = 0; e < 20; e++) {
    const ex = simulateDeer(spec, grid, rng);
    assert.ok(Math.abs(ex.formFactor[0] - 1) < 1e-12);
    assert.ok(Math.abs(ex.trace[0] - 1) < 1e-12, "noise-free V(0) = 1");
    assert.ok(Math.max(...ex.distribution) === 1 && Math.min(...ex.distribution) >= 0);
    for (const v of ex.trace) assert.ok(v <= 1 + 1e-12 && v > 0);
  }
});
