import type { UnifiedEvent, UnifiedType } from '../../core/events.js';
import { err, ok, type Result } from '../../core/result.js';
import { leadEventTime, normalizeFolder, normalizeLead } from './normalizeLead.js';
import type { NocrmEnvelope } from './readEnvelope.js';

/** noCRM event name → unified type. `.to.*` variants map to their family. */
export function unifiedType(event: string): UnifiedType {
  if (event === 'lead.creation') return 'lead.created';
  if (event === 'lead.status.changed' || event.startsWith('lead.status.changed.to.'))
    return 'lead.status_changed';
  if (event === 'lead.step.changed' || event.startsWith('lead.step.changed.to.')) return 'lead.step_changed';
  switch (event) {
    case 'lead.assigned':
      return 'lead.assigned';
    case 'lead.unassigned':
      return 'lead.unassigned';
    case 'lead.commented':
      return 'lead.commented';
    case 'lead.content_has_changed':
      return 'lead.content_changed';
    case 'lead.deleted':
      return 'lead.deleted';
    case 'lead.any_update':
      return 'lead.updated';
    case 'client_folder.created':
      return 'folder.created';
    default:
      return 'unrecognised';
  }
}

/**
 * Turns a verified noCRM envelope into the unified event. The raw body is kept unaltered; the
 * event time is the payload's `updated_at` (or `created_at`), else the arrival time.
 */
export function nocrmWebhookEvent(
  sourceId: string,
  env: NocrmEnvelope,
  raw: unknown,
  receivedAt: Date,
): Result<UnifiedEvent, string> {
  const type = unifiedType(env.event);
  const meta: Record<string, unknown> = { provider: 'nocrm', event: env.event };
  if (env.tryCount !== null) meta['try_count'] = env.tryCount;
  const base = { sourceId, externalId: env.id, type, channel: 'webhook' as const, raw, meta };

  if (type === 'unrecognised') {
    const data = env.data as { id?: unknown } | null;
    const entityId = data && typeof data === 'object' && data.id != null ? String(data.id) : null;
    const at = leadEventTime(env.data);
    if (!at) meta['occurred_at_from'] = 'received_at';
    return ok({ ...base, entityType: 'unknown', entityId, occurredAt: at ?? receivedAt, data: {} });
  }
  if (type === 'folder.created') {
    const f = normalizeFolder(env.data);
    if (!f.ok) return f;
    const at = f.value.created_at ? new Date(f.value.created_at) : undefined;
    if (!at) meta['occurred_at_from'] = 'received_at';
    return ok({
      ...base,
      entityType: 'folder',
      entityId: f.value.folder_id,
      occurredAt: at ?? receivedAt,
      data: f.value,
    });
  }
  const lead = normalizeLead(env.data);
  if (!lead.ok) return err(lead.error);
  if (type === 'lead.unassigned' && !('owner_email' in lead.value.lead)) lead.value.lead.owner_email = null;
  let at = leadEventTime(env.data);
  if (type === 'lead.created' && lead.value.lead.created_at) at = new Date(lead.value.lead.created_at);
  if (!at) meta['occurred_at_from'] = 'received_at';
  return ok({
    ...base,
    entityType: 'lead',
    entityId: lead.value.leadId,
    occurredAt: at ?? receivedAt,
    data: lead.value.lead,
  });
}
