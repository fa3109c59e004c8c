import { createReadStream } from 'node:fs';
import { BATCH_ROWS } from './fileRow.js';

export interface Line {
  line: number;
  text: string;
  /** The line was longer than MAX_LINE_CHARS: `text` holds its start only. */
  tooLong?: true;
}

/** A longer line is not held in memory: it is reported with its first characters. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;
const KEEP_OF_LONG_LINE = 1024;

/**
 * The file's lines from `fromLine` on (1-based), without their `\n` / `\r\n` (and without a
 * leading byte-order mark), in batches. Streamed: one read buffer and one batch in memory at a time.
 */
export async function* readLines(path: string, fromLine = 1): AsyncIterable<Line[]> {
  let rest = '';
  let skipping: Line | undefined; // inside a line that is too long
  let n = 0;
  let batch: Line[] = [];
  const take = (text: string) => {
    n += 1;
    if (n < fromLine) return;
    const t = n === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    batch.push({ line: n, text: t.endsWith('\r') ? t.slice(0, -1) : t });
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    let text = rest + (chunk as string);
    let start = 0;
    if (skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) continue;
      n += 1;
      if (n >= fromLine) batch.push(skipping);
      skipping = undefined;
      start = nl + 1;
    }
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
    }
    text = text.slice(start);
    if (text.length > MAX_LINE_CHARS) {
      skipping = { line: n + 1, text: text.slice(0, KEEP_OF_LONG_LINE), tooLong: true };
      text = '';
    }
    rest = text;
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (skipping) {
    n += 1;
    if (n >= fromLine) batch.push(skipping);
  } else if (rest !== '') take(rest);
  if (batch.length > 0) yield batch;
}
