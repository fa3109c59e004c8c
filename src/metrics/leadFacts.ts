/**
 * The lead facts every KPI is built from, as SQL over `leadhouse.leads l`. The metric queries and
 * the `reporting` views use these same expressions: one definition of "won", of "closed", of the
 * close time. The lead projection stores `close_time` (projectLeads.ts: set exactly when the
 * status is closed), and the partial indexes of migration 0003 repeat these predicates verbatim
 * so the planner can use them: change them together.
 */

/** The lead is not deleted: deleted leads count only in `leads_deleted`. */
export const LIVE = 'l.deleted_at IS NULL';
/** Its current status is closed (won, lost, cancelled or canceled): it has a close time. */
export const IS_CLOSED = 'l.close_time IS NOT NULL';
/** Its current status is open (anything but closed, or none). */
export const IS_OPEN = 'l.close_time IS NULL';
export const IS_WON = `l.status = 'won'`;
/** Status category: won | lost | cancelled | open. */
export const STATUS_CATEGORY = `CASE WHEN l.status = 'won' THEN 'won' WHEN l.status = 'lost' THEN 'lost'
  WHEN l.status IN ('cancelled', 'canceled') THEN 'cancelled' ELSE 'open' END`;
/**
 * When a closed lead closed: the CRM's closed_at when it stated one, otherwise when the lead's
 * current status began (from its stage history). NULL while the lead is open.
 */
export const CLOSE_TIME = 'l.close_time';
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
