import assert from "node:assert/strict";
import { luDeterminant, luFactor, luSolve, luSolveTransposed, matmul, matmulT, matTmul } from "./dense.ts";
import { GramAccumulator, gramOfRows } from "./gram.ts";
import { symmetricEigen } from "./problem.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const random = (n: number, seed: number) => Float64Array.from({ length: n }, rng(seed));

Deno.test("dense products agree with each other (A·Bᵀ, Aᵀ·B, A·B)", () => {
  const k = 7;
  const A = random(k * k, 1);
  const B = random(k * k, 2);
  const Bt = new Float64Array(k * k);
  const At = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      Bt[j * k + i] = B[i * k + j];
      At[j * k + i] = A[i * k + j];
    }
  }
  const C1 = matmul(A, Bt, k);
  const C2 = matmulT(A, B, k);
  const C3 = matTmul(At, Bt, k);
  for (let i = 0; i < k * k; i++) {
    assert.ok(Math.abs(C1[i] - C2[i]) < 1e-15);
    assert.ok(Math.abs(C1[i] - C3[i]) < 1e-15);
  }
});

Deno.test("LU: solves A·X = B and Aᵀ·X = B; determinant of a known matrix", () => {
  const k = 9;
  const A = random(k * k, 3);
  const B = random(k * k, 4);
  const f = luFactor(A, k);
  const X = luSolve(f, B);
  const AX = matmul(A, X, k);
  for (let i = 0; i < k * k; i++) assert.ok(Math.abs(AX[i] - B[i]) < 1e-12);
  const Y = luSolveTransposed(f, B);
  const AtY = matTmul(A, Y, k);
  for (let i = 0; i < k * k; i++) assert.ok(Math.abs(AtY[i] - B[i]) < 1e-12);
  // [[0, 2, 1], [1, 0, 0], [3, 1, 2]]: det = 0·(0−0) − 2·(2−0) + 1·(1−0) = −3
  assert.ok(Math.abs(luDeterminant(luFactor(Float64Array.from([0, 2, 1, 1, 0, 0, 3, 1, 2]), 3)) + 3) < 1e-14);
});

Deno.test("Gram matrix: blocks of samples and of rows equal the naive SSᵀ (N beyond one block; k = 5 in JavaScript, k = 21 on wasm)", () => {
  for (const k of [5, 21]) gramCase(k);
});

function gramCase(k: number) {
  const n = 1300;
  const S = random(k * n, 5); // row-major k × N
  const rows = Array.from({ length: k }, (_, i) => S.subarray(i * n, (i + 1) * n));
  const naive = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += S[i * n + c] * S[j * n + c];
      naive[i * k + j] = s;
    }
  }
  const fromRows = gramOfRows(rows);
  const acc = new GramAccumulator(k);
  // sample-major batches of uneven sizes
  for (const [c0, c1] of [[0, 700], [700, 701], [701, 1300]]) {
    const batch = new Float64Array((c1 - c0) * k);
    for (let c = c0; c < c1; c++) for (let i = 0; i < k; i++) batch[(c - c0) * k + i] = S[i * n + c];
    acc.addSamples(batch, c1 - c0);
  }
  assert.equal(acc.columns, n);
  const fromSamples = acc.matrix();
  for (let i = 0; i < k * k; i++) {
    assert.ok(Math.abs(fromRows[i] - naive[i]) < 1e-11);
    assert.ok(Math.abs(fromSamples[i] - naive[i]) < 1e-11);
  }
}

Deno.test("symmetric eigensolver (ml-matrix): ascending values, orthonormal vectors, small residual at k = 256", () => {
  const k = 256;
  const S = random(k * 300, 6);
  const rows = Array.from({ length: k }, (_, i) => S.subarray(i * 300, (i + 1) * 300));
  const B = gramOfRows(rows);
  const { values, vectors } = symmetricEigen(B, k);
  for (let i = 1; i < k; i++) assert.ok(values[i] >= values[i - 1]);
  const BV = matmul(B, vectors, k);
  const norm = values[k - 1];
  let resid = 0;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      resid = Math.max(resid, Math.abs(BV[r * k + c] - values[c] * vectors[r * k + c]));
    }
  }
  assert.ok(resid < 1e-13 * norm, `residual ${resid / norm}`);
  const G = matTmul(vectors, vectors, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) assert.ok(Math.abs(G[i * k + j] - (i === j ? 1 : 0)) < 1e-12);
  }
});
