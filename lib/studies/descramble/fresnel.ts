/**
 * Fresnel integrals C(x) = ∫₀ˣ cos(πt²/2) dt and S(x) = ∫₀ˣ sin(πt²/2) dt, from
 * `@stdlib/math-base-special-fresnel` (Cephes' rational approximations), returned as [C, S]
 * (the package returns [S, C]). Checked against 30-digit mpmath values in fresnel_test.ts: within
 * 2.2e-16 for x ≤ 10, 7.8e-16 at 100 and 3.8e-14 at 1000.5 (the package does not reduce πx²/2 exactly;
 * the DEER kernel needs x ≤ 40).
 *
 * @module
 */

import stdlibFresnel from "@stdlib/math-base-special-fresnel";

/** [C(x), S(x)]; both are odd functions. */
export function fresnel(x: number): [number, number] {
  const [s, c] = stdlibFresnel(x);
  return [c, s];
}
