import type { Queryable } from '../store/db.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { LEAD_COLUMNS, type LeadRow, leadJson } from './leadRow.js';

/** Status categories as the metrics count them: cancelled is also spelled canceled; the rest is open. */
export const STATUS_GROUPS = ['won', 'lost', 'cancelled', 'open', 'closed'] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];

const CLOSED = `('won', 'lost', 'cancelled', 'canceled')`;
const GROUP_SQL: Record<StatusGroup, string> = {
  won: `status = 'won'`,
  lost: `status = 'lost'`,
  cancelled: `status IN ('cancelled', 'canceled')`,
  closed: `status IN ${CLOSED}`,
  open: `(status IS NULL OR status NOT IN ${CLOSED})`,
};

/** A lead's close time (the metrics' definition): the CRM's closed_at, else when its status began. */
const CLOSE_TIME = `CASE WHEN status IN ${CLOSED} THEN COALESCE(closed_at, status_since) END`;

/** A period of local dates, both inclusive, in the reporting time zone. */
export interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

export interface LeadFilter {
  source?: string | undefined;
  status?: string | undefined;
  statusGroup?: StatusGroup | undefined;
  step?: string | undefined;
  /** Leads whose stage history (current stage included) contains any of these steps. */
  reachedSteps?: readonly string[] | undefined;
  /** An e-mail, or `none` for unassigned leads. */
  owner?: string | undefined;
  pipeline?: string | undefined;
  /** How the lead first reached Leadhouse: webhook, api, file, poll, manual. */
  channel?: string | undefined;
  entered?: DateRange | undefined;
  closed?: DateRange | undefined;
  /** Leads in their current step for at least this many days. */
  staleDays?: number | undefined;
  updatedSince?: Date | undefined;
  includeDeleted?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
  /** Reporting time zone: where the date ranges' days begin. */
  timezone: string;
}

type ListRow = LeadRow & { close_time: Date | null; step_since: Date | null };

/**
 * Leads in (updated_at, source, id) order, keyset-paginated: a consumer that follows
 * `next_cursor` sees every lead once even while leads change. Each lead also carries its
 * `close_time` and `step_since` (when it entered its current step), as the metrics read them.
 */
export async function listLeads(db: Queryable, f: LeadFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const add = (sql: string, v: unknown) => where.push(sql.replace('?', p(v)));
  const range = (column: string, r: DateRange | undefined) => {
    if (r?.from) add(`${column} >= (?::date)::timestamp AT TIME ZONE ${p(f.timezone)}`, r.from);
    if (r?.to) add(`${column} < (?::date + 1)::timestamp AT TIME ZONE ${p(f.timezone)}`, r.to);
  };
  if (f.source) add('source_id = ?', f.source);
  if (f.status) add('status = ?', f.status);
  if (f.statusGroup) where.push(GROUP_SQL[f.statusGroup]);
  if (f.step) add(/^\d+$/.test(f.step) ? 'step_id = ?::bigint' : 'step = ?', f.step);
  if (f.owner === 'none') where.push('owner_email IS NULL');
  else if (f.owner) add('owner_email = ?', f.owner.toLowerCase());
  if (f.pipeline) add('pipeline = ?', f.pipeline);
  if (f.channel) add('channel = ?', f.channel);
  if (f.reachedSteps?.length)
    add(
      `EXISTS (SELECT 1 FROM leadhouse.stage_changes s WHERE s.source_id = leads.source_id
               AND s.lead_id = leads.lead_id AND s.to_step = ANY(?::text[]))`,
      f.reachedSteps,
    );
  range('created_at', f.entered);
  if (f.closed?.from || f.closed?.to) {
    where.push(`status IN ${CLOSED}`);
    range(`COALESCE(closed_at, status_since)`, f.closed);
  }
  if (f.staleDays !== undefined) add(`step_since <= now() - make_interval(days => ?::int)`, f.staleDays);
  if (f.updatedSince) add('updated_at >= ?', f.updatedSince.toISOString());
  if (!f.includeDeleted) where.push('deleted_at IS NULL');
  if (f.cursor) {
    const k = decodeCursor(f.cursor, 3);
    if (!k) return { error: 'query parameter "cursor" is not a cursor this API returned' } as const;
    where.push(
      `(updated_at, source_id, lead_id) > (${p(k[0])}::timestamptz, ${p(k[1])}::text, ${p(k[2])}::text)`,
    );
  }
  const limit = p(f.limit + 1);
  const { rows } = await db.query<ListRow>(
    `SELECT ${LEAD_COLUMNS}, ${CLOSE_TIME} AS close_time, step_since FROM leadhouse.leads
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY updated_at, source_id, lead_id LIMIT ${limit}`,
    params,
  );
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map((r) => ({ ...leadJson(r), close_time: r.close_time, step_since: r.step_since })),
    next_cursor:
      more && last ? encodeCursor([last.updated_at.toISOString(), last.source_id, last.lead_id]) : null,
  } as const;
}
