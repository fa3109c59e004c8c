import { createHash } from 'node:crypto';

/** The body noCRM POSTs to a webhook target (nocrm.md §1.1). */
export interface NocrmEnvelope {
  webhook_event: {
    id: number;
    event: string;
    signature: string;
    has_succeeded: boolean;
    try_count: number;
    last_returned_code: number | null;
    data: Record<string, unknown>;
  };
}

/** noCRM's signature: lowercase hex SHA-1 of `String(webhook_event.id) + apiKey` (nocrm.md §1.2). */
export function signNocrm(id: number | string, apiKey: string): string {
  return createHash('sha1')
    .update(String(id) + apiKey, 'utf8')
    .digest('hex');
}

export function buildEnvelope(
  id: number,
  event: string,
  data: Record<string, unknown>,
  apiKey: string,
  opts: { tryCount?: number } = {},
): NocrmEnvelope {
  return {
    webhook_event: {
      id,
      event,
      signature: signNocrm(id, apiKey),
      has_succeeded: false,
      try_count: opts.tryCount ?? 1,
      last_returned_code: null,
      data,
    },
  };
}
