/**
 * hope-expansion and hope-convergence on a network file (`params.network`) instead of the paper's
 * networks: a polylab JSON written here (analytic values to check against) and the shared ONNX fixture
 * exported by PyTorch (skipped with a message when ../shared/fixtures/models is absent).
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../../errors.ts";
import type { AnalysisContext } from "../../experiment/study.ts";
import { projectPath } from "../../io/project_path.ts";
import { hopeConvergence, validateHopeConvergenceParams } from "./convergence.ts";
import { hopeExpansion, validateHopeExpansionParams } from "./expansion.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

const FIXTURE = "../shared/fixtures/models/onnx-nn2poly-tanh.onnx"; // 2 inputs, 1 output, tanh (torch 1.13)
const RELU_ONNX = "../shared/fixtures/models/onnx-export-relu-leaky-elu.onnx"; // 3 inputs, 2 outputs

// f(x) = Σ_j v_j tanh(w_j x + b_j) + c: one input, three tanh units, one output
const w = [0.7, -1.2, 0.4], b = [0.1, -0.3, 0.5], v = [1.5, 0.8, -2], c = 0.2;
const tanhNet = {
  inputs: 1,
  layers: [
    { activation: "tanh", weights: [b, w] },
    { activation: "linear", weights: [[c], ...v.map((x) => [x])] },
  ],
};

function tempFile(name: string, value: unknown): string {
  const dir = Deno.makeTempDirSync({ prefix: "polylab-hope-net-" });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function context(runDir: string, params: Record<string, unknown>): AnalysisContext {
  return analysisContext(runDir, params, 42);
}

const csv = (path: string) => {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const keys = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((x, i) => [keys[i], x])));
};

function refuses(
  validate: (p: Record<string, unknown>) => void,
  params: Record<string, unknown>,
  re: RegExp,
) {
  assert.throws(() => validate(params), (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, got ${e}`);
    assert.match(e.message, re);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

Deno.test("hope-expansion and hope-convergence expand a 1-input network file: exact coefficients, HOPE = exact", async () => {
  const file = tempFile("tanh.json", tanhNet);
  const dir = Deno.makeTempDirSync({ prefix: "polylab-hope-net-run-" });
  try {
    const out = await hopeExpansion(context(dir, {
      network: file,
      mlp: { order: 5, plotPoints: 21, r2Points: 11, nearPoints: 11, plotRange: 2, r2Ranges: [1] },
    }));
    // f'(0) = Σ v_j w_j (1 − tanh² b_j); f''(0)/2 = Σ v_j w_j² (−tanh b_j)(1 − tanh² b_j)
    const d1 = v.reduce((s, vj, j) => s + vj * w[j] * (1 - Math.tanh(b[j]) ** 2), 0);
    const d2 = v.reduce((s, vj, j) => s - vj * w[j] ** 2 * Math.tanh(b[j]) * (1 - Math.tanh(b[j]) ** 2), 0);
    const coef = csv(join(dir, "tables", "network_coefficients.csv"));
    assert.ok(Math.abs(Number(coef[1].exact) - d1) < 1e-14, `f'(0): ${coef[1].exact} vs ${d1}`);
    assert.ok(Math.abs(Number(coef[2].exact) - d2) < 1e-14, `f''(0)/2: ${coef[2].exact} vs ${d2}`);
    // one hidden layer: HOPE's rule is exact
    for (const r of coef.slice(1)) assert.ok(Number(r.rel_diff) < 1e-12, `n = ${r.n}: ${r.rel_diff}`);
    assert.ok(existsSync(join(dir, "figures", "network_expansion.svg")));
    assert.ok(!existsSync(join(dir, "figures", "mlp_expansion.svg")), "no paper network drawn");
    assert.match(out.sections![0].heading, /^Network file: tanh\.json$/);

    const conv = await hopeConvergence(
      context(dir, { network: file, order: 6, radii: [0.2, 0.5], points: 11 }),
    );
    const ratios = csv(join(dir, "tables", "table2_ratios.csv"));
    assert.deepEqual(Object.keys(ratios[0]), ["network", "n", "hope", "exact", "hope_over_exact"]);
    assert.equal(ratios[0].network, "tanh.json");
    assert.ok(Math.abs(Number(ratios[1].exact) - Math.abs(2 * d2 / d1)) < 1e-12, "|f''(0)/f'(0)|");
    const rows = csv(join(dir, "tables", "convergence.csv")).filter((r) =>
      r.method === "exact Taylor" && r.radius === "0.2"
    );
    assert.equal(rows.length, 6);
    assert.ok(Number(rows[5].nrmse) < Number(rows[0].nrmse) * 1e-3, "the error falls with the order");
    assert.match(conv.sections![0].heading, /^Convergence: tanh\.json$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dirname(file), { recursive: true, force: true });
  }
});

Deno.test("hope-expansion on the PyTorch ONNX fixture (2 inputs: the conv settings), path relative to the project root", async () => {
  if (!existsSync(projectPath(FIXTURE))) {
    console.log(`skipped: ${FIXTURE} is absent`);
    return;
  }
  const dir = Deno.makeTempDirSync({ prefix: "polylab-hope-onnx-" });
  try {
    await hopeExpansion(
      context(dir, { network: FIXTURE, conv: { order: 4, grid: 7, nearGrid: 5, range: 1 } }),
    );
    const r2 = csv(join(dir, "tables", "expansion_r2.csv"));
    assert.equal(r2.length, 2);
    assert.equal(r2[0].network, "onnx-nn2poly-tanh.onnx");
    const near = r2[1];
    assert.ok(Number(near.max_abs_residual_exact) < 1e-2, `near x0: ${near.max_abs_residual_exact}`);
    assert.ok(existsSync(join(dir, "figures", "network_surfaces.svg")));
    assert.ok(existsSync(join(dir, "tables", "network_coefficient_diff.csv")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("a network file the analysis cannot take is refused before any work, in one line", () => {
  const relu = tempFile("relu.json", {
    ...tanhNet,
    layers: [{ ...tanhNet.layers[0], activation: "relu" }, tanhNet.layers[1]],
  });
  const two = tempFile("two.json", {
    inputs: 2,
    layers: [{ activation: "tanh", weights: [[0], [1], [2]] }, { activation: "linear", weights: [[0], [1]] }],
  });
  const three = tempFile("three.json", {
    inputs: 3,
    layers: [{ activation: "tanh", weights: [[0], [1], [2], [3]] }, {
      activation: "linear",
      weights: [[0], [1]],
    }],
  });
  const twoOut = tempFile("twoout.json", {
    inputs: 1,
    layers: [{ activation: "tanh", weights: [[0], [1]] }, {
      activation: "linear",
      weights: [[0, 1], [1, 1]],
    }],
  });
  try {
    for (const validate of [validateHopeExpansionParams, validateHopeConvergenceParams]) {
      refuses(
        validate,
        { network: "no/such/net.onnx" },
        /^params\.network: .*no\/such\/net\.onnx: cannot read the file/,
      );
      refuses(validate, { network: twoOut }, /^params\.network: .*2 outputs/);
    }
    refuses(
      validateHopeExpansionParams,
      { network: three },
      /^params\.network: .*three\.json has 3 inputs; hope-expansion draws networks of 1 input/,
    );
    refuses(
      validateHopeConvergenceParams,
      { network: two },
      /^params\.network: .*two\.json has 2 inputs and 1 outputs; hope-convergence expands f: ℝ → ℝ/,
    );
    refuses(
      validateHopeConvergenceParams,
      { network: relu },
      /^params\.network: .*relu\.json: layers\[0\] is "relu", which has no Taylor series at its kink/,
    );
    validateHopeExpansionParams({ network: relu }); // the local engines expand a kink-free point of a relu network
    validateHopeExpansionParams({ network: two });
    if (existsSync(projectPath(RELU_ONNX))) {
      refuses(validateHopeExpansionParams, { network: RELU_ONNX }, /^params\.network: .*3 inputs/);
    }
  } finally {
    for (const f of [relu, two, three, twoOut]) rmSync(dirname(f), { recursive: true, force: true });
  }
});
