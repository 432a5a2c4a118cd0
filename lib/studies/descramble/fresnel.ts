/**
 * Fresnel integrals C(x) = ∫₀ˣ cos(πt²/2) dt and S(x) = ∫₀ˣ sin(πt²/2) dt in float64: the power
 * series for |x| < 1.5 (terms stay below 10, so at most one digit is lost), and beyond it the
 * continued fraction of the complementary error function, C + iS = (1+i)/2·[1 − erfc(√π(1−i)x/2)],
 * evaluated by the modified Lentz method (the approach of Numerical Recipes §6.9). Written here
 * because the one maintained npm package (`@stdlib/math-base-special-fresnel`) brings ~150
 * packages into the lockfile for two functions; tested against 30-digit mpmath values.
 *
 * @module
 */

const EPS = 1e-16;
const TINY = 1e-300;
const SERIES_LIMIT = 1.5;

/** [C(x), S(x)]; both are odd functions. */
export function fresnel(x: number): [number, number] {
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  if (ax === 0) return [0, 0];
  if (!Number.isFinite(ax)) return Number.isNaN(ax) ? [NaN, NaN] : [0.5 * sign, 0.5 * sign];
  let c: number;
  let s: number;
  if (ax < SERIES_LIMIT) {
    // C = Σ (−1)ⁿ (π/2)^{2n} x^{4n+1} / ((2n)! (4n+1)), S = Σ (−1)ⁿ (π/2)^{2n+1} x^{4n+3} / ((2n+1)! (4n+3))
    const t = (Math.PI / 2) * ax * ax;
    let term = ax; // (π/2 x²)^m x / m!, m = 0, 1, 2, …
    c = 0;
    s = 0;
    for (let m = 0; m < 200; m++) {
      const contribution = term / (2 * m + 1);
      if (m % 2 === 0) c += (m % 4 === 0 ? 1 : -1) * contribution;
      else s += (m % 4 === 1 ? 1 : -1) * contribution;
      if (contribution < EPS * Math.max(Math.abs(c), Math.abs(s))) break;
      term *= t / (m + 1);
    }
  } else {
    // continued fraction, complex arithmetic by hand: b = 1 − iπx², h = 1/b, …
    const px2 = Math.PI * ax * ax;
    let bRe = 1;
    const bIm = -px2;
    let cRe = 1 / TINY;
    let cIm = 0;
    // d = h = 1/b
    let den = bRe * bRe + bIm * bIm;
    let dRe = bRe / den;
    let dIm = -bIm / den;
    let hRe = dRe;
    let hIm = dIm;
    let n = -1;
    for (let k = 2; k < 1000; k++) {
      n += 2;
      const a = -n * (n + 1);
      bRe += 4;
      // d = 1/(a d + b)
      const xRe = a * dRe + bRe;
      const xIm = a * dIm + bIm;
      den = xRe * xRe + xIm * xIm;
      dRe = xRe / den;
      dIm = -xIm / den;
      // c = b + a/c
      const cd = cRe * cRe + cIm * cIm;
      cRe = bRe + (a * cRe) / cd;
      cIm = bIm - (a * cIm) / cd;
      // del = c d, h = h del
      const delRe = cRe * dRe - cIm * dIm;
      const delIm = cRe * dIm + cIm * dRe;
      const hr = hRe * delRe - hIm * delIm;
      hIm = hRe * delIm + hIm * delRe;
      hRe = hr;
      if (Math.abs(delRe - 1) + Math.abs(delIm) < EPS) break;
    }
    // h ← h·(x − i x); cs = (1+i)/2 · (1 − e^{iπx²/2} h)
    const h2Re = hRe * ax + hIm * ax;
    const h2Im = hIm * ax - hRe * ax;
    // e^{iπx²/2} with x² reduced modulo 4 exactly (x² = sq + err by Dekker's product), so that large x
    // keep full precision
    const sq = ax * ax;
    const split = 134217729 * ax;
    const xh = split - (split - ax);
    const xl = ax - xh;
    const err = ((xh * xh - sq) + 2 * xh * xl) + xl * xl;
    const angle = (Math.PI / 2) * ((sq % 4) + err);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const eRe = 1 - (cos * h2Re - sin * h2Im);
    const eIm = -(cos * h2Im + sin * h2Re);
    c = 0.5 * (eRe - eIm);
    s = 0.5 * (eRe + eIm);
  }
  return [sign * c, sign * s];
}
