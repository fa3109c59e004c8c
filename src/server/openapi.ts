import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** A route without its own tag is grouped by where it lives. */
function tagOf(url: string): string {
  if (url.startsWith('/webhook')) return 'webhooks';
  if (url.startsWith('/api/v1/leads') || url.startsWith('/api/v1/events')) return 'leads';
  if (url.startsWith('/api/v1/goals')) return 'goals';
  if (url.startsWith('/api/v1/')) return 'metrics';
  return 'ops';
}

/**
 * The OpenAPI document of the whole HTTP surface, generated from the routes' own schemas (so it
 * cannot drift from what the server validates), at /api/openapi.json, and Swagger UI at /docs.
 * Must be registered before the routes it documents.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Leadhouse API',
        version,
        description:
          'Webhooks in, the event log and lead state out, and the sales KPIs of the data dictionary. Every /api/v1 call needs `Authorization: Bearer <token>` outside demo mode. Errors are `{ "error": { "code", "message" } }`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'LEADHOUSE_API_TOKEN' } },
      },
      tags: [
        { name: 'metrics', description: 'The data dictionary and the KPIs (docs/metrics.md)' },
        { name: 'goals', description: 'Sales goals per office and agent' },
        { name: 'leads', description: 'Lead state, stage history and raw events' },
        { name: 'webhooks', description: 'Inbound CRM webhooks' },
        { name: 'ops', description: 'Health and Prometheus metrics' },
      ],
    },
    transform: ({ schema, url }) => {
      const s = { ...(schema ?? {}) } as Record<string, unknown>;
      if (url.startsWith('/api/v1/')) s['security'] = [{ bearer: [] }];
      s['tags'] ??= [tagOf(url)];
      return { schema: s as typeof schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
