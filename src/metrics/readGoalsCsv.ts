import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { err, ok, type Result } from '../core/result.js';
import { type GoalInput, validateGoal } from './goals.js';

const COLUMNS = ['scope', 'source', 'owner', 'metric', 'period', 'period_start', 'target'];
const REQUIRED = ['source', 'metric', 'period', 'period_start', 'target'];

/**
 * Reads a goals CSV (header: source, owner, metric, period, period_start, target; scope optional)
 * and validates every row. Any bad row fails the whole file, each error naming its line and
 * field, so a half-imported plan never reaches the database.
 */
export async function readGoalsCsv(
  path: string,
  sources: readonly string[],
): Promise<Result<GoalInput[], string[]>> {
  const errors: string[] = [];
  const goals: GoalInput[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  let header: string[] | undefined;
  try {
    for await (const rec of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (!header) {
        header = Object.keys(rec.record);
        const missing = REQUIRED.filter((c) => !header?.includes(c));
        const unknown = header.filter((c) => !COLUMNS.includes(c));
        if (missing.length > 0) return err([`line 1: missing column(s) ${missing.join(', ')}`]);
        if (unknown.length > 0)
          return err([`line 1: unknown column(s) ${unknown.join(', ')} (known: ${COLUMNS.join(', ')})`]);
      }
      const v = validateGoal(rec.record, sources);
      if (v.ok) goals.push(v.value);
      else errors.push(`line ${rec.info.lines}: ${v.error}`);
    }
  } catch (e) {
    return err([`${path}: ${(e as Error).message}`]);
  }
  return errors.length > 0 ? err(errors) : ok(goals);
}
