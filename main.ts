/**
 * polylab command line: `run`, `poly`, `bench`, `reproduce`. See `deno task run --help`.
 *
 * @module
 */

import { EXIT_USAGE, UsageError } from "./lib/cli/errors.ts";
import { polyCommand } from "./lib/cli/poly.ts";

const HELP = `polylab — turn trained neural networks into polynomials, reproduce the papers.

Commands (each has --help):
  deno task run EXPERIMENT [--full] [--set path=value]… [--seed N] [--out DIR] [--workers N] [--resume]
  deno task run --list
  deno task poly nn2poly|taylor FILE.json [options]
  deno task bench [--baseline REF] [--only PATTERNS] [--samples N] [--anchors] | --list | --report
  deno task reproduce [--full] [--only NAME]`;

async function main(argv: string[]): Promise<number> {
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
        reproduce: () => import("./lib/cli/reproduce.ts"),
      };
      const load = modules[command];
      if (!load) {
        throw new UsageError(`unknown command "${command}"; use run, poly, bench or reproduce (see --help)`);
      }
      return await (await load()).default(rest);
    }
  }
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main(Deno.args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      Deno.exitCode = EXIT_USAGE;
    } else {
      throw e;
    }
  }
}
