/**
 * How the command line reports a failure: a {@link UsageError} (bad input, refused before anything is
 * written) and an {@link IoError} (disk full, I/O error while writing) as one line, exit 2 and 5;
 * anything else is an internal error (a bug): its stack trace, exit 1.
 *
 * @module
 */

import { EXIT_INTERNAL, EXIT_IO, EXIT_USAGE, IoError, UsageError } from "../errors.ts";

/** The text to print on stderr and the exit code for an error thrown by a command. */
export function formatFailure(e: unknown): { text: string; code: number } {
  if (e instanceof UsageError) return { text: `error: ${oneLine(e.message)}`, code: EXIT_USAGE };
  if (e instanceof IoError) return { text: `error: ${oneLine(e.message)}`, code: EXIT_IO };
  const stack = e instanceof Error ? e.stack ?? `${e.name}: ${e.message}` : String(e);
  return { text: `internal error (a bug; please report it):\n${stack}`, code: EXIT_INTERNAL };
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ");
}
