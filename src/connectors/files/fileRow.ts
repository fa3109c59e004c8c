/**
 * One row of a data file, numbered by the physical line it starts on (1 = the first line).
 * A record is its column names and values side by side: every CSV row shares the header's
 * `keys` array (so a column lookup is resolved once per file, not per row).
 */
export type FileRow = FileRecord | FileError;

export interface FileRecord {
  line: number;
  keys: readonly string[];
  values: readonly unknown[];
  /** The record as JSON text, when the file holds it so (a JSON Lines line). */
  json?: string;
}

/** A row that could not be read: `payload` is what the file holds there, as text. */
export interface FileError {
  line: number;
  error: string;
  payload: string;
}

export type FileFormat = 'csv' | 'jsonl';

/** Rows come in batches (hundreds at a time): a per-row await would cost more than the parse. */
export type RowBatches = AsyncIterable<FileRow[]>;

export const BATCH_ROWS = 500;

let lastKeys: readonly string[] = [];
let keyParts: string[] = [];

/** The record as a JSON object text (keys in file order). */
export function recordJson(r: FileRecord): string {
  if (r.json !== undefined) return r.json;
  if (r.keys !== lastKeys) {
    // `{"a":`, `,"b":` … once per header, not once per row
    keyParts = r.keys.map((k, i) => `${i === 0 ? '{' : ','}${JSON.stringify(k)}:`);
    lastKeys = r.keys;
  }
  if (r.keys.length === 0) return '{}';
  let out = '';
  for (let i = 0; i < keyParts.length; i++) out += keyParts[i] + JSON.stringify(r.values[i] ?? null);
  return `${out}}`;
}
