import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../connectors/nocrm/verifySignature.js';
import { HttpError } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also takes the API token as `?token=` (EventSource cannot send headers). */
    queryToken?: boolean;
  }
}

/**
 * Bearer-token guard for the API. In demo mode the API is open (the demo token is also accepted);
 * otherwise a request without the configured token is refused, and with no token configured
 * every request is refused. A route marked `queryToken` also accepts `?token=<token>`.
 */
export function bearerAuth(apiToken: string | undefined, demo: boolean) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (demo) return;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const token = m ? m[1]!.trim() : queryToken(req);
    if (token === undefined)
      throw new HttpError(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
    if (!apiToken || !safeEqual(token, apiToken))
      throw new HttpError(401, 'unauthorized', 'the API token is not valid');
  };
}

function queryToken(req: FastifyRequest): string | undefined {
  if (!req.routeOptions.config?.queryToken) return undefined;
  const t = (req.query as { token?: unknown } | undefined)?.token;
  return typeof t === 'string' && t.length > 0 ? t : undefined;
}
