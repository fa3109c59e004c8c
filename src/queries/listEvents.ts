import type { Queryable } from '../store/db.js';

export interface EventFilter {
  source?: string | undefined;
  type?: string | undefined;
  lead?: string | undefined;
  limit: number;
  after?: number | undefined;
}

/**
 * The event log in storage order (`id`), paginated by the last id seen: a consumer can tail it.
 * `type` matches the unified type (`lead.step_changed`) or the provider's name (`lead.step.changed`).
 */
export async function listEvents(db: Queryable, f: EventFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...v: unknown[]) => {
    let s = sql;
    for (const x of v) {
      params.push(x);
      s = s.replace('?', `$${params.length}`);
    }
    where.push(s);
  };
  if (f.source) add('source_id = ?', f.source);
  if (f.type) add("(type = ? OR meta->>'event' = ?)", f.type, f.type);
  if (f.lead) add("entity_type = 'lead' AND entity_id = ?", f.lead);
  if (f.after !== undefined) add('id > ?', f.after);
  params.push(f.limit + 1);
  const { rows } = await db.query<{ id: number }>(
    `SELECT id, source_id AS source, external_id, type, meta->>'event' AS provider_event, entity_type, entity_id,
            channel, occurred_at, received_at, data, raw
     FROM leadhouse.events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { data: page, next_cursor: more ? String(page[page.length - 1]!.id) : null };
}
