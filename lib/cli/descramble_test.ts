import assert from "node:assert/strict";
import { UsageError } from "./errors.ts";
import descrambleCommand, { parseSignals } from "./descramble.ts";

const ROOT = new URL("../../", import.meta.url);

async function withFile(text: string, fn: (path: string) => Promise<void> | void) {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("poly descramble: each malformed signals field is a one-line UsageError naming it", () => {
  const bad = (json: unknown, re: RegExp) =>
    assert.throws(
      () => parseSignals(json, "f.json"),
      (e: Error) => e instanceof UsageError && re.test(e.message),
    );
  bad([1, 2], /expected a JSON object with "signals"/);
  bad({}, /"signals" is missing/);
  bad({ signals: [1, 2, 3] }, /must be a list of rows/);
  bad({ signals: [[1, 2, 3]] }, /has 1 row\(s\); descrambling needs k ≥ 2/);
  bad({ signals: [[1, 2, 3], [4, 5]] }, /signals\[1\] has 2 numbers but signals\[0\] has 3/);
  bad({ signals: [[1, "a"], [3, 4]] }, /signals\[0\]\[1\] must be a finite number, got "a"/);
  bad({ signals: [[1, null], [3, 4]] }, /signals\[0\]\[1\] must be a finite number/);
  bad({ signals: [[], []] }, /signals\[0\] is empty/);
});

Deno.test("poly descramble: all-zero signals, bad flags", async () => {
  await withFile('{"signals": [[0, 0], [0, 0]]}', (path) => {
    assert.throws(
      () => descrambleCommand([path]),
      (e: Error) => e instanceof UsageError && /all zero/.test(e.message),
    );
  });
  await withFile('{"signals": [[1, 2], [3, 5]]}', (path) => {
    assert.throws(
      () => descrambleCommand([path, "--method", "newton"]),
      /--method: expected one of optimize/,
    );
    assert.throws(
      () => descrambleCommand([path, "--method", "closed-form", "--max-iterations", "5"]),
      /closed-form/,
    );
    assert.throws(() => descrambleCommand([path, "--bogus"]), UsageError);
    assert.throws(() => descrambleCommand([]), /missing FILE.json/);
  });
});

Deno.test("poly descramble: the three methods agree on a small file; output fields of the contract", async () => {
  const rows = Array.from(
    { length: 6 },
    (_, i) => Array.from({ length: 30 }, (_, c) => Math.sin(i * 1.3 + c) + 0.1 * i),
  );
  await withFile(JSON.stringify({ signals: rows, other: "ignored" }), async (path) => {
    const cf = await descrambleCommand([path, "--method", "closed-form"]);
    const opt = await descrambleCommand([path]);
    const lb = await descrambleCommand([path, "--method", "lbfgs", "--max-iterations", "3000"]);
    assert.equal(opt.method, "optimize");
    for (const out of [cf, opt, lb]) {
      assert.equal((out.P as number[][]).length, 6);
      assert.ok((out.P as number[][]).every((r) => r.length === 6));
      assert.ok(typeof out.seconds === "number" && out.seconds >= 0);
      assert.equal(out.eta_identity, cf.eta_identity);
      assert.ok((out.eta as number) <= (cf.eta_star as number) * (1 + 1e-6) + 1e-12);
    }
  });
});

Deno.test("poly descramble from the command line: NaN in the file exits 2 with one line on stderr", async () => {
  await withFile('{"signals": [[1, 2, 3], [4, NaN, 6], [7, 8, 9]]}', async (path) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main.ts", "poly", "descramble", path],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 2);
    const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
    assert.equal(lines.length, 1);
    assert.match(lines[0], /not valid JSON/);
    assert.equal(new TextDecoder().decode(out.stdout), "");
  });
});
