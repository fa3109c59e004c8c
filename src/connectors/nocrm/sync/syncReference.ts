import type { UnifiedEvent } from '../../../core/events.js';
import { err, ok, type Result } from '../../../core/result.js';
import { insertEvents } from '../../../ingest/writeEvents.js';
import type { Db, Queryable } from '../../../store/db.js';
import type { ApiFailure, NocrmApi } from '../api/client.js';
import { apiClientEvent, apiUserEvent } from '../apiEvents.js';
import { saveSyncState } from './syncState.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] =>
  Array.isArray(v) ? v.filter((x): x is Obj => x !== null && typeof x === 'object') : [];
const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

export interface ReferenceCounts {
  users: number;
  pipelines: number;
  steps: number;
  clients: number;
}

/**
 * The CRM's reference data, one request each: `/users` (agents' names and e-mails, as owner
 * events), `/pipelines` and `/steps` (the ordered funnel, keyed by step id), `/clients` (client
 * folders, as folder events). Each answer is stored as soon as it arrives and the endpoints done
 * are checkpointed, so a quota stop between two of them resumes with the next one.
 */
export async function syncReference(
  db: Db,
  api: NocrmApi,
  sourceId: string,
  now: () => Date,
): Promise<Result<ReferenceCounts, ApiFailure>> {
  const { rows } = await db.query<{ state: { done?: string[]; counts?: ReferenceCounts } }>(
    "SELECT state FROM leadhouse.sync_state WHERE source_id = $1 AND stream = 'reference'",
    [sourceId],
  );
  const previous = rows[0]?.state;
  const done = new Set(previous?.done ?? []);
  const counts: ReferenceCounts = previous?.counts ?? { users: 0, pipelines: 0, steps: 0, clients: 0 };
  for (const endpoint of ENDPOINTS) {
    if (done.has(endpoint)) continue;
    const page = await api.get<unknown>(`/${endpoint}`, endpoint === 'steps' ? { direction: 'asc' } : {});
    if (!page.ok) return err(page.error);
    const items = list(page.value.body);
    const complete = done.size + 1 === ENDPOINTS.length;
    await db.transaction(async (tx) => {
      await STORE[endpoint](tx, sourceId, items, now());
      counts[endpoint] = items.length;
      done.add(endpoint);
      await saveSyncState(
        tx,
        sourceId,
        'reference',
        complete ? { at: now().toISOString(), counts } : { done: [...done], counts },
        complete ? { success: true } : {},
      );
    });
  }
  return ok(counts);
}

const ENDPOINTS = ['users', 'pipelines', 'steps', 'clients'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

const STORE: Record<Endpoint, (tx: Queryable, sourceId: string, items: Obj[], at: Date) => Promise<unknown>> =
  {
    users: (tx, sourceId, items, at) =>
      insertEvents(
        tx,
        items.map((u) => apiUserEvent(sourceId, u, at)).filter((e): e is UnifiedEvent => !!e),
        at,
      ),
    clients: (tx, sourceId, items, at) =>
      insertEvents(
        tx,
        items.map((c) => apiClientEvent(sourceId, c, at)).filter((e): e is UnifiedEvent => !!e),
        at,
      ),
    pipelines: (tx, sourceId, items) => {
      const p = items.filter((x) => str(x['id']) && str(x['name']));
      return tx.query(
        `INSERT INTO leadhouse.pipelines (source_id, pipeline_id, name, is_default, synced_at)
       SELECT $1, i, n, d, now() FROM unnest($2::text[], $3::text[], $4::boolean[]) AS u(i, n, d)
       ON CONFLICT (source_id, pipeline_id) DO UPDATE SET name = excluded.name, is_default = excluded.is_default, synced_at = now()`,
        [
          sourceId,
          p.map((x) => str(x['id'])),
          p.map((x) => str(x['name'])),
          p.map((x) => (typeof x['is_default'] === 'boolean' ? x['is_default'] : null)),
        ],
      );
    },
    steps: (tx, sourceId, items) => {
      const s = items.filter((x) => /^\d+$/.test(str(x['id']) ?? '') && str(x['name']));
      return tx.query(
        `INSERT INTO leadhouse.stages (source_id, step_id, name, position, pipeline_id, pipeline, synced_at)
       SELECT $1, i, n, pos, pid, pn, now() FROM unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[]) AS u(i, n, pos, pid, pn)
       ON CONFLICT (source_id, step_id) DO UPDATE SET name = excluded.name, position = excluded.position,
         pipeline_id = excluded.pipeline_id, pipeline = excluded.pipeline, synced_at = now()`,
        [
          sourceId,
          s.map((x) => str(x['id'])),
          s.map((x) => str(x['name'])),
          s.map((x) => (typeof x['position'] === 'number' ? x['position'] : null)),
          s.map((x) => str(x['pipeline_id']) ?? str((x['pipeline'] as Obj | undefined)?.['id'])),
          s.map((x) => str((x['pipeline'] as Obj | undefined)?.['name'])),
        ],
      );
    },
  };

/** noCRM user id → e-mail, from the agents already known (webhooks and `/users`). */
export async function loadUserEmails(db: Db, sourceId: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ owner_id: string; email: string }>(
    'SELECT owner_id, email FROM leadhouse.owners WHERE source_id = $1 AND owner_id IS NOT NULL',
    [sourceId],
  );
  return new Map(rows.map((r) => [r.owner_id, r.email]));
}

/** When the reference data was last synced (undefined: never). */
export async function referenceSyncedAt(db: Db, sourceId: string): Promise<Date | undefined> {
  const { rows } = await db.query<{ last_success_at: Date | null }>(
    "SELECT last_success_at FROM leadhouse.sync_state WHERE source_id = $1 AND stream = 'reference'",
    [sourceId],
  );
  return rows[0]?.last_success_at ?? undefined;
}
