import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, HttpError } from '../core/errors.js';

const FASTIFY_CODES: Record<string, [number, ErrorCode]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
};

/** Every error leaves as `{ error: { code, message } }`; unknown ones are logged and hidden. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((e: FastifyError, req, reply) => {
    if (e instanceof HttpError) return reply.code(e.status).send(e.toBody());
    const known = e.code ? FASTIFY_CODES[e.code] : undefined;
    if (known) {
      const params = req.params as { source?: string } | undefined;
      req.log.warn({ source: params?.source, status: known[0], code: known[1] }, e.message);
      return reply.code(known[0]).send({ error: { code: known[1], message: e.message } });
    }
    if (e.validation) {
      const v = e.validation[0];
      const where = (e.validationContext ?? 'request') as string;
      const name =
        (v?.params as { missingProperty?: string; additionalProperty?: string } | undefined)
          ?.missingProperty ??
        (v?.params as { additionalProperty?: string } | undefined)?.additionalProperty ??
        v?.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const message = `${where === 'querystring' ? 'query parameter' : where} ${name ? `"${name}" ` : ''}${v?.message ?? 'is invalid'}`;
      return reply.code(400).send({ error: { code: 'invalid_parameter', message } });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error: { code: 'bad_request', message: e.message } });
    }
    req.log.error({ err: e }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
}
