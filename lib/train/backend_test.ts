import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { backendInfo, initBackend } from "./backend.ts";
import { fitNetwork } from "./fit.ts";

Deno.test("backends switch on request and record what runs", async () => {
  const cpu = await initBackend("cpu");
  assert.equal(cpu.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(cpu.simd, false);
  const wasm = await initBackend("wasm");
  assert.equal(wasm.name, "wasm", `wasm failed: ${wasm.fallbackReason}`);
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(backendInfo(), wasm);
  assert.equal(await initBackend("wasm"), wasm, "asking again returns the cached info");
  await assert.rejects(initBackend("webgl" as "cpu"), /backend: unknown "webgl"; use "wasm" or "cpu"/);
});

Deno.test("wasm and cpu train the same seeded model to nearly the same weights", async () => {
  const x = Float64Array.from({ length: 80 }, (_, i) => Math.sin(i * 1.7));
  const y = Float64Array.from({ length: 40 }, (_, s) => x[2 * s] * x[2 * s + 1]);
  const spec = { inputs: 2, hidden: [6], activation: "tanh" as const, outputUnits: 1, seed: 3 };
  const options = { epochs: 5, batchSize: 8, learningRate: 0.01, shuffleSeed: 4 };
  const runs: Float64Array[] = [];
  for (const name of ["wasm", "cpu"] as const) {
    await initBackend(name);
    const fit = await fitNetwork(spec, { x, y }, options);
    assert.equal(fit.training.status, "ok");
    assert.equal(fit.training.backend, name);
    assert.ok(fit.network);
    runs.push(fit.network.layers[0].weights);
    fit.model.dispose();
  }
  await initBackend("wasm");
  runs[0].forEach((v, i) => assert.ok(Math.abs(v - runs[1][i]) < 1e-4, `weight ${i}: ${v} vs ${runs[1][i]}`));
});

Deno.test("a wasm start failure falls back to cpu with exactly one clear warning", async () => {
  const backendUrl = new URL("./backend.ts", import.meta.url).href;
  const code = `import { initBackend } from "${backendUrl}";
    const a = await initBackend("wasm", { wasmDirectory: "/nonexistent-polylab-wasm" });
    const b = await initBackend("wasm");
    console.log(JSON.stringify({ a, same: a === b }));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    cwd: new URL("../..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assert.equal(out.code, 0, stderr);
  const { a, same } = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(a.name, "cpu");
  assert.equal(a.fellBack, true);
  assert.match(a.fallbackReason, /nonexistent-polylab-wasm/);
  assert.equal(same, true);
  const lines = stderr.split("\n");
  assert.equal(lines.length, 1, `expected one warning line, got:\n${stderr}`);
  assert.match(
    lines[0],
    /^polylab: the tfjs wasm backend failed to start \(.*\); training on the cpu backend instead$/,
  );
});
