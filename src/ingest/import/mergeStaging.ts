import type { OwnerRow } from '../../projections/projectOwners.js';
import type { Queryable } from '../../store/db.js';

/**
 * The import's SQL, run in its one transaction after the file was copied into `import_staging`:
 * good rows (reason NULL) become events, bad ones quarantine rows.
 */
export const CREATE_STAGING = `
CREATE TEMP TABLE import_staging (
  line int, reason text, payload text,
  external_id text, lead_id text, type text, ts text, zoned boolean, data jsonb, raw jsonb, meta jsonb
) ON COMMIT DROP`;

/** A bad row already quarantined from this file (same line, reason and text) is not added again. */
const QUARANTINE = `
INSERT INTO leadhouse.quarantine (source_id, channel, origin, line, reason, payload)
SELECT $1, 'file', $2, s.line, s.reason, s.payload
FROM import_staging s
WHERE s.reason IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM leadhouse.quarantine q
    WHERE q.source_id = $1 AND q.channel = 'file' AND q.origin = $2 AND q.line = s.line
      AND q.reason = s.reason AND q.payload IS NOT DISTINCT FROM s.payload)`;

/**
 * Events from the good rows. A zone-less time is wall-clock time in the source's zone ($2; the
 * database's time zone rules, DST included); `lead.created` also states `created_at`. A row
 * already stored (same external id) is skipped; the new ones are kept in `import_new`.
 */
const INSERT_EVENTS = `
WITH ins AS (
  INSERT INTO leadhouse.events (source_id, external_id, type, entity_type, entity_id, occurred_at, received_at,
                                channel, data, raw, meta)
  SELECT $1, s.external_id, s.type, 'lead', s.lead_id, t.at, now(), 'file',
    CASE WHEN s.type = 'lead.created'
      THEN s.data || jsonb_build_object('created_at', to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      ELSE s.data END,
    s.raw, s.meta
  FROM import_staging s
  CROSS JOIN LATERAL (
    SELECT CASE WHEN s.zoned THEN s.ts::timestamptz ELSE s.ts::timestamp AT TIME ZONE $2 END AS at) t
  WHERE s.reason IS NULL
  ON CONFLICT (source_id, external_id) DO NOTHING
  RETURNING entity_id, occurred_at, data->>'actor_email' AS actor_email, data->>'owner_email' AS owner_email
)
INSERT INTO import_new SELECT * FROM ins`;

/**
 * Moves the staged rows into the log and the quarantine; leaves the new events' leads in
 * `pg_temp.affected_leads` (the projections' 'table' key scope). Returns the counts.
 */
export async function mergeStaging(
  tx: Queryable,
  sourceId: string,
  origin: string,
  timezone: string,
): Promise<{ inserted: number; leads: number }> {
  await tx.query(QUARANTINE, [sourceId, origin]);
  await tx.exec(`
    CREATE TEMP TABLE import_new (lead_id text, occurred_at timestamptz, actor_email text, owner_email text)
      ON COMMIT DROP;
    CREATE TEMP TABLE affected_leads (source_id text, lead_id text) ON COMMIT DROP`);
  const ins = await tx.query(INSERT_EVENTS, [sourceId, timezone]);
  const leads = await tx.query(
    'INSERT INTO affected_leads SELECT DISTINCT $1::text, lead_id FROM import_new',
    [sourceId],
  );
  await tx.exec('ANALYZE affected_leads');
  return { inserted: ins.rowCount, leads: leads.rowCount };
}

/** Agents seen acting (or assigned) in the new events, with when they were first and last seen. */
export async function importedOwners(tx: Queryable, sourceId: string): Promise<OwnerRow[]> {
  const { rows } = await tx.query<{ email: string; first: Date; last: Date }>(`
    SELECT email, min(occurred_at) AS first, max(occurred_at) AS last FROM (
      SELECT actor_email AS email, occurred_at FROM import_new WHERE actor_email IS NOT NULL
      UNION ALL
      SELECT owner_email, occurred_at FROM import_new WHERE owner_email IS NOT NULL) seen
    GROUP BY email`);
  return rows.map((r) => ({
    sourceId,
    email: r.email,
    ownerId: undefined,
    name: undefined,
    firstSeen: r.first,
    lastSeen: r.last,
  }));
}
