/**
 * Test helpers of the bench room (not a test file itself).
 *
 * @module
 */

import type { RunRecord } from "./history.ts";

/** A valid history run with one case, fields overridable. */
export function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: 1,
    time: "2026-01-01T00:00:00.000Z",
    finished: "2026-01-01T00:01:00.000Z",
    trigger: "manual",
    commit: "abc",
    dirty: false,
    baseline_ref: null,
    baseline_commit: null,
    baseline_mode: null,
    machine: { fingerprint: "f", cpu: "cpu", cores: 2, memory_gib: 24, os: "linux", arch: "x86_64" },
    runtime: { deno: "2.9.6", v8: "15", typescript: "6" },
    lockfile_sha256: null,
    load_average: { start: null, end: null },
    settings: { samples: 2, warmup: 0, seed: 1, timeout_seconds: 9, only: null, anchors: false },
    cases: [{
      id: "s/a",
      suite: "s",
      version: "v",
      metric: "seconds",
      head: { samples: [0.1, 0.2], wall_seconds: [0.3, 0.4], warmup: [] },
    }],
    skipped: [],
    anchors: [],
    ...overrides,
  };
}
