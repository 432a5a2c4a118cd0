import assert from "node:assert/strict";
import { WasmBlocks } from "./wasm.ts";
import { jsBackend, wasmBackend } from "./backend.ts";
import { getProductTable } from "./basis.ts";
import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";
import { assembleWat } from "../../tools/build_wasm.ts";

Deno.test("the committed wasm bytes are the assembly of kernels.wat", async () => {
  const text = await Deno.readTextFile(new URL("./kernels.wat", import.meta.url));
  const bytes = await assembleWat("kernels.wat", text);
  const committed = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  assert.deepEqual(committed, bytes, "run `deno run -A tools/build_wasm.ts` after editing kernels.wat");
});

Deno.test("wasm SIMD kernels are bit-identical to the JavaScript reference on every edge shape", () => {
  const blocks = WasmBlocks.get();
  const table = getProductTable(5, 4);
  const basis = table.basis;
  for (const [inputs, units, terms] of [[1, 1, 1], [3, 7, 5], [4, 4, 4], [9, 6, 13], [2, 3, basis.size]]) {
    blocks.reset(1 << 22);
    const wasm = wasmBackend(blocks, table);
    const js = jsBackend(table);
    const Y = Float64Array.from({ length: terms * inputs }, (_, k) => Math.sin(k + 1));
    const W = Float64Array.from({ length: (inputs + 1) * units }, (_, k) => Math.cos(k + 2));
    const Yw = wasm.alloc(Y.length), Ww = wasm.alloc(W.length);
    Yw.set(Y);
    Ww.set(W);
    const outW = wasm.alloc(terms * units), outJ = js.alloc(terms * units);
    wasm.affine(Yw, inputs, Ww, units, terms, outW);
    js.affine(Y, inputs, W, units, terms, outJ);
    assert.deepEqual(Array.from(outW), Array.from(outJ), `affine ${inputs}×${units}×${terms}`);
    // products over the full basis (no constant term)
    const T = basis.size;
    const v = wasm.alloc(T * units);
    for (let k = units; k < T * units; k++) v[k] = Math.sin(0.37 * k);
    const vj = Float64Array.from(v);
    const sqW = wasm.alloc(T * units), sqJ = js.alloc(T * units);
    wasm.square(sqW, v, 4, units, 4);
    js.square(sqJ, vj, 4, units, 4);
    assert.deepEqual(Array.from(sqW), Array.from(sqJ), `square units=${units}`);
    const mW = wasm.alloc(T * units), mJ = js.alloc(T * units);
    wasm.mul(mW, sqW, 2, 4, v, 4, units, 4);
    js.mul(mJ, sqJ, 2, 4, vj, 4, units, 4);
    assert.deepEqual(Array.from(mW), Array.from(mJ), `mul units=${units}`);
    const d = wasm.alloc(units); // arena views only: .map() would copy to the JS heap
    d.forEach((_, k) => (d[k] = k - 0.5));
    wasm.axpy(mW, d, v, units, T);
    js.axpy(mJ, Float64Array.from(d), vj, units, T);
    assert.deepEqual(Array.from(mW), Array.from(mJ), `axpy units=${units}`);
  }
});
