/**
 * `deno task check [--help]`: the static checks — `deno fmt --check`, `deno lint` and `deno check` of
 * the entry points (files or folders) given on the task's command line (deno.json lists them after this script). A task
 * passes its extra arguments to its last command only, so this script owns the arguments: `--help`
 * prints the help and runs nothing; any other flag is refused (exit 2).
 *
 * @module
 */

const HELP = `Usage: deno task check

Runs the static checks: deno fmt --check (lineWidth 110), deno lint, deno check of the entry points.
Exit code 0 when all pass, 1 when one fails, 2 for an unknown argument.`;

const entryPoints = Deno.args.filter((a) => !a.startsWith("-"));
const flags = Deno.args.filter((a) => a.startsWith("-"));
if (flags.includes("--help") || flags.includes("-h")) {
  console.log(HELP);
  Deno.exit(0);
}
if (flags.length > 0) {
  console.error(`error: check: unknown argument "${flags[0]}"; see deno task check --help`);
  Deno.exit(2);
}
for (const args of [["fmt", "--check"], ["lint"], ["check", ...entryPoints]]) {
  const { code } = await new Deno.Command(Deno.execPath(), { args, stdout: "inherit", stderr: "inherit" })
    .output();
  if (code !== 0) Deno.exit(1);
}
