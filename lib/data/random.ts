/**
 * Seeded, platform-independent randomness: a xoshiro128** generator with 53-bit uniform doubles,
 * Box–Muller normals, Fisher–Yates shuffling and sha256-based sub-seed derivation.
 *
 * Every stream of a run (data, split, initialisation of each layer, shuffling) gets its own seed
 * from {@link deriveSeed}, so changing one stream never perturbs another.
 *
 * @module
 */

import { createHash } from "node:crypto";

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_26 = 67108864;

function checkSeed(seed: number, field: string): number {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`${field}: expected a non-negative integer seed, got ${String(seed)}`);
  }
  return seed;
}

/** splitmix32 step used only to expand a 32-bit seed into the 128-bit xoshiro state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A deterministic pseudo-random generator (xoshiro128**, 32-bit integer arithmetic only, so the
 * stream is identical on every platform). Seeds up to 2^53 are accepted; the high and low words
 * are mixed into the state.
 */
export class Rng {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;
  #spareNormal: number | null = null;

  /** Creates a generator from a non-negative integer seed. */
  constructor(seed: number) {
    checkSeed(seed, "seed");
    const mix = { s: (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x27d4eb2d) };
    this.#s0 = splitmix32(mix);
    this.#s1 = splitmix32(mix);
    this.#s2 = splitmix32(mix);
    this.#s3 = splitmix32(mix);
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /**
   * A generator with an explicit xoshiro128** state (four uint32 words, not all zero); for
   * checking the stream against the reference implementation.
   */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    if ((s0 | s1 | s2 | s3) === 0) throw new Error("state: xoshiro128** state must not be all zero");
    const rng = new Rng(0);
    rng.#s0 = s0 | 0;
    rng.#s1 = s1 | 0;
    rng.#s2 = s2 | 0;
    rng.#s3 = s3 | 0;
    return rng;
  }

  /** Next 32-bit unsigned integer of the stream. */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
      throw new Error(`uniform: expected finite lo <= hi, got lo=${lo}, hi=${hi}`);
    }
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new Error(`int: expected an integer bound 1 <= n <= 2^32, got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /**
   * Normal draw (Box–Muller, polar-free form; the second value of each pair is cached, so the
   * stream is still a pure function of the seed and the call sequence).
   */
  normal(mean = 0, sd = 1): number {
    if (!Number.isFinite(mean) || !Number.isFinite(sd) || sd < 0) {
      throw new Error(`normal: expected a finite mean and sd >= 0, got mean=${mean}, sd=${sd}`);
    }
    let z: number;
    if (this.#spareNormal !== null) {
      z = this.#spareNormal;
      this.#spareNormal = null;
    } else {
      const u1 = 1 - this.next(); // (0, 1]
      const u2 = this.next();
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      z = r * Math.cos(theta);
      this.#spareNormal = r * Math.sin(theta);
    }
    return mean + sd * z;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Shuffles an array or typed array in place (Fisher–Yates) and returns it. */
export function shuffle<T extends { length: number; [i: number]: unknown }>(rng: Rng, array: T): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** A uniformly random permutation of 0..n-1. */
export function permutation(rng: Rng, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`permutation: expected a non-negative integer n, got ${n}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffle(rng, out);
}

/**
 * Derives an independent 32-bit seed for a named stream: the first 4 bytes (big-endian) of
 * sha256(`polylab-seed-v1|<master>|<JSON path>`). Stable across platforms and versions.
 *
 * @example
 * ```ts
 * const initSeed = deriveSeed(42, "cell", 3, "rep", 0, "init", "layer", 1);
 * ```
 */
export function deriveSeed(master: number, ...path: (string | number)[]): number {
  checkSeed(master, "deriveSeed.master");
  path.forEach((part, i) => {
    if (typeof part === "number" ? !Number.isFinite(part) : typeof part !== "string") {
      throw new Error(`deriveSeed.path[${i}]: expected a string or finite number, got ${String(part)}`);
    }
  });
  const digest = createHash("sha256").update(`polylab-seed-v1|${master}|${JSON.stringify(path)}`).digest();
  return digest.readUInt32BE(0);
}
