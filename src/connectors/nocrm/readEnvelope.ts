import { err, ok, type Result } from '../../core/result.js';

/** The `webhook_event` wrapper every noCRM webhook body has (reference/nocrm.md §1.1). */
export interface NocrmEnvelope {
  id: string;
  event: string;
  signature: string | undefined;
  hasSucceeded: boolean | null;
  tryCount: number | null;
  lastReturnedCode: number | null;
  data: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks the envelope's shape; the message names the offending field. */
export function readEnvelope(body: unknown): Result<NocrmEnvelope, string> {
  if (!isObject(body)) return err('the body must be a JSON object with a webhook_event');
  const ev = body['webhook_event'];
  if (!isObject(ev)) return err('webhook_event is missing or is not an object');
  const id = ev['id'];
  let idText: string;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) idText = String(id);
  else if (typeof id === 'string' && /^\d{1,18}$/.test(id)) idText = String(BigInt(id));
  else return err('webhook_event.id must be a non-negative integer');
  const event = ev['event'];
  if (typeof event !== 'string' || !/^[A-Za-z0-9_.:\- ]{1,200}$/.test(event))
    return err('webhook_event.event must be an event name such as lead.creation');
  const signature = ev['signature'];
  if (signature !== undefined && signature !== null && typeof signature !== 'string')
    return err('webhook_event.signature must be a string');
  const hasSucceeded = ev['has_succeeded'] ?? null;
  if (hasSucceeded !== null && typeof hasSucceeded !== 'boolean')
    return err('webhook_event.has_succeeded must be a boolean');
  const tryCount = optionalInt(ev['try_count']);
  if (tryCount === false) return err('webhook_event.try_count must be an integer');
  const lastReturnedCode = optionalInt(ev['last_returned_code']);
  if (lastReturnedCode === false) return err('webhook_event.last_returned_code must be an integer');
  return ok({
    id: idText,
    event,
    signature: typeof signature === 'string' && signature !== '' ? signature : undefined,
    hasSucceeded,
    tryCount,
    lastReturnedCode,
    data: ev['data'],
  });
}

function optionalInt(v: unknown): number | null | false {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31) return v;
  if (typeof v === 'string' && /^-?\d{1,9}$/.test(v)) return Number(v);
  return false;
}
