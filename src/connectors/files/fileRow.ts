/** One row of a data file, numbered by the physical line it starts on (1 = the first line). */
export type FileRow =
  | { line: number; record: Record<string, unknown> }
  /** A row that could not be read: `payload` is what the file holds there, as text. */
  | { line: number; error: string; payload: string };

export type FileFormat = 'csv' | 'jsonl';

/** Rows come in batches (hundreds at a time): a per-row await would cost more than the parse. */
export type RowBatches = AsyncIterable<FileRow[]>;

export const BATCH_ROWS = 1_000;
