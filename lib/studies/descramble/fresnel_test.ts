import assert from "node:assert/strict";
import { fresnel } from "./fresnel.ts";

// C(x), S(x) to 17 digits from mpmath (30-digit arithmetic)
const KNOWN: [number, number, number][] = [
  [0.1, 0.099997532627085074, 0.00052358954761221069],
  [0.5, 0.49234422587144639, 0.064732432859999278],
  [1, 0.77989340037682283, 0.43825914739035477],
  [1.5, 0.44526117603982154, 0.69750496008209301],
  [1.6, 0.36546168344048765, 0.63888768350938083],
  [2, 0.48825340607534075, 0.34341567836369824],
  [3, 0.60572078929768563, 0.49631299896737504],
  [5, 0.56363118870401223, 0.49919138191711689],
  [10, 0.49989869420551572, 0.46816997858488224],
  [100, 0.4999998986788179, 0.49681690114783755],
  [1000.5, 0.50012175095081008, 0.49970606693895422],
];

Deno.test("Fresnel integrals ([C, S] order) match 30-digit values from small to large arguments", () => {
  for (const [x, C, S] of KNOWN) {
    const [c, s] = fresnel(x);
    const tol = x <= 100 ? 1e-15 : 1e-13; // the library does not reduce πx²/2 exactly for very large x
    assert.ok(Math.abs(c - C) <= tol, `C(${x}) = ${c}, expected ${C}`);
    assert.ok(Math.abs(s - S) <= tol, `S(${x}) = ${s}, expected ${S}`);
    const [cm, sm] = fresnel(-x);
    assert.equal(cm, -c);
    assert.equal(sm, -s);
  }
  assert.deepEqual(fresnel(0), [0, 0]);
  assert.deepEqual(fresnel(Infinity), [0.5, 0.5]);
});

Deno.test("Fresnel integrals: derivative C'(x) = cos(πx²/2), S'(x) = sin(πx²/2) across the range", () => {
  for (let x = 0.05; x < 6; x += 0.173) {
    const h = 1e-5;
    const [c1, s1] = fresnel(x + h);
    const [c0, s0] = fresnel(x - h);
    assert.ok(Math.abs((c1 - c0) / (2 * h) - Math.cos(Math.PI * x * x / 2)) < 1e-8, `C' at ${x}`);
    assert.ok(Math.abs((s1 - s0) / (2 * h) - Math.sin(Math.PI * x * x / 2)) < 1e-8, `S' at ${x}`);
  }
});
