/**
 * Crash-safe file writes for run outputs (tables, figures, report.md, manifest.json, metrics.jsonl).
 *
 * Every write goes to a temp file in the target's own directory, is fsynced, and is then renamed
 * over the target. `rename` within one directory is atomic on POSIX file systems, so a reader sees
 * either the old complete file or the new complete file, never a half-written one. A crash between
 * "temp written" and "rename" leaves the target untouched plus a stray temp file, which
 * {@link cleanupTempFiles} removes (call it once at the start of a run or a `--resume`, before any
 * writer starts).
 *
 * metrics.jsonl design: {@link appendJsonLines} re-writes the whole file atomically (old content +
 * new lines). It can therefore never expose a torn line, and after a crash every line in the file is
 * a complete record — so `--resume` can read the file with {@link readJsonLines} and treat every
 * cell that has a final record as finished. The cost is O(file size) per append: append one batch
 * per finished cell (e.g. the cell's whole loss curve at once), not one line per epoch.
 * Appends to the same path are serialised within this process; concurrent appends to one file from
 * several *processes* are not supported (give each process its own file and merge afterwards).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { IoError } from "../errors.ts";

/** Prefix/infix that marks temp files created by this module: `.<name>.tmp-<pid>-<n>`. */
const TEMP_INFIX = ".tmp-";
const TEMP_NAME_PATTERN = /^\..+\.tmp-\d+-\d+$/;

let tempCounter = 0;

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** fsync the temp file before the rename (default true). Turn off only for throw-away output. */
  fsync?: boolean;
}

/** Name of the temp file used while writing `path` (same directory, hidden, unique per call). */
export function tempPathFor(path: string): string {
  tempCounter += 1;
  return join(dirname(path), `.${basename(path)}${TEMP_INFIX}${Deno.pid}-${tempCounter}`);
}

/** True when `fileName` (a base name, not a path) looks like a temp file left by this module. */
export function isTempFileName(fileName: string): boolean {
  return TEMP_NAME_PATTERN.test(fileName);
}

/**
 * Atomically replace `path` with `data` (string is written as UTF-8). Parent directories are
 * created. On any error the temp file is removed and the previous content of `path` is untouched;
 * an operating-system error (disk full, read-only folder, …) is thrown as an {@link IoError} naming
 * `path`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (typeof path !== "string" || path.length === 0) {
    throw new Error("writeFileAtomic: `path` must be a non-empty string (the target file path)");
  }
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw IoError.wrap(dirname(path), error);
  }
  const temp = tempPathFor(path);
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      if (options.fsync ?? true) await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw IoError.wrap(path, error);
  }
}

/**
 * Overwrites `path` in place (no temp file: not atomic). Only for the last word of a run that failed
 * because the disk is full, where a temp file cannot be created: the new text is written over the old
 * bytes and the file truncated to its length, so a file that grows by less than what is left of its
 * last block needs no new space.
 */
export async function rewriteInPlace(path: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  try {
    const file = await Deno.open(path, { write: true });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.truncate(bytes.length);
      await file.sync();
    } finally {
      file.close();
    }
  } catch (error) {
    throw IoError.wrap(path, error);
  }
}

/**
 * Atomically write `value` as pretty JSON (2-space indent, trailing newline). Key order is the
 * object's insertion order, so equal objects built the same way give byte-identical files.
 */
export async function writeJsonAtomic(
  path: string,
  value: unknown,
  options?: AtomicWriteOptions,
): Promise<void> {
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) {
    throw new Error(`writeJsonAtomic: \`value\` for ${path} is not JSON-serialisable (got ${typeof value})`);
  }
  await writeFileAtomic(path, text + "\n", options);
}

/** Per-path queue so appends from one process never race each other. */
const appendQueues = new Map<string, Promise<void>>();

/**
 * Append records to a JSON-Lines file (one `JSON.stringify(record)` per line) by atomically
 * rewriting the whole file. Readers never see a torn line. See the module doc for the cost model.
 */
export async function appendJsonLines(path: string, records: readonly unknown[]): Promise<void> {
  if (!Array.isArray(records)) {
    throw new Error("appendJsonLines: `records` must be an array (wrap a single record as [record])");
  }
  const lines = records.map((record, index) => {
    const line = JSON.stringify(record);
    if (line === undefined) {
      throw new Error(`appendJsonLines: records[${index}] for ${path} is not JSON-serialisable`);
    }
    return line + "\n";
  }).join("");
  const previous = appendQueues.get(path) ?? Promise.resolve();
  const next = previous.then(async () => {
    let existing = "";
    try {
      existing = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (existing.length > 0 && !existing.endsWith("\n")) existing += "\n";
    await writeFileAtomic(path, existing + lines);
  });
  // `tracked` never rejects (the caller gets the error via `next`), so no unhandled rejection.
  const tracked: Promise<void> = next.catch(() => {}).then(() => {
    if (appendQueues.get(path) === tracked) appendQueues.delete(path);
  });
  appendQueues.set(path, tracked);
  await next;
}

/** Append one record to a JSON-Lines file atomically (see {@link appendJsonLines}). */
export function appendJsonLine(path: string, record: unknown): Promise<void> {
  return appendJsonLines(path, [record]);
}

/**
 * Read a JSON-Lines file into an array of parsed records. A missing file gives `[]`. Blank lines are
 * skipped; a line that is not valid JSON throws an Error naming the file and line number.
 */
export async function readJsonLines<T = unknown>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const records: T[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      throw new Error(`readJsonLines: ${path} line ${i + 1} is not valid JSON: ${line.slice(0, 80)}`);
    }
  }
  return records;
}

/** Options for {@link cleanupTempFiles}. */
export interface CleanupOptions {
  /** Also descend into sub-directories (default true). */
  recursive?: boolean;
  /** Only remove temp files whose mtime is at least this old, in ms (default 0 = all). */
  olderThanMs?: number;
}

/**
 * Remove stray temp files (left by a crash between write and rename) under `dir`. Returns the
 * removed paths, sorted. A missing `dir` is not an error. Do not run it while writers are active
 * unless `olderThanMs` is set well above the longest write.
 */
export async function cleanupTempFiles(dir: string, options: CleanupOptions = {}): Promise<string[]> {
  const recursive = options.recursive ?? true;
  const olderThanMs = options.olderThanMs ?? 0;
  const removed: string[] = [];
  const visit = async (current: string): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(current));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(current, entry.name);
      if (entry.isDirectory && recursive) {
        await visit(full);
      } else if (entry.isFile && isTempFileName(entry.name)) {
        if (olderThanMs > 0) {
          const info = await Deno.stat(full);
          const age = Date.now() - (info.mtime?.getTime() ?? 0);
          if (age < olderThanMs) continue;
        }
        await Deno.remove(full).catch((error) => {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
        removed.push(full);
      }
    }
  };
  await visit(dir);
  return removed.sort();
}
