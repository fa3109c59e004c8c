import type { Queryable } from '../store/db.js';
import type { MetricRow } from './types.js';

export async function runSql(db: Queryable, q: { text: string; values: unknown[] }): Promise<MetricRow[]> {
  const { rows } = await db.query<MetricRow>(q.text, q.values);
  return rows;
}
