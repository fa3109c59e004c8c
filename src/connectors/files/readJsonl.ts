import type { FileRow, RowBatches } from './fileRow.js';
import { readLines } from './readLines.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * JSON Lines: one JSON object per line; blank lines are skipped. A line that is not valid JSON,
 * or not an object, becomes an error row and reading goes on with the next line.
 */
export async function* readJsonl(path: string): RowBatches {
  for await (const lines of readLines(path)) {
    const out: FileRow[] = [];
    for (const { line, text, tooLong } of lines) {
      if (tooLong) {
        out.push({ line, error: 'line too long (over 8 MiB)', payload: text });
        continue;
      }
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        out.push({ line, error: `not valid JSON: ${(e as Error).message}`, payload: text });
        continue;
      }
      if (isObject(value))
        out.push({ line, keys: Object.keys(value), values: Object.values(value), json: text });
      else out.push({ line, error: 'not a JSON object', payload: text });
    }
    if (out.length > 0) yield out;
  }
}
