import assert from "node:assert/strict";
import type { Network } from "../network/network.ts";
import { activationJet } from "../series/activations.ts";
import { type Jet, variableJet } from "../series/jet.ts";
import { exactTaylor } from "./exact.ts";
import { exactTaylorModules } from "./exact_modules.ts";
import { HOPE_REFERENCE_FILE } from "./fixtures.ts";
import { hopeTaylor, hopeTaylorModules } from "./hope.ts";
import { convDemo, derivativeRatios, sineMlp } from "./paper_networks.ts";

/** Independent 1-D check: forward propagation of univariate jets through a dense network. */
function jetForward(net: Network, x0: number, K: number): Jet {
  let a: Jet[] = [variableJet(x0, K)];
  for (const { inputs, units, weights, activation } of net.layers) {
    const next: Jet[] = [];
    for (let j = 0; j < units; j++) {
      const u = new Float64Array(K + 1);
      u[0] = weights[j];
      for (let i = 0; i < inputs; i++) {
        const w = weights[(i + 1) * units + j], ai = a[i];
        for (let k = 0; k <= K; k++) u[k] += w * ai[k];
      }
      next.push(activationJet(activation, u));
    }
    a = next;
  }
  return a[0];
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]) / Math.max(1e-300, Math.abs(b[i])));
  }
  return e;
}

Deno.test("paper 2-D conv demo (Linear(2,2048)–sin–Conv2d–sin–AvgPool–sin–Linear(3600,1)): exact order 8 in seconds", () => {
  const { modules, inputs } = convDemo();
  const t0 = performance.now();
  const exact = exactTaylorModules(modules, inputs, [0, 0], 8);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  exact engine, 2-D conv demo, order 8 (45 terms): ${seconds.toFixed(2)} s`);
  assert.ok(seconds < 20, `took ${seconds} s`);
  const f = exact.polynomials[0];
  assert.equal(f.coefficients.length, 45);
  // value at x0 and near it: the network's forward pass (HOPE's forward rules at order 0)
  const net = (x: number[]) => hopeTaylorModules(modules, inputs, x, 0).coefficients[0][0];
  assert.ok(Math.abs(f.coefficients[0] - net([0, 0])) < 1e-14);
  for (const h of [[0.01, -0.02], [-0.03, 0.015]]) {
    const e = Math.abs(f.evaluateAt(h) - net(h));
    assert.ok(e < 1e-12, `h = ${h}: |poly − net| = ${e}`);
  }
  // HOPE agrees up to order 1 and drops mixed hidden partials beyond
  const hope = hopeTaylorModules(modules, inputs, [0, 0], 8);
  const byOrder: string[] = [];
  for (let d = 0; d <= 8; d++) {
    let diff = 0, scale = 0;
    exact.terms.degree.forEach((deg, t) => {
      if (deg !== d) return;
      diff = Math.max(diff, Math.abs(hope.coefficients[0][t] - f.coefficients[t]));
      scale = Math.max(scale, Math.abs(f.coefficients[t]));
    });
    if (d <= 1) assert.ok(diff <= 1e-14 * Math.max(1, scale), `order ${d}: ${diff}`);
    else byOrder.push(`${d}: ${(diff / scale).toPrecision(2)}`);
  }
  console.log(`  HOPE vs exact, relative max difference by order: ${byOrder.join(", ")}`);
});

const reference = await Deno.readTextFile(HOPE_REFERENCE_FILE).then(
  (t) => JSON.parse(t) as Record<string, Record<string, Record<string, number[]>>>,
  () => null,
);

Deno.test("Table 2 (|f^(n)(0)/f'(0)|, 1–512×4–1 sine MLPs): exact ratios follow from the exact polynomial", () => {
  const rows: string[] = [];
  for (const w0 of [0.01, 0.1, 1, 10, 100]) {
    const net = sineMlp({ width: 512, depth: 4, w0 });
    const poly = exactTaylor(net, [0], 10).polynomials[0];
    const ratios = derivativeRatios(poly.coefficients);
    const viaJets = derivativeRatios(jetForward(net, 0, 10));
    assert.ok(relErr(ratios, viaJets) < 1e-9, `w0 = ${w0}: ${relErr(ratios, viaJets)}`);
    assert.equal(ratios[0], 1);
    const hope = derivativeRatios(hopeTaylor(net, [0], 10).coefficients[0]);
    rows.push(
      `w0=${w0}: exact ${ratios.map((v) => v.toPrecision(3)).join(" ")} | HOPE rule n=10 ${
        hope[9].toPrecision(3)
      }`,
    );
    // the growth law of the paper's exact column (same architecture and initialisation law, other weights)
    const paper = reference?.table2_paper_vs_hope_rule_vs_exact?.exact?.[String(w0)];
    if (paper && (w0 === 0.01 || w0 === 100)) {
      ratios.forEach((r, n) => assert.ok(Math.abs(Math.log10(r / paper[n])) < 3, `w0 = ${w0}, n = ${n + 1}`));
    }
  }
  console.log(`  ${rows.join("\n  ")}`);
});

Deno.test("paper 1-D demo (1–1024×4–1 sine MLP, order 10): exact engine equals univariate jets", () => {
  const net = sineMlp({ width: 1024, depth: 4 });
  const t0 = performance.now();
  const poly = exactTaylor(net, [0], 10).polynomials[0];
  console.log(
    `  exact engine, 1–1024×4–1 sine MLP, order 10: ${((performance.now() - t0) / 1000).toFixed(3)} s`,
  );
  const jets = jetForward(net, 0, 10);
  const scale = Math.max(...jets.map(Math.abs));
  poly.coefficients.forEach((c, k) => assert.ok(Math.abs(c - jets[k]) <= 1e-12 * scale, `degree ${k}`));
});

Deno.test("derivativeRatios: sin(2x) at 0 gives |f^(n)/f'| = 2^(n−1) for odd n, 0 for even n", () => {
  const c = [0, 2, 0, -8 / 6, 0, 32 / 120];
  const r = derivativeRatios(c);
  [1, 0, 4, 0, 16].forEach((v, i) => assert.ok(Math.abs(r[i] - v) < 1e-12));
  assert.throws(() => derivativeRatios([1]), /derivativeRatios/);
});
