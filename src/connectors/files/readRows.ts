import { extname } from 'node:path';
import { err, ok, type Result } from '../../core/result.js';
import type { FileFormat, RowBatches } from './fileRow.js';
import { readCsv } from './readCsv.js';
import { readJsonl } from './readJsonl.js';

export type { FileFormat, FileRow, RowBatches } from './fileRow.js';

const BY_EXTENSION: Record<string, FileFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** The file's format: the one asked for, else the one its extension names. */
export function fileFormat(path: string, asked?: string): Result<FileFormat, string> {
  if (asked !== undefined) {
    if (asked === 'csv' || asked === 'jsonl') return ok(asked);
    return err(`unknown format ${JSON.stringify(asked)}: use csv or jsonl`);
  }
  const f = BY_EXTENSION[extname(path).toLowerCase()];
  return f ? ok(f) : err(`cannot tell the format of ${path} from its extension: use --format csv|jsonl`);
}

/** The file's rows, streamed in batches with their line numbers (see readCsv / readJsonl). */
export function readRows(path: string, format: FileFormat): RowBatches {
  return format === 'csv' ? readCsv(path) : readJsonl(path);
}
