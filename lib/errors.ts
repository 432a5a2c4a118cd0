/**
 * The error types the library raises. The command line (`lib/cli/`) only formats them: a
 * {@link UsageError} becomes one line on stderr and exit code {@link EXIT_USAGE}.
 *
 * @module
 */

/** A bad input (flag, file, config): printed as one line naming the field and the fix, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit code for bad input. */
export const EXIT_USAGE = 2;
