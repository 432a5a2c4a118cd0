import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_THRESHOLDS } from "./compare.ts";
import type { RunRecord } from "./history.ts";
import { sampleRun } from "./test_helpers.ts";
import { README_BEGIN, README_END, suiteSections, updateReadme, writeReport } from "./report.ts";
import { defineSuite } from "./suite.ts";

const suite = defineSuite({
  name: "s",
  description: "test suite",
  cases: () => [],
  section: (cases) => `## S\n\n${cases.map((c) => `${c.id}=${c.median}`).join(", ")}`,
});

const withCases = (
  time: string,
  medians: Record<string, number>,
  extra: Partial<RunRecord> = {},
): RunRecord =>
  sampleRun({
    time,
    cases: Object.entries(medians).map(([id, m]) => ({
      id,
      suite: "s",
      version: "v",
      metric: "seconds",
      head: { samples: [m], wall_seconds: [m], warmup: [] },
    })),
    ...extra,
  });

Deno.test("suite sections come from the latest run that covered the suite most completely", () => {
  const runs = [
    withCases("2026-01-01T00:00:00.000Z", { "s/a": 1, "s/b": 2 }),
    withCases("2026-01-02T00:00:00.000Z", { "s/a": 3, "s/b": 4 }),
    withCases("2026-01-03T00:00:00.000Z", { "s/a": 5 }), // --only s/a
  ];
  const [section] = suiteSections(runs, [suite]);
  assert.match(section, /s\/a=3, s\/b=4/);
  assert.match(section, /From run 2026-01-02/);
});

Deno.test("report: paired table with marks, skipped history lines, no figures needed; README block replaced", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const paired = withCases("2026-01-02T00:00:00.000Z", { "s/a": 2 }, {
      baseline_ref: "HEAD~1",
      baseline_commit: "0123456789abcdef",
      baseline_mode: "legacy",
    });
    paired.cases[0].baseline = { samples: [1], wall_seconds: [1], warmup: [] };
    paired.cases[0].comparison = {
      ratio: 2,
      ci_low: 1.8,
      ci_high: 2.2,
      p: 1e-5,
      p_holm: 1e-5,
      test: "exact",
      threshold: 0.1,
      mark: "regression",
    };
    const runs = [withCases("2026-01-01T00:00:00.000Z", { "s/a": 1 }), paired];
    const { text } = await writeReport({
      runs,
      problems: ["h.jsonl:3: not JSON; line skipped"],
      suites: [suite],
      thresholds: DEFAULT_THRESHOLDS,
      out: dir,
      figures: false,
    });
    assert.equal(await Deno.readTextFile(join(dir, "report.md")), text);
    assert.match(text, /## Paired comparison with HEAD~1 \(0123456789, older than the suite registry/);
    assert.match(
      text,
      /\| \+ \| s\/a \| 1 \| 2 \| 2\.000 \| 1\.800–2\.200 \| 1\.0e-5 \| 10 % \| regression \|/,
    );
    assert.match(text, /Result: 1 regression\./);
    assert.match(text, /## History lines skipped\n\n- h\.jsonl:3: not JSON/);
    assert.match(text, /\[!\[s\/a\]\(trends\/s__a\.png\)\]\(trends\/s__a\.svg\)/);

    const readme = join(dir, "README.md");
    await Deno.writeTextFile(readme, `# T\n\nbefore\n\n${README_BEGIN}\nold\n${README_END}\n\nafter\n`);
    assert.ok(await updateReadme(readme, runs, [suite], join(dir, "report.md")));
    const updated = await Deno.readTextFile(readme);
    assert.match(updated, /before\n\n<!-- bench:begin[^\n]*-->\n\nLatest: Run 2026-01-02/);
    assert.match(updated, /#### S\n\ns\/a=2/);
    assert.ok(!updated.includes("\nold\n") && updated.endsWith(`${README_END}\n\nafter\n`));
    await Deno.writeTextFile(readme, "# no markers\n");
    assert.equal(await updateReadme(readme, runs, [suite], join(dir, "report.md")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
