/**
 * Direct loops over channels-first feature maps (padding, window reductions, convolution), written
 * independently of lib/io/lowering.ts, as the reference the import tests compare with.
 *
 * @module
 */

/** Deterministic pseudo-random values in (−1, 1). */
export function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.fround(s / 1073741824 - 1);
  });
}

/** A channels-first map: [channel][row][column]. */
export type Map3 = number[][][];

/** A flat C-order vector as a map. */
export function toMap(x: number[], c: number, h: number, w: number): Map3 {
  return Array.from(
    { length: c },
    (_, k) =>
      Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => x[(k * h + i) * w + j])),
  );
}

/** Pads a map by [top, left, bottom, right] with `fill`. */
export function padMap(x: Map3, p: number[], fill: number): Map3 {
  const [t, l, b, r] = p;
  return x.map((ch) => {
    const w = ch[0].length + l + r;
    const rows = ch.map((row) => [...new Array(l).fill(fill), ...row, ...new Array(r).fill(fill)]);
    return [
      ...Array.from({ length: t }, () => new Array(w).fill(fill)),
      ...rows,
      ...Array.from({ length: b }, () => new Array(w).fill(fill)),
    ];
  });
}

/** Window reductions over a padded map; `cells(values, inBounds)` → one number. */
export function windows(
  x: Map3,
  k: number[],
  s: number[],
  p: number[],
  f: (v: number[], inside: number[]) => number,
): Map3 {
  const h = x[0].length, w = x[0][0].length;
  const oh = Math.floor((h + p[0] + p[2] - k[0]) / s[0]) + 1,
    ow = Math.floor((w + p[1] + p[3] - k[1]) / s[1]) + 1;
  return x.map((ch) =>
    Array.from({ length: oh }, (_, oy) =>
      Array.from({ length: ow }, (_, ox) => {
        const vals: number[] = [], inside: number[] = [];
        for (let i = 0; i < k[0]; i++) {
          for (let j = 0; j < k[1]; j++) {
            const y = oy * s[0] + i - p[0], xx = ox * s[1] + j - p[1];
            if (y >= 0 && y < h && xx >= 0 && xx < w) inside.push(ch[y][xx]);
            vals.push(y >= 0 && y < h && xx >= 0 && xx < w ? ch[y][xx] : 0);
          }
        }
        return f(vals, inside);
      }))
  );
}

/** Direct convolution (kernel `out × in × kh × kw`) with pads and strides. */
export function conv(
  x: Map3,
  kernel: number[],
  cout: number,
  k: number[],
  s: number[],
  p: number[],
  bias: number[],
): Map3 {
  const cin = x.length;
  const padded = padMap(x, p, 0);
  const h = padded[0].length, w = padded[0][0].length;
  const oh = Math.floor((h - k[0]) / s[0]) + 1, ow = Math.floor((w - k[1]) / s[1]) + 1;
  return Array.from(
    { length: cout },
    (_, o) =>
      Array.from({ length: oh }, (_, oy) =>
        Array.from({ length: ow }, (_, ox) => {
          let sum = bias[o];
          for (let c = 0; c < cin; c++) {
            for (let i = 0; i < k[0]; i++) {
              for (let j = 0; j < k[1]; j++) {
                sum += kernel[((o * cin + c) * k[0] + i) * k[1] + j] *
                  padded[c][oy * s[0] + i][ox * s[1] + j];
              }
            }
          }
          return sum;
        })),
  );
}

/** A map flattened in C order. */
export const flat = (m: Map3) => m.flat(2);
