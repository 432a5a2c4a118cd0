/**
 * The WebAssembly (SIMD) versions of the block kernels of {@link ./block.ts}, with a bump arena
 * in the module's linear memory. Buffers are Float64Array/Int32Array views into that memory;
 * reserve the whole arena with {@link WasmBlocks.reset} before taking views (growing the memory
 * detaches earlier views).
 *
 * @module
 */

import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";

interface KernelExports {
  memory: WebAssembly.Memory;
  affine(Y: number, inputs: number, bias: number, units: number, terms: number, out: number, P: number): void;
  mulPairs(
    out: number,
    A: number,
    aStart: number,
    aEnd: number,
    B: number,
    first: number,
    units: number,
    rowStart: number,
    product: number,
    degree: number,
    bEndByDeg: number,
    sym: number,
    scale: number,
  ): void;
  axpy(out: number, d: number, A: number, units: number, terms: number): void;
}

/** The wasm kernels and their arena (one per thread). */
export class WasmBlocks {
  readonly #exports: KernelExports;
  #top = 0;
  /** Every byte at or above this offset has never been written (fresh wasm memory is zero). */
  #dirty = 0;

  private constructor(exports: KernelExports) {
    this.#exports = exports;
  }

  static #instance?: WasmBlocks;

  static #bytes(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  }

  /** The shared instance (compiled on first use, synchronously; the module is 1.6 kB). */
  static get(): WasmBlocks {
    if (!WasmBlocks.#instance) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(WasmBlocks.#bytes()), {});
      WasmBlocks.#instance = new WasmBlocks(instance.exports as unknown as KernelExports);
    }
    return WasmBlocks.#instance;
  }

  /** Compiles the module in the background ahead of first use (start-up work for CLIs). */
  static async preload(): Promise<void> {
    if (WasmBlocks.#instance) return;
    const module = await WebAssembly.compile(WasmBlocks.#bytes());
    const instance = await WebAssembly.instantiate(module, {});
    WasmBlocks.#instance ??= new WasmBlocks(instance.exports as unknown as KernelExports);
  }

  /** Frees every buffer and makes sure `bytes` are available (earlier views become invalid). */
  reset(bytes: number): void {
    this.#top = 0;
    const memory = this.#exports.memory;
    const need = Math.ceil((bytes + 64) / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
  }

  /** Current arena position, for {@link release}. */
  mark(): number {
    return this.#top;
  }

  /** Frees every buffer taken after `mark` (their views must no longer be used). */
  release(mark: number): void {
    this.#top = mark;
  }

  #take(bytes: number): number {
    const offset = this.#top;
    this.#top += Math.ceil(bytes / 16) * 16;
    if (this.#top > this.#exports.memory.buffer.byteLength) {
      throw new RangeError(
        `wasm arena: ${this.#top} bytes needed, ${this.#exports.memory.buffer.byteLength} reserved`,
      );
    }
    return offset;
  }

  /** A Float64Array of n values in the arena, zeroed unless `zero` is false. */
  f64(n: number, zero = true): Float64Array {
    const offset = this.#take(n * 8);
    const view = new Float64Array(this.#exports.memory.buffer, offset, n);
    // only the part below the high-water mark can hold old values
    if (zero && offset < this.#dirty) view.fill(0, 0, Math.min(n, Math.ceil((this.#dirty - offset) / 8)));
    this.#dirty = Math.max(this.#dirty, offset + n * 8);
    return view;
  }

  /** An Int32Array copy of `data` in the arena. */
  i32(data: ArrayLike<number>): Int32Array {
    const offset = this.#take(data.length * 4);
    const view = new Int32Array(this.#exports.memory.buffer, offset, data.length);
    view.set(data);
    this.#dirty = Math.max(this.#dirty, offset + data.length * 4);
    return view;
  }

  /** A Uint8Array copy of `data` in the arena. */
  u8(data: ArrayLike<number>): Uint8Array {
    const offset = this.#take(data.length);
    const view = new Uint8Array(this.#exports.memory.buffer, offset, data.length);
    view.set(data);
    this.#dirty = Math.max(this.#dirty, offset + data.length);
    return view;
  }

  /**
   * See {@link affineBlock}: out = [t=0]·W[0] + Y·W[1:]; `Y` and `out` are arena views, `W` any
   * Float64Array (`(inputs + 1) × units`, bias first). W is packed straight into scratch above
   * the arena top (`inputs × units + units` doubles; include them in {@link reset}): 4-column
   * panels, then the leftover columns, then the bias.
   */
  affine(
    Y: Float64Array,
    inputs: number,
    W: Float64Array,
    units: number,
    terms: number,
    out: Float64Array,
  ): void {
    const panel = this.#top;
    const bytes = (inputs * units + units) * 8;
    if (panel + bytes > this.#exports.memory.buffer.byteLength) {
      throw new RangeError("wasm arena: no room for the affine step's weight panels");
    }
    const P = new Float64Array(this.#exports.memory.buffer, panel, inputs * units + units);
    const j4 = units - (units % 4), r = units - j4;
    let o = 0;
    for (let j = 0; j < j4; j += 4) {
      for (let i = 0; i < inputs; i++) {
        const w = (i + 1) * units + j;
        P[o] = W[w], P[o + 1] = W[w + 1], P[o + 2] = W[w + 2], P[o + 3] = W[w + 3];
        o += 4;
      }
    }
    for (let i = 0; i < inputs; i++) for (let k = 0; k < r; k++) P[o++] = W[(i + 1) * units + j4 + k];
    P.set(W.subarray(0, units), o);
    this.#dirty = Math.max(this.#dirty, panel + bytes);
    this.#exports.affine(Y.byteOffset, inputs, panel + o * 8, units, terms, out.byteOffset, panel);
  }

  /**
   * `out[c] += (f·(A[a]·B[b]))·scale` (scale per unit) over the product table's pairs with a in
   * [aStart, aEnd) and b in [sym ? a : first, bEndByDeg[deg a]); with `sym`, B must be A and
   * f = 2 off the diagonal.
   */
  mulPairs(
    out: Float64Array,
    A: Float64Array,
    aStart: number,
    aEnd: number,
    B: Float64Array,
    first: number,
    units: number,
    table: { rowStart: Int32Array; product: Int32Array; degree: Uint8Array },
    bEndByDeg: Int32Array,
    sym: boolean,
    scale: Float64Array,
  ): void {
    this.#exports.mulPairs(
      out.byteOffset,
      A.byteOffset,
      aStart,
      aEnd,
      B.byteOffset,
      first,
      units,
      table.rowStart.byteOffset,
      table.product.byteOffset,
      table.degree.byteOffset,
      bEndByDeg.byteOffset,
      sym ? 1 : 0,
      scale.byteOffset,
    );
  }

  /** `out[t, j] += d[j]·A[t, j]` for t < terms. */
  axpy(out: Float64Array, d: Float64Array, A: Float64Array, units: number, terms: number): void {
    this.#exports.axpy(out.byteOffset, d.byteOffset, A.byteOffset, units, terms);
  }
}
