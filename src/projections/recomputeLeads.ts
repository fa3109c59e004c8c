import type { Queryable } from '../store/db.js';
import { type KeyScope, keyParams, keysCte, type LeadKey } from './leadKeys.js';
import { LEADS_UPSERT } from './projectLeads.js';
import { STAGE_APPLY, STAGE_CTES } from './projectStageChanges.js';

const sql = (scope: KeyScope) =>
  `WITH ${keysCte(scope)},${STAGE_CTES},\nleads_up AS (${LEADS_UPSERT}\n),${STAGE_APPLY}`;
const STATEMENTS: Record<KeyScope, string> = { given: sql('given'), all: sql('all'), table: sql('table') };
/** The ingest hot path: prepared once per connection. */
const GIVEN = { name: 'leadhouse_recompute_leads', text: STATEMENTS.given };

/**
 * `leads` and `stage_changes` of the given leads (or of every lead, or of the session's
 * `affected_leads` table), recomputed from their events in ONE statement: one round trip and one
 * snapshot for both projections.
 */
export async function recomputeLeads(
  tx: Queryable,
  keys: readonly LeadKey[] | 'all' | 'table',
): Promise<void> {
  if (keys === 'all' || keys === 'table') await tx.query(STATEMENTS[keys]);
  else if (keys.length > 0) await tx.query(GIVEN, keyParams(keys));
}
