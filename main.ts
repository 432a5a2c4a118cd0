/**
 * polylab command line: `run`, `poly`, `bench`, `reproduce`. See `deno task run --help`.
 *
 * @module
 */

import { EXIT_USAGE, UsageError } from "./lib/cli/errors.ts";
import { formatFailure } from "./lib/cli/failure.ts";
import { polyCommand } from "./lib/cli/poly.ts";

const HELP = `polylab — turn trained neural networks into polynomials, reproduce the papers.

Commands (each has --help):
  deno task run EXPERIMENT [--full] [--set path=value]… [--seed N] [--out DIR] [--workers N] [--resume]
                          [--shard i/n | --aggregate] [--yes] [--force] [--quiet]
  deno task run --list
  deno task submit EXPERIMENT --slurm [--tasks N] [--parallel M] [--partition P] [--time T] [--dry-run]
                          [--only-missing] [run flags]
  deno task poly nn2poly|taylor FILE.json [options]
  deno task bench [--baseline REF] [--only PATTERNS] [--samples N] [--anchors] | --list | --report
  deno task reproduce [--full] [--only NAME]`;

/** Runs one command line (without the error formatting of {@link runCli}); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "poly": {
      // the Taylor engines (and tfjs, for autodiff) are loaded only for `poly taylor`
      const out = await polyCommand(
        rest,
        async (json, flags) => (await import("./lib/cli/taylor.ts")).taylorRunner(json, flags),
      );
      if (typeof out.help === "string") console.log(out.help);
      else console.log(JSON.stringify(out));
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return command === undefined ? EXIT_USAGE : 0;
    default: {
      const modules: Record<string, () => Promise<{ default: (args: string[]) => Promise<number> }>> = {
        run: () => import("./lib/cli/run.ts"),
        bench: () => import("./lib/cli/bench.ts"),
        submit: () => import("./lib/cli/submit.ts"),
        reproduce: () => import("./lib/cli/reproduce.ts"),
      };
      const load = modules[command];
      if (!load) {
        throw new UsageError(
          `unknown command "${command}"; use run, poly, submit, bench or reproduce (see --help)`,
        );
      }
      return await (await load()).default(rest);
    }
  }
}

/**
 * The command line as a function: runs `argv`, prints errors the way the CLI does (one line for bad
 * input and file-system errors, a stack trace only for internal errors) and returns the exit code.
 * The fuzz tests drive it in-process.
 */
export async function runCli(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    const { text, code } = formatFailure(e);
    console.error(text);
    return code;
  }
}

if (import.meta.main) {
  Deno.exitCode = await runCli(Deno.args);
}
