import type { SourceConfig } from '../core/config.js';
import type { Queryable } from '../store/db.js';

const SOURCE_ID = /^[a-z0-9_]+$/;

/** Columns every seed table starts with: the webhook envelope's bookkeeping. */
const ENVELOPE = `
  e.external_id::int8 AS id,
  w->>'event' AS event,
  w->>'signature' AS signature,
  (w->>'has_succeeded')::bool AS has_succeeded,
  (w->>'try_count')::int4 AS try_count,
  (w->>'last_returned_code')::int4 AS last_returned_code`;

const LEAD_ID = `CASE WHEN e.entity_id ~ '^[0-9]{1,18}$' THEN e.entity_id::int8 END`;
const utc = (expr: string) => `((${expr})::timestamptz AT TIME ZONE 'UTC')`;

function from(source: string, event: string): string {
  return `FROM leadhouse.events e,
  LATERAL (SELECT e.raw->'webhook_event' AS w, e.raw->'webhook_event'->'data' AS d) j
WHERE e.source_id = '${source}' AND e.channel = 'webhook' AND e.meta->>'event' = '${event}'`;
}

/** The seed's four per-office tables, as views with exactly its column names, order and types. */
function viewsFor(source: string): string[] {
  const q = (suffix: string) => `public."${source}_${suffix}"`;
  return [
    `CREATE OR REPLACE VIEW ${q('lead_created')} AS SELECT ${ENVELOPE},
  (e.received_at AT TIME ZONE 'UTC') AS received_at,
  ${LEAD_ID} AS lead_id,
  e.data->>'title' AS title,
  e.data->>'status' AS status,
  e.data->>'step' AS step,
  (e.data->>'amount')::numeric AS amount,
  ${utc("e.data->>'created_at'")} AS created_at_utc,
  ${utc("e.data->>'updated_at'")} AS updated_at_utc,
  d->'user'->>'email' AS user_email,
  d->>'permalink' AS permalink,
  e.raw AS raw_data,
  (CASE WHEN e.data->>'folder_id' ~ '^[0-9]{1,18}$' THEN (e.data->>'folder_id')::int8 END) AS client_folder_id,
  e.data->>'folder_name' AS client_folder_name
${from(source, 'lead.creation')}`,
    `CREATE OR REPLACE VIEW ${q('step_changed')} AS SELECT ${ENVELOPE},
  e.received_at AS received_at,
  ${LEAD_ID} AS lead_id,
  e.data->>'title' AS lead_title,
  e.data->>'status' AS lead_status,
  e.data->>'step' AS lead_step,
  (e.data->>'amount')::numeric AS lead_amount,
  (e.data->>'created_at')::timestamptz AS lead_created_at,
  (e.data->>'updated_at')::timestamptz AS lead_updated_at,
  d->'user'->>'email' AS lead_user_email,
  d->>'permalink' AS lead_permalink,
  e.raw AS raw_data,
  (CASE WHEN abs((e.data->>'step_id')::int8) < 2147483648 THEN (e.data->>'step_id')::int4 END) AS step_id,
  e.data->>'pipeline' AS pipeline,
  (e.data->>'created_at')::timestamptz AS created_at_utc,
  (e.data->>'updated_at')::timestamptz AS updated_at_utc,
  d->'user'->>'email' AS moved_by
${from(source, 'lead.step.changed')}`,
    `CREATE OR REPLACE VIEW ${q('lead_deleted')} AS SELECT ${ENVELOPE},
  (e.received_at AT TIME ZONE 'UTC') AS received_at,
  ${LEAD_ID} AS lead_id,
  e.data->>'title' AS title,
  ${utc("e.data->>'updated_at'")} AS deleted_at_utc,
  d->'user'->>'email' AS user_email,
  d->>'permalink' AS permalink,
  e.raw AS raw_data
${from(source, 'lead.deleted')}`,
    `CREATE OR REPLACE VIEW ${q('client_folder_created')} AS SELECT ${ENVELOPE},
  (e.received_at AT TIME ZONE 'UTC') AS received_at,
  (CASE WHEN e.entity_id ~ '^[0-9]{1,18}$' THEN e.entity_id::int8 END) AS folder_id,
  e.data->>'folder_name' AS folder_name,
  ${utc("e.data->>'created_at'")} AS created_at_utc,
  e.raw AS raw_data
${from(source, 'client_folder.created')}`,
  ];
}

/**
 * Registers the configured sources and (re)creates the seed-compatible views of each noCRM
 * source, so a Power BI report built on the old per-office tables only changes its host.
 * Source ids come from the validated configuration, never from a request.
 */
export async function syncSources(tx: Queryable, sources: Record<string, SourceConfig>): Promise<void> {
  for (const [id, src] of Object.entries(sources)) {
    if (!SOURCE_ID.test(id)) throw new Error(`invalid source id ${JSON.stringify(id)}`);
    await tx.query(
      'INSERT INTO leadhouse.sources (id, kind) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind',
      [id, src.kind],
    );
    if (src.kind === 'nocrm') for (const sql of viewsFor(id)) await tx.exec(sql);
  }
}
