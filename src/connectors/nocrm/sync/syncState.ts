import type { Queryable } from '../../../store/db.js';

/** Where a leads sync of one source stands; committed with every page it writes. */
export interface LeadsSyncState {
  /** Every lead updated before this instant has been read (the next run starts `overlap` earlier). */
  watermark: string | null;
  /** The run in progress, if the last one was interrupted (crash, quota, 429). */
  run: LeadsRun | null;
}

export interface LeadsRun {
  full: boolean;
  /** `updated_after` of this run; null = from the beginning. */
  windowStart: string | null;
  startedAt: string;
  offset: number;
  total: number | null;
  pages: number;
  rows: number;
  written: number;
  maxUpdatedAt: string | null;
}

const EMPTY: LeadsSyncState = { watermark: null, run: null };

export async function loadLeadsState(db: Queryable, sourceId: string): Promise<LeadsSyncState> {
  const { rows } = await db.query<{ state: LeadsSyncState }>(
    "SELECT state FROM leadhouse.sync_state WHERE source_id = $1 AND stream = 'leads'",
    [sourceId],
  );
  return { ...EMPTY, ...(rows[0]?.state ?? {}) };
}

export async function saveSyncState(
  tx: Queryable,
  sourceId: string,
  stream: string,
  state: object,
  outcome: { success?: boolean; error?: string | null } = {},
): Promise<void> {
  await tx.query(
    `INSERT INTO leadhouse.sync_state (source_id, stream, state, last_success_at, last_error, updated_at)
     VALUES ($1, $2, $3::jsonb, CASE WHEN $4 THEN now() END, $5, now())
     ON CONFLICT (source_id, stream) DO UPDATE SET
       state = excluded.state,
       last_success_at = CASE WHEN $4 THEN now() ELSE leadhouse.sync_state.last_success_at END,
       last_error = $5,
       updated_at = now()`,
    [sourceId, stream, JSON.stringify(state), outcome.success === true, outcome.error ?? null],
  );
}
