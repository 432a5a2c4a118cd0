/**
 * Progress reporting: a live line on a terminal (cells done/total, current cell, ETA), plain
 * periodic lines when stderr is piped.
 *
 * @module
 */

/** Tracks and prints the progress of a run on stderr. */
export class Progress {
  readonly #total: number;
  #done = 0;
  #failed = 0;
  #current = "";
  readonly #start = performance.now();
  readonly #tty: boolean;
  #lastPlain = 0;
  readonly #encoder = new TextEncoder();
  readonly #quiet: boolean;
  /** Cells already finished before this process (resume): excluded from the ETA rate. */
  readonly #skipped: number;

  constructor(total: number, alreadyDone = 0, quiet = false) {
    this.#total = total;
    this.#done = alreadyDone;
    this.#tty = Deno.stderr.isTerminal();
    this.#quiet = quiet;
    this.#skipped = alreadyDone;
  }

  /** A cell started. */
  started(label: string): void {
    this.#current = label;
    this.#print(false);
  }

  /** A cell finished. */
  finished(ok: boolean): void {
    this.#done++;
    if (!ok) this.#failed++;
    this.#print(this.#done === this.#total);
  }

  /** Ends the live line. */
  close(): void {
    if (this.#tty && !this.#quiet) this.#write("\n");
  }

  #eta(): string {
    const ran = this.#done - this.#skipped;
    if (ran <= 0) return "?";
    const perCell = (performance.now() - this.#start) / 1000 / ran;
    const s = Math.round(perCell * (this.#total - this.#done));
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
  }

  #print(force: boolean): void {
    if (this.#quiet) return;
    const failed = this.#failed ? `, ${this.#failed} failed` : "";
    const line = `cells ${this.#done}/${this.#total}${failed} · ETA ${this.#eta()} · ${this.#current}`;
    if (this.#tty) {
      const cols = Deno.consoleSize?.().columns ?? 100;
      this.#write(`\r\x1b[2K${line.slice(0, cols - 1)}`);
    } else {
      const now = performance.now();
      if (force || now - this.#lastPlain > 10_000 || this.#done === 0) {
        this.#lastPlain = now;
        this.#write(`[polylab] ${line}\n`);
      }
    }
  }

  #write(s: string): void {
    Deno.stderr.writeSync(this.#encoder.encode(s));
  }
}
