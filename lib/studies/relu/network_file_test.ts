/**
 * relu-shallow on a network file (`params.network`) measured without training: a ReLU fixture of
 * ../shared/fixtures/relu (polylab JSON; its region counts are the reference) and the refusals of
 * files it cannot take (skipped with a message when the fixture folders are absent).
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.ts";
import { projectPath } from "../../io/project_path.ts";
import { reluShallow, validateReluShallowParams } from "./shallow_study.ts";
import { analysisContext } from "../../../tests/analysis_context.ts";

const FIXTURE = "../shared/fixtures/relu/relu-101-002.json"; // 2 inputs, 7 relu units, 1 output
const MIXED_ONNX = "../shared/fixtures/models/onnx-export-relu-leaky-elu.onnx"; // relu, leaky_relu and elu (torch)

const csv = (path: string) => {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const keys = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((x, i) => [keys[i], x])));
};

function refuses(params: Record<string, unknown>, re: RegExp) {
  assert.throws(() => validateReluShallowParams(params), (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, got ${e}`);
    assert.match(e.message, re);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

Deno.test({
  name: "relu-shallow measures a ReLU network file without training: the fixture's region counts, exact twin",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    if (!existsSync(projectPath(FIXTURE))) {
      console.log(`skipped: ${FIXTURE} is absent`);
      return;
    }
    const fx = JSON.parse(readFileSync(projectPath(FIXTURE), "utf8"));
    const dir = Deno.makeTempDirSync({ prefix: "polylab-relu-file-" });
    try {
      const out = await reluShallow(analysisContext(dir, {
        network: FIXTURE,
        box: fx.box_for_count,
        randomPoints: 500,
        boundaryPoints: 50,
        maps: ["file:7"],
        weights: { network: "file:7", regions: 5 },
      }, 1));
      const rows = csv(join(dir, "tables", "networks.csv"));
      assert.equal(rows.length, 1);
      assert.equal(rows[0].network, "file:7");
      assert.equal(rows[0].fit, "", "a file network has no training fit");
      assert.equal(Number(rows[0].regions), fx.region_count);
      assert.equal(Number(rows[0].regions_box), fx.region_count_box);
      assert.ok(Number(rows[0].max_err_random) <= 1e-9 && Number(rows[0].max_err_boundary) <= 1e-9);
      for (const f of ["regions_file_7.svg", "twin_file_7.svg", "weights_file_7.svg"]) {
        assert.ok(existsSync(join(dir, "figures", f)), f);
      }
      assert.match(
        out.sections![0].text!,
        /1 ReLU network \(0 trained, and \.\.\/shared\/fixtures\/relu\/relu-101-002\.json as "file:7"\)/,
      );
      assert.match(out.sections![0].text!, /too few networks with different region counts to fit a slope/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

Deno.test("relu-shallow refuses a network file it cannot take before any work, in one line", () => {
  const tmp = Deno.makeTempDirSync({ prefix: "polylab-relu-file-bad-" });
  const write = (name: string, value: unknown) => {
    writeFileSync(join(tmp, name), JSON.stringify(value));
    return join(tmp, name);
  };
  const tanh = write("tanh.json", {
    inputs: 2,
    layers: [{ activation: "tanh", weights: [[0], [1], [2]] }, { activation: "linear", weights: [[0], [1]] }],
  });
  const three = write("three.json", {
    inputs: 3,
    layers: [{ activation: "relu", weights: [[0, 1], [1, 0], [2, 1], [0, 1]] }, {
      activation: "linear",
      weights: [[0], [1], [1]],
    }],
  });
  try {
    refuses({}, /^params\.tasks: give at least one task to train, or params\.network/);
    refuses({ network: "no/such.json" }, /^params\.network: .*no\/such\.json: cannot read the file/);
    refuses(
      { network: tanh },
      /^params\.network: .*tanh\.json: layers\[0\]\.activation: hidden layers must be "relu" or "leaky_relu"/,
    );
    refuses(
      { network: three, maps: ["file:2"] },
      /^params\.maps\[0\]: "file:2" has p = 3; region maps need p = 2$/,
    );
    refuses(
      { network: three, maxRegions: 3 },
      /^params\.network: the first hidden layer of .*three\.json \(2 units\) alone creates 4 activation regions over ℝ\^3, above params\.maxRegions \(3\)/,
    );
    refuses(
      {
        network: three,
        tasks: [{ name: "file", kind: "paraboloid", p: 2, samples: 50, architectures: [[3]] }],
      },
      /^params\.tasks: a task named "file" clashes with params\.network's name/,
    );
    validateReluShallowParams({ network: three, weights: { network: "file:2", regions: 2 } });
    if (existsSync(projectPath(MIXED_ONNX))) {
      refuses(
        { network: MIXED_ONNX },
        /^params\.network: .*: layers\[\d\]\.activation: hidden layers must be "relu" or "leaky_relu", got "elu"/,
      );
    } else console.log(`skipped the ONNX case: ${MIXED_ONNX} is absent`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
