import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../connectors/nocrm/verifySignature.js';
import { HttpError } from '../core/errors.js';

/**
 * Bearer-token guard for the API. In demo mode the API is open (the demo token is also accepted);
 * otherwise a request without the configured token is refused, and with no token configured
 * every request is refused.
 */
export function bearerAuth(apiToken: string | undefined, demo: boolean) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (demo) return;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw new HttpError(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
    if (!apiToken || !safeEqual(m[1]!.trim(), apiToken))
      throw new HttpError(401, 'unauthorized', 'the API token is not valid');
  };
}
