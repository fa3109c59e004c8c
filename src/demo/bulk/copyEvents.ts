import type { UnifiedEvent } from '../../core/events.js';
import type { BulkEvent } from './planLead.js';

/** The `leadhouse.events` columns a generated event fills (id and raw are left to the table). */
export const EVENT_COLUMNS = [
  'source_id',
  'external_id',
  'type',
  'entity_type',
  'entity_id',
  'occurred_at',
  'received_at',
  'channel',
  'data',
  'meta',
] as const;

/** JSON in COPY text format: JSON text has no raw tab or newline, so only backslashes need escaping. */
const jsonField = (json: string) => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/**
 * One row of COPY text format for `events`, as the webhook path stores a noCRM webhook: channel
 * `webhook`, received when it happened, `meta` with the provider's event name. The generator has
 * no provider body, so `raw` stays NULL.
 */
export function eventLine(e: BulkEvent): string {
  const at = new Date(e.at).toISOString();
  const meta = `{"provider":"nocrm","event":"${e.event}","try_count":1,"generator":"bulk"}`;
  return `${e.sourceId}\t${e.externalId}\t${e.type}\t${e.entityType}\t${e.entityId}\t${at}\t${at}\twebhook\t${jsonField(
    JSON.stringify(e.data),
  )}\t${meta}\n`;
}

/** The unified event (for the owners and folders projections, which read a batch of events). */
export function toUnified(e: BulkEvent): UnifiedEvent {
  return {
    sourceId: e.sourceId,
    externalId: e.externalId,
    type: e.type,
    entityType: e.entityType,
    entityId: e.entityId,
    occurredAt: new Date(e.at),
    channel: 'webhook',
    data: e.data,
    raw: undefined,
    meta: {},
  };
}
