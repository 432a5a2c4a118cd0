/**
 * The error types the library raises and the exit codes the command line maps them to. The command
 * line (`lib/cli/`) only formats them: a {@link UsageError} becomes one line on stderr and exit code
 * {@link EXIT_USAGE}; an {@link IoError} one line naming the path, exit code {@link EXIT_IO}.
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

/**
 * A file-system failure while a run writes (disk full, read-only or vanished folder, I/O error):
 * one line naming the path and the operating system's reason, exit code {@link EXIT_IO}.
 */
export class IoError extends Error {
  /** The file or folder that could not be written. */
  readonly path: string;
  /** The operating system's error code (`ENOSPC`, `EROFS`, `EACCES`, `EIO`, …) when known. */
  readonly code: string | undefined;
  constructor(path: string, reason: string, code?: string) {
    super(`${path}: ${reason}`);
    this.name = "IoError";
    this.path = path;
    this.code = code;
  }

  /** Wraps an operating-system error raised while writing `path` (anything else is returned as is). */
  static wrap(path: string, error: unknown): unknown {
    if (error instanceof IoError || !(error instanceof Error)) return error;
    const code = (error as { code?: unknown }).code;
    const isOs = typeof code === "string" || error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory ||
      error instanceof Deno.errors.IsADirectory || error instanceof Deno.errors.AlreadyExists;
    if (!isOs) return error;
    // "No space left on device (os error 28): open '/x'" → "no space left on device (ENOSPC)"
    const reason = error.message.split("\n")[0].replace(/ \(os error \d+\).*$/, "").replace(/:\s.*$/, "");
    const text = reason.charAt(0).toLowerCase() + reason.slice(1);
    return new IoError(
      path,
      typeof code === "string" ? `${text} (${code})` : text,
      code as string | undefined,
    );
  }
}

/** Exit code: every cell finished and succeeded (or a command other than `run` succeeded). */
export const EXIT_OK = 0;
/** Exit code: an internal error (a bug: the message comes with a stack trace). */
export const EXIT_INTERNAL = 1;
/** Exit code for bad input: refused before anything is written (also a run folder held by another run). */
export const EXIT_USAGE = 2;
/** Exit code of `run`: the run finished but some cells failed (their reasons are in the manifest). */
export const EXIT_SOME_FAILED = 3;
/** Exit code of `run`: every cell failed. */
export const EXIT_ALL_FAILED = 4;
/** Exit code: a file-system error (disk full, I/O error) stopped the run; the manifest says `failed: …`. */
export const EXIT_IO = 5;
/** Exit code of `run --aggregate`: some planned cells have no record yet (they are listed). */
export const EXIT_MISSING = 6;
/** Exit code after Ctrl-C or SIGTERM (finished cells are kept; continue with `--resume`). */
export const EXIT_INTERRUPTED = 130;
