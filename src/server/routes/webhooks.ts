import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readEnvelope } from '../../connectors/nocrm/readEnvelope.js';
import { safeEqual, verifyNocrmSignature } from '../../connectors/nocrm/verifySignature.js';
import { nocrmWebhookEvent } from '../../connectors/nocrm/webhookEvent.js';
import type { SourceConfig } from '../../core/config.js';
import { coerceError, type ErrorCode } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { IngestBatcher } from '../../ingest/batcher.js';
import { isUnavailable } from '../../store/db.js';
import type { Metrics } from '../metrics.js';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookDeps {
  sources: Record<string, SourceConfig>;
  batcher: IngestBatcher;
  metrics: Metrics;
  log: Logger;
}

type Req = FastifyRequest<{ Params: { source: string }; Querystring: { token?: string } }>;

/**
 * `POST /webhooks/:source` (and the seed's `/webhook/:source`): verify, parse, store, then answer.
 * The body is read as raw bytes (at most 1 MiB) and only JSON is accepted; a 2xx is sent only
 * after the event is committed. Rejections store nothing and are logged once with their source.
 */
export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  const log = deps.log.child({ scope: 'ingest.webhook' });

  const reject = (req: Req, reply: FastifyReply, status: number, code: ErrorCode, message: string) => {
    const source = req.params.source;
    log.warn({ source, status, code }, message);
    deps.metrics.webhooks.inc({ source: source in deps.sources ? source : '(unknown)', outcome: code });
    return reply.code(status).send({ error: { code, message } });
  };

  app.removeAllContentTypeParsers();
  const raw = (_req: unknown, body: Buffer, done: (e: null, b: Buffer) => void) => done(null, body);
  // A string matches the media type whatever its parameters (`; charset=utf-8`); the RegExp takes
  // the `application/…+json` family.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, raw);
  app.addContentTypeParser(
    /^application\/[a-z0-9.+-]+\+json(\s*;.*)?$/i,
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    raw,
  );

  // Before the body is read: unknown sources and bad tokens are refused without reading it.
  const gate = async (req: Req, reply: FastifyReply) => {
    const src = Object.hasOwn(deps.sources, req.params.source) ? deps.sources[req.params.source] : undefined;
    if (!src)
      return reject(
        req,
        reply,
        404,
        'unknown_source',
        `no source named ${JSON.stringify(req.params.source)}`,
      );
    if (src.kind === 'nocrm' && src.webhookToken !== undefined) {
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      if (!token || !safeEqual(token, src.webhookToken))
        return reject(
          req,
          reply,
          401,
          'invalid_token',
          'the ?token= of this webhook URL is missing or wrong',
        );
    }
    return undefined;
  };

  const handler = async (req: Req, reply: FastifyReply) => {
    const receivedAt = new Date();
    const sourceId = req.params.source;
    const src = deps.sources[sourceId]!;
    if (!Buffer.isBuffer(req.body))
      return reject(
        req,
        reply,
        415,
        'unsupported_media_type',
        'send the webhook as Content-Type: application/json',
      );
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch (e) {
      return reject(req, reply, 400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message}`);
    }
    const env = readEnvelope(body);
    if (!env.ok) return reject(req, reply, 400, 'invalid_payload', env.error);
    if (!env.value.signature)
      return reject(req, reply, 401, 'missing_signature', 'webhook_event.signature is missing');
    if (!verifyNocrmSignature(env.value.id, env.value.signature, src.apiKey))
      return reject(
        req,
        reply,
        401,
        'invalid_signature',
        'webhook_event.signature does not match this source',
      );
    const event = nocrmWebhookEvent(sourceId, env.value, body, receivedAt);
    if (!event.ok) return reject(req, reply, 400, 'invalid_payload', event.error);

    try {
      const outcome = await deps.batcher.submit(event.value, receivedAt);
      const status = outcome.duplicate ? 'duplicate' : 'stored';
      deps.metrics.webhooks.inc({ source: sourceId, outcome: status });
      if (event.value.type === 'unrecognised' && !outcome.duplicate) {
        deps.metrics.unrecognised.inc({ source: sourceId, event: env.value.event });
        log.info(
          { source: sourceId, event: env.value.event },
          'stored an event of a type Leadhouse does not interpret',
        );
      }
      return reply.code(200).send({ status, id: env.value.id, event: env.value.event });
    } catch (e) {
      // Logged once, as an error with its cause (not as a plain rejection).
      log.error(
        { source: sourceId, err: coerceError(e), unavailable: isUnavailable(e) },
        'could not store a webhook',
      );
      deps.metrics.webhooks.inc({ source: sourceId, outcome: 'database_unavailable' });
      const error = { code: 'database_unavailable', message: 'the event could not be stored; retry later' };
      return reply.code(503).header('retry-after', '5').send({ error });
    }
  };

  for (const path of ['/webhooks/:source', '/webhook/:source']) {
    app.post(path, { onRequest: gate }, handler);
  }
}
