import type { Queryable } from '../store/db.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { LEAD_COLUMNS, type LeadRow, leadJson } from './leadRow.js';

export interface LeadFilter {
  source?: string | undefined;
  status?: string | undefined;
  step?: string | undefined;
  owner?: string | undefined;
  updatedSince?: Date | undefined;
  includeDeleted?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Leads in (updated_at, source, id) order, keyset-paginated: a consumer that follows
 * `next_cursor` sees every lead once even while leads change.
 */
export async function listLeads(db: Queryable, f: LeadFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.source) add('source_id = ?', f.source);
  if (f.status) add('status = ?', f.status);
  if (f.step) add(/^\d+$/.test(f.step) ? 'step_id = ?::bigint' : 'step = ?', f.step);
  if (f.owner) add('owner_email = ?', f.owner.toLowerCase());
  if (f.updatedSince) add('updated_at >= ?', f.updatedSince.toISOString());
  if (!f.includeDeleted) where.push('deleted_at IS NULL');
  if (f.cursor) {
    const k = decodeCursor(f.cursor, 3);
    if (!k) return { error: 'query parameter "cursor" is not a cursor this API returned' } as const;
    params.push(k[0], k[1], k[2]);
    const n = params.length;
    where.push(`(updated_at, source_id, lead_id) > ($${n - 2}::timestamptz, $${n - 1}::text, $${n}::text)`);
  }
  params.push(f.limit + 1);
  const { rows } = await db.query<LeadRow>(
    `SELECT ${LEAD_COLUMNS} FROM leadhouse.leads
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY updated_at, source_id, lead_id LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map(leadJson),
    next_cursor:
      more && last ? encodeCursor([last.updated_at.toISOString(), last.source_id, last.lead_id]) : null,
  } as const;
}
