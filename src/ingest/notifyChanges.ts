import type { Queryable } from '../store/db.js';

/**
 * Committed changes are announced on this PostgreSQL channel (NOTIFY is delivered at commit, to
 * every process listening on the database; a rolled-back transaction announces nothing). The
 * payload is `{"sources":[…],"types":[…]}`: what changed, never the data (NOTIFY payloads are
 * capped at 8000 bytes; a batch names a handful of sources and types).
 */
export const CHANGES_CHANNEL = 'leadhouse_changes';

export interface ChangeNotice {
  sources: string[];
  types: string[];
}

/**
 * A CTE body for the ingest statement: one notification for the rows of `ins` (source_id, type),
 * none when every event was a redelivery. PostgreSQL folds identical payloads of a transaction.
 */
export const CHANGES_NOTIFY = `
  SELECT pg_notify('${CHANGES_CHANNEL}',
    json_build_object('sources', array_agg(DISTINCT source_id), 'types', array_agg(DISTINCT type))::text)
  FROM ins HAVING count(*) > 0`;

/** Announces a change from a write path that has no `ins` rows at hand (file import). */
export async function notifyChanges(tx: Queryable, notice: ChangeNotice): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(notice)]);
}

/** Reads a payload back; anything unexpected becomes "something changed" (an empty notice). */
export function parseChangeNotice(payload: string): ChangeNotice {
  try {
    const v = JSON.parse(payload) as Partial<ChangeNotice>;
    const strings = (a: unknown) => (Array.isArray(a) ? a.filter((x) => typeof x === 'string') : []);
    return { sources: strings(v.sources), types: strings(v.types) };
  } catch {
    return { sources: [], types: [] };
  }
}
