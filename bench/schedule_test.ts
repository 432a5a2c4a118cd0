/** The schedule: the GitHub workflow parses and has the required structure; the self-hosted units agree. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT_DIR } from "./harness.ts";

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };

/** True when `field` is a valid cron field for the range [lo, hi] (numbers, *, lists, ranges, steps). */
function cronField(field: string, lo: number, hi: number): boolean {
  return field.split(",").every((part) => {
    const [range, step] = part.split("/");
    if (step !== undefined && !(Number(step) >= 1)) return false;
    if (range === "*") return true;
    const [a, b] = range.split("-").map(Number);
    return Number.isInteger(a) && a >= lo && a <= hi &&
      (b === undefined || (Number.isInteger(b) && b >= a && b <= hi));
  });
}

function validCron(expr: string): boolean {
  const f = expr.trim().split(/\s+/);
  const ranges: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  return f.length === 5 && f.every((x, i) => cronField(x, ...ranges[i]));
}

Deno.test("cron syntax check rejects malformed lines", () => {
  assert.ok(validCron("17 3 * * 1") && validCron("*/15 0-6 1,15 * *"));
  for (const bad of ["17 3 * *", "60 3 * * 1", "17 24 * * 1", "a b c d e", "17 3 * * 8"]) {
    assert.ok(!validCron(bad), bad);
  }
});

Deno.test("bench workflow: schedule + dispatch, README install, paired run, history branch, report, failure", async () => {
  const text = await Deno.readTextFile(join(ROOT_DIR, ".github", "workflows", "bench.yml"));
  const wf = parse(text);
  assert.ok(Array.isArray(wf.on.schedule) && wf.on.schedule.length > 0);
  for (const s of wf.on.schedule) assert.ok(validCron(s.cron), s.cron);
  assert.ok("workflow_dispatch" in wf.on);
  assert.equal(wf.permissions.contents, "write");
  const jobs = Object.values(wf.jobs) as { "runs-on": string; steps: Step[] }[];
  assert.equal(jobs.length, 1);
  const steps = jobs[0].steps;
  assert.ok(jobs[0]["runs-on"]);
  for (const s of steps) {
    assert.ok((s.uses !== undefined) !== (s.run !== undefined), `step ${s.name}: uses or run`);
  }
  const runs = steps.map((s) => s.run ?? "").join("\n");
  // installs with the README's commands (same Deno version as the README's set-up)
  const readme = await Deno.readTextFile(join(ROOT_DIR, "README.md"));
  const denoVersion = readme.match(/npx --yes deno@([\d.]+)/)![1];
  assert.match(runs, new RegExp(`npx --yes deno@${denoVersion.replaceAll(".", "\\.")} install`));
  assert.match(runs, /task bench --baseline "\$BASELINE" --history \.\.\/history\/history\.jsonl/);
  assert.equal(wf.env.PINNED_BASELINE, "bench-baseline");
  assert.match(runs, /git push origin "HEAD:\$HISTORY_BRANCH"/);
  const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout") && s.with?.path === "polylab");
  assert.equal(checkout?.with?.["fetch-depth"], 0); // the baseline commit must be reachable
  assert.ok(steps.some((s) => s.uses?.startsWith("actions/upload-artifact") && s.if?.includes("always()")));
  const last = steps.at(-1)!;
  assert.match(last.if!, /steps\.bench\.outputs\.code != '0'/);
  assert.match(last.run!, /exit 1/);
  // the order: install before the run, the run before pushing and uploading
  const at = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? s.uses ?? ""));
  assert.ok(at(/deno@[\d.]+ install/) < at(/task bench/));
  assert.ok(at(/task bench/) < at(/git push/) && at(/task bench/) < at(/upload-artifact/));
});

Deno.test("self-hosted schedule: systemd units and the README's crontab line", async () => {
  const service = await Deno.readTextFile(join(ROOT_DIR, "tools", "bench", "polylab-bench.service"));
  const timer = await Deno.readTextFile(join(ROOT_DIR, "tools", "bench", "polylab-bench.timer"));
  assert.match(service, /^ExecStart=.*task bench --baseline bench-baseline/m);
  assert.match(service, /^Type=oneshot$/m);
  assert.match(timer, /^OnCalendar=\S.*$/m);
  assert.match(timer, /^WantedBy=timers\.target$/m);
  const readme = await Deno.readTextFile(join(ROOT_DIR, "README.md"));
  const cron = readme.match(/^\s*(\S+ \S+ \S+ \S+ \S+) +cd .* task bench --baseline bench-baseline.*$/m);
  assert.ok(cron, "README: crontab line");
  assert.ok(validCron(cron[1]));
});
