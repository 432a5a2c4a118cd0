import assert from "node:assert/strict";
import { fourdif2, fourdifColumn, fourierBasis, fourierModes } from "./fourdif.ts";
import { symmetricEigen } from "./problem.ts";

const grid = (k: number) => Array.from({ length: k }, (_, j) => 2 * Math.PI * j / k);

function apply(D: Float64Array, v: number[], k: number): number[] {
  return Array.from({ length: k }, (_, i) => v.reduce((s, vj, j) => s + D[i * k + j] * vj, 0));
}

Deno.test("fourdif(k, 2)·sin(3x) = −9·sin(3x) to 1e-15·‖D‖₂ (even and odd k)", () => {
  for (const k of [8, 9, 16, 17, 64, 101, 256]) {
    const D = fourdif2(k);
    const v = grid(k).map((x) => Math.sin(3 * x));
    const Dv = apply(D, v, k);
    const norm = k % 2 === 0 ? (k / 2) ** 2 : ((k - 1) / 2) ** 2;
    const err = Math.max(...Dv.map((d, i) => Math.abs(d + 9 * v[i])));
    assert.ok(err <= 1e-14 * norm, `k=${k}: max error ${err}`);
    // cos(2x) too, and a constant is in the null space
    const c = grid(k).map((x) => Math.cos(2 * x));
    const Dc = apply(D, c, k);
    assert.ok(Math.max(...Dc.map((d, i) => Math.abs(d + 4 * c[i]))) <= 1e-14 * norm);
    assert.ok(Math.max(...apply(D, Array(k).fill(1), k).map(Math.abs)) <= 1e-13 * norm);
  }
});

Deno.test("fourdif(k, 2): symmetric circulant with the Weideman–Reddy first column", () => {
  const k = 6;
  const c = fourdifColumn(k);
  const h = 2 * Math.PI / k;
  assert.ok(Math.abs(c[0] - (-(Math.PI ** 2) / (3 * h * h) - 1 / 6)) < 1e-13);
  assert.ok(Math.abs(c[1] - (-0.5 * -1 / Math.sin(h / 2) ** 2)) < 1e-13);
  assert.ok(Math.abs(c[2] - (-0.5 / Math.sin(h) ** 2)) < 1e-13);
  assert.equal(c[5], c[1]);
  const odd = fourdifColumn(5);
  const h5 = 2 * Math.PI / 5;
  assert.ok(Math.abs(odd[0] - (-(Math.PI ** 2) / (3 * h5 * h5) + 1 / 12)) < 1e-13);
  const t = h5 / 2;
  assert.ok(Math.abs(odd[1] - (0.5 * Math.cos(t) / Math.sin(t) ** 2)) < 1e-13);
  // c_{k−j} = −½(−1)^{k−j} cot((k−j)h/2)/sin((k−j)h/2) evaluated directly (fine away from π)
  const j = 4;
  const direct = -0.5 * (-1) ** j * (Math.cos(j * t) / Math.sin(j * t)) / Math.sin(j * t);
  assert.ok(Math.abs(odd[j] - direct) < 1e-12);
  const D = fourdif2(7);
  for (let a = 0; a < 7; a++) for (let b = 0; b < 7; b++) assert.equal(D[a * 7 + b], D[b * 7 + a]);
});

Deno.test("the real Fourier basis is orthonormal and diagonalises D with eigenvalues −m² (Nyquist −(k/2)²)", () => {
  for (const k of [2, 7, 12, 33]) {
    const U = fourierBasis(k);
    const D = fourdif2(k);
    const modes = fourierModes(k);
    assert.equal(modes.length, k);
    for (let a = 0; a < k; a++) {
      const col = Array.from({ length: k }, (_, r) => U[r * k + a]);
      const Dcol = apply(D, col, k);
      const lambda = -(modes[a].m ** 2);
      for (let r = 0; r < k; r++) {
        assert.ok(Math.abs(Dcol[r] - lambda * col[r]) < 1e-12 * k * k, `k=${k} mode ${a}`);
      }
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let r = 0; r < k; r++) s += U[r * k + a] * U[r * k + b];
        assert.ok(Math.abs(s - (a === b ? 1 : 0)) < 1e-13);
      }
    }
  }
});

Deno.test("‖fourdif(k, 2)‖₂ = (k/2)² for even k, as the eigensolver finds", () => {
  for (const k of [16, 40]) {
    const { values } = symmetricEigen(fourdif2(k), k);
    assert.ok(Math.abs(Math.max(...values.map(Math.abs)) - (k / 2) ** 2) < 1e-10 * k * k);
  }
});
