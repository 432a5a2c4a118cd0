/**
 * A small RFC 4180 CSV reader: comma-separated fields, optional double quotes (a doubled quote
 * inside quotes is one quote), LF or CRLF line ends, a header row. Pure: text in, strings out.
 *
 * @module
 */

/** A parsed CSV file: the header and the data rows (each as long as the header). */
export interface CsvTable {
  /** Column names from the first row. */
  readonly header: string[];
  /** Data rows as strings (quotes removed). */
  readonly rows: string[][];
}

/** Splits CSV text into records of fields. Throws with the line number on an unclosed quote. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      line++;
    } else field += c;
  }
  if (quoted) throw new Error(`line ${quoteLine}: a quoted field is never closed`);
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // blank lines carry no data
  return records.filter((r) => !(r.length === 1 && r[0].trim() === ""));
}

/**
 * Parses CSV text with a header row. Every data row must have as many fields as the header
 * (the error names the line).
 */
export function parseCsv(text: string): CsvTable {
  const records = parseCsvRecords(text);
  if (records.length === 0) throw new Error("the file is empty (expected a header row)");
  const header = records[0].map((h) => h.trim());
  const rows = records.slice(1);
  rows.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new Error(`data row ${i + 1}: ${r.length} fields, the header has ${header.length}`);
    }
  });
  return { header, rows };
}
