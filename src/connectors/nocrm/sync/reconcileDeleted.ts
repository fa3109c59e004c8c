import type { UnifiedEvent } from '../../../core/events.js';
import { err, ok, type Result } from '../../../core/result.js';
import { writeEvents } from '../../../ingest/writeEvents.js';
import type { Db } from '../../../store/db.js';
import type { ApiFailure, NocrmApi } from '../api/client.js';
import type { QuotaGate } from '../api/quota.js';
import { PAGE_SIZE } from './syncLeads.js';

export interface ReconcileResult {
  listed: number;
  known: number;
  deleted: string[];
}

/**
 * Finds leads that disappeared from the CRM without a `lead.deleted` webhook: lists every lead id
 * (`order=id&direction=asc`, ceil(total/100) requests) and soft-deletes, with a `lead.deleted`
 * event, the known leads that are not in the list. The listing must be complete to conclude
 * anything: it is not started unless today's budget covers it, and a stop midway deletes nothing.
 */
export async function reconcileDeleted(
  db: Db,
  api: NocrmApi,
  quota: QuotaGate,
  sourceId: string,
  now: () => Date = () => new Date(),
  pageSize = PAGE_SIZE,
): Promise<Result<ReconcileResult, ApiFailure | { kind: 'budget'; message: string }>> {
  const first = await api.get<Array<{ id?: unknown }>>('/leads', {
    limit: pageSize,
    offset: 0,
    order: 'id',
    direction: 'asc',
  });
  if (!first.ok) return err(first.error);
  const total = first.value.total ?? (Array.isArray(first.value.body) ? first.value.body.length : 0);
  const pages = Math.ceil(total / pageSize);
  const remaining = await quota.remaining();
  if (pages - 1 > remaining)
    return err({
      kind: 'budget',
      message: `listing ${total} leads needs ${pages} requests; ${remaining} left today`,
    });
  const ids = new Set<string>();
  const add = (rows: unknown) => {
    if (!Array.isArray(rows)) return;
    for (const r of rows as Array<{ id?: unknown }>)
      if (r.id !== undefined && r.id !== null) ids.add(String(r.id));
  };
  add(first.value.body);
  for (let offset = pageSize; offset < total; offset += pageSize) {
    const page = await api.get<Array<{ id?: unknown }>>('/leads', {
      limit: pageSize,
      offset,
      order: 'id',
      direction: 'asc',
    });
    if (!page.ok) return err(page.error);
    add(page.value.body);
    if (!Array.isArray(page.value.body) || page.value.body.length < pageSize) break;
  }
  const { rows } = await db.query<{ lead_id: string }>(
    'SELECT lead_id FROM leadhouse.leads WHERE source_id = $1 AND deleted_at IS NULL',
    [sourceId],
  );
  const at = now();
  const gone = rows.map((r) => r.lead_id).filter((id) => !ids.has(id));
  const events: UnifiedEvent[] = gone.map((id) => ({
    sourceId,
    externalId: `api:deleted:${id}`,
    type: 'lead.deleted',
    entityType: 'lead',
    entityId: id,
    occurredAt: at,
    channel: 'api',
    data: {},
    raw: null,
    meta: { provider: 'nocrm', reason: 'absent from the lead id listing' },
  }));
  await writeEvents(db, events, at);
  return ok({ listed: ids.size, known: rows.length, deleted: gone });
}
