/**
 * The lead facts every KPI is built from, as SQL over `leadhouse.leads l`. The metric queries and
 * the `reporting` views use these same expressions: one definition of "won", of "closed", of the
 * close time. (The partial indexes of migration 0003 repeat them verbatim so the planner can use
 * them: change both together.)
 */
export const CLOSED_STATUSES = ['won', 'lost', 'cancelled', 'canceled'] as const;
const CLOSED_LIST = CLOSED_STATUSES.map((s) => `'${s}'`).join(', ');

/** The lead is not deleted: deleted leads count only in `leads_deleted`. */
export const LIVE = 'l.deleted_at IS NULL';
/** Its current status is closed (won, lost or cancelled). */
export const IS_CLOSED = `l.status IN (${CLOSED_LIST})`;
/** Its current status is open (anything but closed, or none). */
export const IS_OPEN = `(l.status IS NULL OR l.status NOT IN (${CLOSED_LIST}))`;
export const IS_WON = `l.status = 'won'`;
/** Status category: won | lost | cancelled | open. */
export const STATUS_CATEGORY = `CASE WHEN l.status = 'won' THEN 'won' WHEN l.status = 'lost' THEN 'lost'
  WHEN l.status IN ('cancelled', 'canceled') THEN 'cancelled' ELSE 'open' END`;
/**
 * When a closed lead closed: the CRM's closed_at when it stated one, otherwise when the lead's
 * current status began (from its stage history). Only meaningful with IS_CLOSED.
 */
export const CLOSE_TIME = 'COALESCE(l.closed_at, l.status_since)';
/** When the lead entered. */
export const ENTRY_TIME = 'l.created_at';

/** Lead columns a metric groups by. */
export const LEAD_DIMENSION_SQL = {
  source: 'l.source_id',
  owner: 'l.owner_email',
  pipeline: 'l.pipeline',
  stage: 'l.step',
  channel: 'l.channel',
} as const;
