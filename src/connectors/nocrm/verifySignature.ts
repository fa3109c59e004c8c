import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * noCRM signs a webhook as lowercase hex SHA-1 of `String(webhook_event.id) + apiKey`
 * (the official receiver's check). Compared in constant time.
 */
export function nocrmSignature(eventId: string, apiKey: string): string {
  return createHash('sha1')
    .update(eventId + apiKey, 'utf8')
    .digest('hex');
}

export function verifyNocrmSignature(eventId: string, signature: string, apiKey: string): boolean {
  const expected = Buffer.from(nocrmSignature(eventId, apiKey), 'utf8');
  const got = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Constant-time comparison of two secrets of any length (e.g. the `?token=` of a webhook URL). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
