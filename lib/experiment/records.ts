/**
 * Cell record files, `cells/<id>.json`: one per finished cell, written atomically, carrying the
 * config hash of the plan that made it. They are the unit of `--resume`, of `--shard` (a cell whose
 * record exists is skipped) and of `--aggregate`. Reading them sorts the files into good records,
 * corrupt ones (reported by file name and run again), records of another config (refused) and
 * files of cells the plan does not have.
 *
 * @module
 */

import { join } from "node:path";
import { IoError } from "../errors.ts";
import { isTempFileName, writeJsonAtomic } from "../io/atomic.ts";
import type { CellRecord } from "./cell.ts";
import type { Plan } from "./plan.ts";

/** Folder of the cell records inside a run folder. */
export const CELLS_DIR = "cells";

/** Writes a cell's record with the plan's config hash (atomically). */
export async function writeCellRecord(runDir: string, record: CellRecord, configHash: string): Promise<void> {
  await writeJsonAtomic(join(runDir, CELLS_DIR, `${record.id}.json`), { configHash, ...record });
}

/** The cell records of a run folder, sorted. */
export interface RecordScan {
  /** Good records of the plan's cells, by id (without their `configHash`). */
  records: Map<string, CellRecord>;
  /** Files that do not parse or are not cell records: `{file, reason}` (file relative to the run). */
  corrupt: { file: string; reason: string }[];
  /** Records written by another config (`{file, hash}`). */
  foreign: { file: string; hash: string | null }[];
  /** Record files of ids the plan does not have. */
  unplanned: string[];
}

/**
 * Reads every `cells/*.json` of `runDir`. A record without a config hash (written before hashes
 * were recorded) counts as the plan's when `trustUnhashed` (its folder's config.json matched).
 */
export function scanRecords(runDir: string, plan: Plan, hash: string, trustUnhashed = false): RecordScan {
  const scan: RecordScan = { records: new Map(), corrupt: [], foreign: [], unplanned: [] };
  const dir = join(runDir, CELLS_DIR);
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return scan;
    throw IoError.wrap(dir, e);
  }
  const planned = new Set(plan.cells.map((c) => c.id));
  for (const name of names) {
    if (!name.endsWith(".json") || isTempFileName(name)) continue;
    const file = `${CELLS_DIR}/${name}`;
    const id = name.slice(0, -".json".length);
    let text: string;
    try {
      text = Deno.readTextFileSync(join(dir, name));
    } catch (e) {
      throw IoError.wrap(join(dir, name), e);
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const why = text.trim() === "" ? "empty" : `not valid JSON: ${(e as Error).message.split("\n")[0]}`;
      scan.corrupt.push({ file, reason: why });
      continue;
    }
    const problem = recordProblem(parsed, id);
    if (problem) {
      scan.corrupt.push({ file, reason: problem });
      continue;
    }
    const { configHash, ...record } = parsed;
    if (configHash !== hash && !(configHash === undefined && trustUnhashed)) {
      scan.foreign.push({ file, hash: typeof configHash === "string" ? configHash : null });
      continue;
    }
    if (!planned.has(id)) {
      scan.unplanned.push(file);
      continue;
    }
    scan.records.set(id, record as unknown as CellRecord);
  }
  return scan;
}

/** Why a parsed file is not a cell record of `id`, or null. */
function recordProblem(r: Record<string, unknown>, id: string): string | null {
  if (typeof r !== "object" || r === null || Array.isArray(r)) return "not a JSON object";
  if (r.id !== id) return `its id ${JSON.stringify(r.id)} does not match the file name`;
  if (r.status !== "ok" && r.status !== "failed") {
    return `status ${JSON.stringify(r.status)} is not ok/failed`;
  }
  for (const key of ["metrics", "history", "predictions", "timings", "seeds"]) {
    if (typeof r[key] !== "object" || r[key] === null) return `"${key}" is missing`;
  }
  if (!Array.isArray(r.convergence)) return `"convergence" is missing`;
  if (typeof r.index !== "number" || typeof r.gridIndex !== "number") return "index fields are missing";
  return null;
}
