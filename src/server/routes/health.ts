import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.js';
import type { Metrics } from '../metrics.js';

export async function healthRoutes(app: FastifyInstance, deps: { db: Db; metrics: Metrics }): Promise<void> {
  /** The process is up. */
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** The database answers: ready to take webhooks. */
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ready', database: deps.db.driver };
    } catch {
      return reply
        .code(503)
        .send({ error: { code: 'database_unavailable', message: 'the database does not answer' } });
    }
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
