/**
 * The bench suite interface: what a suite author writes to put a method under `deno task bench`.
 *
 * A **suite** is a named list of **cases**. A case is one command run in a fresh Deno process with
 * the measured source tree as its working directory; the process prints one JSON object on stdout
 * and the case's `metric` field of it (default `seconds`, the method's own compute time) is one
 * sample. The runner repeats the command, stores every raw sample in the history, compares HEAD with
 * a baseline commit and draws trends; a suite only says *what* to run.
 *
 * ```ts
 * import { defineSuite } from "./suite.ts";
 *
 * export default defineSuite({
 *   name: "descramble",
 *   description: "descramble (optimize, closed form) on the 101 fixtures",
 *   cases: () => ["optimize", "closed-form"].map((method) => ({
 *     id: `descramble/101-001/${method}`,
 *     script: "main.ts",
 *     args: ["poly", "descramble", "@shared/fixtures/descramble/descramble-101-001.json", "--method", method],
 *   })),
 * });
 * ```
 *
 * Rules that keep results comparable across commits (see the README, "How to add a bench suite"):
 * - An id names one piece of work forever. Changing the work changes the case's **version** (a hash
 *   of its script, arguments, metric, revision and the content of every `@shared/`/`@work/` file it
 *   names, computed by {@link caseVersion}); results of different versions are never compared.
 * - `script` is `main.ts` (the CLI contracts, the most stable entry point) or a driver under
 *   `bench/drivers/`. When a baseline commit is measured, HEAD's case list and HEAD's `bench/drivers/`
 *   folder are used against the baseline's own `main.ts` and `lib/`, so drivers import only library
 *   modules (engines, the network value) and each other.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";

/** A value a case may keep beside its samples (facts, reference numbers). */
export type FactValue = number | string | boolean | null | number[];

/** One timed piece of work; see the module doc. */
export interface BenchCase {
  /** Stable id `suite/...`, segments of `[A-Za-z0-9._=+-]` joined by `/`; never reused for other work. */
  readonly id: string;
  /** `main.ts` or a driver `bench/drivers/NAME.ts`, run as `deno run -A <CLI v8 flags> SCRIPT ARGS`. */
  readonly script: string;
  /**
   * Arguments after the script. `@shared/…` is replaced by the shared folder (`../shared`, the
   * fixtures), `@work/…` by the folder the suite's `cases` wrote generated inputs to.
   */
  readonly args: readonly string[];
  /** Field of the child's stdout JSON holding the sample, in seconds (default `seconds`). */
  readonly metric?: string;
  /** Per-process time limit in seconds (default: `--timeout`). */
  readonly timeoutSeconds?: number;
  /** Bump when the work changes in a way the arguments do not show (e.g. a driver's meaning). */
  readonly revision?: number;
  /** Tags for `--only tag:NAME`, e.g. `quick` (the case takes well under a second). */
  readonly tags?: readonly string[];
  /** Facts about the case kept with its results (e.g. another implementation's recorded seconds). */
  readonly info?: Readonly<Record<string, FactValue>>;
  /**
   * Facts read from the first successful run's JSON (e.g. term count, error against a reference),
   * kept with the results. Keep them few and small; it must not throw.
   */
  readonly inspect?: (json: Record<string, unknown>) => Record<string, FactValue>;
}

/** What {@link BenchSuite.cases} receives. */
export interface SuiteContext {
  /** Absolute path of the shared folder (`../shared` beside the project). */
  readonly sharedDir: string;
  /** A fresh folder for generated inputs, named `@work/…` in case arguments. */
  readonly workDir: string;
}

/** Per-case results a suite's Markdown section is built from (one run of the history). */
export interface CaseSummary {
  /** The case id. */
  readonly id: string;
  /** Its `info`. */
  readonly info?: Readonly<Record<string, FactValue>>;
  /** What `inspect` returned. */
  readonly facts?: Readonly<Record<string, FactValue>>;
  /** HEAD's samples, in run order (seconds). */
  readonly samples: readonly number[];
  /** Their median (NaN without samples). */
  readonly median: number;
  /** Their minimum (NaN without samples). */
  readonly min: number;
  /** Largest peak RSS of the runs (MiB), when the command reported `peak_rss_mib`. */
  readonly peakRssMiB?: number;
  /** Why the case has no (or fewer) samples. */
  readonly error?: string;
}

/** A named list of cases. Register it in `bench/suites.ts`. */
export interface BenchSuite {
  /** Short name: the first segment of every case id. */
  readonly name: string;
  /** One line for `--list` and the report. */
  readonly description: string;
  /**
   * The cases (may write generated inputs into `ctx.workDir`), or `{ skip }` with a one-line reason
   * when the suite cannot run here (e.g. its fixtures are absent).
   */
  cases(
    ctx: SuiteContext,
  ): readonly BenchCase[] | { skip: string } | Promise<readonly BenchCase[] | { skip: string }>;
  /** Optional Markdown section (suite-specific columns, targets) from one run's results of its cases. */
  section?(results: readonly CaseSummary[]): string;
}

/** Identity helper that type-checks a suite definition. */
export function defineSuite(suite: BenchSuite): BenchSuite {
  return suite;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*(\/[A-Za-z0-9._=+-]+)+$/;

/** Why a case definition is unusable, or undefined when it is fine (checked before anything runs). */
export function caseProblem(suite: BenchSuite, c: BenchCase): string | undefined {
  if (!ID_PATTERN.test(c.id)) {
    return `case id "${c.id}": expected "suite/name" with [A-Za-z0-9._=+-] segments`;
  }
  if (!c.id.startsWith(`${suite.name}/`)) return `case id "${c.id}": must start with "${suite.name}/"`;
  if (c.script !== "main.ts" && !/^bench\/drivers\/[\w.-]+\.ts$/.test(c.script)) {
    return `case ${c.id}: script must be main.ts or bench/drivers/NAME.ts, got "${c.script}"`;
  }
  if (c.timeoutSeconds !== undefined && !(c.timeoutSeconds > 0)) {
    return `case ${c.id}: timeoutSeconds must be positive`;
  }
  return undefined;
}

/** Resolves `@shared/` and `@work/` in one argument. */
export function resolveArg(arg: string, ctx: SuiteContext): string {
  if (arg.startsWith("@shared/")) return join(ctx.sharedDir, arg.slice("@shared/".length));
  if (arg.startsWith("@work/")) return join(ctx.workDir, arg.slice("@work/".length));
  return arg;
}

/** SHA-256 (hex) of bytes or a string. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The case's version: 12 hex digits of SHA-256 over its script, arguments (placeholders as
 * written, so the hash does not depend on where the project lives), metric, revision and the
 * content hash of every `@shared/`/`@work/` file its arguments name (absent file: "missing").
 */
export async function caseVersion(c: BenchCase, ctx: SuiteContext): Promise<string> {
  const files: Record<string, string> = {};
  for (const arg of c.args) {
    if (!arg.startsWith("@shared/") && !arg.startsWith("@work/")) continue;
    try {
      files[arg] = sha256Hex(await Deno.readFile(resolveArg(arg, ctx)));
    } catch {
      files[arg] = "missing";
    }
  }
  const key = {
    script: c.script,
    args: c.args,
    metric: c.metric ?? "seconds",
    revision: c.revision ?? 0,
    files,
  };
  return sha256Hex(JSON.stringify(key)).slice(0, 12);
}

/**
 * True when `id` matches `pattern`: a glob over ids (`*` matches any characters, `/` included), or,
 * without `*`, any id containing the pattern; `tag:NAME` matches cases tagged NAME.
 */
export function matchesPattern(pattern: string, c: Pick<BenchCase, "id" | "tags">): boolean {
  if (pattern.startsWith("tag:")) return (c.tags ?? []).includes(pattern.slice(4));
  if (!pattern.includes("*")) return c.id.includes(pattern);
  const re = new RegExp(
    `^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`,
  );
  return re.test(c.id);
}
