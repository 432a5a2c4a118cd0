import assert from "node:assert/strict";
import { join } from "node:path";
import { buildReport, formatSeeds, type ReportInput, writeReport } from "./report.ts";

const input: ReportInput = {
  title: "NN2Poly simulation",
  description: "Reproduces the simulation study.",
  summary: {
    status: "completed",
    runId: "2024-01-01T00-00-00Z-abc",
    startedAt: "2024-01-01T00:00:00Z",
    finishedAt: "2024-01-01T00:10:00Z",
    durationSeconds: 600.04,
    seeds: [1, 2, 3, 4, 9],
    cells: { total: 12, finished: 11, failed: 1 },
    extra: { "git commit": "abc123" },
  },
  tables: [{
    caption: "MSE by cell",
    table: { rows: [{ width: 50, mse: 0.000123456 }] },
    csvPath: "tables/mse.csv",
  }],
  figures: [{
    caption: "MSE [log] boxplot",
    path: "figures/mse boxplot.svg",
    notes: ["1 value ≤ 0 dropped"],
  }],
};

Deno.test("buildReport renders summary, tables and figures deterministically", () => {
  const md = buildReport(input);
  assert.equal(
    md,
    [
      "# NN2Poly simulation",
      "",
      "Reproduces the simulation study.",
      "",
      "## Run summary",
      "",
      "- **Status:** completed",
      "- **Run id:** `2024-01-01T00-00-00Z-abc`",
      "- **Started:** 2024-01-01T00:00:00Z",
      "- **Finished:** 2024-01-01T00:10:00Z",
      "- **Duration:** 600.0 s",
      "- **Cells:** 11/12 finished, 1 failed",
      "- **Seeds:** 1–4, 9 (5)",
      "- **git commit:** abc123",
      "",
      "## Tables",
      "",
      "**MSE by cell**",
      "",
      "| width | mse |",
      "| ---: | ---: |",
      "| 50 | 0.0001235 |",
      "",
      "[CSV](tables/mse.csv)",
      "",
      "## Figures",
      "",
      "![MSE \\[log\\] boxplot](figures/mse%20boxplot.svg)",
      "",
      "*1 value ≤ 0 dropped*",
      "",
    ].join("\n"),
  );
  assert.equal(buildReport(input), md);
});

Deno.test("formatSeeds compresses contiguous runs", () => {
  assert.equal(formatSeeds([3, 1, 2, 2, 7, 8]), "1–3, 7, 8");
  assert.equal(formatSeeds([]), "");
});

Deno.test("report input errors name the field", () => {
  assert.throws(() => buildReport({ ...input, summary: { status: "" } }), /`summary.status` is required/);
  assert.throws(
    () => buildReport({ ...input, figures: [{ caption: "x", path: "../elsewhere.svg" }] }),
    /outside the run directory/,
  );
  assert.throws(
    () => buildReport({ ...input, figures: [{ caption: "x", path: "/abs/x.svg" }] }),
    /is absolute/,
  );
  assert.throws(
    () => buildReport({ ...input, figures: [{ caption: "", path: "figures/x.svg" }] }),
    /no `caption`/,
  );
});

Deno.test("writeReport writes report.md with paths relative to the run dir", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await writeReport(dir, {
      title: "t",
      description: "",
      summary: { status: "failed" },
      sections: [{
        heading: "Convergence",
        text: "Order vs error.",
        figures: [{ caption: "c", path: join(dir, "figures", "c.svg") }],
      }],
    });
    const md = await Deno.readTextFile(path);
    assert.match(md, /## Convergence\n\nOrder vs error\.\n\n!\[c\]\(figures\/c\.svg\)\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("long tables show their first rows in report.md and point to the CSV", () => {
  const rows = Array.from({ length: 75 }, (_, i) => ({ i }));
  const text = buildReport({
    title: "t",
    description: "d",
    summary: { status: "completed" },
    tables: [{ caption: "long", table: { rows }, csvPath: "tables/long.csv" }],
  });
  assert.match(text, /First 60 of 75 rows; the CSV has them all/);
  assert.ok(text.includes("| 59 |") && !text.includes("| 60 |"));
});
